"""``pyspark.sql.functions`` of the local workspace.

A function the local workspace lacks still imports (notebooks import many names at the top), and
fails when called, naming itself.
"""

from brickyard_runner import functions as _impl
from brickyard_runner.errors import UnsupportedOperation as _Unsupported
from brickyard_runner.functions import *  # noqa: F401,F403

__all__ = list(_impl.__all__)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)

    def unsupported(*args, **kwargs):
        raise _Unsupported("pyspark.sql.functions.%s is not supported by the local workspace" % name)

    unsupported.__name__ = name
    return unsupported
