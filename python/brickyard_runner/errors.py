"""Exception types raised by the runner and its dbutils/spark shims.

The class names are what users see in the task's ``error`` string
(``"<ExceptionType>: <message>"``), so several mirror Databricks' names.
"""


class NotebookExit(BaseException):
    """Raised by ``dbutils.notebook.exit``; caught by the runner (private).

    Derives from BaseException so ``except Exception`` in user code does not
    swallow it.
    """

    def __init__(self, value):
        super().__init__(value)
        self.value = value


class TaskTimeout(BaseException):
    """The task exceeded ``timeout_seconds`` from task.json."""


class RunCancelled(BaseException):
    """The runner received SIGTERM/SIGINT (the run was cancelled)."""


class DatabricksApiError(Exception):
    """An HTTP error answered by the workspace API."""

    def __init__(self, status, error_code, message, method="", path=""):
        self.status = status
        self.error_code = error_code
        self.message = message
        self.method = method
        self.path = path
        super().__init__("%s: %s" % (error_code, message))


class StatementExecutionError(Exception):
    """A SQL statement ended FAILED/CANCELED/CLOSED."""

    def __init__(self, message, error_code=None, statement_id=None, state="FAILED", sql_state=None):
        self.message = message
        self.error_code = error_code
        self.statement_id = statement_id
        self.state = state
        self.sql_state = sql_state
        super().__init__(message)


class InputWidgetNotDefined(Exception):
    """Same name as Databricks' com.databricks.dbutils_v1.InputWidgetNotDefined."""


class WorkflowException(Exception):
    """``dbutils.notebook.run`` failed or timed out (Databricks' name)."""


class UnsupportedMagic(Exception):
    """A notebook magic command the local workspace cannot run."""


class ShellCommandFailed(Exception):
    """A ``%sh`` cell exited with a non-zero status."""

    def __init__(self, returncode):
        self.returncode = returncode
        super().__init__("%%sh cell exited with status %d" % returncode)


class NotebookSourceError(Exception):
    """The notebook source could not be parsed or fetched."""


class UnsupportedOperation(NotImplementedError, AttributeError):
    """A PySpark API the local workspace's DataFrame does not provide; the message names it.

    Also an AttributeError, so ``hasattr(df, "rdd")`` answers False instead of raising.
    """
