"""``spark.read``: files on volumes through the warehouse's ``read_files(...)``, tables by name.

Spark's defaults are kept: CSV has no header and all-string columns unless ``header`` /
``inferSchema`` say otherwise, JSON columns come sorted by name, and a user schema casts the
columns (by position for CSV, by name for JSON and Parquet). Options ``read_files`` does not
know are passed on, so the warehouse names them when it refuses them.
"""

from brickyard_runner.column import quote_ident, quote_string
from brickyard_runner.errors import UnsupportedOperation
from brickyard_runner.plan import Field, subquery
from brickyard_runner.sqltypes import as_struct

_FORMATS = ("csv", "json", "parquet")
_RESCUED = "_rescued_data"


def _option_sql(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text.lower() in ("true", "false"):
        return text.lower()
    return quote_string(text)


class DataFrameReader(object):
    def __init__(self, session):
        self._session = session
        self._format = None
        self._options = {}
        self._schema = None

    def format(self, source):
        self._format = str(source).lower()
        return self

    def option(self, key, value):
        self._options[str(key)] = value
        return self

    def options(self, **options):
        for k, v in options.items():
            self.option(k, v)
        return self

    def schema(self, schema):
        struct = as_struct(schema)
        if struct is None:
            raise TypeError("schema should be a StructType or a DDL string, got %r" % (schema,))
        self._schema = struct
        return self

    def load(self, path=None, format=None, schema=None, **options):
        if format is not None:
            self.format(format)
        if schema is not None:
            self.schema(schema)
        self.options(**{k: v for k, v in options.items() if v is not None})
        if path is None:
            raise UnsupportedOperation("spark.read.load() without a path is not supported by the local workspace")
        if isinstance(path, (list, tuple)):
            if len(path) != 1:
                raise UnsupportedOperation("spark.read of several paths at once is not supported by the local workspace; "
                                           "read a folder, or union the DataFrames")
            path = path[0]
        path = str(path)
        if path.startswith("dbfs:/Volumes/"):  # the same volume path, as read_files takes it
            path = path[len("dbfs:"):]
        fmt = self._format or "parquet"
        if fmt == "delta":
            raise UnsupportedOperation("spark.read.format('delta').load(path) is not supported by the local workspace; "
                                       "read Delta tables by name with spark.read.table()")
        if fmt not in _FORMATS:
            raise UnsupportedOperation("spark.read.format(%r) is not supported by the local workspace (csv, json, parquet)" % fmt)
        return self._files(path, fmt)

    def csv(self, path, schema=None, **options):
        return self.load(path, "csv", schema, **options)

    def json(self, path, schema=None, **options):
        return self.load(path, "json", schema, **options)

    def parquet(self, *paths, **options):
        return self.load(list(paths), "parquet", None, **options)

    def table(self, tableName):
        return self._session.table(tableName)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise UnsupportedOperation("DataFrameReader.%s is not supported by the local workspace" % name)

    def _files(self, path, fmt):
        from brickyard_runner.dataframe import DataFrame

        opts = {k.lower(): v for k, v in self._options.items()}
        args = [quote_string(path), "format => %s" % quote_string(fmt)]
        if fmt == "csv":
            opts.setdefault("header", False)
            if self._schema is None:
                opts.setdefault("inferschema", False)  # Spark reads CSV columns as strings unless asked
            else:
                opts.pop("inferschema", None)
        for key, value in opts.items():
            args.append("%s => %s" % (key, _option_sql(value)))
        scan = "SELECT * FROM read_files(%s)" % ", ".join(args)
        raw = DataFrame(self._session, scan)
        columns = [c for c in raw._schema_columns() if c.name != _RESCUED]
        if self._schema is None:
            if fmt == "json":
                columns = sorted(columns, key=lambda c: c.name)
            items = [(quote_ident(c.name), c.name) for c in columns]
        elif fmt == "csv":
            if len(columns) != len(self._schema.fields):
                raise UnsupportedOperation(
                    "spark.read.csv with a schema of %d columns over files with %d columns is not supported by the "
                    "local workspace" % (len(self._schema.fields), len(columns)))
            items = [("CAST(%s AS %s)" % (quote_ident(c.name), f.dataType.sql()), f.name)
                     for c, f in zip(columns, self._schema.fields)]
        else:
            present = {c.name.lower(): c.name for c in columns}
            items = [("CAST(%s AS %s)" % (quote_ident(present[f.name.lower()]) if f.name.lower() in present else "NULL",
                                          f.dataType.sql()), f.name) for f in self._schema.fields]
        select = ", ".join("%s AS %s" % (sql, quote_ident(name)) for sql, name in items)
        return DataFrame(self._session, "SELECT %s FROM %s AS _f" % (select, subquery(scan)), [Field(n) for _, n in items])
