"""The package's exceptions: one family, each message says what happened and what to do next."""

from __future__ import annotations


class KzegovDataError(Exception):
    """Base class of every expected failure; the CLI prints it in one or two lines, no traceback."""


class FetchError(KzegovDataError):
    """A raw file could not be obtained (network fault, refused download, missing mirror file)."""


class SourceUnavailable(FetchError):
    """The raw files cannot be had here and now (no network, offline, nothing saved by hand).

    ``kzegov-data build`` then keeps the published tables of that source (unless
    ``--require-sources``); every other fetch error stops the build.
    """


class ManualDownloadRequired(SourceUnavailable):
    """The publisher offers no stable download URL; the user must save the file by hand."""


class HashMismatchError(FetchError):
    """A raw file's sha256 differs from the one pinned in the lock."""


class ParseError(KzegovDataError):
    """A raw file does not have the layout its parser expects (columns, header, encoding...)."""


class CountryError(KzegovDataError):
    """Country names or codes that do not map to exactly one ISO 3166-1 alpha-3 code."""


class SchemaValidationError(KzegovDataError):
    """A table failed its pandera schema; nothing was published."""


class UnknownTableError(KzegovDataError):
    """The requested table or peer group does not exist."""


class OptionalDependencyMissing(KzegovDataError):
    """A feature needs an optional extra that is not installed (e.g. matplotlib for figures)."""
