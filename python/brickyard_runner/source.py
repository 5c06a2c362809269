"""Parse Databricks SOURCE-format notebooks into cells.

Format (Python shown; SQL uses ``--`` and Scala ``//`` as the comment prefix)::

    # Databricks notebook source
    print("cell 1")

    # COMMAND ----------

    # DBTITLE 1,Optional title
    # MAGIC %md
    # MAGIC Some *markdown*

Text without the header line is one cell in the declared language.
"""

import collections

PREFIXES = {"PYTHON": "#", "R": "#", "SQL": "--", "SCALA": "//"}

# kind: the language/magic that runs the cell; body: text with the magic word removed;
# line: 1-based line of the cell's first body line in the source (for tracebacks).
Cell = collections.namedtuple("Cell", ["index", "kind", "body", "line", "magic_line"])

_SKIP = ("md", "md-sandbox", "matplotlib")
_KNOWN = ("sh", "run", "pip", "conda", "sql", "python", "scala", "r", "fs") + _SKIP


def _default_kind(language):
    return {"PYTHON": "python", "SQL": "sql", "SCALA": "scala", "R": "r"}.get(language, "python")


def parse_notebook(source, language="PYTHON"):
    language = (language or "PYTHON").upper()
    prefix = PREFIXES.get(language, "#")
    lines = (source or "").lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    header = prefix + " Databricks notebook source"
    start = 0
    if lines and lines[0].strip() == header:
        start = 1
    else:
        for p in ("#", "--", "//"):
            if lines and lines[0].strip() == p + " Databricks notebook source":
                prefix, start = p, 1
                break
    if start == 0:
        # a plain file: one cell
        return [_make_cell(0, lines, 1, prefix, _default_kind(language))]
    separator = prefix + " COMMAND ----------"
    cells, chunk, chunk_start = [], [], start + 1
    for lineno, line in enumerate(lines[start:], start=start + 1):
        if line.strip() == separator:
            cells.append((chunk, chunk_start))
            chunk, chunk_start = [], lineno + 1
        else:
            chunk.append(line)
    cells.append((chunk, chunk_start))
    out = []
    for chunk, first in cells:
        cell = _make_cell(len(out), chunk, first, prefix, _default_kind(language))
        if cell is not None:
            out.append(cell)
    return out


def _make_cell(index, chunk, first_line, prefix, default_kind):
    chunk = list(chunk)
    # drop leading blank lines and a DBTITLE line
    while chunk and (not chunk[0].strip() or chunk[0].strip().startswith(prefix + " DBTITLE")):
        chunk.pop(0)
        first_line += 1
    while chunk and not chunk[-1].strip():
        chunk.pop()
    if not chunk:
        return None
    magic_prefix = prefix + " MAGIC"
    is_magic = all(
        (not l.strip()) or l.startswith(magic_prefix + " ") or l.rstrip() == magic_prefix for l in chunk
    )
    if is_magic:
        body = []
        for l in chunk:
            if l.startswith(magic_prefix + " "):
                body.append(l[len(magic_prefix) + 1:])
            elif l.rstrip() == magic_prefix:
                body.append("")
            else:
                body.append(l)
        chunk = body
    # a magic command is the first line starting with %
    lead = chunk[0].lstrip()
    if lead.startswith("%") and (is_magic or default_kind == "python"):
        word, _, rest = lead[1:].partition(" ")
        word = word.strip().lower()
        if word in _KNOWN or is_magic:
            body = [rest] + chunk[1:] if rest.strip() else chunk[1:]
            body_line = first_line if rest.strip() else first_line + 1
            return Cell(index, "%" + word, "\n".join(body), body_line, lead)
    return Cell(index, default_kind, "\n".join(chunk), first_line, None)
