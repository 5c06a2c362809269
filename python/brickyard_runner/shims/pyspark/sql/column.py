"""``pyspark.sql.column`` of the local workspace."""

from brickyard_runner.column import Column  # noqa: F401
