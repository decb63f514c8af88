"""kzegov_data: e-government indicators of Kazakhstan and every other country as tidy tables.

>>> import kzegov_data as kz
>>> kz.load("un_egov", countries="KAZ", years=2024)["egdi"].item()
0.90093

Importing the package is cheap: pandas, pyarrow, pandera and requests are loaded only by the
functions that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    AmbiguousCountryError,
    CountryError,
    DamagedTableError,
    DownloadRefused,
    FetchError,
    HashMismatchError,
    InvalidArgumentError,
    KzegovDataError,
    LockFileError,
    ManualDownloadRequired,
    NoPublishedTablesError,
    OptionalDependencyMissing,
    ParseError,
    ProjectBusyError,
    SchemaValidationError,
    SourceUnavailable,
    UnknownEditionError,
    UnknownIndicatorError,
    UnknownPeerGroupError,
    UnknownSourceError,
    UnknownTableError,
    UnsafeInputError,
    YearNotPublishedError,
)

if TYPE_CHECKING:
    from .analysis import compare, indicators, panel
    from .api import citation, edition_as_of, editions, load, peers, revision_summary, revisions, tables

__all__ = [
    "AmbiguousCountryError",
    "CountryError",
    "DamagedTableError",
    "DownloadRefused",
    "FetchError",
    "HashMismatchError",
    "InvalidArgumentError",
    "KzegovDataError",
    "LockFileError",
    "ManualDownloadRequired",
    "NoPublishedTablesError",
    "OptionalDependencyMissing",
    "ParseError",
    "ProjectBusyError",
    "SchemaValidationError",
    "SourceUnavailable",
    "UnknownEditionError",
    "UnknownIndicatorError",
    "UnknownPeerGroupError",
    "UnknownSourceError",
    "UnknownTableError",
    "UnsafeInputError",
    "YearNotPublishedError",
    "__version__",
    "citation",
    "compare",
    "edition_as_of",
    "editions",
    "indicators",
    "load",
    "panel",
    "peers",
    "revision_summary",
    "revisions",
    "tables",
]

_API = {
    "load": "api", "tables": "api", "peers": "api", "citation": "api",
    "editions": "api", "revisions": "api", "revision_summary": "api", "edition_as_of": "api",
    "panel": "analysis", "compare": "analysis", "indicators": "analysis",
}


def __getattr__(name: str) -> Any:
    # PEP 562: the API module (and with it pandas) is imported on first use, not at import time.
    if name in _API:
        import importlib

        return getattr(importlib.import_module(f"kzegov_data.{_API[name]}"), name)
    msg = f"module 'kzegov_data' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    # The public surface only (the lazily imported functions included), not this module's helpers.
    return sorted(__all__)
