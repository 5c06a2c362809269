"""Client-side handling of SQL text for ``%sql`` cells and SQL notebooks.

* split a cell into statements on ``;`` outside quotes/comments (the
  Statement Execution API takes one statement per request);
* find named parameter markers (``:name``) so widget values can be bound;
* substitute legacy ``${name}`` widget references;
* recognise ``USE ...`` (tracked client-side because the Statement Execution
  API is stateless) and ``CREATE/REMOVE WIDGET`` (handled by the runner).
"""

import re


def _scan(sql):
    """Yield (kind, start, end) tokens: 'code', 'quote', 'comment'."""
    i, n = 0, len(sql)
    start = 0
    while i < n:
        c = sql[i]
        if c in ("'", '"', "`"):
            if i > start:
                yield ("code", start, i)
            j = i + 1
            while j < n:
                if sql[j] == "\\" and c != "`":
                    j += 2
                    continue
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:  # doubled quote
                        j += 2
                        continue
                    break
                j += 1
            j = min(j + 1, n)
            yield ("quote", i, j)
            i = start = j
        elif sql.startswith("--", i):
            if i > start:
                yield ("code", start, i)
            j = sql.find("\n", i)
            j = n if j < 0 else j
            yield ("comment", i, j)
            i = start = j
        elif sql.startswith("$$", i):
            # dollar-quoted text ($$...$$): raw, no escapes
            if i > start:
                yield ("code", start, i)
            j = sql.find("$$", i + 2)
            j = n if j < 0 else j + 2
            yield ("quote", i, j)
            i = start = j
        elif sql.startswith("/*", i):
            if i > start:
                yield ("code", start, i)
            # block comments nest in Spark SQL (the server's tokenizer agrees: tokens.ts)
            depth, j = 0, i
            while j < n:
                if sql.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif sql.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                    if depth == 0:
                        break
                else:
                    j += 1
            yield ("comment", i, j)
            i = start = j
        else:
            i += 1
    if start < n:
        yield ("code", start, n)


def split_statements(sql):
    """Split on top-level ``;``; drops statements that are empty or only comments."""
    out, cur, has_code = [], [], False
    for kind, s, e in _scan(sql):
        piece = sql[s:e]
        if kind != "code":
            cur.append(piece)
            has_code = has_code or kind == "quote"
            continue
        parts = piece.split(";")
        for idx, part in enumerate(parts):
            if idx > 0:
                text = "".join(cur).strip()
                if has_code and text:
                    out.append(text)
                cur, has_code = [], False
            cur.append(part)
            if part.strip():
                has_code = True
    text = "".join(cur).strip()
    if has_code and text:
        out.append(text)
    return out


_MARKER = re.compile(r"(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)(?!:)")


def parameter_markers(sql):
    """Names used as ``:name`` parameter markers outside quotes/comments."""
    names = []
    for kind, s, e in _scan(sql):
        if kind != "code":
            continue
        for m in _MARKER.finditer(sql[s:e]):
            if m.group(1) not in names:
                names.append(m.group(1))
    return names


_DOLLAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.]*)\}")


def substitute_widgets(sql, lookup):
    """Replace ``${name}`` with the widget value when ``lookup(name)`` knows it."""

    def repl(m):
        found, value = lookup(m.group(1))
        return value if found else m.group(0)

    return _DOLLAR.sub(repl, sql)


_IDENT = r"(`(?:[^`]|``)+`|[A-Za-z0-9_\-]+)"
_USE = re.compile(
    r"^\s*USE\s+(?:(CATALOG)\s+|(?:SCHEMA|DATABASE)\s+)?" + _IDENT + r"(?:\s*\.\s*" + _IDENT + r")?\s*;?\s*$",
    re.IGNORECASE,
)


def _unquote(ident):
    if ident and ident.startswith("`") and ident.endswith("`"):
        return ident[1:-1].replace("``", "`")
    return ident


