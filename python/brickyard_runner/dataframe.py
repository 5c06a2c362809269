"""A small, read-only stand-in for ``pyspark.sql.DataFrame`` and ``Row``.

It holds the (already fetched) result of one SQL statement.
"""

from brickyard_runner.rows import ResultColumn as Column, Row, _cell, convert_value, render_grid  # noqa: F401


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
