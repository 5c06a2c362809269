"""The lazy ``pyspark.sql.DataFrame``: transformations build Spark SQL, actions run it.

Like Spark Connect, nothing runs on the warehouse until an action (``collect``, ``count``,
``show``, ``toPandas``, ``write``...). Each transformation wraps the previous query as a subquery;
see ``plan.py`` for how columns are named and resolved, ``actions.py`` for the actions and
``relations.py`` for joins, unions and grouping.
"""

from brickyard_runner.actions import ActionsMixin
from brickyard_runner.column import Column, as_column, col_ref, expr_column, quote_ident
from brickyard_runner.plan import Field, Scope, alias_tag, next_id, subquery, unique_keys
from brickyard_runner.rows import Row  # noqa: F401 - ``from brickyard_runner.dataframe import Row`` keeps working


def flatten(cols):
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        return list(cols[0])
    return list(cols)


class DataFrame(ActionsMixin):
    def __init__(self, session, sql, fields=None, params=None, result=None, order=None):
        self._session = session
        self._query = sql
        self._id = next_id()
        self._known = None if fields is None else [f.renamed(tags=f.tags | {self._id}) for f in fields]
        self._params = dict(params or {})
        self._result = result  # (columns, rows) when the statement already ran (a %sql cell)
        self._order = order  # [(key, "`key` DESC NULLS LAST")] the query ends with, or None
        self._manifest = None

    # -- plumbing -------------------------------------------------------------------
    def _fields(self):
        if self._known is None:
            self._known = [Field(c.name, c.name, {self._id}) for c in self._schema_columns()]
        return self._known

    def _scope(self):
        return Scope.single(self._fields())

    def _new(self, sql, fields, order=None, params=None):
        merged = dict(self._params)
        merged.update(params or {})
        return DataFrame(self._session, sql, fields, merged, order=order)

    def _from(self):
        return " FROM %s AS _t" % subquery(self._query)

    def _carry_order(self, kept_keys):
        """The sort order survives an operation that passes the sort keys through unchanged."""
        if self._order and all(k is not None and k in kept_keys for k, _ in self._order):
            return self._order
        return None

    @staticmethod
    def _order_sql(order):
        return (" ORDER BY " + ", ".join(term for _, term in order)) if order else ""

    def _project(self, items, order=None):
        """items: [(sql, name, tags)] -> SELECT sql AS key ... over this DataFrame."""
        keys = unique_keys([name for _, name, _ in items])
        fields = [Field(name, key, tags) for (_, name, tags), key in zip(items, keys)]
        select = ", ".join("%s AS %s" % (sql, quote_ident(key)) for (sql, _, _), key in zip(items, keys))
        return self._new("SELECT " + select + self._from() + self._order_sql(order), fields, order)

    def _passthrough(self, f):
        return (quote_ident(f.key), f.name, f.tags)

    # -- column access --------------------------------------------------------------------
    def __getitem__(self, item):
        if isinstance(item, str):
            return self._bound(item)
        if isinstance(item, Column):
            return self.filter(item)
        if isinstance(item, (list, tuple)):
            return self.select(*item)
        if isinstance(item, int):
            return self._bound(self.columns[item])
        raise TypeError("unexpected item type: %s" % type(item).__name__)

    def _bound(self, name):
        """``df["x"]``: a reference that remembers this DataFrame (for joins); unknown names fail here."""
        if name != "*":
            self._scope().ref(name)
        return col_ref(name, self._id)

    # -- projections ----------------------------------------------------------------------
    def select(self, *cols):
        scope = self._scope()
        items = []
        for c in flatten(cols):
            if isinstance(c, str) and (c == "*" or c.endswith(".*")):
                qualifier = None if c == "*" else c[:-2]
                tag = alias_tag(qualifier) if qualifier else None
                items.extend(self._passthrough(f) for f in self._fields() if tag is None or tag in f.tags)
                continue
            c = as_column(c)
            if c._ref is not None and c._ref[0] == "*":
                items.extend(self._passthrough(f) for f in self._fields())
                continue
            source = scope.field_for(c)
            items.append((c._sql(scope), c._name, source.tags if source is not None else ()))
        kept = {f.key for f in self._fields() if (quote_ident(f.key), f.name, f.tags) in items}
        return self._project(items, self._carry_order(kept))

    def selectExpr(self, *exprs):
        stars = lambda e: e.strip() == "*" or e.strip().endswith(".*")  # noqa: E731 - expanded by select()
        return self.select(*[e.strip() if stars(e) else expr_column(e) for e in flatten(exprs)])

    def filter(self, condition):
        cond = expr_column(condition) if isinstance(condition, str) else as_column(condition)
        order = self._order
        sql = "SELECT *" + self._from() + " WHERE " + cond._sql(self._scope()) + self._order_sql(order)
        return self._new(sql, self._fields(), order)

    where = filter

    def withColumn(self, colName, col):
        return self.withColumns({colName: col})

    def withColumns(self, *colsMap):
        mapping = colsMap[0] if len(colsMap) == 1 and isinstance(colsMap[0], dict) else {}
        if not mapping and colsMap:
            raise TypeError("withColumns() takes a dict of column name -> Column")
        scope = self._scope()
        items = [self._passthrough(f) for f in self._fields()]
        replaced = set()
        for name, c in mapping.items():
            if not isinstance(c, Column):
                raise TypeError("withColumn(%r, ...): col should be a Column, got %s" % (name, type(c).__name__))
            item = (c._sql(scope), name, ())
            for i, f in enumerate(self._fields()):
                if f.name.lower() == name.lower():
                    items[i] = item
                    replaced.add(f.key)
            if not any(f.name.lower() == name.lower() for f in self._fields()):
                items.append(item)
        kept = {f.key for f in self._fields()} - replaced
        return self._project(items, self._carry_order(kept))

    def withColumnRenamed(self, existing, new):
        return self.withColumnsRenamed({existing: new})

    def withColumnsRenamed(self, colsMap):
        lowered = {k.lower(): v for k, v in colsMap.items()}
        if not any(f.name.lower() in lowered for f in self._fields()):
            return self
        items = [(quote_ident(f.key), lowered.get(f.name.lower(), f.name), f.tags) for f in self._fields()]
        return self._project(items)

    def toDF(self, *cols):
        fields = self._fields()
        if len(cols) != len(fields):
            raise ValueError("toDF: the DataFrame has %d columns, %d names were given" % (len(fields), len(cols)))
        return self._project([(quote_ident(f.key), n, f.tags) for f, n in zip(fields, cols)])

    def drop(self, *cols):
        scope = self._scope()
        dropped = set()
        for c in flatten(cols):
            if isinstance(c, str):
                dropped.update(f.key for f in self._fields() if f.name.lower() == c.lower())
            else:
                f = scope.field_for(as_column(c))
                if f is not None:
                    dropped.add(f.key)
        if not dropped:
            return self
        keep = [f for f in self._fields() if f.key not in dropped]
        return self._project([self._passthrough(f) for f in keep], self._carry_order({f.key for f in keep}))

    def alias(self, alias):
        tag = alias_tag(alias)
        return self._new(self._query, [f.renamed(tags=f.tags | {tag}) for f in self._fields()], self._order)

    # -- rows -------------------------------------------------------------------------------
    def orderBy(self, *cols, **kwargs):
        cols = flatten(cols)
        ascending = kwargs.get("ascending", True)
        if not isinstance(ascending, (list, tuple)):
            ascending = [ascending] * len(cols)
        scope = self._scope()
        order = []
        for c, asc_ in zip(cols, ascending):
            c = as_column(c)
            if c._sort is None and not asc_:
                c = c.desc()
            source = scope.field_for(c)
            order.append((source.key if source is not None else None, c._sort_sql(scope)))
        return self._new("SELECT *" + self._from() + self._order_sql(order), self._fields(), order)

    sort = orderBy

    def limit(self, num):
        order = self._order
        return self._new("SELECT *" + self._from() + self._order_sql(order) + " LIMIT %d" % max(int(num), 0),
                         self._fields(), order)

    def distinct(self):
        return self._new("SELECT DISTINCT *" + self._from(), self._fields())

    def dropDuplicates(self, subset=None):
        if not subset:
            return self.distinct()
        scope = self._scope()
        keys = ", ".join(scope.ref(c) for c in subset)
        inner = "SELECT *, row_number() OVER (PARTITION BY %s ORDER BY %s) AS `_dedup_row`%s" % (keys, keys, self._from())
        select = ", ".join(quote_ident(f.key) for f in self._fields())
        return self._new("SELECT %s FROM %s AS _d WHERE `_dedup_row` = 1" % (select, subquery(inner)), self._fields())

    drop_duplicates = dropDuplicates

    # -- relations (relations.py) ------------------------------------------------------------
    def join(self, other, on=None, how=None):
        from brickyard_runner.relations import join

        return join(self, other, on, how)

    def crossJoin(self, other):
        return self.join(other, how="cross")

    def union(self, other):
        from brickyard_runner.relations import union

        return union(self, other)

    unionAll = union

    def unionByName(self, other, allowMissingColumns=False):
        from brickyard_runner.relations import union_by_name

        return union_by_name(self, other, allowMissingColumns)

    def groupBy(self, *cols):
        from brickyard_runner.relations import GroupedData

        return GroupedData(self, flatten(cols))

    groupby = groupBy

    def agg(self, *exprs):
        return self.groupBy().agg(*exprs)

    @property
    def na(self):
        from brickyard_runner.relations import NaFunctions

        return NaFunctions(self)

    def dropna(self, how="any", thresh=None, subset=None):
        return self.na.drop(how, thresh, subset)

    def fillna(self, value, subset=None):
        return self.na.fill(value, subset)

    # results never change with these hints; the warehouse plans the query itself
    def cache(self):
        return self

    def persist(self, *args, **kwargs):
        return self

    def unpersist(self, *args, **kwargs):
        return self

    def repartition(self, *args, **kwargs):
        return self

    def coalesce(self, numPartitions):
        return self