_USE_IDENTIFIER = re.compile(
    r"^\s*USE\s+(?:(CATALOG)\s+|(?:SCHEMA|DATABASE)\s+)?IDENTIFIER\s*\((.*)\)\s*;?\s*$", re.IGNORECASE | re.DOTALL
)
_CONCAT_OPERAND = re.compile(r"\s*(?:'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"|:([A-Za-z_][A-Za-z0-9_]*))\s*")


def _identifier_text(expr, params):
    """The value of IDENTIFIER's argument (literals and :params joined by ||), or None."""
    out, pos = [], 0
    while True:
        m = _CONCAT_OPERAND.match(expr, pos)
        if not m:
            return None
        if m.group(3) is not None:
            value = (params or {}).get(m.group(3))
            if value is None:
                return None
            out.append(str(value))
        else:
            literal = m.group(1) if m.group(1) is not None else m.group(2)
            out.append(re.sub(r"\\(.)", r"\1", literal))
        pos = m.end()
        if pos == len(expr):
            return "".join(out)
        if not expr.startswith("||", pos):
            return None
        pos += 2


def parse_use(sql, params=None):
    """Return (catalog, schema) changes for a USE statement, or None.

    ``USE ... IDENTIFIER(:p || '...')`` is evaluated with ``params`` (name -> value), as the
    warehouse does, so the client-side current catalog/schema follow it.
    """
    m = _USE_IDENTIFIER.match(sql)
    if m:
        text = _identifier_text(m.group(2), params)
        try:
            parts = _name_parts(text) if text is not None else None
        except ValueError:
            parts = None
        if not parts or len(parts) > 2:
            return None
        first, second = parts[0], parts[1] if len(parts) > 1 else None
        is_catalog = m.group(1)
    else:
        m = _USE.match(sql)
        if not m:
            return None
        is_catalog, first, second = m.group(1), _unquote(m.group(2)), _unquote(m.group(3))
    if is_catalog:
        if second:
            return None
        return (first, None)
    if second:
        return (first, second)
    return (None, first)


_WIDGET = re.compile(
    r"^\s*CREATE\s+WIDGET\s+(TEXT|DROPDOWN|COMBOBOX|MULTISELECT)\s+" + _IDENT +
    r"(?:\s+DEFAULT\s+('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"))?(?:\s+CHOICES\s+(.*))?\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_REMOVE_WIDGET = re.compile(r"^\s*REMOVE\s+WIDGET\s+" + _IDENT + r"\s*;?\s*$", re.IGNORECASE)


def parse_widget_statement(sql):
    """('create', kind, name, default, choices_sql) | ('remove', name) | None."""
    m = _WIDGET.match(sql)
    if m:
        default = m.group(3)
        if default is not None:
            default = re.sub(r"\\(.)", r"\1", default[1:-1])
        return ("create", m.group(1).lower(), _unquote(m.group(2)), default or "", m.group(4))
    m = _REMOVE_WIDGET.match(sql)
    if m:
        return ("remove", _unquote(m.group(1)))
    return None


def quote_table_name(name):
    """``a.b.c`` -> ```a`.`b`.`c```; already back-quoted parts are kept."""
    return ".".join("`%s`" % p.replace("`", "``") for p in _name_parts(name))


def _name_parts(name):
    """``a.`b c`.d`` -> ['a', 'b c', 'd']; ValueError for an empty part."""
    parts, cur, i = [], "", 0
    while i < len(name):
        c = name[i]
        if c == "`":
            j = i + 1
            while j < len(name):
                if name[j] == "`":
                    if j + 1 < len(name) and name[j + 1] == "`":
                        j += 2
                        continue
                    break
                j += 1
            cur += name[i + 1:j].replace("``", "`")
            i = j + 1
        elif c == ".":
            parts.append(cur)
            cur = ""
            i += 1
        else:
            cur += c
            i += 1
    parts.append(cur)
    parts = [p.strip() for p in parts]
    if not all(parts):
        raise ValueError("Invalid table name: %r" % name)
    return parts
