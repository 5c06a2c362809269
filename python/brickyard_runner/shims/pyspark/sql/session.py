"""``pyspark.sql.session`` of the local workspace."""

from brickyard_runner.sql import SparkSession  # noqa: F401
