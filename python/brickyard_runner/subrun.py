"""``dbutils.notebook.run``: run another notebook in a child runner process.

The child is this same runner (``sys.executable <package dir> <task.json>``)
in a new session, so it gets fresh globals/widgets/modules and can be killed
as a whole process group when ``timeout_seconds`` (> 0) elapses.  Its
stdout/stderr are forwarded through this process's redacting streams.  The
notebook source is fetched here (workspace export API) and handed over in the
child's task.json; task values given to the parent are visible to the child,
values the child sets are not propagated (they belong to the child run).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

from brickyard_runner import procio
from brickyard_runner.errors import WorkflowException

MAX_DEPTH = 10
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def run_notebook(ctx, path, timeout_seconds, arguments):
    try:
        timeout = float(timeout_seconds or 0)
    except (TypeError, ValueError):
        raise ValueError("timeout_seconds must be a number, got %r" % (timeout_seconds,))
    if ctx.depth + 1 > MAX_DEPTH:
        raise WorkflowException("dbutils.notebook.run nested deeper than %d levels" % MAX_DEPTH)
    if not isinstance(arguments, dict):
        raise TypeError("arguments must be a dict of widget name -> value")
    source, language = ctx.fetch_notebook(path)
    workdir = tempfile.mkdtemp(prefix="brickyard-nbrun-")
    try:
        task_file = os.path.join(workdir, "task.json")
        result_file = os.path.join(workdir, "result.json")
        task = {
            "kind": "notebook",
            "path": path,
            "source": source,
            "language": language,
            "parameters": dict((str(k), "" if v is None else str(v)) for k, v in arguments.items()),
            "task_values": ctx.task_values_in,
            "job": ctx.job,
            "timeout_seconds": 0,
        }
        with open(task_file, "w", encoding="utf-8") as f:
            json.dump(task, f)
        env = dict(os.environ)
        env["BRICKYARD_RESULT_FILE"] = result_file
        env["BRICKYARD_RUN_DEPTH"] = str(ctx.depth + 1)
        proc = procio.start([sys.executable, PACKAGE_DIR, task_file], env=env, new_session=True)
        ctx.children.add(proc.pid)
        try:
            rc = procio.finish(proc, timeout=timeout if timeout > 0 else None)
        except subprocess.TimeoutExpired:
            procio.kill(proc, group=True)
            _drain(proc)
            raise WorkflowException("Notebook %s timed out after %s seconds" % (path, _fmt(timeout)))
        except BaseException:
            procio.kill(proc, group=True)
            raise
        finally:
            ctx.children.discard(proc.pid)
            sys.stdout.flush()
            sys.stderr.flush()
        result = _read_result(result_file)
        if result is None:
            raise WorkflowException("Notebook %s exited with code %s without reporting a result" % (path, rc))
        if result.get("status") != "SUCCESS":
            raise WorkflowException("Notebook %s failed: %s" % (path, result.get("error") or "unknown error"))
        return result.get("result")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _drain(proc):
    for t in getattr(proc, "_brickyard_threads", []):
        t.join(2)


def _read_result(result_file):
    try:
        with open(result_file, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _fmt(timeout):
    return str(int(timeout)) if float(timeout).is_integer() else str(timeout)
