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
    CountryError,
    FetchError,
    HashMismatchError,
    KzegovDataError,
    ManualDownloadRequired,
    OptionalDependencyMissing,
    ParseError,
    SchemaValidationError,
    SourceUnavailable,
    UnknownTableError,
)

if TYPE_CHECKING:
    from .api import load, peers, tables

__all__ = [
    "CountryError",
    "FetchError",
    "HashMismatchError",
    "KzegovDataError",
    "ManualDownloadRequired",
    "OptionalDependencyMissing",
    "ParseError",
    "SchemaValidationError",
    "SourceUnavailable",
    "UnknownTableError",
    "__version__",
    "load",
    "peers",
    "tables",
]

_API = {"load", "tables", "peers"}


def __getattr__(name: str) -> Any:
    # PEP 562: the API module (and with it pandas) is imported on first use, not at import time.
    if name in _API:
        from . import api

        return getattr(api, name)
    msg = f"module 'kzegov_data' has no attribute {name!r}"
    raise AttributeError(msg)
