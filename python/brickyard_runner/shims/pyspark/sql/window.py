"""``pyspark.sql.window`` of the local workspace."""

from brickyard_runner.window import Window, WindowSpec  # noqa: F401
