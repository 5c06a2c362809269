"""Run child processes with their output passed through the redacting streams."""

import codecs
import os
import signal
import subprocess
import sys
import threading


def _pump(pipe, get_stream):
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    try:
        while True:
            chunk = pipe.read1(65536)
            text = decoder.decode(chunk, final=not chunk)
            stream = get_stream()
            if text:
                stream.write(text)
            if not chunk:
                break
            if text.endswith("\n"):
                stream.flush()
    except (OSError, ValueError):
        pass
    finally:
        try:
            pipe.close()
        except OSError:
            pass


def start(args, env=None, new_session=False):
    """Start ``args`` with piped stdout/stderr forwarded to sys.stdout/sys.stderr."""
    sys.stdout.flush()
    sys.stderr.flush()
    proc = subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=new_session,
    )
    threads = [
        threading.Thread(target=_pump, args=(proc.stdout, lambda: sys.stdout), daemon=True),
        threading.Thread(target=_pump, args=(proc.stderr, lambda: sys.stderr), daemon=True),
    ]
    for t in threads:
        t.start()
    proc._brickyard_threads = threads
    return proc


def finish(proc, timeout=None):
    """Wait for exit (TimeoutExpired propagates) and drain the output pumps."""
    rc = proc.wait(timeout=timeout)
    for t in getattr(proc, "_brickyard_threads", []):
        t.join(5)
    return rc


def kill(proc, group=False, grace=2.0):
    """Terminate ``proc`` (its whole process group when ``group``)."""
    if proc.poll() is not None:
        return
    try:
        if group:
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.terminate()
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            pass
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.wait(grace)
    except (OSError, subprocess.TimeoutExpired):
        pass
