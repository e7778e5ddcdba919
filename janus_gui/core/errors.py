"""Expected failures. Each carries a message fit to show a user as it is."""

from __future__ import annotations


class JanusError(Exception):
    """Base of every error the app reports to a user instead of crashing."""


class IdentifierError(JanusError):
    """A CUSIP-shaped input that is not a valid CUSIP (wrong check digit, bad characters)."""

    def __init__(self, message: str, *, expected_check_digit: str | None = None) -> None:
        super().__init__(message)
        self.expected_check_digit = expected_check_digit


class NotFoundError(JanusError):
    """A named portfolio, class or security is not in the catalog."""


class DataError(JanusError):
    """The bundled database is missing, damaged, altered or of the wrong schema."""


class SchemaVersionError(DataError):
    """The database was built for a different schema version."""


class LotScheduleError(JanusError):
    """A lot schedule or a redemption request cannot be used. ``line`` is 1-based when known."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line
        self.reason = message


class InputError(JanusError):
    """Any other invalid user input (dates, amounts, options)."""
