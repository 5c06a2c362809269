"""``pyspark.sql`` of the local workspace."""

from brickyard_runner.column import Column
from brickyard_runner.dataframe import DataFrame
from brickyard_runner.reader import DataFrameReader
from brickyard_runner.relations import GroupedData, NaFunctions as DataFrameNaFunctions
from brickyard_runner.rows import Row
from brickyard_runner.sql import SparkSession
from brickyard_runner.window import Window, WindowSpec
from brickyard_runner.writer import DataFrameWriter
from pyspark.sql import functions, types  # noqa: F401

SQLContext = None  # the pre-2.0 entry point: use SparkSession

__all__ = [
    "Column", "DataFrame", "DataFrameReader", "DataFrameWriter", "DataFrameNaFunctions", "GroupedData", "Row",
    "SparkSession", "Window", "WindowSpec", "functions", "types",
]
