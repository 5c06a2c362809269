"""``pyspark.sql.Column``: an expression that renders itself as Spark SQL text.

A Column is a render function plus the name Spark would give the expression's output. It is
rendered against a *scope* (see ``plan.py``) that turns column references into the names of the
relation it is evaluated on; references taken from a DataFrame (``df.id``, ``df["id"]``) remember
which DataFrame they came from so joins can tell ``left.id`` from ``right.id``.
"""

import datetime
import decimal
import math
import re

from brickyard_runner.errors import UnsupportedOperation
from brickyard_runner.sqltypes import DataType, parse_type


def quote_ident(name):
    return "`%s`" % str(name).replace("`", "``")


def quote_string(value):
    return "'%s'" % str(value).replace("\\", "\\\\").replace("'", "\\'")


def lit_sql(value):
    """Spark SQL text of a Python value (PySpark's ``lit`` typing: int -> INT/BIGINT, float -> DOUBLE)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value) if -(2 ** 31) <= value < 2 ** 31 else "CAST(%d AS BIGINT)" % value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "CAST('%s' AS DOUBLE)" % ("NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity"))
        return "CAST(%s AS DOUBLE)" % repr(value)
    if isinstance(value, decimal.Decimal):
        exp = value.as_tuple().exponent
        scale = max(-exp, 0) if isinstance(exp, int) else 0
        digits = len(value.as_tuple().digits)
        precision = min(max(digits, scale, 1), 38)
        return "CAST(%s AS DECIMAL(%d,%d))" % (quote_string(str(value)), precision, min(scale, precision))
    if isinstance(value, datetime.datetime):
        return "TIMESTAMP%s" % quote_string(value.strftime("%Y-%m-%d %H:%M:%S.%f"))
    if isinstance(value, datetime.date):
        return "DATE%s" % quote_string(value.isoformat())
    if isinstance(value, str):
        return quote_string(value)
    raise UnsupportedOperation("a literal of type %s is not supported by the local workspace" % type(value).__name__)


def _lit_name(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Column(object):
    def __init__(self, render, name, ref=None):
        self._render = render  # scope -> SQL text
        self._name = name  # the output name Spark gives the expression
        self._ref = ref  # (column name, DataFrame id or None) for a bare column reference
        self._sort = None  # "ASC NULLS FIRST" ... for sort keys
        self._explicit_alias = False

    # -- rendering ----------------------------------------------------------
    def _sql(self, scope):
        return self._render(scope)

    def _sort_sql(self, scope):
        return "%s %s" % (self._sql(scope), self._sort or "ASC NULLS FIRST")

    def _derive(self, render, name, sort=None):
        c = Column(render, name)
        c._sort = sort
        return c

    def __repr__(self):
        return "Column<'%s'>" % self._name

    # -- naming, casting, sorting --------------------------------------------
    def alias(self, *alias, **kwargs):
        if len(alias) != 1:
            raise UnsupportedOperation("Column.alias with several names (multi-column aliases) is not supported by the local workspace")
        c = Column(self._render, str(alias[0]), self._ref)
        c._explicit_alias = True
        return c

    name = alias

    def cast(self, dataType):
        type_sql = dataType.sql() if isinstance(dataType, DataType) else parse_type(dataType).sql()
        return self._derive(lambda s: "CAST(%s AS %s)" % (self._sql(s), type_sql), "CAST(%s AS %s)" % (self._name, type_sql))

    astype = cast

    def _sorted(self, how):
        c = Column(self._render, self._name, self._ref)
        c._sort = how
        return c

    def asc(self):
        return self._sorted("ASC NULLS FIRST")

    def desc(self):
        return self._sorted("DESC NULLS LAST")

    def asc_nulls_first(self):
        return self._sorted("ASC NULLS FIRST")

    def asc_nulls_last(self):
        return self._sorted("ASC NULLS LAST")

    def desc_nulls_first(self):
        return self._sorted("DESC NULLS FIRST")

    def desc_nulls_last(self):
        return self._sorted("DESC NULLS LAST")

    # -- predicates -----------------------------------------------------------
    def isNull(self):
        return self._derive(lambda s: "(%s IS NULL)" % self._sql(s), "(%s IS NULL)" % self._name)

    def isNotNull(self):
        return self._derive(lambda s: "(%s IS NOT NULL)" % self._sql(s), "(%s IS NOT NULL)" % self._name)

    def isin(self, *values):
        if len(values) == 1 and isinstance(values[0], (list, tuple, set)):
            values = list(values[0])
        cols = [to_column(v) for v in values]
        if not cols:
            return self._derive(lambda s: "FALSE", "(%s IN ())" % self._name)
        return self._derive(
            lambda s: "(%s IN (%s))" % (self._sql(s), ", ".join(c._sql(s) for c in cols)),
            "(%s IN (%s))" % (self._name, ", ".join(c._name for c in cols)),
        )

    def between(self, lowerBound, upperBound):
        lo, hi = to_column(lowerBound), to_column(upperBound)
        return self._derive(
            lambda s: "(%s BETWEEN %s AND %s)" % (self._sql(s), lo._sql(s), hi._sql(s)),
            "((%s >= %s) AND (%s <= %s))" % (self._name, lo._name, self._name, hi._name),
        )

    def like(self, other):
        return _binary("LIKE", self, other)

    def ilike(self, other):
        return _binary("ILIKE", self, other)

    def rlike(self, other):
        o = to_column(other)
        return self._derive(lambda s: "regexp_like(%s, %s)" % (self._sql(s), o._sql(s)), "RLIKE(%s, %s)" % (self._name, o._name))

    def contains(self, other):
        return _call_method("contains", self, other)

    def startswith(self, other):
        return _call_method("startswith", self, other)

    def endswith(self, other):
        return _call_method("endswith", self, other)

    def substr(self, startPos, length):
        a, b = to_column(startPos), to_column(length)
        return self._derive(
            lambda s: "substring(%s, %s, %s)" % (self._sql(s), a._sql(s), b._sql(s)),
            "substr(%s, %s, %s)" % (self._name, a._name, b._name),
        )

    def eqNullSafe(self, other):
        return _binary("<=>", self, other)

    # -- CASE WHEN chains (built by functions.when) ---------------------------
    def when(self, condition, value):
        branches = getattr(self, "_branches", None)
        if branches is None or getattr(self, "_otherwise", None) is not None:
            raise UnsupportedOperation("Column.when() can only follow functions.when() or another when()")
        return case_column(branches + [(to_column(condition), to_column(value))], None)

    def otherwise(self, value):
        branches = getattr(self, "_branches", None)
        if branches is None or getattr(self, "_otherwise", None) is not None:
            raise UnsupportedOperation("Column.otherwise() can only follow functions.when() or Column.when()")
        return case_column(branches, to_column(value))

    def over(self, window):
        spec = window
        return self._derive(lambda s: "%s OVER (%s)" % (self._sql(s), spec._sql(s)), "%s OVER (%s)" % (self._name, spec._describe()))

    # -- operators -------------------------------------------------------------
    def __add__(self, o):
        return _binary("+", self, o)

    def __radd__(self, o):
        return _binary("+", o, self)

    def __sub__(self, o):
        return _binary("-", self, o)

    def __rsub__(self, o):
        return _binary("-", o, self)

    def __mul__(self, o):
        return _binary("*", self, o)

    def __rmul__(self, o):
        return _binary("*", o, self)

    def __truediv__(self, o):
        return _binary("/", self, o)

    def __rtruediv__(self, o):
        return _binary("/", o, self)

    def __mod__(self, o):
        return _binary("%", self, o)

    def __rmod__(self, o):
        return _binary("%", o, self)

    def __eq__(self, o):
        return _binary("=", self, o)

    def __ne__(self, o):
        c = _binary("=", self, o)
        return c._derive(lambda s: "(NOT %s)" % c._sql(s), "(NOT %s)" % c._name)

    def __lt__(self, o):
        return _binary("<", self, o)

    def __le__(self, o):
        return _binary("<=", self, o)

    def __gt__(self, o):
        return _binary(">", self, o)

    def __ge__(self, o):
        return _binary(">=", self, o)

    def __and__(self, o):
        return _binary("AND", self, o)

    def __rand__(self, o):
        return _binary("AND", o, self)

    def __or__(self, o):
        return _binary("OR", self, o)

    def __ror__(self, o):
        return _binary("OR", o, self)

    def __invert__(self):
        return self._derive(lambda s: "(NOT %s)" % self._sql(s), "(NOT %s)" % self._name)

    def __neg__(self):
        return self._derive(lambda s: "(- %s)" % self._sql(s), "(- %s)" % self._name)

    def __bool__(self):
        raise ValueError(
            "Cannot convert column into bool: please use '&' for 'and', '|' for 'or', '~' for 'not' when "
            "building DataFrame boolean expressions."
        )

    __nonzero__ = __bool__
    __hash__ = None

    def __iter__(self):
        raise TypeError("Column is not iterable")

    def __getattr__(self, item):
        if item.startswith("_"):
            raise AttributeError(item)
        raise UnsupportedOperation("Column.%s is not supported by the local workspace" % item)

    def __getitem__(self, key):
        raise UnsupportedOperation("Column[...] (struct, array and map access) is not supported by the local workspace")


def _binary(op, left, right):
    a, b = to_column(left), to_column(right)
    return Column(lambda s: "(%s %s %s)" % (a._sql(s), op, b._sql(s)), "(%s %s %s)" % (a._name, op, b._name))


def _call_method(fname, col, other):
    o = to_column(other)
    return Column(lambda s: "%s(%s, %s)" % (fname, col._sql(s), o._sql(s)), "%s(%s, %s)" % (fname, col._name, o._name))


def case_column(branches, otherwise):
    def render(s):
        parts = ["CASE"]
        for cond, value in branches:
            parts.append("WHEN %s THEN %s" % (cond._sql(s), value._sql(s)))
        if otherwise is not None:
            parts.append("ELSE %s" % otherwise._sql(s))
        parts.append("END")
        return " ".join(parts)

    name = "CASE " + " ".join("WHEN %s THEN %s" % (c._name, v._name) for c, v in branches)
    name += (" ELSE %s END" % otherwise._name) if otherwise is not None else " END"
    c = Column(render, name)
    c._branches = branches
    c._otherwise = otherwise
    return c


def col_ref(name, df_id=None):
    """A reference to a column by name (``a``, ``t.a`` for an aliased DataFrame, ``*``)."""
    name = str(name)
    if name == "*":
        return Column(lambda s: s.star(None), "*", ("*", df_id))
    return Column(lambda s: s.ref(name, df_id), name.split(".")[-1] if "." in name and not name.startswith("`") else name,
                  (name, df_id))


def lit(value):
    if isinstance(value, Column):
        return value
    return Column(lambda s: lit_sql(value), _lit_name(value))


_TRAILING_ALIAS = re.compile(r"^(.*\S)\s+AS\s+(`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*)\s*$", re.IGNORECASE | re.DOTALL)


def expr_column(text):
    """Raw Spark SQL (``expr``, ``selectExpr``, string filters); ``... AS name`` names the output."""
    text = str(text).strip()
    m = _TRAILING_ALIAS.match(text)
    if m and m.group(1).count("(") == m.group(1).count(")"):
        body, alias = m.group(1), m.group(2)
        if alias.startswith("`"):
            alias = alias[1:-1].replace("``", "`")
        return expr_column(body).alias(alias)
    c = Column(lambda s: "(%s)" % text, text)
    if re.match(r"^(`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*)$", text):
        c._ref = (text, None)  # a bare name: keeps its column's identity (and resolves like col())
        c._render = lambda s: s.ref(text)
    return c


def to_column(value):
    """Operands: Columns stay, anything else is a literal."""
    return value if isinstance(value, Column) else lit(value)


def as_column(value):
    """Arguments that name columns: strings are column names, Columns stay."""
    if isinstance(value, Column):
        return value
    if isinstance(value, str):
        return col_ref(value)
    raise TypeError("expected a column name or a Column, got %r" % (value,))
