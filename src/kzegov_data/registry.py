"""Declarative description of a source: who publishes it, which files, licence and citation.

A source module in :mod:`kzegov_data.sources` defines ``SOURCE = Source(...)`` and a pure
``parse(paths) -> dict[table name, DataFrame]``. This module only holds the data classes and the
list of source modules, so that importing it stays cheap (no pandas).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType

# Order matters only for the build log; each source is independent of the others.
SOURCE_MODULES: tuple[str, ...] = ("wb_classification", "un_egov", "undp_hdr", "wb_wgi", "itu", "ti_cpi")


@dataclass(frozen=True)
class RawFile:
    """One file as the publisher ships it.

    ``url`` is the direct download address, or ``None`` when the publisher generates the file on
    demand (then ``Source.manual_download`` tells the user how to get it). ``archive_member`` names
    the file to extract when the URL delivers a ZIP archive.
    """

    name: str
    url: str | None = None
    archive_member: str | None = None


@dataclass(frozen=True)
class Licence:
    name: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Source:
    """Provenance of one source, kept as data next to its parser (owid/etl style)."""

    id: str
    publisher: str
    title: str
    landing_page: str
    licence: Licence
    citation: str
    files: tuple[RawFile, ...]
    tables: tuple[str, ...]
    manual_download: str = ""
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def source_module(source_id: str) -> ModuleType:
    """Import ``kzegov_data.sources.<source_id>`` (pandas is imported here, not before)."""
    if source_id not in SOURCE_MODULES:
        from .errors import UnknownTableError

        msg = f"unknown source {source_id!r}; known sources: {', '.join(SOURCE_MODULES)}"
        raise UnknownTableError(msg)
    return importlib.import_module(f"kzegov_data.sources.{source_id}")
