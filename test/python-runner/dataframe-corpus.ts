/**
 * DataFrame snippets and the Spark SQL each should equal. `df` is a Python expression evaluated in
 * a notebook where `orders`, `customers` (spark.table), `F`, `Row`, `Window` and the
 * pyspark.sql.types names are defined; `sql` runs through spark.sql in the same notebook.
 * `ordered` cases compare rows in order, the others as multisets.
 */
export interface DataFrameCase {
  id: string;
  df: string;
  sql: string;
  ordered?: boolean;
  /** compare only the rows, not the column names */
  rowsOnly?: boolean;
}

/** The tables the corpus reads, created by the test before the notebook runs. */
export const CORPUS_SETUP = [
  'CREATE CATALOG IF NOT EXISTS dfq',
  'CREATE SCHEMA IF NOT EXISTS dfq.sales',
  `CREATE OR REPLACE TABLE dfq.sales.orders AS SELECT order_id, customer, CAST(amount AS DOUBLE) AS amount, region, order_date FROM (VALUES
    (1, 'alice', 10.5, 'north', DATE'2024-01-05'),
    (2, 'bob', NULL, 'south', DATE'2024-01-06'),
    (3, ' Carol ', 7.25, 'north', DATE'2024-02-01'),
    (4, 'dave', 20.0, NULL, DATE'2024-02-10'),
    (5, 'alice', 3.0, 'south', DATE'2024-03-15'),
    (6, 'erin', 12.0, 'east', NULL)
  ) AS t(order_id, customer, amount, region, order_date)`,
  `CREATE OR REPLACE TABLE dfq.sales.customers AS SELECT * FROM (VALUES
    ('alice', 'gold'), ('bob', 'silver'), ('zoe', 'bronze')
  ) AS t(customer, tier)`,
  'CREATE VOLUME IF NOT EXISTS dfq.sales.landing',
];

export const CORPUS_FILES: Record<string, string> = {
  '/Volumes/dfq/sales/landing/people.csv': 'id,name,score\n1,ada,9.5\n2,grace,\n3,linus,7\n',
  '/Volumes/dfq/sales/landing/events.json': '{"kind":"click","n":3}\n{"kind":"view","n":5}\n',
};

