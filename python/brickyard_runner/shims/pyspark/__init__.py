"""The local workspace's ``pyspark``: re-exports of brickyard_runner (see ../README.md)."""

__version__ = "3.5.0"

from pyspark.sql import Row, SparkSession  # noqa: E402,F401
