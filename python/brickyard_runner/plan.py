"""How a lazy DataFrame's columns are named in its SQL, and how column references resolve.

Every DataFrame is one Spark SQL query. Its output columns are *keys*: usually the user-visible
column name itself; a join whose two sides share a name keeps both columns under distinct keys
(``id``, ``id#2``) and renames them back only in the statement an action sends. Each field also
carries *tags*: the ids of the DataFrames it came from and the aliases given with ``df.alias``,
so ``left.id`` / ``col("a.id")`` pick the right column after a join.
"""

import itertools

from brickyard_runner.column import quote_ident
from brickyard_runner.errors import StatementExecutionError

_ids = itertools.count(1)


def next_id():
    return next(_ids)


def subquery(sql):
    """``(sql)``: the newlines keep a trailing ``-- comment`` in user SQL from swallowing the ``)``."""
    return "(\n%s\n)" % sql


class Field(object):
    __slots__ = ("name", "key", "tags")

    def __init__(self, name, key=None, tags=()):
        self.name = name
        self.key = key if key is not None else name
        self.tags = frozenset(tags)

    def renamed(self, name=None, key=None, tags=None):
        return Field(self.name if name is None else name, self.key if key is None else key,
                     self.tags if tags is None else tags)

    def __repr__(self):
        return "Field(%r, %r)" % (self.name, self.key)


def alias_tag(alias):
    return "alias:" + alias.lower()


def unique_keys(names):
    """Distinct SQL keys for output names (duplicates get ``name#2``, ``name#3``)."""
    seen, keys = set(), []
    for name in names:
        key, n = name, 1
        while key.lower() in seen:
            n += 1
            key = "%s#%d" % (name, n)
        seen.add(key.lower())
        keys.append(key)
    return keys


def analysis_error(code, message):
    return StatementExecutionError("[%s] %s" % (code, message), code, None, "FAILED", "42703")


class Scope(object):
    """Resolves column names for expressions evaluated over one or two relations.

    ``entries`` are (relation alias or None, Field); references render as ``alias.`key```.
    """

    def __init__(self, entries):
        self.entries = list(entries)

    @classmethod
    def single(cls, fields, qualifier=None):
        return cls([(qualifier, f) for f in fields])

    def _render(self, entry, rest=()):
        qualifier, field = entry
        text = quote_ident(field.key)
        if qualifier:
            text = "%s.%s" % (qualifier, text)
        for part in rest:
            text += "." + quote_ident(part)
        return text

    def lookup(self, name, df_id=None):
        """The entries a name (``a``, ``t.a``, ```a.b```) denotes."""
        if name.startswith("`") and name.endswith("`") and name.count("`") == 2:
            name = name[1:-1]
        low = name.lower()
        found = [e for e in self.entries if e[1].name.lower() == low]
        rest = ()
        if not found and "." in name:
            qualifier, column = name.split(".", 1)
            tag = alias_tag(qualifier)
            found = [e for e in self.entries if tag in e[1].tags and e[1].name.lower() == column.lower()]
            if not found:  # struct field access: `a.b` on a struct column a
                found = [e for e in self.entries if e[1].name.lower() == qualifier.lower()]
                rest = tuple(column.split("."))
        if df_id is not None and len(found) > 1:
            bound = [e for e in found if df_id in e[1].tags]
            found = bound or found
        return found, rest

    def ref(self, name, df_id=None):
        found, rest = self.lookup(name, df_id)
        if len(found) == 1:
            return self._render(found[0], rest)
        if not found:
            names = ", ".join(quote_ident(e[1].name) for e in self.entries)
            raise analysis_error(
                "UNRESOLVED_COLUMN.WITH_SUGGESTION",
                "A column or function parameter with name %s cannot be resolved. Did you mean one of the "
                "following? [%s]." % (quote_ident(name), names))
        raise analysis_error(
            "AMBIGUOUS_REFERENCE",
            "Reference %s is ambiguous, could be: [%s]." % (quote_ident(name), ", ".join(
                "%s.%s" % (q or "", quote_ident(f.name)) for q, f in found)))

    def field_for(self, column):
        """The Field a bare column reference denotes (None for expressions)."""
        if column._ref is None or column._ref[0] == "*":
            return None
        found, rest = self.lookup(column._ref[0], column._ref[1])
        return found[0][1] if len(found) == 1 and not rest else None

    def star(self, qualifier):
        entries = self.entries
        if qualifier:
            tag = alias_tag(qualifier)
            entries = [e for e in entries if tag in e[1].tags]
        return ", ".join(self._render(e) for e in entries)
