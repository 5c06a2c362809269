"""``pyspark.sql.Window``: window specifications rendered as ``PARTITION BY ... ORDER BY ... ROWS ...``."""

import sys

from brickyard_runner.column import as_column


def _cols(cols):
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        cols = tuple(cols[0])
    return [as_column(c) for c in cols]


def _bound(value, preceding):
    if value <= Window.unboundedPreceding:
        return "UNBOUNDED PRECEDING"
    if value >= Window.unboundedFollowing:
        return "UNBOUNDED FOLLOWING"
    if value == 0:
        return "CURRENT ROW"
    return "%d %s" % (-value if value < 0 else value, "PRECEDING" if value < 0 else "FOLLOWING")


class WindowSpec(object):
    def __init__(self, partition=(), order=(), frame=None):
        self._partition = list(partition)
        self._order = list(order)
        self._frame = frame

    def partitionBy(self, *cols):
        return WindowSpec(_cols(cols), self._order, self._frame)

    def orderBy(self, *cols):
        return WindowSpec(self._partition, _cols(cols), self._frame)

    def rowsBetween(self, start, end):
        return WindowSpec(self._partition, self._order, ("ROWS", start, end))

    def rangeBetween(self, start, end):
        return WindowSpec(self._partition, self._order, ("RANGE", start, end))

    def _sql(self, scope):
        parts = []
        if self._partition:
            parts.append("PARTITION BY " + ", ".join(c._sql(scope) for c in self._partition))
        if self._order:
            parts.append("ORDER BY " + ", ".join(c._sort_sql(scope) for c in self._order))
        if self._frame:
            kind, start, end = self._frame
            parts.append("%s BETWEEN %s AND %s" % (kind, _bound(start, True), _bound(end, False)))
        return " ".join(parts)

    def _describe(self):
        parts = []
        if self._partition:
            parts.append("PARTITION BY " + ", ".join(c._name for c in self._partition))
        if self._order:
            parts.append("ORDER BY " + ", ".join(c._name for c in self._order))
        return " ".join(parts)


class Window(object):
    unboundedPreceding = -sys.maxsize - 1
    unboundedFollowing = sys.maxsize
    currentRow = 0

    @staticmethod
    def partitionBy(*cols):
        return WindowSpec().partitionBy(*cols)

    @staticmethod
    def orderBy(*cols):
        return WindowSpec().orderBy(*cols)

    @staticmethod
    def rowsBetween(start, end):
        return WindowSpec().rowsBetween(start, end)

    @staticmethod
    def rangeBetween(start, end):
        return WindowSpec().rangeBetween(start, end)
