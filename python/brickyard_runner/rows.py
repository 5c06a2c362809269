"""Rows of a fetched SQL result: ``Row``, cell conversion and the ``show()`` grid.

Shared by the lazy DataFrame (``dataframe.py``), ``display`` and the ``pyspark.sql.Row`` shim.
"""

import collections

# one column of a statement result manifest
ResultColumn = collections.namedtuple("ResultColumn", ["name", "type_name", "type_text"])

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
