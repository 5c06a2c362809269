"""``pyspark.sql.dataframe`` of the local workspace."""

from brickyard_runner.dataframe import DataFrame  # noqa: F401
from brickyard_runner.relations import NaFunctions as DataFrameNaFunctions  # noqa: F401