export const DATAFRAME_CASES: DataFrameCase[] = [
  // createDataFrame: rows, tuples, dicts, schemas
  { id: 'create-rows', df: `spark.createDataFrame([Row(id=1, name="a"), Row(id=2, name=None)])`, sql: `SELECT * FROM (VALUES (CAST(1 AS BIGINT), 'a'), (2, NULL)) AS t(id, name)` },
  { id: 'create-tuples-ddl', df: `spark.createDataFrame([(1, "x", 2.5), (2, "y", None)], "id INT, tag STRING, v DOUBLE")`, sql: `SELECT * FROM (VALUES (1, 'x', CAST(2.5 AS DOUBLE)), (2, 'y', NULL)) AS t(id, tag, v)` },
  { id: 'create-dicts', df: `spark.createDataFrame([{"b": 1, "a": "p"}, {"b": 2, "a": "q"}])`, sql: `SELECT * FROM (VALUES ('p', CAST(1 AS BIGINT)), ('q', 2)) AS t(a, b)` },
  {
    id: 'create-structtype',
    df: `spark.createDataFrame([("2024-01-01", 3)], StructType([StructField("d", DateType()), StructField("n", IntegerType())]))`,
    sql: `SELECT DATE'2024-01-01' AS d, 3 AS n`,
  },
  { id: 'create-names', df: `spark.createDataFrame([(1, True), (2, False)], ["k", "flag"])`, sql: `SELECT * FROM (VALUES (CAST(1 AS BIGINT), true), (2, false)) AS t(k, flag)` },
  { id: 'create-empty', df: `spark.createDataFrame([], "a INT, b STRING")`, sql: `SELECT CAST(NULL AS INT) AS a, CAST(NULL AS STRING) AS b LIMIT 0` },
  { id: 'create-quote', df: `spark.createDataFrame([("it's", "a\\\\b")], "s STRING, t STRING")`, sql: `SELECT 'it\\'s' AS s, 'a\\\\b' AS t` },
  { id: 'range', df: `spark.range(1, 10, 3).withColumn("sq", F.col("id") * F.col("id"))`, sql: `SELECT id, id * id AS sq FROM range(1, 10, 3)` },
  // reading
  { id: 'table', df: `spark.table("dfq.sales.orders")`, sql: `SELECT * FROM dfq.sales.orders` },
  { id: 'read-table', df: `spark.read.table("dfq.sales.customers")`, sql: `SELECT * FROM dfq.sales.customers` },
  {
    id: 'read-csv-schema',
    df: `spark.read.format("csv").option("header", True).schema("id INT, name STRING, score DOUBLE").load("/Volumes/dfq/sales/landing/people.csv")`,
    sql: `SELECT CAST(id AS INT) AS id, name, CAST(score AS DOUBLE) AS score FROM read_files('/Volumes/dfq/sales/landing/people.csv', format => 'csv', header => true)`,
  },
  {
    id: 'read-csv-infer',
    df: `spark.read.options(header="true", inferSchema="true").csv("/Volumes/dfq/sales/landing/people.csv")`,
    sql: `SELECT id, name, score FROM read_files('/Volumes/dfq/sales/landing/people.csv', format => 'csv', header => true)`,
  },
  {
    id: 'read-csv-dbfs-volume-path',
    df: `spark.read.csv("dbfs:/Volumes/dfq/sales/landing/people.csv", header=True, inferSchema=True).select("name")`,
    sql: `SELECT name FROM read_files('/Volumes/dfq/sales/landing/people.csv', format => 'csv', header => true)`,
  },
  { id: 'read-json', df: `spark.read.json("/Volumes/dfq/sales/landing/events.json")`, sql: `SELECT kind, n FROM read_files('/Volumes/dfq/sales/landing/events.json', format => 'json')` },
  // projections
  { id: 'select-names', df: `orders.select("order_id", "customer")`, sql: `SELECT order_id, customer FROM dfq.sales.orders` },
  { id: 'select-columns', df: `orders.select(F.col("order_id"), orders.amount, orders["region"].alias("r"))`, sql: `SELECT order_id, amount, region AS r FROM dfq.sales.orders` },
  { id: 'select-star-expr', df: `orders.select("*", (F.col("amount") * 2).alias("double_amount"))`, sql: `SELECT *, amount * 2 AS double_amount FROM dfq.sales.orders` },
  { id: 'selectExpr', df: `orders.selectExpr("order_id", "amount + 1 AS plus_one", "upper(customer) AS u")`, sql: `SELECT order_id, amount + 1 AS plus_one, upper(customer) AS u FROM dfq.sales.orders` },
  { id: 'selectExpr-star', df: `orders.selectExpr("*", "order_id * 2 AS twice")`, sql: `SELECT *, order_id * 2 AS twice FROM dfq.sales.orders` },
  { id: 'withColumn-new', df: `orders.withColumn("big", F.col("amount") > 10)`, sql: `SELECT *, amount > 10 AS big FROM dfq.sales.orders` },
  { id: 'withColumn-replace', df: `orders.withColumn("amount", F.coalesce(F.col("amount"), F.lit(0.0)))`, sql: `SELECT order_id, customer, coalesce(amount, 0.0) AS amount, region, order_date FROM dfq.sales.orders` },
  { id: 'withColumnRenamed', df: `orders.withColumnRenamed("customer", "who").select("order_id", "who")`, sql: `SELECT order_id, customer AS who FROM dfq.sales.orders` },
  { id: 'drop', df: `orders.drop("amount", "order_date")`, sql: `SELECT order_id, customer, region FROM dfq.sales.orders` },
  { id: 'cast', df: `orders.select(F.col("order_id").cast("string").alias("s"), F.col("amount").cast(IntegerType()).alias("i"))`, sql: `SELECT CAST(order_id AS STRING) AS s, CAST(amount AS INT) AS i FROM dfq.sales.orders` },
  // filters
  { id: 'filter-column', df: `orders.filter(F.col("amount") > 5)`, sql: `SELECT * FROM dfq.sales.orders WHERE amount > 5` },
  { id: 'where-string', df: `orders.where("region = 'north' AND amount IS NOT NULL")`, sql: `SELECT * FROM dfq.sales.orders WHERE region = 'north' AND amount IS NOT NULL` },
  { id: 'filter-bool-ops', df: `orders.filter((F.col("region") == "south") | ~(F.col("amount") < 12))`, sql: `SELECT * FROM dfq.sales.orders WHERE region = 'south' OR NOT (amount < 12)` },
  { id: 'filter-isin-between', df: `orders.filter(F.col("customer").isin("alice", "bob") & F.col("order_id").between(2, 5))`, sql: `SELECT * FROM dfq.sales.orders WHERE customer IN ('alice', 'bob') AND order_id BETWEEN 2 AND 5` },
  { id: 'filter-like-null', df: `orders.filter(F.col("customer").like("a%") | F.col("region").isNull())`, sql: `SELECT * FROM dfq.sales.orders WHERE customer LIKE 'a%' OR region IS NULL` },
  { id: 'filter-isNotNull-ne', df: `orders.filter(F.col("amount").isNotNull() & (F.col("customer") != "alice"))`, sql: `SELECT * FROM dfq.sales.orders WHERE amount IS NOT NULL AND customer <> 'alice'` },
  { id: 'df-getitem-filter', df: `orders[orders.order_id >= 4]`, sql: `SELECT * FROM dfq.sales.orders WHERE order_id >= 4` },
  // aggregation
  {
    id: 'groupBy-agg',
    df: `orders.groupBy("region").agg(F.sum("amount").alias("total"), F.count("*").alias("n"), F.avg("amount").alias("mean"), F.min("order_id").alias("lo"), F.max("order_id").alias("hi"))`,
    sql: `SELECT region, sum(amount) AS total, count(*) AS n, avg(amount) AS mean, min(order_id) AS lo, max(order_id) AS hi FROM dfq.sales.orders GROUP BY region`,
  },
  { id: 'groupBy-count', df: `orders.groupBy("customer").count()`, sql: `SELECT customer, count(*) AS count FROM dfq.sales.orders GROUP BY customer` },
  { id: 'groupBy-sum-shortcut', df: `orders.groupBy("region").sum("amount")`, sql: `SELECT region, sum(amount) AS \`sum(amount)\` FROM dfq.sales.orders GROUP BY region` },
  { id: 'groupBy-dict', df: `orders.groupBy("region").agg({"amount": "max"})`, sql: `SELECT region, max(amount) AS \`max(amount)\` FROM dfq.sales.orders GROUP BY region` },
  { id: 'agg-global', df: `orders.agg(F.countDistinct("customer").alias("c"), F.mean("amount").alias("m"))`, sql: `SELECT count(DISTINCT customer) AS c, avg(amount) AS m FROM dfq.sales.orders` },
  { id: 'groupBy-two-keys', df: `orders.groupBy(F.col("region"), F.year("order_date").alias("y")).agg(F.round(F.sum("amount"), 1).alias("s"))`, sql: `SELECT region, year(order_date) AS y, round(sum(amount), 1) AS s FROM dfq.sales.orders GROUP BY region, year(order_date)` },
  // joins
  { id: 'join-inner-name', df: `orders.join(customers, "customer")`, sql: `SELECT o.customer, o.order_id, o.amount, o.region, o.order_date, c.tier FROM dfq.sales.orders o JOIN dfq.sales.customers c ON o.customer = c.customer` },
  { id: 'join-left-list', df: `orders.join(customers, ["customer"], "left").select("order_id", "tier")`, sql: `SELECT o.order_id, c.tier FROM dfq.sales.orders o LEFT JOIN dfq.sales.customers c ON o.customer = c.customer` },
  { id: 'join-right', df: `orders.join(customers, "customer", "right").select("customer", "order_id")`, sql: `SELECT c.customer, o.order_id FROM dfq.sales.orders o RIGHT JOIN dfq.sales.customers c ON o.customer = c.customer` },
  { id: 'join-full', df: `orders.join(customers, "customer", "outer").select("customer", "order_id", "tier")`, sql: `SELECT coalesce(o.customer, c.customer) AS customer, o.order_id, c.tier FROM dfq.sales.orders o FULL OUTER JOIN dfq.sales.customers c ON o.customer = c.customer` },
  { id: 'join-column-cond', df: `orders.join(customers, orders.customer == customers.customer, "inner").select(orders.order_id, customers.customer, customers.tier)`, sql: `SELECT o.order_id, c.customer, c.tier FROM dfq.sales.orders o JOIN dfq.sales.customers c ON o.customer = c.customer` },
  { id: 'join-alias', df: `orders.alias("o").join(customers.alias("c"), F.col("o.customer") == F.col("c.customer"), "left").select("o.order_id", "c.tier")`, sql: `SELECT o.order_id, c.tier FROM dfq.sales.orders o LEFT JOIN dfq.sales.customers c ON o.customer = c.customer` },
  { id: 'join-semi', df: `orders.join(customers, "customer", "left_semi")`, sql: `SELECT * FROM dfq.sales.orders o WHERE EXISTS (SELECT 1 FROM dfq.sales.customers c WHERE c.customer = o.customer)` },
  { id: 'join-anti', df: `orders.join(customers, "customer", "left_anti")`, sql: `SELECT * FROM dfq.sales.orders o WHERE NOT EXISTS (SELECT 1 FROM dfq.sales.customers c WHERE c.customer = o.customer)` },
  { id: 'join-cross', df: `customers.select("tier").crossJoin(customers.select("customer"))`, sql: `SELECT a.tier, b.customer FROM dfq.sales.customers a CROSS JOIN dfq.sales.customers b` },
  // ordering, limits, duplicates
  { id: 'orderBy-desc-limit', df: `orders.orderBy(F.desc("amount")).limit(3).select("order_id")`, sql: `SELECT order_id FROM dfq.sales.orders ORDER BY amount DESC NULLS LAST LIMIT 3`, ordered: true },
  { id: 'sort-asc-nulls-first', df: `orders.sort("region", F.col("order_id").desc()).select("region", "order_id")`, sql: `SELECT region, order_id FROM dfq.sales.orders ORDER BY region ASC NULLS FIRST, order_id DESC`, ordered: true },
  { id: 'orderBy-ascending-false', df: `orders.orderBy("order_id", ascending=False).select("order_id")`, sql: `SELECT order_id FROM dfq.sales.orders ORDER BY order_id DESC`, ordered: true },
  { id: 'distinct', df: `orders.select("customer").distinct()`, sql: `SELECT DISTINCT customer FROM dfq.sales.orders` },
  { id: 'dropDuplicates', df: `orders.dropDuplicates(["customer"]).select("customer")`, sql: `SELECT DISTINCT customer FROM dfq.sales.orders` },
  { id: 'limit', df: `orders.orderBy("order_id").limit(2)`, sql: `SELECT * FROM dfq.sales.orders ORDER BY order_id LIMIT 2`, ordered: true },
  // unions
  { id: 'union', df: `customers.union(customers)`, sql: `SELECT * FROM dfq.sales.customers UNION ALL SELECT * FROM dfq.sales.customers` },
  { id: 'unionAll', df: `customers.select("tier").unionAll(orders.select("region"))`, sql: `SELECT tier FROM dfq.sales.customers UNION ALL SELECT region FROM dfq.sales.orders` },
  { id: 'unionByName', df: `customers.unionByName(customers.select("tier", "customer"))`, sql: `SELECT customer, tier FROM dfq.sales.customers UNION ALL SELECT customer, tier FROM dfq.sales.customers` },
  {
    id: 'unionByName-missing',
    df: `customers.unionByName(orders.select("customer", "order_id"), allowMissingColumns=True)`,
    sql: `SELECT customer, tier, NULL AS order_id FROM dfq.sales.customers UNION ALL SELECT customer, NULL, order_id FROM dfq.sales.orders`,
  },
  // nulls
  { id: 'na-drop', df: `orders.na.drop()`, sql: `SELECT * FROM dfq.sales.orders WHERE amount IS NOT NULL AND region IS NOT NULL AND order_date IS NOT NULL` },
  { id: 'dropna-subset', df: `orders.dropna(subset=["region"])`, sql: `SELECT * FROM dfq.sales.orders WHERE region IS NOT NULL` },
  { id: 'dropna-all', df: `orders.select("amount", "region").dropna(how="all")`, sql: `SELECT amount, region FROM dfq.sales.orders WHERE amount IS NOT NULL OR region IS NOT NULL` },
  { id: 'fillna-number', df: `orders.fillna(0)`, sql: `SELECT order_id, customer, coalesce(amount, 0.0) AS amount, region, order_date FROM dfq.sales.orders` },
  { id: 'fillna-string', df: `orders.fillna("unknown")`, sql: `SELECT order_id, customer, amount, coalesce(region, 'unknown') AS region, order_date FROM dfq.sales.orders` },
  { id: 'na-fill-dict', df: `orders.na.fill({"amount": -1, "region": "?"})`, sql: `SELECT order_id, customer, coalesce(amount, -1.0) AS amount, coalesce(region, '?') AS region, order_date FROM dfq.sales.orders` },
  // functions
  {
    id: 'string-functions',
    df: `orders.select(F.upper("customer").alias("u"), F.lower(F.col("region")).alias("l"), F.trim("customer").alias("t"), F.ltrim("customer").alias("lt"), F.rtrim("customer").alias("rt"), F.length("customer").alias("n"), F.substring("customer", 1, 2).alias("sub"))`,
    sql: `SELECT upper(customer) AS u, lower(region) AS l, trim(customer) AS t, ltrim(customer) AS lt, rtrim(customer) AS rt, length(customer) AS n, substring(customer, 1, 2) AS sub FROM dfq.sales.orders`,
  },
  {
    id: 'concat-regexp',
    df: `orders.select(F.concat(F.col("customer"), F.lit("-"), F.col("region")).alias("c"), F.concat_ws("/", "customer", "region").alias("ws"), F.regexp_replace("customer", "[aeiou]", "_").alias("r"))`,
    sql: `SELECT concat(customer, '-', region) AS c, concat_ws('/', customer, region) AS ws, regexp_replace(customer, '[aeiou]', '_') AS r FROM dfq.sales.orders`,
  },
  {
    id: 'math-functions',
    df: `orders.select(F.round(F.col("amount") / 3, 2).alias("r"), F.abs(F.col("amount") - 15).alias("a"), (F.col("order_id") % 2).alias("m"), (-F.col("order_id")).alias("neg"))`,
    sql: `SELECT round(amount / 3, 2) AS r, abs(amount - 15) AS a, order_id % 2 AS m, -order_id AS neg FROM dfq.sales.orders`,
  },
  {
    id: 'date-functions',
    df: `orders.select(F.year("order_date").alias("y"), F.month("order_date").alias("m"), F.dayofmonth("order_date").alias("d"), F.to_date(F.lit("2024-05-06")).alias("td"), F.to_timestamp(F.lit("2024-05-06 07:08:09")).alias("ts"))`,
    sql: `SELECT year(order_date) AS y, month(order_date) AS m, dayofmonth(order_date) AS d, to_date('2024-05-06') AS td, to_timestamp('2024-05-06 07:08:09') AS ts FROM dfq.sales.orders`,
  },
  {
    id: 'split-date-patterns',
    df: `orders.select(F.split("customer", "[ln]").alias("s"), F.date_format("order_date", "yyyy-MM").alias("ym"), F.to_date(F.lit("05/01/2024"), "dd/MM/yyyy").alias("td"), F.to_timestamp(F.lit("2024-05-06 07:08"), "yyyy-MM-dd HH:mm").alias("ts"))`,
    sql: `SELECT split(customer, '[ln]') AS s, date_format(order_date, 'yyyy-MM') AS ym, to_date('05/01/2024', 'dd/MM/yyyy') AS td, to_timestamp('2024-05-06 07:08', 'yyyy-MM-dd HH:mm') AS ts FROM dfq.sales.orders`,
  },
  {
    id: 'current-time',
    df: `orders.select(F.current_date().isNotNull().alias("d"), F.current_timestamp().isNotNull().alias("t")).limit(1)`,
    sql: `SELECT current_date() IS NOT NULL AS d, current_timestamp() IS NOT NULL AS t`,
  },
  {
    id: 'when-otherwise',
    df: `orders.select("order_id", F.when(F.col("amount") >= 10, "big").when(F.col("amount").isNull(), "none").otherwise("small").alias("size"))`,
    sql: `SELECT order_id, CASE WHEN amount >= 10 THEN 'big' WHEN amount IS NULL THEN 'none' ELSE 'small' END AS size FROM dfq.sales.orders`,
  },
  { id: 'when-no-otherwise', df: `orders.select(F.when(F.col("region") == "north", 1).alias("n"))`, sql: `SELECT CASE WHEN region = 'north' THEN 1 END AS n FROM dfq.sales.orders` },
  { id: 'isnull-fns', df: `orders.select(F.isnull("region").alias("a"), F.isnotnull("amount").alias("b"), F.coalesce("region", F.lit("none")).alias("c"))`, sql: `SELECT isnull(region) AS a, isnotnull(amount) AS b, coalesce(region, 'none') AS c FROM dfq.sales.orders` },
  { id: 'expr', df: `orders.select(F.expr("order_id * 10").alias("x"), F.expr("amount IS NULL AS missing"))`, sql: `SELECT order_id * 10 AS x, amount IS NULL AS missing FROM dfq.sales.orders` },
  { id: 'lit-types', df: `orders.limit(1).select(F.lit(1).alias("i"), F.lit(2.5).alias("d"), F.lit("s").alias("s"), F.lit(True).alias("b"), F.lit(None).alias("n"))`, sql: `SELECT 1 AS i, CAST(2.5 AS DOUBLE) AS d, 's' AS s, true AS b, NULL AS n` },
  // windows
  {
    id: 'window-row-number',
    df: `orders.withColumn("rn", F.row_number().over(Window.partitionBy("region").orderBy(F.col("order_id").desc()))).select("order_id", "rn")`,
    sql: `SELECT order_id, row_number() OVER (PARTITION BY region ORDER BY order_id DESC) AS rn FROM dfq.sales.orders`,
  },
  {
    id: 'window-rank-running-sum',
    df: `orders.select("order_id", F.rank().over(Window.orderBy("customer")).alias("rk"), F.sum("order_id").over(Window.orderBy("order_id").rowsBetween(Window.unboundedPreceding, Window.currentRow)).alias("run"))`,
    sql: `SELECT order_id, rank() OVER (ORDER BY customer) AS rk, sum(order_id) OVER (ORDER BY order_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run FROM dfq.sales.orders`,
  },
  // temporary views and spark.sql over DataFrames
  { id: 'temp-view-sql', df: `spark.sql("SELECT tier, count(*) AS n FROM tiers GROUP BY tier")`, sql: `SELECT tier, count(*) AS n FROM dfq.sales.customers GROUP BY tier` },
  { id: 'temp-view-table', df: `spark.table("tiers").filter("tier <> 'gold'")`, sql: `SELECT * FROM dfq.sales.customers WHERE tier <> 'gold'` },
  { id: 'sql-then-dataframe', df: `spark.sql("SELECT * FROM dfq.sales.orders WHERE amount > :m", args={"m": 5}).groupBy("region").count()`, sql: `SELECT region, count(*) AS count FROM dfq.sales.orders WHERE amount > 5 GROUP BY region` },
  // chains typical of a silver layer
  {
    id: 'silver-chain',
    df: `(orders.filter(F.col("order_id").isNotNull()).withColumn("customer", F.lower(F.trim(F.col("customer")))).withColumn("amount", F.coalesce("amount", F.lit(0.0))).dropDuplicates(["order_id"]).groupBy("customer").agg(F.round(F.sum("amount"), 2).alias("revenue"), F.count("*").alias("orders")).orderBy(F.desc("revenue"), "customer"))`,
    sql: `SELECT lower(trim(customer)) AS customer, round(sum(coalesce(amount, 0.0)), 2) AS revenue, count(*) AS orders FROM dfq.sales.orders WHERE order_id IS NOT NULL GROUP BY lower(trim(customer)) ORDER BY revenue DESC, customer`,
    ordered: true,
  },
];

