"""``spark``: a thin facade that runs SQL through the Statement Execution API.

``spark.sql`` posts to ``/api/2.0/sql/statements`` on ``$BRICKYARD_WAREHOUSE_ID``
(INLINE + JSON_ARRAY), polls while PENDING/RUNNING, follows result chunks, and
builds a lazy :class:`~brickyard_runner.dataframe.DataFrame` for queries (it runs on
actions, like Spark Connect) and runs other statements at once.  ``spark.read``,
``spark.table`` and ``createDataFrame`` build DataFrames the same way; temporary views are
kept client-side (``views.py``).
"""

import datetime
import decimal
import time

from brickyard_runner import sqltext
from brickyard_runner.dataframe import DataFrame, Row
from brickyard_runner.errors import StatementExecutionError, UnsupportedOperation
from brickyard_runner.local_data import create_dataframe
from brickyard_runner.plan import Field
from brickyard_runner.reader import DataFrameReader
from brickyard_runner.rows import ResultColumn, convert_value
from brickyard_runner.views import TempViews, is_query

_ACTIVE = ("PENDING", "RUNNING")


def _param(name, value):
    p = {"name": str(name)}
    if value is None:
        p["type"] = "STRING"  # value omitted = NULL
    elif isinstance(value, bool):
        p.update(value="true" if value else "false", type="BOOLEAN")
    elif isinstance(value, int):
        p.update(value=str(value), type="BIGINT")
    elif isinstance(value, float):
        p.update(value=repr(value), type="DOUBLE")
    elif isinstance(value, decimal.Decimal):
        exp = value.as_tuple().exponent
        scale = -exp if isinstance(exp, int) and exp < 0 else 0
        p.update(value=str(value), type="DECIMAL(38,%d)" % min(scale, 38))
    elif isinstance(value, datetime.datetime):
        p.update(value=value.isoformat(), type="TIMESTAMP")
    elif isinstance(value, datetime.date):
        p.update(value=value.isoformat(), type="DATE")
    else:
        p.update(value=str(value), type="STRING")
    return p


class RuntimeConfig(object):
    def __init__(self):
        self._conf = {}

    def get(self, key, default=None):
        if key in self._conf:
            return self._conf[key]
        if default is None:
            raise KeyError("Spark conf %s is not set (local workspace)" % key)
        return default

    def set(self, key, value):
        self._conf[key] = str(value)

    def unset(self, key):
        self._conf.pop(key, None)

    def getAll(self):
        return dict(self._conf)


class Catalog(object):
    def __init__(self, session):
        self._session = session

    def currentCatalog(self):
        return self._session.current_catalog or self._session.sql("SELECT current_catalog()").first()[0]

    def currentDatabase(self):
        return self._session.current_schema or self._session.sql("SELECT current_schema()").first()[0]

    def setCurrentCatalog(self, name):
        self._session.sql("USE CATALOG " + sqltext.quote_table_name(name))

    def setCurrentDatabase(self, name):
        self._session.sql("USE SCHEMA " + sqltext.quote_table_name(name))

    def dropTempView(self, viewName):
        return self._session._views.drop(viewName)

    def tableExists(self, tableName, dbName=None):
        """A temporary view, or a table the warehouse can resolve (missing: False; other errors raise)."""
        if dbName is None and "." not in tableName and self._session._views.get(tableName) is not None:
            return True
        name = sqltext.quote_table_name(tableName if dbName is None else "%s.%s" % (dbName, tableName))
        try:
            self._session._run("SELECT * FROM %s LIMIT 0" % name)
        except StatementExecutionError as err:
            if "TABLE_OR_VIEW_NOT_FOUND" in (err.message or "") or "SCHEMA_NOT_FOUND" in (err.message or ""):
                return False
            raise
        return True

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise UnsupportedOperation("spark.catalog.%s is not supported by the local workspace; use spark.sql()" % name)


class _Builder(object):
    """``SparkSession.builder....getOrCreate()`` answers the notebook's own session."""

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self

    def getOrCreate(self):
        if SparkSession._active is None:
            raise RuntimeError("no Spark session: the local workspace provides `spark` only inside notebook and Python tasks")
        return SparkSession._active

    create = getOrCreate


