"""``pyspark.sql.functions`` for the local workspace: each function builds Spark SQL text.

Functions the warehouse itself refuses (``split``, ``date_format``, ``to_date`` with a format, ...)
are still built here, and the warehouse's error names them when the DataFrame runs. Any function
not defined here fails with ``UnsupportedOperation`` naming it.
"""

from brickyard_runner.column import Column, as_column, case_column, col_ref, expr_column, lit, to_column
from brickyard_runner.errors import UnsupportedOperation


def col(name):
    return col_ref(name)


column = col


def expr(text):
    return expr_column(text)


def _fn(fname, *args, **kw):
    """``fname(arg, ...)``: string arguments are column names (as in PySpark)."""
    cols = [as_column(a) for a in args]
    shown = kw.get("shown", fname)
    return Column(lambda s: "%s(%s)" % (fname, ", ".join(c._sql(s) for c in cols)),
                  "%s(%s)" % (shown, ", ".join(c._name for c in cols)))


def _fn_lits(fname, first, *literals):
    """``fname(col, literal, ...)``: the first argument is a column, the rest are values."""
    c = as_column(first)
    rest = [to_column(v) for v in literals]
    return Column(lambda s: "%s(%s)" % (fname, ", ".join([c._sql(s)] + [r._sql(s) for r in rest])),
                  "%s(%s)" % (fname, ", ".join([c._name] + [r._name for r in rest])))


def when(condition, value):
    return case_column([(to_column(condition), to_column(value))], None)


# -- aggregates -------------------------------------------------------------------
def sum(col):  # noqa: A001 - PySpark's name
    return _fn("sum", col)


def avg(col):
    return _fn("avg", col)


def mean(col):
    return _fn("avg", col)


def min(col):  # noqa: A001
    return _fn("min", col)


def max(col):  # noqa: A001
    return _fn("max", col)


def count(col):
    if isinstance(col, str) and col == "*":
        return Column(lambda s: "count(1)", "count(1)")
    return _fn("count", col)


def countDistinct(col, *cols):
    cs = [as_column(c) for c in (col,) + cols]
    return Column(lambda s: "count(DISTINCT %s)" % ", ".join(c._sql(s) for c in cs),
                  "count(DISTINCT %s)" % ", ".join(c._name for c in cs))


count_distinct = countDistinct


def sumDistinct(col):
    c = as_column(col)
    return Column(lambda s: "sum(DISTINCT %s)" % c._sql(s), "sum(DISTINCT %s)" % c._name)


sum_distinct = sumDistinct


def first(col, ignorenulls=False):
    return _fn_lits("first", col, bool(ignorenulls)) if ignorenulls else _fn("first", col)


def last(col, ignorenulls=False):
    return _fn_lits("last", col, bool(ignorenulls)) if ignorenulls else _fn("last", col)


def stddev(col):
    return _fn("stddev", col)


def variance(col):
    return _fn("variance", col)


# -- dates and times ------------------------------------------------------------------
def current_timestamp():
    return Column(lambda s: "current_timestamp()", "current_timestamp()")


def current_date():
    return Column(lambda s: "current_date()", "current_date()")


def to_date(col, format=None):
    return _fn("to_date", col) if format is None else _fn_lits("to_date", col, format)


def to_timestamp(col, format=None):
    return _fn("to_timestamp", col) if format is None else _fn_lits("to_timestamp", col, format)


def date_format(date, format):
    return _fn_lits("date_format", date, format)


def year(col):
    return _fn("year", col)


def month(col):
    return _fn("month", col)


def dayofmonth(col):
    return _fn("dayofmonth", col)


def dayofweek(col):
    return _fn("dayofweek", col)


def hour(col):
    return _fn("hour", col)


def minute(col):
    return _fn("minute", col)


def datediff(end, start):
    return _fn("datediff", end, start)


def date_add(start, days):
    return _fn_lits("date_add", start, days)


