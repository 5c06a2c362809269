"""Joins, unions, grouping and null handling of the lazy DataFrame, as Spark SQL."""

from brickyard_runner.column import Column, as_column, lit_sql, quote_ident
from brickyard_runner.errors import UnsupportedOperation
from brickyard_runner.plan import Field, Scope, analysis_error, next_id, subquery, unique_keys
from brickyard_runner.sqltypes import BooleanType, DecimalType, DoubleType, FloatType, StringType, parse_type

_JOIN_TYPES = {
    "inner": "INNER", "cross": "CROSS", "outer": "FULL OUTER", "full": "FULL OUTER", "fullouter": "FULL OUTER",
    "full_outer": "FULL OUTER", "left": "LEFT OUTER", "leftouter": "LEFT OUTER", "left_outer": "LEFT OUTER",
    "right": "RIGHT OUTER", "rightouter": "RIGHT OUTER", "right_outer": "RIGHT OUTER", "semi": "SEMI",
    "leftsemi": "SEMI", "left_semi": "SEMI", "anti": "ANTI", "leftanti": "ANTI", "left_anti": "ANTI",
}


def join(left, right, on, how):
    kind = _JOIN_TYPES.get((how or "inner").lower())
    if kind is None:
        raise ValueError("Unsupported join type '%s'. Supported join types include: %s" % (how, ", ".join(sorted(_JOIN_TYPES))))
    n = next_id()
    la, ra = "_l%d" % n, "_r%d" % n
    lf, rf = left._fields(), right._fields()
    scope = Scope([(la, f) for f in lf] + [(ra, f) for f in rf])
    using = []
    if isinstance(on, str):
        using = [on]
    elif isinstance(on, (list, tuple)) and on and all(isinstance(o, str) for o in on):
        using = list(on)
    if using:
        conds = []
        for name in using:
            lk, rk = Scope.single(lf, la).ref(name), Scope.single(rf, ra).ref(name)
            conds.append("%s = %s" % (lk, rk))
        cond = " AND ".join(conds)
    elif on is None:
        cond = None
    else:
        cols = on if isinstance(on, (list, tuple)) else [on]
        cond = " AND ".join("(%s)" % as_column(c)._sql(scope) for c in cols)
    if kind in ("SEMI", "ANTI"):
        exists = "SELECT 1 FROM %s AS %s" % (subquery(right._query), ra) + (" WHERE " + cond if cond else "")
        select = ", ".join("%s.%s" % (la, quote_ident(f.key)) for f in lf)
        sql = "SELECT %s FROM %s AS %s WHERE %sEXISTS (%s)" % (
            select, subquery(left._query), la, "NOT " if kind == "ANTI" else "", exists)
        return left._new(sql, lf, params=right._params)
    items = []  # (sql, name, tags)
    low_using = [u.lower() for u in using]
    for name in using:  # USING columns come first, once
        lfield = Scope.single(lf, la).lookup(name)[0][0][1]
        rfield = Scope.single(rf, ra).lookup(name)[0][0][1]
        lk, rk = "%s.%s" % (la, quote_ident(lfield.key)), "%s.%s" % (ra, quote_ident(rfield.key))
        value = {"FULL OUTER": "coalesce(%s, %s)" % (lk, rk), "RIGHT OUTER": rk}.get(kind, lk)
        items.append((value, lfield.name, lfield.tags | rfield.tags))
    for alias, fields in ((la, lf), (ra, rf)):
        for f in fields:
            if f.name.lower() not in low_using:
                items.append(("%s.%s" % (alias, quote_ident(f.key)), f.name, f.tags))
    keys = unique_keys([name for _, name, _ in items])
    select = ", ".join("%s AS %s" % (sql, quote_ident(key)) for (sql, _, _), key in zip(items, keys))
    if cond is None and kind != "CROSS":
        kind = "CROSS"
    clause = "%s JOIN %s AS %s" % (kind, subquery(right._query), ra) + (" ON " + cond if cond and kind != "CROSS" else "")
    if cond and kind == "CROSS":
        clause = "INNER JOIN %s AS %s ON %s" % (subquery(right._query), ra, cond)
    sql = "SELECT %s FROM %s AS %s %s" % (select, subquery(left._query), la, clause)
    fields = [Field(name, key, tags) for (_, name, tags), key in zip(items, keys)]
    return left._new(sql, fields, params=right._params)


