"""The package's exceptions: one family, each class one kind of problem, each message says what to do next."""

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


class DownloadRefused(ManualDownloadRequired):
    """The publisher refuses scripts (HTTP 401/403/429, a bot check); a browser can still save the file.

    A subclass of :class:`ManualDownloadRequired` because the remedy is the same: save the file by
    hand into ``raw/<source>/`` and fetch again; the build meanwhile keeps the published tables.
    """


class HashMismatchError(FetchError):
    """A raw file's sha256 differs from the one pinned in the lock."""


class LockFileError(KzegovDataError):
    """``raw/sources.lock.json`` cannot be read, or was written by another version of the lock format."""


class ProjectBusyError(KzegovDataError):
    """Another kzegov-data run holds the project lock (and ``--no-wait`` was given)."""


class DamagedTableError(KzegovDataError):
    """A published file cannot be read or does not match ``datapackage.json``."""


class ParseError(KzegovDataError):
    """A raw file does not have the layout its parser expects (columns, header, encoding...)."""


class UnsafeInputError(ParseError):
    """A raw file refused before parsing: it exceeds a size or shape limit that real publisher files stay
    far below (a ZIP or XML bomb, a sheet that would need gigabytes), or carries what no publisher's
    workbook has (XML entity declarations, unsafe ZIP member names)."""


class CountryError(KzegovDataError):
    """Country names or codes that do not map to exactly one ISO 3166-1 alpha-3 code."""


class AmbiguousCountryError(CountryError):
    """A name that stands for more than one country ("Korea": KOR or PRK); the message lists them."""


class SchemaValidationError(KzegovDataError):
    """A table failed its pandera schema; nothing was published."""


class UnknownSourceError(KzegovDataError):
    """A source id that no module in ``kzegov_data.sources`` declares."""


class UnknownTableError(KzegovDataError):
    """A table name that is not published."""


class UnknownPeerGroupError(KzegovDataError):
    """A peer-group name that the package does not define."""


class UnknownIndicatorError(KzegovDataError):
    """An indicator id that the published catalogue does not know."""


class NoPublishedTablesError(KzegovDataError):
    """A folder that should hold published tables has no (readable) ``datapackage.json``."""


class InvalidArgumentError(KzegovDataError, ValueError):
    """An argument of a type or form the function does not accept (``years=[]``, ``countries=3.5``), or
    one that cannot apply to what was asked (years for a table without a year column)."""


class YearNotPublishedError(InvalidArgumentError):
    """Years that match no published year of the table or indicator; the message lists the years that exist."""


class UnknownEditionError(InvalidArgumentError):
    """An edition name (or alias) that the table does not publish; the message lists the known editions."""


class OptionalDependencyMissing(KzegovDataError):
    """A feature needs an optional extra that is not installed (e.g. matplotlib for figures)."""
