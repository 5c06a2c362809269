"""``pyspark.sql.types`` for the local workspace: data types as Spark SQL type text.

The types only describe columns: ``createDataFrame`` casts values to ``sql()``, ``spark.read``
casts the files' columns, and ``df.schema`` is rebuilt from the warehouse's result manifest.
"""

import re


class DataType(object):
    _sql = "STRING"

    def simpleString(self):
        return self.sql().lower()

    def typeName(self):
        return type(self).__name__[:-4].lower()

    def sql(self):
        return self._sql

    def jsonValue(self):
        return self.simpleString()

    def __eq__(self, other):
        return isinstance(other, DataType) and self.sql() == other.sql()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.sql())

    def __repr__(self):
        return "%s()" % type(self).__name__


class NullType(DataType):
    _sql = "VOID"


class StringType(DataType):
    _sql = "STRING"


class BinaryType(DataType):
    _sql = "BINARY"


class BooleanType(DataType):
    _sql = "BOOLEAN"


class DateType(DataType):
    _sql = "DATE"


class TimestampType(DataType):
    _sql = "TIMESTAMP"


class TimestampNTZType(DataType):
    _sql = "TIMESTAMP_NTZ"


class ByteType(DataType):
    _sql = "TINYINT"


class ShortType(DataType):
    _sql = "SMALLINT"


class IntegerType(DataType):
    _sql = "INT"


class LongType(DataType):
    _sql = "BIGINT"


class FloatType(DataType):
    _sql = "FLOAT"


class DoubleType(DataType):
    _sql = "DOUBLE"


class DecimalType(DataType):
    def __init__(self, precision=10, scale=0):
        self.precision = int(precision)
        self.scale = int(scale)

    def sql(self):
        return "DECIMAL(%d,%d)" % (self.precision, self.scale)

    def __repr__(self):
        return "DecimalType(%d, %d)" % (self.precision, self.scale)


class ArrayType(DataType):
    def __init__(self, elementType, containsNull=True):
        self.elementType = elementType
        self.containsNull = containsNull

    def sql(self):
        return "ARRAY<%s>" % self.elementType.sql()

    def __repr__(self):
        return "ArrayType(%r, %s)" % (self.elementType, self.containsNull)


class MapType(DataType):
    def __init__(self, keyType, valueType, valueContainsNull=True):
        self.keyType = keyType
        self.valueType = valueType
        self.valueContainsNull = valueContainsNull

    def sql(self):
        return "MAP<%s, %s>" % (self.keyType.sql(), self.valueType.sql())

    def __repr__(self):
        return "MapType(%r, %r, %s)" % (self.keyType, self.valueType, self.valueContainsNull)


class StructField(DataType):
    def __init__(self, name, dataType, nullable=True, metadata=None):
        if not isinstance(dataType, DataType):
            raise TypeError("StructField(%r, ...): dataType must be a DataType, got %r" % (name, dataType))
        self.name = name
        self.dataType = dataType
        self.nullable = nullable
        self.metadata = metadata or {}

    def sql(self):
        return "%s: %s" % (self.name, self.dataType.sql())

    def simpleString(self):
        return "%s:%s" % (self.name, self.dataType.simpleString())

    def __eq__(self, other):
        return isinstance(other, StructField) and (self.name, self.dataType, self.nullable) == (
            other.name, other.dataType, other.nullable)

    def __hash__(self):
        return hash((self.name, self.dataType.sql()))

    def __repr__(self):
        return "StructField(%r, %r, %s)" % (self.name, self.dataType, self.nullable)


class StructType(DataType):
    def __init__(self, fields=None):
        self.fields = list(fields or [])

    def add(self, field, data_type=None, nullable=True, metadata=None):
        if isinstance(field, StructField):
            self.fields.append(field)
        else:
            if isinstance(data_type, str):
                data_type = parse_type(data_type)
            self.fields.append(StructField(field, data_type, nullable, metadata))
        return self

    def fieldNames(self):
        return [f.name for f in self.fields]

    @property
    def names(self):
        return self.fieldNames()

    def __iter__(self):
        return iter(self.fields)

    def __len__(self):
        return len(self.fields)

    def __getitem__(self, key):
        if isinstance(key, str):
            for f in self.fields:
                if f.name == key:
                    return f
            raise KeyError("No StructField named %s" % key)
        return self.fields[key]

    def sql(self):
        return "STRUCT<%s>" % ", ".join("%s: %s" % (f.name, f.dataType.sql()) for f in self.fields)

    def simpleString(self):
        return "struct<%s>" % ",".join(f.simpleString() for f in self.fields)

    def treeString(self):
        lines = ["root"]
        for f in self.fields:
            lines.append(" |-- %s: %s (nullable = %s)" % (f.name, f.dataType.typeName() if not isinstance(
                f.dataType, DecimalType) else f.dataType.simpleString(), str(f.nullable).lower()))
        return "\n".join(lines) + "\n"

    def __eq__(self, other):
        return isinstance(other, StructType) and self.fields == other.fields

    def __hash__(self):
        return hash(tuple(self.fields))

    def __repr__(self):
        return "StructType([%s])" % ", ".join(repr(f) for f in self.fields)


