"""``pyspark.errors``: every statement the warehouse refuses raises StatementExecutionError."""

from brickyard_runner.errors import StatementExecutionError

PySparkException = StatementExecutionError
AnalysisException = StatementExecutionError
ParseException = StatementExecutionError
IllegalArgumentException = StatementExecutionError