class SparkSession(object):
    """What notebooks see as ``spark``."""

    version = "brickyard-local"
    builder = _Builder()
    _active = None

    def __init__(self, client, warehouse_id, poll_interval=0.25):
        self._client = client
        self._warehouse_id = warehouse_id
        self._poll_interval = poll_interval
        self.current_catalog = None
        self.current_schema = None
        self.conf = RuntimeConfig()
        self.catalog = Catalog(self)
        self._views = TempViews()
        SparkSession._active = self

    @classmethod
    def getActiveSession(cls):
        return cls._active

    @classmethod
    def active(cls):
        return cls.builder.getOrCreate()

    # -- public API ---------------------------------------------------------
    def sql(self, sqlQuery, args=None, **kwargs):
        if kwargs:
            raise NotImplementedError(
                "spark.sql(..., **kwargs) string formatting is not supported by the local workspace; "
                "use args={...} with :name parameter markers"
            )
        if args is not None and not isinstance(args, dict):
            raise NotImplementedError(
                "spark.sql positional parameters (args=list with ? markers) are not supported by the "
                "Statement Execution API; use args={name: value} with :name markers"
            )
        params = {k: _param(k, v) for k, v in (args or {}).items()}
        statement, view_params = self._views.inline(sqlQuery)
        params.update(view_params)
        if is_query(statement):  # lazy, as in Spark Connect: runs on the first action
            return DataFrame(self, _strip_semicolons(statement), params=params)
        return self._executed(statement, list(params.values()))

    def table(self, tableName):
        view = self._views.get(tableName) if "." not in tableName else None
        if view is not None:
            return view
        return DataFrame(self, "SELECT * FROM " + sqltext.quote_table_name(tableName))

    def createDataFrame(self, data, schema=None, samplingRatio=None, verifySchema=True):
        return create_dataframe(self, data, schema)

    def range(self, start, end=None, step=1, numPartitions=None):
        """``id`` BIGINT from start (inclusive) to end (exclusive): the warehouse's range() table function."""
        if end is None:
            start, end = 0, start
        return DataFrame(self, "SELECT id FROM range(%d, %d, %d)" % (int(start), int(end), int(step)), [Field("id")])

    @property
    def read(self):
        return DataFrameReader(self)

    @property
    def readStream(self):
        raise UnsupportedOperation("spark.readStream is not supported by the local workspace")

    @property
    def sparkContext(self):
        raise UnsupportedOperation("spark.sparkContext is not supported by the local workspace")

    def newSession(self):
        raise UnsupportedOperation("spark.newSession is not supported by the local workspace")

    def stop(self):
        pass

    def __repr__(self):
        return "<SparkSession facade (local workspace; SQL via warehouse %s)>" % self._warehouse_id

    # -- statement execution -----------------------------------------------
    def execute(self, statement, parameters=None):
        """Run one statement now (%sql cells, temporary views included): a DataFrame holding its result."""
        statement, view_params = self._views.inline(statement)
        given = {p["name"] for p in (parameters or [])}
        extra = [p for name, p in view_params.items() if name not in given]
        return self._executed(statement, list(parameters or []) + extra)

    def _executed(self, statement, parameters):
        columns, data, statement_id, truncated = self._run(statement, parameters)
        names = [c.name for c in columns]
        rows = [Row._from(names, [convert_value(v, c.type_name) for v, c in zip(raw, columns)]) for raw in data]
        if is_query(statement):
            query = _strip_semicolons(statement)
        else:  # a command's result (SHOW, DESCRIBE, INSERT counts) is transformed as inline rows
            from brickyard_runner.local_data import result_schema, values_sql

            query = values_sql(names, [f.dataType for f in result_schema(columns).fields], [list(r) for r in rows])
        df = DataFrame(self, query, params={p["name"]: p for p in (parameters or [])}, result=(columns, rows))
        df.statement_id = statement_id
        df.truncated = truncated
        return df

    def _run(self, statement, parameters=None):
        """Run one statement on the warehouse: (result columns, raw rows, statement id, truncated)."""
        if not self._warehouse_id:
            raise RuntimeError("BRICKYARD_WAREHOUSE_ID is not set; spark.sql needs a SQL warehouse")
        body = {
            "statement": statement,
            "warehouse_id": self._warehouse_id,
            "wait_timeout": "50s",
            "on_wait_timeout": "CONTINUE",
            "disposition": "INLINE",
            "format": "JSON_ARRAY",
        }
        if parameters:
            body["parameters"] = parameters
        if self.current_catalog:
            body["catalog"] = self.current_catalog
        if self.current_schema:
            body["schema"] = self.current_schema
        resp = self._client.post("/api/2.0/sql/statements", body)
        statement_id = resp.get("statement_id")
        try:
            resp = self._wait(resp, statement_id)
        except BaseException:
            if statement_id:
                self._cancel(statement_id)
            raise
        status = resp.get("status") or {}
        state = status.get("state")
        if state != "SUCCEEDED":
            err = status.get("error") or {}
            message = err.get("message") or "Statement %s ended in state %s" % (statement_id, state)
            raise StatementExecutionError(message, err.get("error_code"), statement_id, state, status.get("sql_state"))
        result = self._result(resp, statement_id)
        use = sqltext.parse_use(statement, dict((p["name"], p.get("value")) for p in parameters or []))
        if use is not None:
            catalog, schema = use
            if catalog is not None:
                self.current_catalog = catalog
                self.current_schema = schema
            elif schema is not None:
                self.current_schema = schema
        return result

    def _wait(self, resp, statement_id):
        delay = self._poll_interval
        while ((resp.get("status") or {}).get("state")) in _ACTIVE:
            time.sleep(delay)
            delay = min(delay * 1.5, 2.0)
            resp = self._client.get("/api/2.0/sql/statements/%s" % statement_id)
        return resp

    def _cancel(self, statement_id):
        try:
            self._client.post("/api/2.0/sql/statements/%s/cancel" % statement_id, {})
        except Exception:
            pass

    def _result(self, resp, statement_id):
        manifest = resp.get("manifest") or {}
        cols = ((manifest.get("schema") or {}).get("columns")) or []
        cols = sorted(cols, key=lambda c: c.get("position", 0))
        columns = [ResultColumn(c.get("name"), c.get("type_name"), c.get("type_text")) for c in cols]
        result = resp.get("result")
        if result is None and manifest.get("total_chunk_count"):
            result = self._chunk(statement_id, 0)
        data = []
        seen = set()
        while result:
            data.extend(result.get("data_array") or [])
            seen.add(result.get("chunk_index", 0))
            nxt = result.get("next_chunk_index")
            if nxt is None or nxt in seen:
                break
            result = self._chunk(statement_id, nxt)
        return columns, data, statement_id, bool(manifest.get("truncated"))

    def _chunk(self, statement_id, index):
        return self._client.get("/api/2.0/sql/statements/%s/result/chunks/%d" % (statement_id, int(index)))


def _strip_semicolons(sql):
    return sql.strip().rstrip(";").rstrip()


__all__ = ["SparkSession", "DataFrame", "Row", "StatementExecutionError"]
