"""One error hierarchy for everything modelmap reports to a user.

Every message says what is wrong, where (a file:line:column or a JSON path such as
``classifiers[3].C.step.value``) and how to fix it.  The CLI prints ``str(error)``
without a traceback unless ``--debug``/``--break`` is given.
"""

from __future__ import annotations


class ModelmapError(Exception):
    """Base class of every error modelmap raises on purpose."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self._format())

    def _format(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class JobError(ModelmapError):
    """A job file that cannot be read, validated or expanded."""


class PluginError(ModelmapError):
    """A plugin that is unknown, cannot be imported, or breaks the contract."""


class ArgumentError(ModelmapError):
    """An invalid classifier/projection parameter value (raised under ``--strict``)."""


class DataError(ModelmapError):
    """Dataset plugin output or data preparation that cannot be used."""


class StoreError(ModelmapError):
    """The results store cannot be opened, read or written."""


class WorkspaceError(ModelmapError):
    """No workspace where one is needed, or a workspace that is malformed."""


class ArgumentWarning(UserWarning):
    """Warning issued by ``check_argument`` when a value is invalid and the default is used."""
