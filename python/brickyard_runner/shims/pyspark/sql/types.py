"""``pyspark.sql.types`` of the local workspace."""

from brickyard_runner.rows import Row  # noqa: F401
from brickyard_runner.sqltypes import *  # noqa: F401,F403
from brickyard_runner.sqltypes import __all__ as _types

__all__ = list(_types) + ["Row"]
