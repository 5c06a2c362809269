# Databricks notebook source
# MAGIC %md
# MAGIC # Gold: daily revenue
# MAGIC Revenue and order count per day and region, ready for dashboards.

# COMMAND ----------

dbutils.widgets.text("catalog", "main")
dbutils.widgets.text("schema", "default")
catalog = dbutils.widgets.get("catalog")
schema = dbutils.widgets.get("schema")

# COMMAND ----------

spark.sql(f"""
CREATE OR REPLACE TABLE {catalog}.{schema}.gold_daily_revenue AS
SELECT order_date, region, SUM(amount) AS revenue, COUNT(*) AS order_count
FROM {catalog}.{schema}.silver_orders
GROUP BY order_date, region
""")
gold = spark.sql(f"SELECT * FROM {catalog}.{schema}.gold_daily_revenue ORDER BY order_date, region")
gold.show()
dbutils.notebook.exit(str(gold.count()))
