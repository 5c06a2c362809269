/**
 * Seed 004's course notebooks (shared/seeds/004_…): the `%run ../utils/user_schema_setup` utility,
 * verbatim from the seed, and a week-2 file-ingestion notebook written the way the seed describes
 * `02_week/06_file_ingestion.py` (explicit schemas, CSV and JSON from a volume, reference tables
 * read from sales_dev, bronze → silver → gold written with get_table_path). Used by
 * test/python-runner/seed004.test.ts and bench/seed004-notebook.ts.
 */

function notebook(...cells: string[]): string {
  return '# Databricks notebook source\n' + cells.join('\n\n# COMMAND ----------\n\n') + '\n';
}

export const USER_SCHEMA_SETUP_PATH = '/Shared/course/notebooks/utils/user_schema_setup';
export const INGESTION_PATH = '/Shared/course/notebooks/02_week/06_file_ingestion';

export const USER_SCHEMA_SETUP = notebook(
  `# Automatically creates user-specific schema configuration
import re

CATALOG = "databricks_course"
USER_EMAIL = dbutils.notebook.entry_point.getDbutils().notebook().getContext().userName().get()
USER_SCHEMA = re.sub(r'[^a-zA-Z0-9_]', '_', USER_EMAIL.split('@')[0]).lower()
spark.sql(f"CREATE SCHEMA IF NOT EXISTS {CATALOG}.{USER_SCHEMA}")

def get_table_path(layer, table_name):
    """Build user-specific table path: databricks_course.chanukya_pekala.bronze_table"""
    return f"{CATALOG}.{USER_SCHEMA}.{layer}_{table_name}"`,
  `def get_schema_path():
    return f"{CATALOG}.{USER_SCHEMA}"

def print_user_config():
    print(f"Catalog: {CATALOG}")
    print(f"User: {USER_EMAIL}")
    print(f"Schema: {get_schema_path()}")`,
);

export const INGESTION = notebook(
  `# MAGIC %md
# MAGIC # 06 - File ingestion: CSV, JSON with explicit schemas`,
  `# MAGIC %run ../utils/user_schema_setup`,
  `from pyspark.sql import functions as F
from pyspark.sql.types import StructType, StructField, StringType, IntegerType, DoubleType, DateType
print_user_config()
LANDING = "/Volumes/sales_dev/bronze/landing"`,
  `sales_schema = StructType([
    StructField("transaction_id", IntegerType(), False),
    StructField("customer_id", StringType(), True),
    StructField("product", StringType(), True),
    StructField("quantity", IntegerType(), True),
    StructField("unit_price", DoubleType(), True),
    StructField("transaction_date", DateType(), True),
])
sales_raw = (spark.read.format("csv")
    .option("header", "true")
    .schema(sales_schema)
    .load(f"{LANDING}/sales.csv"))
sales_bronze = (sales_raw
    .withColumn("ingestion_timestamp", F.current_timestamp())
    .withColumn("source_file", F.lit("sales.csv")))
print(f"Rows read: {sales_bronze.count()}")
sales_bronze.printSchema()`,
  `# data quality: rows without a customer or a price are kept in bronze and counted
quality = sales_bronze.select(
    F.sum(F.when(F.col("customer_id").isNull(), 1).otherwise(0)).alias("missing_customer"),
    F.sum(F.when(F.col("unit_price").isNull(), 1).otherwise(0)).alias("missing_price"),
).first()
print(f"missing customer: {quality.missing_customer}, missing price: {quality.missing_price}")
output_table = get_table_path("bronze", "sales_transactions")
sales_bronze.write.mode("overwrite").saveAsTable(output_table)`,
  `customers_schema = "customer_id STRING, name STRING, country STRING"
customers = spark.read.schema(customers_schema).json(f"{LANDING}/customers.json")
customers.write.mode("overwrite").saveAsTable(get_table_path("bronze", "customers"))`,
  `# Read from shared reference catalog (no conflicts)
df = spark.table("sales_dev.bronze.sales_transactions")

# Write to user's isolated schema
output_table = get_table_path("bronze", "reference_transactions")
df.write.mode("overwrite").saveAsTable(output_table)`,
  `bronze = spark.table(get_table_path("bronze", "sales_transactions"))
silver = (bronze
    .filter(F.col("customer_id").isNotNull())
    .withColumn("customer_id", F.upper(F.trim(F.col("customer_id"))))
    .withColumn("unit_price", F.coalesce(F.col("unit_price"), F.lit(0.0)))
    .withColumn("revenue", F.round(F.col("quantity") * F.col("unit_price"), 2))
    .dropDuplicates(["transaction_id"])
    .join(spark.table(get_table_path("bronze", "customers")).withColumn("customer_id", F.upper("customer_id")), "customer_id", "left")
    .select("transaction_id", "customer_id", "name", "country", "product", "quantity", "revenue", "transaction_date"))
silver.write.mode("overwrite").saveAsTable(get_table_path("silver", "sales_cleaned"))`,
  `gold = (spark.table(get_table_path("silver", "sales_cleaned"))
    .groupBy("transaction_date")
    .agg(F.count("*").alias("transactions"), F.round(F.sum("revenue"), 2).alias("revenue"), F.countDistinct("customer_id").alias("customers"))
    .orderBy("transaction_date"))
gold.write.mode("overwrite").saveAsTable(get_table_path("gold", "daily_summary"))
display(spark.table(get_table_path("gold", "daily_summary")).orderBy("transaction_date"))`,
  `import json
tables = [r.tableName for r in spark.sql(f"SHOW TABLES IN {get_schema_path()}").collect()]
dbutils.notebook.exit(json.dumps({"schema": get_schema_path(), "tables": sorted(tables)}))`,
);

/** The shared reference data the notebook reads (run as the admin before the notebook). */
export const REFERENCE_SETUP = [
  'CREATE CATALOG IF NOT EXISTS databricks_course',
  'CREATE CATALOG IF NOT EXISTS sales_dev',
  'CREATE SCHEMA IF NOT EXISTS sales_dev.bronze',
  'CREATE VOLUME IF NOT EXISTS sales_dev.bronze.landing',
  `CREATE OR REPLACE TABLE sales_dev.bronze.sales_transactions AS SELECT * FROM (VALUES
    (100, 'c1', 'widget', 2, CAST(3.5 AS DOUBLE)), (101, 'c2', 'gadget', 1, CAST(10.0 AS DOUBLE))
  ) AS t(transaction_id, customer_id, product, quantity, unit_price)`,
];

/** Landing files: sales.csv has a duplicate, a row without customer and one without price. */
export function landingFiles(rows = 6): Record<string, string> {
  const products = ['widget', 'gadget', 'gizmo'];
  const lines = ['transaction_id,customer_id,product,quantity,unit_price,transaction_date'];
  for (let i = 1; i <= rows; i++) {
    const customer = i % 5 === 0 ? '' : ` c${(i % 3) + 1} `;
    const price = i % 4 === 0 ? '' : (1.25 * ((i % 7) + 1)).toFixed(2);
    lines.push(`${i},${customer},${products[i % 3]},${(i % 3) + 1},${price},2024-01-0${(i % 3) + 1}`);
  }
  lines.push(lines[1]!); // a duplicate of the first transaction
  return {
    '/Volumes/sales_dev/bronze/landing/sales.csv': lines.join('\n') + '\n',
    '/Volumes/sales_dev/bronze/landing/customers.json':
      '{"customer_id":"c1","name":"Ada","country":"FI"}\n{"customer_id":"c2","name":"Grace","country":"US"}\n{"customer_id":"c3","name":"Linus","country":"FI"}\n',
  };
}
