"""Runner entry: load task.json, execute, write the result file.

Result JSON (always written to ``$BRICKYARD_RESULT_FILE``, also on failure)::

    {"status": "SUCCESS" | "FAILED", "result": str | null, "task_values": {...},
     "error": "Type: message" | null, "error_trace": str | null,
     "timed_out": bool, "cancelled": bool}

Exit code 0 on success (including ``dbutils.notebook.exit``), 1 on failure,
2 when task.json itself cannot be read.
"""

import builtins
import json
import os
import signal
import sys
import traceback
import weakref

from brickyard_runner import apiproxy
from brickyard_runner.context import RunContext, detect_language
from brickyard_runner.dbutils import DBUtils
from brickyard_runner.display import display, displayHTML
from brickyard_runner.errors import (
    NotebookExit,
    NotebookSourceError,
    RunCancelled,
    ShellCommandFailed,
    StatementExecutionError,
    TaskTimeout,
    UnsupportedMagic,
)
from brickyard_runner.notebook import Executor
from brickyard_runner.redact import RedactingStream, Redactor

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
# the `pyspark` user code imports (shims/README.md)
SHIM_DIR = os.path.join(PACKAGE_DIR, "shims")


def _setup_streams(redactor):
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace", line_buffering=True)
        except (AttributeError, ValueError):
            pass
        setattr(sys, name, RedactingStream(stream, redactor))


def _install_signals(ctx, timeout):
    def on_term(signum, frame):
        _kill_children(ctx)
        raise RunCancelled("run cancelled (received signal %d)" % signum)

    def on_alarm(signum, frame):
        _kill_children(ctx)
        raise TaskTimeout("Task timed out after %s seconds" % timeout)

    signal.signal(signal.SIGTERM, on_term)
    if timeout and timeout > 0 and hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, float(timeout))


def _kill_children(ctx):
    for pid in list(ctx.children):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


def _user_globals(ctx, executor):
    dbutils = DBUtils(ctx, weakref.ref(executor))
    g = {
        "__name__": "__main__",
        "__builtins__": builtins,
        "__doc__": None,
        "dbutils": dbutils,
        "spark": ctx.spark,
        "display": display,
        "displayHTML": displayHTML,
        "getArgument": ctx.widgets.getArgument,
    }
    return g


_RUNNER_ERRORS = (
    UnsupportedMagic, ShellCommandFailed, NotebookSourceError, TaskTimeout, RunCancelled, KeyboardInterrupt,
)


# import name -> pip package, where they differ (for the hint below)
_PIP_NAMES = {"sklearn": "scikit-learn", "cv2": "opencv-python", "yaml": "PyYAML", "PIL": "Pillow", "bs4": "beautifulsoup4"}


def module_hint(exc):
    """What to do about a library missing from the interpreter the workspace runs tasks with."""
    missing = (getattr(exc, "name", None) or "").split(".")[0]
    if not missing:
        return ""
    package = _PIP_NAMES.get(missing, missing)
    return (
        " (hint: the local workspace runs tasks with %s, which cannot import '%s': install %s there"
        " (%s -m pip install %s), or restart it with `brickyard up --python /path/to/venv/bin/python`"
        " or BRICKYARD_PYTHON=/path/to/venv/bin/python, an interpreter that has it)"
        % (sys.executable, missing, package, sys.executable, package)
    )


def _format_error(exc, ctx):
    name = type(exc).__name__
    message = str(exc)
    error = "%s: %s" % (name, message) if message else name
    if isinstance(exc, ModuleNotFoundError):
        error += module_hint(exc)
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in ctx.user_filenames:
        tb = tb.tb_next
    if tb is None and isinstance(exc, SyntaxError):
        trace = "".join(traceback.format_exception_only(type(exc), exc))
    elif isinstance(exc, _RUNNER_ERRORS) or (tb is None and isinstance(exc, StatementExecutionError)):
        # raised by the runner itself (magics, signals, a failed statement of a SQL cell):
        # show where in the notebook, not runner internals
        frames = [f for f in traceback.extract_tb(tb) if not f.filename.startswith(PACKAGE_DIR + os.sep)]
        lines = ["Traceback (most recent call last):\n"] + traceback.format_list(frames) if frames else []
        if not frames and ctx.current_cell is not None:
            lines.append('  File "%s", line %d, in cell %d\n' % (
                ctx.current_cell[0], ctx.current_cell[2], ctx.current_cell[1]))
        # the exception by its plain name (no runner module path)
        trace = "".join(lines) + error + "\n"
    else:
        trace = "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))
    if isinstance(exc, ModuleNotFoundError):
        trace += module_hint(exc).strip().strip("()") + "\n"
    return ctx.redactor.redact(error), ctx.redactor.redact(trace)


