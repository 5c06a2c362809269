"""DataFrame actions: the only methods that send the DataFrame's SQL to the warehouse."""

import sys

from brickyard_runner.column import col_ref, quote_ident
from brickyard_runner.errors import UnsupportedOperation
from brickyard_runner.plan import subquery
from brickyard_runner.rows import Row, _cell, convert_value, render_grid
from brickyard_runner.sqltypes import StringType, StructField, StructType, parse_type

# PySpark DataFrame members the local workspace does not provide (named in the error)
UNSUPPORTED = frozenset(
    "rdd foreach foreachPartition mapInPandas mapInArrow toJSON checkpoint localCheckpoint writeStream "
    "isStreaming withWatermark sample sampleBy randomSplit stat cov corr crosstab freqItems approxQuantile "
    "rollup cube pivot unpivot melt explain describe summary hint observe transform inputFiles "
    "createGlobalTempView createOrReplaceGlobalTempView registerTempTable intersect intersectAll subtract "
    "exceptAll sortWithinPartitions repartitionByRange writeTo mergeInto tail sparkSession "
    "sameSemantics semanticHash storageLevel to pandas_api".split())


def _type_of(column):
    try:
        return parse_type(column.type_text or column.type_name or "STRING")
    except ValueError:
        return StringType()


class ActionsMixin(object):
    # -- statements ---------------------------------------------------------------------
    def _final_sql(self):
        """This DataFrame's query with its columns under their user-visible names."""
        fields = self._known
        if fields is not None and any(f.key != f.name for f in fields):
            select = ", ".join("%s AS %s" % (quote_ident(f.key), quote_ident(f.name)) for f in fields)
            return "SELECT %s FROM %s AS _t%s" % (select, subquery(self._query), self._order_sql(self._order))
        return self._query

    def _run(self, sql):
        return self._session._run(sql, list(self._params.values()))

    def _schema_columns(self):
        if self._manifest is None:
            if self._result is not None:
                self._manifest = self._result[0]
            else:
                self._manifest = self._run("SELECT * FROM %s AS _s LIMIT 0" % subquery(self._final_sql()))[0]
        return self._manifest

    def _fetch(self, limit=None):
        """(columns, [Row]) of this DataFrame, at most ``limit`` rows."""
        if self._result is not None:
            columns, rows = self._result
            return columns, (rows if limit is None else rows[:limit])
        sql = self._final_sql() if limit is None else self.limit(limit)._final_sql()
        columns, data = self._run(sql)[:2]
        names = [c.name for c in columns]
        if self._known is not None and len(self._known) == len(names):
            names = [f.name for f in self._known]  # the warehouse renames duplicate names (a, a_1)
        rows = [Row._from(names, [convert_value(v, c.type_name) for v, c in zip(raw, columns)]) for raw in data]
        if self._manifest is None:
            self._manifest = columns
        return columns, (rows if limit is None else rows[:limit])

    # -- schema -----------------------------------------------------------------------------
    @property
    def columns(self):
        return [f.name for f in self._fields()]

    @property
    def schema(self):
        names = self.columns
        cols = self._schema_columns()
        return StructType([StructField(n, _type_of(c)) for n, c in zip(names, cols)])

    @property
    def dtypes(self):
        return [(f.name, f.dataType.simpleString()) for f in self.schema.fields]

    def printSchema(self, level=None):
        print(self.schema.treeString(), end="")

    def __repr__(self):
        try:
            return "DataFrame[%s]" % ", ".join("%s: %s" % d for d in self.dtypes)
        except Exception:  # repr must not fail on a query the warehouse refuses
            return "DataFrame[<query>]"

    # -- rows -----------------------------------------------------------------------------------
    def collect(self):
        return self._fetch()[1]

    def toLocalIterator(self, prefetchPartitions=False):
        return iter(self.collect())

    def count(self):
        if self._result is not None:
            return len(self._result[1])
        return int(self._run("SELECT count(1) AS `count` FROM %s AS _t" % subquery(self._query))[1][0][0])

    def isEmpty(self):
        return not self._fetch(1)[1]

    def first(self):
        rows = self._fetch(1)[1]
        return rows[0] if rows else None

    def head(self, n=None):
        if n is None:
            return self.first()
        return self._fetch(max(int(n), 0))[1]

    def take(self, num):
        return self.head(num)

    def show(self, n=20, truncate=True, vertical=False):
        width = 20 if truncate is True else (int(truncate) if truncate else 0)
        n = max(int(n), 0)
        columns, rows = self._fetch(n + 1)
        names = self.columns if self._known is not None else [c.name for c in columns]
        shown = rows[:n]
        if vertical:
            for i, r in enumerate(shown):
                print("-RECORD %d%s" % (i, "-" * 20))
                for c, v in zip(names, r):
                    print(" %s | %s" % (c, _cell(v, width)))
        else:
            print(render_grid(names, shown, width))
        if len(rows) > n:
            print("only showing top %d row%s" % (n, "" if n == 1 else "s"))

    def toPandas(self):
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "DataFrame.toPandas() needs pandas, which is not installed for %s; install pandas into that "
                "interpreter or start the local workspace with --python pointing at one that has it" % sys.executable
            )
        columns, rows = self._fetch()
        names = self.columns if self._known is not None else [c.name for c in columns]
        return pandas.DataFrame.from_records([tuple(r) for r in rows], columns=names)

    def __iter__(self):
        raise TypeError("DataFrame is not iterable; use .collect()")

    # -- session-side effects --------------------------------------------------------------------
    def createOrReplaceTempView(self, name):
        self._session._views.register(name, self, replace=True)

    def createTempView(self, name):
        self._session._views.register(name, self, replace=False)

    @property
    def write(self):
        from brickyard_runner.writer import DataFrameWriter

        return DataFrameWriter(self)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in UNSUPPORTED:
            raise UnsupportedOperation("DataFrame.%s is not supported by the local workspace" % name)
        if any(f.name == name for f in self._fields()):
            return col_ref(name, self._id)
        raise AttributeError("'DataFrame' object has no attribute '%s'" % name)
