"""``pyspark.sql.utils``: the warehouse's statement errors are the AnalysisException users catch."""

from pyspark.errors import AnalysisException, ParseException  # noqa: F401
