"""``spark.createDataFrame``: local data becomes an inline ``VALUES`` query with explicit casts."""

import datetime
import decimal

from brickyard_runner.column import lit_sql, quote_ident
from brickyard_runner.errors import UnsupportedOperation
from brickyard_runner.plan import Field, analysis_error
from brickyard_runner.rows import Row
from brickyard_runner.sqltypes import (
    BooleanType, DataType, DateType, DecimalType, DoubleType, FloatType, IntegerType, LongType, StringType,
    StructField, StructType, TimestampType, as_struct,
)


def _infer(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return BooleanType()
    if isinstance(value, int):
        return LongType()
    if isinstance(value, float):
        return DoubleType()
    if isinstance(value, str):
        return StringType()
    if isinstance(value, datetime.datetime):
        return TimestampType()
    if isinstance(value, datetime.date):
        return DateType()
    if isinstance(value, decimal.Decimal):
        return DecimalType(38, 18)
    raise UnsupportedOperation(
        "createDataFrame: values of type %s (nested rows, arrays, maps) are not supported by the local workspace"
        % type(value).__name__)


def _merge(a, b):
    if a is None:
        return b
    if b is None or a == b:
        return a
    numeric = (LongType, DoubleType)
    if isinstance(a, numeric) and isinstance(b, numeric):
        return DoubleType()
    raise analysis_error("CANNOT_MERGE_TYPE", "Can not merge type %r and %r" % (a, b))


def _is_pandas(data):
    return (type(data).__module__ or "").startswith("pandas.") and hasattr(data, "itertuples")


def _python_value(v):
    """numpy / pandas scalars -> plain Python; NaN and NaT -> None (as with Arrow on Databricks)."""
    if v is None:
        return None
    if hasattr(v, "to_pydatetime"):
        try:
            import pandas

            if pandas.isna(v):
                return None
        except ImportError:
            pass
        return v.to_pydatetime()
    if hasattr(v, "item") and type(v).__module__ == "numpy":
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    return v


_PANDAS_KINDS = {"i": LongType, "u": LongType, "f": DoubleType, "b": BooleanType, "M": TimestampType}


def _from_pandas(pdf):
    names = [str(c) for c in pdf.columns]
    rows = [[_python_value(v) for v in r] for r in pdf.itertuples(index=False, name=None)]
    types = []
    for i, dtype in enumerate(pdf.dtypes):
        kind = getattr(dtype, "kind", "O")
        if str(dtype) == "int32":
            types.append(IntegerType())
        elif str(dtype) == "float32":
            types.append(FloatType())
        elif kind in _PANDAS_KINDS:
            types.append(_PANDAS_KINDS[kind]())
        else:
            t = None
            for r in rows:
                t = _merge(t, _infer(r[i]))
            types.append(t)
    return names, types, rows


def _normalise(data, names):
    """Rows as value lists; dicts and keyword Rows are matched by name, tuples by position."""
    if not data:
        return names, []
    first = data[0]
    if names is None:
        if isinstance(first, dict):
            names = sorted(first.keys())  # PySpark sorts the keys of dict rows
        elif isinstance(first, Row) and first.__dict__.get("__fields__"):
            names = list(first.__dict__["__fields__"])
        elif isinstance(first, tuple) and hasattr(first, "_fields"):
            names = list(first._fields)
        elif isinstance(first, (tuple, list, Row)):
            names = ["_%d" % (i + 1) for i in range(len(first))]
        else:
            names = ["value"]
    rows = []
    for item in data:
        if isinstance(item, dict):
            rows.append([item.get(n) for n in names])
        elif isinstance(item, Row) and item.__dict__.get("__fields__"):
            d = item.asDict()
            rows.append([d.get(n) for n in names])
        elif isinstance(item, (tuple, list)):
            if len(item) != len(names):
                raise analysis_error("AXIS_LENGTH_MISMATCH", "Length mismatch: the schema has %d fields but a row has %d "
                                     "values: %r" % (len(names), len(item), (item,)))
            rows.append(list(item))
        else:
            rows.append([item])
    return names, rows


def create_dataframe(session, data, schema=None):
    from brickyard_runner.dataframe import DataFrame

    struct = as_struct(schema) if not isinstance(schema, (list, tuple)) else None
    if schema is not None and struct is None and not isinstance(schema, (list, tuple)):
        raise TypeError("schema should be a StructType, a DDL string or a list of column names, got %r" % (schema,))
    given_names = list(schema) if isinstance(schema, (list, tuple)) else (struct.fieldNames() if struct else None)
    if _is_pandas(data):
        names, types, rows = _from_pandas(data)
        if given_names is not None:
            names = given_names
    else:
        if isinstance(data, DataType) or not hasattr(data, "__iter__") or isinstance(data, (str, bytes, dict)):
            raise TypeError("createDataFrame: data should be a list of rows or a pandas DataFrame, got %s" % type(data).__name__)
        data = list(data)
        by_name = given_names if data and isinstance(data[0], dict) or (
            data and isinstance(data[0], Row) and data[0].__dict__.get("__fields__")) else None
        names, rows = _normalise(data, by_name)
        if names is None:  # no rows: the schema names the columns
            names = given_names or []
        if given_names is not None:
            if len(given_names) != len(names):
                raise analysis_error("AXIS_LENGTH_MISMATCH", "The schema has %d fields but the rows have %d values"
                                     % (len(given_names), len(names)))
            names = given_names
        types = [None] * len(names)
        for r in rows:
            types = [_merge(t, _infer(v)) for t, v in zip(types, r)]
    if struct is not None:
        types = [f.dataType for f in struct.fields]
    for name, t in zip(names, types):
        if t is None:
            raise analysis_error("CANNOT_DETERMINE_TYPE", "Some of types cannot be determined after inferring: column "
                                 "%s has only None values; pass a schema." % quote_ident(name))
    sql = values_sql(names, types, rows)
    return DataFrame(session, sql, [Field(n) for n in names])


def values_sql(names, types, rows):
    cols = ", ".join(quote_ident(n) for n in names)
    type_sql = [t.sql() for t in types]
    if not rows:
        select = ", ".join("CAST(NULL AS %s) AS %s" % (t, quote_ident(n)) for n, t in zip(names, type_sql))
        return "SELECT %s LIMIT 0" % select
    tuples = ", ".join(
        "(%s)" % ", ".join("CAST(%s AS %s)" % (lit_sql(v), t) for v, t in zip(r, type_sql)) for r in rows)
    return "SELECT * FROM (VALUES %s) AS _v(%s)" % (tuples, cols)


def result_schema(columns):
    """StructType of a result manifest."""
    from brickyard_runner.sqltypes import parse_type

    fields = []
    for c in columns:
        try:
            t = parse_type(c.type_text or c.type_name or "STRING")
        except ValueError:
            t = StringType()
        fields.append(StructField(c.name, t))
    return StructType(fields)
