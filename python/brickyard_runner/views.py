"""Temporary views of the notebook session, kept on the client.

The Statement Execution API keeps no session, so ``createOrReplaceTempView`` stores the
DataFrame here and every statement that names the view gets its query as a common table
expression (``WITH name AS (...)``), placed before the statement's query part.
"""

import re

from brickyard_runner import sqltext
from brickyard_runner.column import quote_ident
from brickyard_runner.plan import analysis_error

_QUERY_WORDS = ("SELECT", "WITH", "FROM", "VALUES", "TABLE")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|`(?:[^`]|``)+`|[().]")


def _tokens(sql):
    """(text, start, end) of identifiers, parentheses and dots outside strings and comments."""
    for kind, s, e in sqltext._scan(sql):
        if kind == "quote" and sql[s] == "`":
            yield sql[s:e], s, e
        elif kind == "code":
            for m in _WORD.finditer(sql, s, e):
                yield m.group(0), m.start(), m.end()


def first_keyword(sql):
    for text, _, _ in _tokens(sql):
        return text.upper()
    return ""


def is_query(sql):
    return first_keyword(sql) in _QUERY_WORDS + ("(",)


class TempViews(object):
    def __init__(self):
        self._views = {}  # lower name -> DataFrame

    def register(self, name, df, replace):
        if "." in name:
            raise analysis_error("TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS", "CREATE TEMPORARY VIEW expects a single-part view "
                                 "name, but got: %s." % name)
        if not replace and name.lower() in self._views:
            raise analysis_error("TEMP_TABLE_OR_VIEW_ALREADY_EXISTS", "Cannot create the temporary view %s because it "
                                 "already exists." % quote_ident(name))
        self._views[name.lower()] = df

    def drop(self, name):
        return self._views.pop(name.lower(), None) is not None

    def get(self, name):
        return self._views.get(name.lower())

    def inline(self, sql):
        """(statement, params) with the views it names defined in front of its query."""
        if not self._views:
            return sql, {}
        tokens = list(_tokens(sql))
        used = []
        for i, (text, _, _) in enumerate(tokens):
            name = text[1:-1].replace("``", "`") if text.startswith("`") else text
            prev = tokens[i - 1][0] if i else ""
            nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
            if name.lower() in self._views and prev != "." and nxt not in (".", "(") and name.lower() not in used:
                used.append(name.lower())
        if not used:
            return sql, {}
        params = {}
        ctes = []
        for name in used:
            df = self._views[name]
            params.update(df._params)
            ctes.append("%s AS (\n%s\n)" % (quote_ident(name), df._final_sql()))
        # the query part: the first SELECT or WITH outside parentheses (INSERT ... SELECT, CREATE TABLE ... AS SELECT)
        depth, at = 0, None
        for text, start, _ in tokens:
            if text == "(":
                depth += 1
            elif text == ")":
                depth -= 1
            elif depth == 0 and text.upper() in ("SELECT", "WITH"):
                at = start
                break
        if at is None:
            return sql, {}
        head, rest = sql[:at], sql[at:]
        if first_keyword(rest) == "WITH":
            rest = rest.lstrip()[4:]
            return "%sWITH %s,%s" % (head, ", ".join(ctes), rest), params
        return "%sWITH %s\n%s" % (head, ", ".join(ctes), rest), params