def execute(ctx):
    """Run the task; returns the result dict."""
    result = {
        "status": "SUCCESS",
        "result": None,
        "task_values": ctx.task_values_out,
        "error": None,
        "error_trace": None,
        "timed_out": False,
        "cancelled": False,
    }
    task = ctx.task
    if SHIM_DIR not in sys.path:
        sys.path.insert(0, SHIM_DIR)
    executor = Executor(ctx, None)
    g = _user_globals(ctx, executor)
    executor.g = g
    try:
        try:
            if ctx.kind == "python_file":
                g["__file__"] = ctx.path
                sys.argv = [ctx.path or "python_file"] + [str(a) for a in (task.get("argv") or [])]
                executor.run_python_file(task.get("source") or "", ctx.path)
            elif ctx.kind == "notebook":
                sys.argv = [ctx.path or "notebook"]
                source = task.get("source") or ""
                language = detect_language(source, task.get("language"))
                executor.run_notebook(source, ctx.path, language)
            else:
                raise ValueError("unknown task kind %r (expected 'notebook' or 'python_file')" % ctx.kind)
        finally:
            if hasattr(signal, "setitimer"):
                signal.setitimer(signal.ITIMER_REAL, 0)
    except NotebookExit as e:
        # the exit value is output like any other: secret values never leave the process
        result["result"] = None if e.value is None else ctx.redactor.redact(str(e.value))
    except SystemExit as e:
        if e.code not in (None, 0):
            _fail(result, e, ctx)
    except BaseException as e:  # noqa: B902 - everything must end up in the result file
        _fail(result, e, ctx)
        result["timed_out"] = isinstance(e, TaskTimeout)
        result["cancelled"] = isinstance(e, (RunCancelled, KeyboardInterrupt))
    return result


def _fail(result, exc, ctx):
    result["status"] = "FAILED"
    result["error"], result["error_trace"] = _format_error(exc, ctx)
    try:
        sys.stderr.write(result["error_trace"] or result["error"])
        sys.stderr.flush()
    except Exception:
        pass


def write_result(path, result):
    if not path:
        sys.stderr.write("BRICKYARD_RESULT_FILE is not set; result not written\n")
        return
    tmp = "%s.tmp-%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(result, f)
    os.replace(tmp, path)


def main(argv):
    if len(argv) != 1:
        sys.stderr.write("usage: python3 <repo>/python/brickyard_runner <task.json>\n")
        return 2
    redactor = Redactor()
    result_path = os.environ.get("BRICKYARD_RESULT_FILE", "")
    try:
        with open(argv[0], encoding="utf-8") as f:
            task = json.load(f)
        if not isinstance(task, dict):
            raise ValueError("task.json must contain a JSON object")
    except (OSError, ValueError) as e:
        write_result(result_path, {
            "status": "FAILED", "result": None, "task_values": {},
            "error": "%s: cannot read task file: %s" % (type(e).__name__, e), "error_trace": None,
            "timed_out": False, "cancelled": False,
        })
        sys.stderr.write("cannot read task file %s: %s\n" % (argv[0], e))
        return 2
    try:
        apiproxy.start_from_env()
    except OSError as e:
        write_result(result_path, {
            "status": "FAILED", "result": None, "task_values": {},
            "error": "RunnerError: cannot forward 127.0.0.1 to the workspace API inside the sandbox: %s" % e,
            "error_trace": None, "timed_out": False, "cancelled": False,
        })
        sys.stderr.write("cannot start the API forwarder: %s\n" % e)
        return 1
    _setup_streams(redactor)
    ctx = RunContext(task, redactor=redactor)
    _install_signals(ctx, task.get("timeout_seconds") or 0)
    result = {"status": "FAILED", "result": None, "task_values": {}, "error": "RunnerError: interrupted",
              "error_trace": None, "timed_out": False, "cancelled": False}
    try:
        result = execute(ctx)
    except BaseException as e:  # a signal landing outside user code
        result["error"], result["error_trace"] = _format_error(e, ctx)
        result["timed_out"] = isinstance(e, TaskTimeout)
        result["cancelled"] = isinstance(e, (RunCancelled, KeyboardInterrupt))
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _kill_children(ctx)
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        write_result(result_path, result)
    return 0 if result["status"] == "SUCCESS" else 1
