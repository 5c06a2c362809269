# Databricks notebook source
# MAGIC %md
# MAGIC # Bronze: raw orders
# MAGIC Lands the raw order records as they arrive, unchanged. Writes to `catalog.schema` from the
# MAGIC widgets: your own schema in development (never a shared one).

# COMMAND ----------

dbutils.widgets.text("catalog", "main")
dbutils.widgets.text("schema", "default")
catalog = dbutils.widgets.get("catalog")
schema = dbutils.widgets.get("schema")
spark.sql(f"CREATE SCHEMA IF NOT EXISTS {catalog}.{schema}")

# COMMAND ----------

spark.sql(f"""
CREATE OR REPLACE TABLE {catalog}.{schema}.bronze_orders (
  order_id INT, region STRING, order_date STRING, amount DOUBLE
)""")
spark.sql(f"""
INSERT INTO {catalog}.{schema}.bronze_orders VALUES
  (1, 'north', '2024-01-01', 120.0),
  (2, 'south', '2024-01-01', 80.5),
  (3, 'north', '2024-01-02', NULL),
  (4, 'east',  '2024-01-02', 42.0),
  (5, 'south', '2024-01-02', -1.0),
  (6, 'north', '2024-01-03', 99.9)
""")
rows = spark.table(f"{catalog}.{schema}.bronze_orders").count()
print(f"bronze_orders: {rows} rows")
dbutils.notebook.exit(str(rows))