def date_sub(start, days):
    return _fn_lits("date_sub", start, days)


# -- strings --------------------------------------------------------------------------
def concat(*cols):
    return _fn("concat", *cols)


def concat_ws(sep, *cols):
    cs = [as_column(c) for c in cols]
    s_lit = lit(sep)
    return Column(lambda s: "concat_ws(%s)" % ", ".join([s_lit._sql(s)] + [c._sql(s) for c in cs]),
                  "concat_ws(%s)" % ", ".join([str(sep)] + [c._name for c in cs]))


def upper(col):
    return _fn("upper", col)


def lower(col):
    return _fn("lower", col)


def trim(col):
    return _fn("trim", col)


def ltrim(col):
    return _fn("ltrim", col)


def rtrim(col):
    return _fn("rtrim", col)


def initcap(col):
    return _fn("initcap", col)


def length(col):
    return _fn("length", col)


def substring(str, pos, len):  # noqa: A002 - PySpark's parameter names
    return _fn_lits("substring", str, pos, len)


def regexp_replace(string, pattern, replacement):
    return _fn_lits("regexp_replace", string, pattern, replacement)


def regexp_extract(str, pattern, idx):  # noqa: A002
    return _fn_lits("regexp_extract", str, pattern, idx)


def split(str, pattern, limit=-1):  # noqa: A002
    return _fn_lits("split", str, pattern) if limit == -1 else _fn_lits("split", str, pattern, limit)


def lpad(col, len, pad):  # noqa: A002
    return _fn_lits("lpad", col, len, pad)


def rpad(col, len, pad):  # noqa: A002
    return _fn_lits("rpad", col, len, pad)


# -- null handling, math ------------------------------------------------------------------
def coalesce(*cols):
    return _fn("coalesce", *cols)


def isnull(col):
    return _fn("isnull", col)


def isnotnull(col):
    return _fn("isnotnull", col)


def greatest(*cols):
    return _fn("greatest", *cols)


def least(*cols):
    return _fn("least", *cols)


def round(col, scale=0):  # noqa: A001
    return _fn_lits("round", col, scale)


def abs(col):  # noqa: A001
    return _fn("abs", col)


def sqrt(col):
    return _fn("sqrt", col)


def floor(col):
    return _fn("floor", col)


def ceil(col):
    return _fn("ceil", col)


# -- sorting and windows ---------------------------------------------------------------------
def asc(col):
    return as_column(col).asc()


def desc(col):
    return as_column(col).desc()


def row_number():
    return Column(lambda s: "row_number()", "row_number()")


def rank():
    return Column(lambda s: "rank()", "rank()")


def dense_rank():
    return Column(lambda s: "dense_rank()", "dense_rank()")


def lag(col, offset=1, default=None):
    return _fn_lits("lag", col, offset, default) if default is not None else _fn_lits("lag", col, offset)


def lead(col, offset=1, default=None):
    return _fn_lits("lead", col, offset, default) if default is not None else _fn_lits("lead", col, offset)


__all__ = [
    "col", "column", "lit", "expr", "when", "sum", "avg", "mean", "min", "max", "count", "countDistinct",
    "count_distinct", "sumDistinct", "sum_distinct", "first", "last", "stddev", "variance", "current_timestamp",
    "current_date", "to_date", "to_timestamp", "date_format", "year", "month", "dayofmonth", "dayofweek", "hour",
    "minute", "datediff", "date_add", "date_sub", "concat", "concat_ws", "upper", "lower", "trim", "ltrim", "rtrim",
    "initcap", "length", "substring", "regexp_replace", "regexp_extract", "split", "lpad", "rpad", "coalesce",
    "isnull", "isnotnull", "greatest", "least", "round", "abs", "sqrt", "floor", "ceil", "asc", "desc",
    "row_number", "rank", "dense_rank", "lag", "lead",
]


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise UnsupportedOperation("pyspark.sql.functions.%s is not supported by the local workspace" % name)