# type words of Spark SQL (and of the warehouse's result manifests) -> type class
_SIMPLE = {
    "STRING": StringType, "VARCHAR": StringType, "CHAR": StringType, "BINARY": BinaryType,
    "BOOLEAN": BooleanType, "BOOL": BooleanType, "DATE": DateType, "TIMESTAMP": TimestampType,
    "TIMESTAMP_LTZ": TimestampType, "TIMESTAMP_NTZ": TimestampNTZType, "TINYINT": ByteType, "BYTE": ByteType,
    "SMALLINT": ShortType, "SHORT": ShortType, "INT": IntegerType, "INTEGER": IntegerType, "BIGINT": LongType,
    "LONG": LongType, "FLOAT": FloatType, "REAL": FloatType, "DOUBLE": DoubleType, "VOID": NullType, "NULL": NullType,
}


def _split_top(text, sep=","):
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts]


def parse_type(text):
    """A DataType from Spark SQL type text (``INT``, ``decimal(10,2)``, ``array<string>``, ...)."""
    t = (text or "").strip()
    upper = t.upper()
    m = re.match(r"^(?:DECIMAL|DEC|NUMERIC)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$", upper)
    if m:
        return DecimalType(int(m.group(1) or 10), int(m.group(2) or 0))
    m = re.match(r"^(?:VAR)?CHAR\s*\(\s*\d+\s*\)$", upper)
    if m:
        return StringType()
    if upper.startswith("ARRAY<") and upper.endswith(">"):
        return ArrayType(parse_type(t[6:-1]))
    if upper.startswith("MAP<") and upper.endswith(">"):
        key, value = _split_top(t[4:-1])
        return MapType(parse_type(key), parse_type(value))
    if upper.startswith("STRUCT<") and upper.endswith(">"):
        return parse_ddl(t[7:-1])
    cls = _SIMPLE.get(upper)
    if cls is None:
        raise ValueError("Unsupported data type %r (local workspace)" % text)
    return cls()


def parse_ddl(ddl):
    """``"id INT, name STRING NOT NULL"`` (or ``"id: int, name: string"``) -> StructType."""
    fields = []
    for part in _split_top(ddl):
        m = re.match(r"^\s*(`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*)\s*:?\s*(.+?)\s*$", part)
        if not m:
            raise ValueError("Cannot parse the schema DDL %r near %r" % (ddl, part))
        name = m.group(1)
        if name.startswith("`"):
            name = name[1:-1].replace("``", "`")
        type_text = m.group(2)
        nullable = True
        not_null = re.search(r"\s+NOT\s+NULL$", type_text, re.IGNORECASE)
        if not_null:
            type_text, nullable = type_text[: not_null.start()], False
        type_text = re.sub(r"\s+COMMENT\s+'.*'$", "", type_text, flags=re.IGNORECASE)
        fields.append(StructField(name, parse_type(type_text), nullable))
    return StructType(fields)


def as_struct(schema):
    """A StructType from a StructType, a DDL string or a bare type string, else None."""
    if schema is None or isinstance(schema, StructType):
        return schema
    if isinstance(schema, str):
        return parse_ddl(schema)
    if isinstance(schema, DataType):
        return StructType([StructField("value", schema)])
    return None


__all__ = [
    "DataType", "NullType", "StringType", "BinaryType", "BooleanType", "DateType", "TimestampType",
    "TimestampNTZType", "ByteType", "ShortType", "IntegerType", "LongType", "FloatType", "DoubleType", "DecimalType",
    "ArrayType", "MapType", "StructField", "StructType",
]
