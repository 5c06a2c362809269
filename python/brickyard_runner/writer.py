"""``df.write``: Unity Catalog tables through CREATE TABLE AS / INSERT INTO / INSERT OVERWRITE.

Modes as on Databricks (Delta): ``error`` (default) creates the table and fails if it exists;
``ignore`` creates it only if missing; ``append`` inserts by column name, creating the table when
missing; ``overwrite`` replaces the rows of an existing table (its schema must match, unless
``overwriteSchema`` is true: then the table is replaced) or creates it.
"""

from brickyard_runner import sqltext
from brickyard_runner.column import quote_ident
from brickyard_runner.errors import StatementExecutionError, UnsupportedOperation
from brickyard_runner.plan import subquery

_MODES = {"append": "append", "overwrite": "overwrite", "error": "error", "errorifexists": "error",
          "default": "error", "ignore": "ignore"}
_OPTIONS = ("overwriteschema",)


def _not_found(err):
    return "TABLE_OR_VIEW_NOT_FOUND" in (err.message or "") or err.error_code == "TABLE_OR_VIEW_NOT_FOUND"


class DataFrameWriter(object):
    def __init__(self, df):
        self._df = df
        self._mode = "error"
        self._format = "delta"
        self._options = {}

    def mode(self, saveMode):
        mode = _MODES.get(str(saveMode or "error").lower())
        if mode is None:
            raise ValueError("Unknown save mode: %s. Accepted save modes are 'overwrite', 'append', 'ignore', "
                             "'error', 'errorifexists', 'default'." % saveMode)
        self._mode = mode
        return self

    def format(self, source):
        if str(source).lower() != "delta":
            raise UnsupportedOperation("DataFrameWriter.format(%r) is not supported by the local workspace: "
                                       "tables are written as Delta tables (format('delta'))" % source)
        return self

    def option(self, key, value):
        if str(key).lower() not in _OPTIONS:
            raise UnsupportedOperation("DataFrameWriter option %r is not supported by the local workspace" % key)
        self._options[str(key).lower()] = str(value).lower() == "true"
        return self

    def options(self, **options):
        for k, v in options.items():
            self.option(k, v)
        return self

    def saveAsTable(self, name, format=None, mode=None, partitionBy=None, **options):
        if format is not None:
            self.format(format)
        if mode is not None:
            self.mode(mode)
        if partitionBy:
            self.partitionBy(partitionBy)
        self.options(**options)
        table = sqltext.quote_table_name(name)
        query = self._df._final_sql()
        create = "CREATE TABLE %s AS %s" % (table, query)
        if self._mode == "error":
            self._execute(create)
        elif self._mode == "ignore":
            self._execute("CREATE TABLE IF NOT EXISTS %s AS %s" % (table, query))
        elif self._mode == "overwrite" and self._options.get("overwriteschema"):
            self._execute("CREATE OR REPLACE TABLE %s AS %s" % (table, query))
        else:
            verb = "INSERT INTO" if self._mode == "append" else "INSERT OVERWRITE"
            columns = ", ".join(quote_ident(c) for c in self._df.columns)
            insert = "%s %s (%s) SELECT %s FROM %s AS _w" % (verb, table, columns, columns, subquery(query))
            try:
                self._execute(insert)
            except StatementExecutionError as err:
                if not _not_found(err):
                    raise
                self._execute(create)

    def insertInto(self, tableName, overwrite=None):
        if overwrite is not None:  # as in PySpark: an explicit overwrite= decides over mode()
            self._mode = "overwrite" if overwrite else "append"
        verb = "INSERT OVERWRITE" if self._mode == "overwrite" else "INSERT INTO"
        self._execute("%s %s %s" % (verb, sqltext.quote_table_name(tableName), self._df._final_sql()))

    def _execute(self, statement):
        self._df._session._run(statement, list(self._df._params.values()))

    def partitionBy(self, *cols):
        raise UnsupportedOperation("DataFrameWriter.partitionBy is not supported by the local workspace "
                                   "(its tables are not partitioned)")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise UnsupportedOperation(
            "DataFrameWriter.%s is not supported by the local workspace (it writes tables: saveAsTable, insertInto)" % name)
