# Databricks notebook source
# MAGIC %md
# MAGIC # Silver: clean orders
# MAGIC Drops orders without a positive amount and types the order date.

# COMMAND ----------

dbutils.widgets.text("catalog", "main")
dbutils.widgets.text("schema", "default")
catalog = dbutils.widgets.get("catalog")
schema = dbutils.widgets.get("schema")

# COMMAND ----------

spark.sql(f"""
CREATE OR REPLACE TABLE {catalog}.{schema}.silver_orders AS
SELECT order_id, region, CAST(order_date AS DATE) AS order_date, amount
FROM {catalog}.{schema}.bronze_orders
WHERE amount IS NOT NULL AND amount > 0
""")
rows = spark.table(f"{catalog}.{schema}.silver_orders").count()
print(f"silver_orders: {rows} rows")
dbutils.notebook.exit(str(rows))
