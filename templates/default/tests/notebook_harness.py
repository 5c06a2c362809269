"""Runs a notebook's Python cells locally with a small stand-in for `dbutils`, so the notebooks'
logic is tested without a workspace. `%` magics and markdown cells are skipped; `spark` is not
provided (notebooks that need it run in the workspace: `brickyard up` locally, a real one in CI)."""
import json
import pathlib

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"


class NotebookExit(Exception):
    """`dbutils.notebook.exit(value)` ends the notebook with a result, as in Databricks."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


class _Widgets:
    def __init__(self, parameters):
        self._values = dict(parameters)

    def text(self, name, default_value, label=None):
        self._values.setdefault(name, default_value)

    def get(self, name):
        return self._values[name]


class _Notebook:
    def exit(self, value):
        raise NotebookExit(value)


class LocalDbutils:
    def __init__(self, parameters):
        self.widgets = _Widgets(parameters)
        self.notebook = _Notebook()


def cells(path):
    """The Python code cells of a `.ipynb` or `# Databricks notebook source` file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        sources = ["".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "code"]
    else:
        sources = text.split("# COMMAND ----------")
    return [s for s in sources if s.strip() and not s.lstrip().startswith(("%", "# MAGIC"))]


def run_notebook(name, parameters=None):
    """Runs notebooks/<name>; returns the value given to dbutils.notebook.exit (None without)."""
    scope = {"dbutils": LocalDbutils(parameters or {}), "__name__": "__notebook__"}
    try:
        for source in cells(NOTEBOOKS / name):
            exec(compile(source, str(NOTEBOOKS / name), "exec"), scope)
    except NotebookExit as done:
        return done.value
    return None
