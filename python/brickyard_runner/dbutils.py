"""The ``dbutils`` object injected into notebook (and python file) globals."""

import json
import sys

from brickyard_runner import subrun
from brickyard_runner.errors import NotebookExit, UnsupportedMagic

TASK_VALUE_MAX_BYTES = 48 * 1024
_UNSET = object()


class TaskValues(object):
    def __init__(self, ctx):
        self._ctx = ctx

    def set(self, key, value):
        if not isinstance(key, str) or not key:
            raise ValueError("task value key must be a non-empty string")
        try:
            encoded = json.dumps(value)
        except (TypeError, ValueError) as e:
            raise TypeError("task value %r is not JSON serializable: %s" % (key, e))
        if len(encoded.encode("utf-8")) > TASK_VALUE_MAX_BYTES:
            raise ValueError("task value %r is larger than 48 KiB when serialized as JSON" % key)
        self._ctx.task_values_out[key] = json.loads(encoded)

    def get(self, taskKey, key, default=_UNSET, debugValue=_UNSET):
        if not self._ctx.in_job:
            if debugValue is _UNSET or debugValue is None:
                raise TypeError(
                    "Must pass debugValue when calling taskValues.get(taskKey=%r, key=%r) outside of a job run"
                    % (taskKey, key)
                )
            return debugValue
        values = self._ctx.task_values_in.get(taskKey)
        if isinstance(values, dict) and key in values:
            return values[key]
        if default is not _UNSET and default is not None:
            return default
        if values is None:
            raise ValueError(
                "No task value found for taskKey=%r, key=%r: task %r is not an upstream task of this run or set no values"
                % (taskKey, key, taskKey)
            )
        raise ValueError("No task value found for taskKey=%r, key=%r" % (taskKey, key))

    def help(self, method=None):
        print("dbutils.jobs.taskValues: set(key, value), get(taskKey, key, default, debugValue)")


class JobsUtils(object):
    def __init__(self, ctx):
        self.taskValues = TaskValues(ctx)

    def help(self, method=None):
        self.taskValues.help()


class _Option(object):
    """Scala ``Option`` look-alike used by the notebook context shim."""

    def __init__(self, value):
        self._value = value

    def get(self):
        if self._value is None:
            raise ValueError("None.get")
        return self._value

    def isDefined(self):
        return self._value is not None

    def getOrElse(self, default):
        return self._value if self._value is not None else default

    def __repr__(self):
        return "Some(%s)" % self._value if self._value is not None else "None"


class NotebookContext(object):
    """``dbutils.notebook.entry_point.getDbutils().notebook().getContext()``."""

    def __init__(self, ctx):
        job = ctx.job
        self._values = {
            "notebookPath": ctx.path or None,
            "jobId": _str_or_none(job.get("job_id")),
            "currentRunId": _str_or_none(job.get("run_id")),
            "taskKey": _str_or_none(job.get("task_key")),
            "apiUrl": ctx.host or None,
            "browserHostName": ctx.host or None,
            "apiToken": ctx.token or None,
            # the run-as user, as userName() answers on Databricks (the seed's user_schema_setup reads it)
            "userName": getattr(ctx, "run_as", "") or None,
        }

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *a: _Option(self._values.get(name))

    def tags(self):
        v = self._values
        return {k: v[k] for k in ("jobId", "taskKey", "notebookPath") if v[k] is not None}

    def toJson(self):
        v = self._values
        tags = {"jobId": v["jobId"], "runId": v["currentRunId"], "taskKey": v["taskKey"], "user": v["userName"]}
        return json.dumps(
            {
                "tags": {k: x for k, x in tags.items() if x is not None},
                "extraContext": {"notebook_path": v["notebookPath"], "api_url": v["apiUrl"]},
            }
        )


class _Chain(object):
    def __init__(self, **methods):
        for name, fn in methods.items():
            setattr(self, name, fn)


class NotebookUtils(object):
    def __init__(self, ctx, executor_ref):
        self._ctx = ctx
        self._executor_ref = executor_ref
        context = NotebookContext(ctx)
        notebook = _Chain(getContext=lambda: context)
        self.entry_point = _Chain(getDbutils=lambda: _Chain(notebook=lambda: notebook))

    def exit(self, value):
        raise NotebookExit(value)

    def run(self, path, timeout_seconds=0, arguments=None, **kwargs):
        executor = self._executor_ref()
        current = executor._run_stack[-1] if executor and executor._run_stack else self._ctx.path
        resolved = self._ctx.resolve_path(path, current)
        return subrun.run_notebook(self._ctx, resolved, timeout_seconds, arguments or {})

    def getContext(self):
        return self.entry_point.getDbutils().notebook().getContext()

    def help(self, method=None):
        print("dbutils.notebook: exit(value), run(path, timeout_seconds, arguments)")


class LibraryUtils(object):
    def restartPython(self):
        sys.stderr.write("dbutils.library.restartPython(): no-op in the local workspace\n")

    def installPyPI(self, *args, **kwargs):
        raise UnsupportedMagic(
            "dbutils.library.installPyPI is not supported by the local workspace: install packages into the "
            "Python interpreter configured with --python"
        )

    install = installPyPI

    def help(self, method=None):
        print("dbutils.library: restartPython() (no-op locally)")


class DBUtils(object):
    def __init__(self, ctx, executor_ref):
        self.widgets = ctx.widgets
        self.fs = ctx.fs
        self.secrets = ctx.secrets
        self.notebook = NotebookUtils(ctx, executor_ref)
        self.jobs = JobsUtils(ctx)
        self.library = LibraryUtils()

    def help(self, method=None):
        print(
            "dbutils (Brickyard local workspace): fs, jobs.taskValues, library, notebook, secrets, widgets.\n"
            "Call dbutils.<utility>.help() for details."
        )

    def __repr__(self):
        return "<dbutils (Brickyard local workspace)>"

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise AttributeError("dbutils.%s is not supported by the local workspace" % name)


def _str_or_none(v):
    return None if v is None else str(v)