/** Expressions that must fail with an error naming what is unsupported. */
export const REFUSED_CASES: Array<{ id: string; code: string; message: RegExp }> = [
  { id: 'rdd', code: `orders.rdd`, message: /^UnsupportedOperation: DataFrame\.rdd is not supported by the local workspace$/ },
  { id: 'explode', code: `orders.select(F.explode("customer"))`, message: /pyspark\.sql\.functions\.explode is not supported by the local workspace/ },
  { id: 'pivot', code: `orders.groupBy("region").pivot("customer")`, message: /GroupedData\.pivot is not supported by the local workspace/ },
  { id: 'partitionBy', code: `orders.write.partitionBy("region").saveAsTable("dfq.sales.p")`, message: /DataFrameWriter\.partitionBy is not supported by the local workspace/ },
  { id: 'write-parquet-path', code: `orders.write.parquet("/Volumes/dfq/sales/landing/out")`, message: /DataFrameWriter\.parquet is not supported by the local workspace/ },
  // built here, refused by the local warehouse (its error names them): see the runner README
  { id: 'split-limit', code: `orders.select(F.split("customer", "l", 2)).collect()`, message: /does not support split\(\) with a positive or non-literal limit/ },
  { id: 'date_format-zone', code: `orders.select(F.date_format("order_date", "yyyy-MM-dd z")).collect()`, message: /does not support the datetime pattern letters "z" in date_format/ },
  { id: 'csv-all-strings', code: `spark.read.option("header", True).csv("/Volumes/dfq/sales/landing/people.csv")`, message: /does not support read_files with inferSchema => false/ },
  { id: 'unknown-column', code: `orders.select("nope").collect()`, message: /UNRESOLVED_COLUMN.*`nope`/ },
  { id: 'ambiguous', code: `orders.join(customers, orders.customer == customers.customer).select("customer").collect()`, message: /AMBIGUOUS_REFERENCE/ },
];
