"""A small, read-only stand-in for ``pyspark.sql.DataFrame`` and ``Row``.

It holds the (already fetched) result of one SQL statement.
"""

import collections

Column = collections.namedtuple("Column", ["name", "type_name", "type_text"])

_INT_TYPES = ("INT", "INTEGER", "LONG", "BIGINT", "SHORT", "SMALLINT", "BYTE", "TINYINT")
_FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


def convert_value(value, type_name):
    """Convert one JSON_ARRAY string cell using the manifest's ``type_name``."""
    if value is None:
        return None
    t = (type_name or "").upper()
    try:
        if t in _INT_TYPES:
            return int(value)
        if t in _FLOAT_TYPES:
            return float(value)
        if t == "BOOLEAN":
            if isinstance(value, bool):
                return value
            return str(value).strip().lower() == "true"
    except (TypeError, ValueError):
        return value
    return value if isinstance(value, str) else str(value)


def _make_row(fields, values):
    return Row._from(fields, values)


class Row(tuple):
    """Tuple with named fields: ``row.x``, ``row["x"]``, ``row[0]``, ``row.asDict()``."""

    def __new__(cls, *args, **kwargs):
        if args and kwargs:
            raise ValueError("Row() takes either positional values or keyword fields, not both")
        if kwargs:
            return cls._from(list(kwargs), list(kwargs.values()))
        row = tuple.__new__(cls, args)
        row.__dict__["__fields__"] = None
        return row

    @classmethod
    def _from(cls, fields, values):
        row = tuple.__new__(cls, values)
        row.__dict__["__fields__"] = list(fields)
        return row

    def _field_index(self, name):
        fields = self.__dict__.get("__fields__")
        if fields and name in fields:
            return fields.index(name)
        return -1

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        idx = self._field_index(name)
        if idx < 0:
            raise AttributeError(name)
        return tuple.__getitem__(self, idx)

    def __setattr__(self, name, value):
        raise AttributeError("Row is read-only")

    def __getitem__(self, item):
        if isinstance(item, str):
            idx = self._field_index(item)
            if idx < 0:
                raise KeyError(item)
            return tuple.__getitem__(self, idx)
        return tuple.__getitem__(self, item)

    def __contains__(self, item):
        fields = self.__dict__.get("__fields__")
        if fields is not None:
            return item in fields
        return tuple.__contains__(self, item)

    def asDict(self, recursive=False):
        fields = self.__dict__.get("__fields__")
        if fields is None:
            raise TypeError("Cannot convert a Row without field names into a dict")
        out = {}
        for k, v in zip(fields, self):
            if recursive and isinstance(v, Row):
                v = v.asDict(True)
            out[k] = v
        return out

    def __reduce__(self):
        return (_make_row, (self.__dict__.get("__fields__"), tuple(self)))

    def __repr__(self):
        fields = self.__dict__.get("__fields__")
        if fields is None:
            return "<Row(%s)>" % ", ".join(repr(v) for v in self)
        return "Row(%s)" % ", ".join("%s=%r" % (k, v) for k, v in zip(fields, self))


def _cell(v, truncate):
    if v is None:
        s = "NULL"
    elif isinstance(v, bool):
        s = "true" if v else "false"
    else:
        s = str(v)
    s = s.replace("\n", "\\n")
    if truncate and len(s) > truncate:
        s = s[: max(truncate - 3, 0)] + "..." if truncate > 3 else s[:truncate]
    return s


def render_grid(columns, rows, truncate=20):
    """Render rows as a Spark ``show()``-style ASCII grid."""
    header = [_cell(c, truncate) for c in columns]
    body = [[_cell(v, truncate) for v in r] for r in rows]
    widths = [max([3, len(h)] + [len(r[i]) for r in body if i < len(r)]) for i, h in enumerate(header)]
    sep = "+" + "+".join("-" * w for w in widths) + "+"
    lines = [sep, "|" + "|".join(h.rjust(w) for h, w in zip(header, widths)) + "|", sep]
    for r in body:
        lines.append("|" + "|".join(c.rjust(w) for c, w in zip(r, widths)) + "|")
    if body:
        lines.append(sep)
    return "\n".join(lines)


class DataFrame(object):
    def __init__(self, columns, rows, statement_id=None, truncated=False):
        self._columns = list(columns)  # [Column]
        self._rows = list(rows)
        self.statement_id = statement_id
        self.truncated = truncated

    @classmethod
    def from_result(cls, columns, data, statement_id=None, truncated=False):
        names = [c.name for c in columns]
        types = [c.type_name for c in columns]
        rows = []
        for raw in data:
            values = [convert_value(v, types[i] if i < len(types) else None) for i, v in enumerate(raw)]
            rows.append(Row._from(names, values))
        return cls(columns, rows, statement_id, truncated)

    @property
    def columns(self):
        return [c.name for c in self._columns]

    @property
    def dtypes(self):
        return [(c.name, (c.type_text or c.type_name or "string").lower()) for c in self._columns]

    @property
    def schema(self):
        return list(self._columns)

    def collect(self):
        return list(self._rows)

    def count(self):
        return len(self._rows)

    def isEmpty(self):
        return not self._rows

    def first(self):
        return self._rows[0] if self._rows else None

    def head(self, n=None):
        if n is None:
            return self.first()
        return self._rows[: max(int(n), 0)]

    def take(self, num):
        return self.head(num)

    def tail(self, num):
        return self._rows[-int(num):] if num else []

    def limit(self, num):
        return DataFrame(self._columns, self._rows[: max(int(num), 0)], self.statement_id, self.truncated)

    def toLocalIterator(self):
        return iter(self._rows)

    def __iter__(self):
        raise TypeError("DataFrame is not iterable; use .collect()")

    def toPandas(self):
        try:
            import pandas
        except ImportError:
            import sys

            raise ImportError(
                "DataFrame.toPandas() needs pandas, which is not installed for %s; install pandas into that "
                "interpreter or start the local workspace with --python pointing at one that has it" % sys.executable
            )
        return pandas.DataFrame.from_records([tuple(r) for r in self._rows], columns=self.columns)

    def show(self, n=20, truncate=True, vertical=False):
        width = 20 if truncate is True else (int(truncate) if truncate else 0)
        rows = self._rows[: max(int(n), 0)]
        if vertical:
            for i, r in enumerate(rows):
                print("-RECORD %d%s" % (i, "-" * 20))
                for c, v in zip(self.columns, r):
                    print(" %s | %s" % (c, _cell(v, width)))
        else:
            print(render_grid(self.columns, rows, width))
        if len(self._rows) > len(rows):
            print("only showing top %d row%s" % (len(rows), "" if len(rows) == 1 else "s"))

    def __repr__(self):
        return "DataFrame[%s]" % ", ".join("%s: %s" % d for d in self.dtypes)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise AttributeError(
            "DataFrame.%s is not supported by the local workspace (its DataFrame is a read-only SQL result; "
            "supported: collect, count, first, head, take, limit, show, toPandas, columns, dtypes)" % name
        )
