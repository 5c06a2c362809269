"""Per-process run context shared by the executor and the dbutils shims."""

import base64
import os
import posixpath

from brickyard_runner.client import ApiClient
from brickyard_runner.errors import NotebookSourceError
from brickyard_runner.fs import FsUtils
from brickyard_runner.redact import Redactor
from brickyard_runner.secrets import SecretsUtils
from brickyard_runner.sql import SparkSession
from brickyard_runner.widgets import Widgets

HEADER_LANGUAGES = (
    ("# Databricks notebook source", "PYTHON"),
    ("-- Databricks notebook source", "SQL"),
    ("// Databricks notebook source", "SCALA"),
)
FILE_TYPE_LANGUAGES = {"py": "PYTHON", "sql": "SQL", "scala": "SCALA", "r": "R"}


class RunContext(object):
    def __init__(self, task, env=None, redactor=None):
        env = os.environ if env is None else env
        self.task = task
        self.kind = task.get("kind") or "notebook"
        self.path = task.get("path") or ""
        self.job = task.get("job") or {}
        self.run_as = task.get("run_as") or ""
        self.task_values_in = task.get("task_values") or {}
        self.task_values_out = {}
        self.depth = _int(env.get("BRICKYARD_RUN_DEPTH"), 0)
        self.host = env.get("DATABRICKS_HOST", "")
        self.redactor = redactor or Redactor()
        token = env.get("DATABRICKS_TOKEN", "")
        if token:
            self.redactor.register(token)  # never let the run's PAT reach the logs
        self._token = token
        self.client = ApiClient(self.host, token)
        self.widgets = Widgets(task.get("parameters") or {})
        self.fs = FsUtils(self.client)
        self.secrets = SecretsUtils(self.client, self.redactor)
        self.spark = SparkSession(self.client, env.get("BRICKYARD_WAREHOUSE_ID", ""))
        self.user_filenames = set()  # code objects compiled from notebook/script source
        self.current_cell = None  # (filename, 1-based cell number, first line) while executing
        self.children = set()  # process-group ids of running dbutils.notebook.run children

    @property
    def token(self):
        return self._token

    @property
    def in_job(self):
        return bool(self.job.get("run_id") or self.job.get("job_id"))

    def resolve_path(self, target, base_path):
        """Resolve a %run / notebook.run path against the current notebook's folder."""
        target = target.strip()
        if not target:
            raise NotebookSourceError("empty notebook path")
        if target.startswith("/"):
            return posixpath.normpath(target)
        base_dir = posixpath.dirname(base_path or "/") or "/"
        return posixpath.normpath(posixpath.join(base_dir, target))

    def fetch_notebook(self, path):
        """Return (source, language) of a workspace notebook via the export API."""
        resp = self.client.get("/api/2.0/workspace/export", {"path": path, "format": "SOURCE"})
        content = resp.get("content")
        if content is None:
            raise NotebookSourceError("workspace export of %s returned no content" % path)
        try:
            source = base64.b64decode(content).decode("utf-8")
        except (ValueError, UnicodeDecodeError) as e:
            raise NotebookSourceError("cannot decode notebook %s: %s" % (path, e))
        file_type = (resp.get("file_type") or "").lower()
        language = resp.get("language") or FILE_TYPE_LANGUAGES.get(file_type)
        return source, detect_language(source, language)


def detect_language(source, declared=None):
    first = (source or "").lstrip("\ufeff").split("\n", 1)[0].strip()
    for header, lang in HEADER_LANGUAGES:
        if first == header:
            if lang == "PYTHON" and (declared or "").upper() == "R":
                return "R"
            return lang
    return (declared or "PYTHON").upper()


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