def _positional(df):
    return "SELECT %s FROM %s AS _u" % (", ".join(quote_ident(f.key) for f in df._fields()), subquery(df._query))


def union(left, right):
    if len(left._fields()) != len(right._fields()):
        raise analysis_error("NUM_COLUMNS_MISMATCH", "UNION can only be performed on inputs with the same number of "
                             "columns, but the first input has %d columns and the second input has %d columns."
                             % (len(left._fields()), len(right._fields())))
    sql = "SELECT * FROM (%s UNION ALL %s) AS _u" % (subquery(_positional(left)), subquery(_positional(right)))
    return left._new(sql, [Field(f.name, f.key) for f in left._fields()], params=right._params)


def union_by_name(left, right, allow_missing=False):
    lf, rf = left._fields(), right._fields()
    rnames = {f.name.lower(): f for f in rf}
    lnames = {f.name.lower() for f in lf}
    missing = [f.name for f in lf if f.name.lower() not in rnames]
    extra = [f for f in rf if f.name.lower() not in lnames]
    if (missing or extra) and not allow_missing:
        name = missing[0] if missing else extra[0].name
        raise analysis_error("NUM_COLUMNS_MISMATCH" if len(lf) != len(rf) else "UNRESOLVED_COLUMN",
                             "Cannot resolve column name %s in the other DataFrame of unionByName "
                             "(pass allowMissingColumns=True to fill it with NULL)." % quote_ident(name))
    left_items = [quote_ident(f.key) for f in lf] + ["NULL" for _ in extra]
    right_items = [quote_ident(rnames[f.name.lower()].key) if f.name.lower() in rnames else "NULL" for f in lf]
    right_items += [quote_ident(f.key) for f in extra]
    names = [f.name for f in lf] + [f.name for f in extra]
    keys = unique_keys(names)

    def side(df, items):
        return "SELECT %s FROM %s AS _u" % (", ".join("%s AS %s" % (i, quote_ident(k)) for i, k in zip(items, keys)),
                                            subquery(df._query))

    sql = "SELECT * FROM (%s UNION ALL %s) AS _u" % (subquery(side(left, left_items)), subquery(side(right, right_items)))
    return left._new(sql, [Field(n, k) for n, k in zip(names, keys)], params=right._params)


class GroupedData(object):
    def __init__(self, df, cols):
        self._df = df
        self._cols = [as_column(c) for c in cols]

    def agg(self, *exprs):
        if len(exprs) == 1 and isinstance(exprs[0], dict):
            from brickyard_runner import functions as F

            exprs = [getattr(F, "avg" if fn == "mean" else fn)(name) if name != "*" or fn != "count"
                     else F.count("*") for name, fn in exprs[0].items()]
        if not exprs:
            raise ValueError("agg() needs at least one aggregate expression")
        df = self._df
        scope = df._scope()
        items = []
        for c in self._cols:
            source = scope.field_for(c)
            items.append((c._sql(scope), c._name, source.tags if source is not None else ()))
        groups = [sql for sql, _, _ in items]
        for e in exprs:
            if not isinstance(e, Column):
                raise TypeError("agg() takes Columns (or one dict), got %r" % (e,))
            items.append((e._sql(scope), e._name, ()))
        keys = unique_keys([name for _, name, _ in items])
        select = ", ".join("%s AS %s" % (sql, quote_ident(key)) for (sql, _, _), key in zip(items, keys))
        sql = "SELECT " + select + df._from() + (" GROUP BY " + ", ".join(groups) if groups else "")
        return df._new(sql, [Field(name, key, tags) for (_, name, tags), key in zip(items, keys)])

    def _each(self, fname, cols):
        from brickyard_runner import functions as F

        if not cols:
            numeric = [f.name for f in self._df.schema.fields if f.dataType.sql() in (
                "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE") or isinstance(f.dataType, DecimalType)]
            grouping = {c._ref[0].lower() for c in self._cols if c._ref is not None}
            cols = [n for n in numeric if n.lower() not in grouping]
        return self.agg(*[getattr(F, fname)(c) for c in cols])

    def count(self):
        from brickyard_runner import functions as F

        return self.agg(F.count("*").alias("count"))

    def sum(self, *cols):
        return self._each("sum", cols)

    def avg(self, *cols):
        return self._each("avg", cols)

    mean = avg

    def min(self, *cols):
        return self._each("min", cols)

    def max(self, *cols):
        return self._each("max", cols)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise UnsupportedOperation("GroupedData.%s is not supported by the local workspace" % name)


