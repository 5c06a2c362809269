"""Execute notebook cells (and python files) in one shared globals dict."""

import ast
import asyncio
import inspect
import linecache
import shlex
import sys

from brickyard_runner import procio, sqltext
from brickyard_runner.display import display, render
from brickyard_runner.errors import NotebookSourceError, ShellCommandFailed, UnsupportedMagic
from brickyard_runner.source import parse_notebook

MAX_RUN_DEPTH = 32

PIP_MESSAGE = (
    "%pip is not supported by the local workspace: install packages into the Python interpreter "
    "configured with --python (this task runs {exe})"
)


def _unsupported_language(what, language):
    return UnsupportedMagic(
        "%s are not supported by the local workspace: it runs Python, SQL (through the SQL warehouse) "
        "and %%sh only; this code is %s" % (what, language)
    )


def register_source(filename, source):
    lines = [l + "\n" for l in source.split("\n")]
    linecache.cache[filename] = (len(source), None, lines, filename)


class Executor(object):
    def __init__(self, ctx, globals_):
        self.ctx = ctx
        self.g = globals_
        self._run_stack = []

    # -- entry points -------------------------------------------------------
    def run_notebook(self, source, path, language):
        language = (language or "PYTHON").upper()
        if language in ("SCALA", "R"):
            name = {"SCALA": "Scala", "R": "R"}[language]
            raise _unsupported_language(name + " notebooks", name)
        filename = path or "<notebook>"
        register_source(filename, source)
        self.ctx.user_filenames.add(filename)
        self._run_stack.append(path)
        try:
            for cell in parse_notebook(source, language):
                self.run_cell(cell, filename)
        finally:
            self._run_stack.pop()

    def run_python_file(self, source, path):
        filename = path or "<python_file>"
        register_source(filename, source)
        self.ctx.user_filenames.add(filename)
        code = compile(source, filename, "exec", dont_inherit=True)
        exec(code, self.g)

    # -- cells --------------------------------------------------------------
    def run_cell(self, cell, filename):
        self.ctx.current_cell = (filename, cell.index + 1, cell.line)
        kind = cell.kind
        if kind in ("%md", "%md-sandbox", "%matplotlib"):
            return
        if kind in ("python", "%python"):
            return self.exec_python(cell.body, filename, cell.line)
        if kind in ("sql", "%sql"):
            return self.exec_sql(cell.body)
        if kind == "%sh":
            return self.exec_sh(cell.body)
        if kind == "%run":
            return self.exec_run(cell.body)
        if kind in ("%pip", "%conda"):
            raise UnsupportedMagic(PIP_MESSAGE.format(exe=sys.executable).replace("%pip", kind, 1))
        if kind == "%fs":
            return self.exec_fs(cell.body)
        if kind in ("scala", "%scala"):
            raise _unsupported_language("%scala cells", "Scala")
        if kind in ("r", "%r"):
            raise _unsupported_language("%r cells", "R")
        raise UnsupportedMagic(
            "Magic command %s is not supported by the local workspace" % (cell.magic_line or kind).split()[0]
        )

    def exec_python(self, body, filename, first_line):
        padded = "\n" * (first_line - 1) + body
        flags = getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0)
        tree = compile(padded, filename, "exec", ast.PyCF_ONLY_AST | flags, dont_inherit=True)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        if tree.body:
            self._run_code(compile(tree, filename, "exec", flags, dont_inherit=True))
        if last is not None:
            value = self._run_code(compile(last, filename, "eval", flags, dont_inherit=True))
            if value is not None:
                _show_value(value)

    def _run_code(self, code):
        if code.co_flags & inspect.CO_COROUTINE:
            result = eval(code, self.g)
            return asyncio.run(_await(result))
        return eval(code, self.g)

    def exec_sql(self, body):
        widgets = self.ctx.widgets
        text = sqltext.substitute_widgets(body, widgets._lookup)
        df = None
        for statement in sqltext.split_statements(text):
            if self._sql_widget_statement(statement):
                continue
            params = []
            for name in sqltext.parameter_markers(statement):
                found, value = widgets._lookup(name)
                if found:
                    params.append({"name": name, "value": value, "type": "STRING"})
            df = self.ctx.spark.execute(statement, params)
        if df is not None:
            self.g["_sqldf"] = df
            if df.columns:
                display(df)

    def _sql_widget_statement(self, statement):
        parsed = sqltext.parse_widget_statement(statement)
        if parsed is None:
            return False
        widgets = self.ctx.widgets
        if parsed[0] == "remove":
            widgets.remove(parsed[1])
            return True
        _, kind, name, default, choices_sql = parsed
        choices = None
        if choices_sql and kind != "text":
            choices_sql = choices_sql.strip()
            if choices_sql.upper().startswith("SELECT"):
                choices = [str(r[0]) for r in self.ctx.spark.execute(choices_sql).collect()]
            else:
                choices = [c.strip().strip("'\"") for c in choices_sql.strip("()").split(",")]
        getattr(widgets, kind)(name, default, choices) if kind != "text" else widgets.text(name, default)
        return True

    def exec_sh(self, body):
        proc = procio.start(["/bin/sh", "-c", body])
        try:
            rc = procio.finish(proc)
        except BaseException:
            procio.kill(proc)
            raise
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        if rc != 0:
            raise ShellCommandFailed(rc)

    def exec_run(self, body):
        lines = [l for l in body.split("\n") if l.strip() and not l.strip().startswith("#")]
        if not lines:
            raise NotebookSourceError("%run needs a notebook path")
        if len(lines) > 1:
            raise NotebookSourceError("%run must be alone in its cell (found extra lines after %run)")
        try:
            tokens = shlex.split(lines[0])
        except ValueError as e:
            raise NotebookSourceError("cannot parse %%run arguments: %s" % e)
        target, args = tokens[0], {}
        for tok in tokens[1:]:
            if not tok.startswith("$") or "=" not in tok:
                raise NotebookSourceError("%%run arguments must look like $name=\"value\", got %r" % tok)
            name, _, value = tok[1:].partition("=")
            args[name] = value
        if len(self._run_stack) >= MAX_RUN_DEPTH:
            raise NotebookSourceError("%%run nesting deeper than %d notebooks" % MAX_RUN_DEPTH)
        current = self._run_stack[-1] if self._run_stack else self.ctx.path
        path = self.ctx.resolve_path(target, current)
        source, language = self.ctx.fetch_notebook(path)
        self.ctx.widgets.push_overlay(args)
        try:
            self.run_notebook(source, path, language)
        finally:
            self.ctx.widgets.pop_overlay()

    def exec_fs(self, body):
        try:
            tokens = shlex.split(body.strip())
        except ValueError as e:
            raise UnsupportedMagic("cannot parse %%fs command: %s" % e)
        if not tokens:
            raise UnsupportedMagic("%fs needs a command, e.g. %fs ls dbfs:/")
        cmd, rest = tokens[0], tokens[1:]
        flags = [t for t in rest if t.startswith("-")]
        args = [t for t in rest if not t.startswith("-")]
        fs = self.ctx.fs
        recurse = any(f in ("-r", "--recurse", "-R") for f in flags)
        if cmd == "ls":
            display(fs.ls(*(args or ["dbfs:/"])))
        elif cmd == "head":
            print(fs.head(*args))
        elif cmd in ("rm", "cp", "mv"):
            print(getattr(fs, cmd)(*args, recurse=recurse))
        elif cmd in ("mkdirs", "put"):
            print(getattr(fs, cmd)(*args))
        else:
            raise UnsupportedMagic("%%fs %s is not supported by the local workspace" % cmd)


async def _await(awaitable):
    return await awaitable


def _show_value(value):
    if type(value).__module__.startswith("pandas."):
        print(render(value), flush=True)
    else:
        print(repr(value), flush=True)
