"""``display()`` / ``displayHTML()`` for a process whose output is plain text."""

import collections.abc

from brickyard_runner.dataframe import DataFrame
from brickyard_runner.rows import Row, render_grid

MAX_ROWS = 1000


def _is_pandas(obj):
    mod = type(obj).__module__ or ""
    return mod.startswith("pandas.") and hasattr(obj, "to_string")


def _rows_table(items):
    """(columns, rows) for a list of Rows / dicts / namedtuples / tuples, else None."""
    if not items:
        return None
    first = items[0]
    if isinstance(first, Row) and first.__dict__.get("__fields__"):
        return first.__dict__["__fields__"], [tuple(r) for r in items]
    if isinstance(first, dict):
        cols = []
        for it in items:
            for k in it:
                if k not in cols:
                    cols.append(k)
        return cols, [tuple(it.get(c) for c in cols) for it in items]
    if isinstance(first, tuple) and hasattr(first, "_fields"):
        return list(first._fields), [tuple(r) for r in items]
    if isinstance(first, (tuple, list)):
        width = max(len(r) for r in items)
        return ["_%d" % (i + 1) for i in range(width)], [tuple(r) for r in items]
    return None


def render(obj):
    """Text used by ``display(obj)`` (also for a cell's last expression)."""
    if isinstance(obj, DataFrame):
        rows = obj._fetch(MAX_ROWS + 1)[1]  # one more than shown tells whether there are more
        text = render_grid(obj.columns, rows[:MAX_ROWS], truncate=0)
        if len(rows) > MAX_ROWS:
            text += "\nShowing the first %d rows." % MAX_ROWS
        return text
    if _is_pandas(obj):
        if hasattr(obj, "head") and len(obj) > MAX_ROWS:
            return obj.head(MAX_ROWS).to_string() + "\nShowing the first %d rows." % MAX_ROWS
        return obj.to_string()
    if isinstance(obj, (list, tuple)) and not (isinstance(obj, tuple) and hasattr(obj, "_fields")):
        table = _rows_table(list(obj))
        if table is not None:
            cols, rows = table
            text = render_grid(cols, rows[:MAX_ROWS], truncate=0)
            if len(rows) > MAX_ROWS:
                text += "\nShowing the first %d rows." % MAX_ROWS
            return text
    if isinstance(obj, collections.abc.Mapping):
        return render_grid(["key", "value"], list(obj.items()), truncate=0)
    return str(obj)


def display(*args, **kwargs):
    for obj in args:
        print(render(obj), flush=True)


def displayHTML(html):
    print(html, flush=True)