class NaFunctions(object):
    def __init__(self, df):
        self._df = df

    def drop(self, how="any", thresh=None, subset=None):
        df = self._df
        scope = df._scope()
        names = [subset] if isinstance(subset, str) else (list(subset) if subset else df.columns)
        refs = [scope.ref(n) for n in names]
        if thresh is not None:
            cond = "(%s) >= %d" % (" + ".join("CASE WHEN %s IS NOT NULL THEN 1 ELSE 0 END" % r for r in refs), int(thresh))
        elif how == "all":
            cond = " OR ".join("%s IS NOT NULL" % r for r in refs)
        elif how == "any":
            cond = " AND ".join("%s IS NOT NULL" % r for r in refs)
        else:
            raise ValueError("how ('%s') should be 'any' or 'all'" % how)
        return df._new("SELECT *" + df._from() + " WHERE " + cond + df._order_sql(df._order), df._fields(), df._order)

    def fill(self, value, subset=None):
        df = self._df
        if isinstance(value, dict):
            targets = {k.lower(): v for k, v in value.items()}
        else:
            if not isinstance(value, (bool, int, float, str)):
                raise TypeError("value should be a float, int, string, bool or dict, got %r" % (value,))
            names = [subset] if isinstance(subset, str) else (list(subset) if subset else None)
            targets = {}
            for f in df.schema.fields:
                if names is not None and f.name.lower() not in [n.lower() for n in names]:
                    continue
                if _fill_applies(value, f.dataType):
                    targets[f.name.lower()] = value
        types = {f.name.lower(): f.dataType.sql() for f in df.schema.fields}
        items = []
        for f in df._fields():
            ref = quote_ident(f.key)
            if f.name.lower() in targets:  # the value takes the column's type, as in PySpark
                filled = "CAST(%s AS %s)" % (lit_sql(targets[f.name.lower()]), types.get(f.name.lower(), "STRING"))
                items.append(("coalesce(%s, %s)" % (ref, filled), f.name, f.tags))
            else:
                items.append((ref, f.name, f.tags))
        return df._project(items, df._order)

    def replace(self, *args, **kwargs):
        raise UnsupportedOperation("DataFrame.na.replace is not supported by the local workspace")


def _fill_applies(value, data_type):
    """PySpark's fillna typing: a string fills string columns, a number numeric ones, a bool boolean ones."""
    if isinstance(value, bool):
        return isinstance(data_type, BooleanType)
    if isinstance(value, (int, float)):
        return data_type.sql() in ("TINYINT", "SMALLINT", "INT", "BIGINT") or isinstance(
            data_type, (FloatType, DoubleType, DecimalType))
    return isinstance(data_type, StringType)


__all__ = ["join", "union", "union_by_name", "GroupedData", "NaFunctions", "parse_type"]
