"""Every error claimtrace raises on purpose, in one place.

The tree::

    ClaimtraceError                 base: stable ``code``; ``str(err)``: one line, says how to fix
    ├── InputError                  one input (file, feed line, stdin) cannot be extracted
    │   ├── InputNotFoundError
    │   ├── NotRegularFileError     a FIFO, socket or device: never opened (reading could block)
    │   ├── EmptyInputError
    │   ├── InputTooLargeError
    │   ├── BinaryInputError
    │   ├── UndecodableInputError
    │   ├── MalformedFeedLineError
    │   ├── NoMainTextError         an HTML page without extractable body text
    │   ├── InvalidMetadataError    e.g. a ``published`` that is not YYYY-MM-DD
    │   └── StageError              a stage failed on this document (a bug: please report it)
    ├── ConfigError                 a bad flag, setting or config file
    ├── ReviewError                 a review that cannot be made (unknown claim, bad span…)
    └── ModelError                  the language pipeline cannot be loaded

The CLI turns any of these into ``claimtrace: error: <message>`` and a non-zero exit, never a
traceback. Batches catch :class:`InputError` per document, report it and go on.
"""

from __future__ import annotations

__all__ = [
    "BinaryInputError",
    "ClaimtraceError",
    "ConfigError",
    "EmptyInputError",
    "InputError",
    "InputNotFoundError",
    "InputTooLargeError",
    "InvalidMetadataError",
    "MalformedFeedLineError",
    "ModelError",
    "NoMainTextError",
    "NotRegularFileError",
    "ReviewError",
    "StageError",
    "UndecodableInputError",
]


class ClaimtraceError(Exception):
    """Base of every deliberate claimtrace error."""

    code = "E000"

    def __init__(self, message: str) -> None:
        # One line, always: callers print it as is.
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self.args[0])


class InputError(ClaimtraceError):
    """One input could not be turned into an extraction; ``input`` names it."""

    code = "E100"

    def __init__(self, input_name: str, problem: str) -> None:
        self.input = input_name
        self.problem = problem
        super().__init__(f"{input_name}: {problem}")


class InputNotFoundError(InputError):
    code = "E101"


class EmptyInputError(InputError):
    code = "E102"


class InputTooLargeError(InputError):
    code = "E103"


class BinaryInputError(InputError):
    code = "E104"


class UndecodableInputError(InputError):
    code = "E105"


class MalformedFeedLineError(InputError):
    code = "E106"


class NoMainTextError(InputError):
    code = "E107"


class InvalidMetadataError(InputError):
    code = "E108"


class StageError(InputError):
    code = "E109"


class NotRegularFileError(InputError):
    code = "E110"


class ConfigError(ClaimtraceError):
    code = "E200"


class ModelError(ClaimtraceError):
    code = "E300"


class ReviewError(ClaimtraceError):
    """A review of a claim or actor that cannot be made: no such claim or actor, a span outside
    the text, a value the field cannot take."""

    code = "E400"
