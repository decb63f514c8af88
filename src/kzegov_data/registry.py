"""What a source is, and which sources exist: found, not listed.

A source is one package under :mod:`kzegov_data.sources` (a folder of facts):

* ``__init__.py`` declares ``SOURCE = Source(...)`` (publisher, files, licence, citation, tables) and
  the facts the parser and the schema share (years, editions, units). It imports no pandas, so
  that listing sources and recognising an unchanged build stay cheap.
* ``parse.py`` holds the pure ``parse(paths) -> {table name: DataFrame}``.
* ``schema.py`` holds one pandera model per table (``Config.name`` is the table name) and,
  optionally, ``CATALOGUE``: the entries the source adds to the cross-source indicator catalogue.
* ``anomalies.csv`` (optional) lists the reviewed values outside a column's natural range.

Sources are discovered with :mod:`pkgutil`, so adding one is adding its folder (plus reviewed country
name overrides and the data card's notes); nothing else names it.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from .errors import UnknownSourceError

#: The package whose sub-packages are the sources.
SOURCES_PACKAGE = "kzegov_data.sources"
#: The table derived from the sources' tables (:mod:`kzegov_data.derived`).
INDICATORS_TABLE = "indicators"
#: The table of every edition's values of the revising sources (:mod:`kzegov_data.revisions_table`).
REVISIONS_TABLE = "revisions"


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

    def __post_init__(self) -> None:
        problem = unsafe_name_problem(self.name)
        if problem:
            msg = f"raw file name {self.name!r} {problem}"
            raise ValueError(msg)


def unsafe_name_problem(name: str) -> str:
    """Why a raw file name could reach outside ``raw/<source>/``, or ``""`` when it cannot.

    A name may carry a subfolder, written with ``/`` (``2019_update/wgidataset.xlsx``: the
    publisher never changes the file name, so each earlier edition has its folder); it may not be
    absolute, go up (``..``), use backslashes or name an empty or hidden part.

    >>> unsafe_name_problem("2019_update/wgidataset.xlsx"), unsafe_name_problem("../lock.json")
    ('', "has a part '..' (only plain folder and file names, no '.', '..' or hidden names)")
    """
    if not name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is empty or absolute (it must be relative to raw/<source>/)"
    if "\\" in name or "\x00" in name:
        return "holds a backslash or a NUL character (write subfolders with '/')"
    for part in name.split("/"):
        if part in {"", ".", ".."} or part.startswith("."):
            return f"has a part {part!r} (only plain folder and file names, no '.', '..' or hidden names)"
    return ""


@dataclass(frozen=True)
class Edition:
    """One edition of a source: a release of its files, or (``files`` empty) one year of its table.

    A *revising* source (UNDP HDR, WGI, ITU) republishes its whole back series in every edition:
    each edition is its own file set, parsed on its own, and exactly one is ``current``. A source
    that publishes each year once (each UN survey, each CPI year) has one current edition per year
    of its table, and no files of their own. ``released`` is an ISO date; ``released_source`` says
    where it comes from (a date known to the month or the year only is the month's or the year's
    last day, so that "current on a date" never claims a release before it happened).
    """

    name: str
    released: str
    released_source: str
    files: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    aliases: tuple[str, ...] = ()
    current: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.released):
            msg = f"edition {self.name!r}: released must be an ISO date YYYY-MM-DD, not {self.released!r}"
            raise ValueError(msg)

    @property
    def slug(self) -> str:
        """The file name of an earlier edition's table: its first alias (else its name), lower case.

        >>> Edition("HDR 2021/2022", "2022-09-08", "", aliases=("HDR21-22",)).slug
        'hdr21-22'
        >>> Edition("June 2019", "2019-06-30", "").slug
        'june-2019'
        """
        return re.sub(r"[^a-z0-9]+", "-", (self.aliases[0] if self.aliases else self.name).lower()).strip("-")

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def per_year_editions(
    years: tuple[int, ...], name: Callable[[int], str], released: Mapping[int, tuple[str, str]]
) -> tuple[Edition, ...]:
    """The editions of a source that publishes each year once: one current edition per year.

    ``released`` maps each year to its release date and where that date comes from.
    """
    return tuple(
        Edition(name(year), released[year][0], released[year][1], years=(year,), aliases=(str(year),), current=True)
        for year in years
    )


@dataclass(frozen=True)
class Licence:
    """A publisher's terms. ``open``: anyone may redistribute, adapt and use the data commercially
    with attribution (CC BY); ``False`` where the terms forbid one of those (``note`` says which);
    ``None`` for a derived table whose rows keep the licences of their sources."""

    name: str
    url: str
    note: str = ""
    open: bool | None = False


@dataclass(frozen=True)
class Source:
    """Provenance of one source, kept as data next to its parser (owid/etl style).

    ``citation`` may name ``{retrieved}``: the published citation gets the date the raw files were
    retrieved, from the lock (:func:`cite`), so it never holds a placeholder nor today's date.
    """

    id: str
    publisher: str
    title: str
    landing_page: str
    licence: Licence
    citation: str
    files: tuple[RawFile, ...]
    tables: tuple[str, ...]
    manual_download: str = ""
    #: Every edition, current ones included, oldest first (see :class:`Edition`); () = one edition.
    editions: tuple[Edition, ...] = ()

    def __post_init__(self) -> None:
        declared = {raw_file.name for raw_file in self.files}
        for edition in self.editions:
            unknown = sorted(set(edition.files) - declared)
            if unknown:
                msg = f"source {self.id}: edition {edition.name!r} names files it does not declare: {unknown}"
                raise ValueError(msg)
        if [e.released for e in self.editions] != sorted(e.released for e in self.editions):
            msg = f"source {self.id}: editions must be listed oldest first (by released)"
            raise ValueError(msg)
        if self.revising and sum(edition.current for edition in self.editions) != 1:
            msg = f"source {self.id}: a revising source has exactly one current edition"
            raise ValueError(msg)

    @property
    def revising(self) -> bool:
        """Each edition is its own file set (the source republishes its back series in each)."""
        return any(edition.files for edition in self.editions)

    @property
    def earlier_editions(self) -> tuple[Edition, ...]:
        """The editions published beside the current table (revising sources only), oldest first."""
        return tuple(edition for edition in self.editions if edition.files and not edition.current)

    @property
    def current_files(self) -> tuple[RawFile, ...]:
        """The raw files of the current tables: those of the current edition of a revising source."""
        return self.files_of(next(e for e in self.editions if e.current)) if self.revising else self.files

    def files_of(self, edition: Edition) -> tuple[RawFile, ...]:
        return tuple(raw_file for raw_file in self.files if raw_file.name in edition.files)


def cite(citation: str, raw_files: list[dict[str, Any]]) -> str:
    """The citation as published: ``{retrieved}`` becomes the latest retrieval date of the raw files
    (their lock entries' ``retrieved``), so the same lock always gives the same text.

    >>> cite("ITU DataHub (accessed {retrieved}).", [{"retrieved": "2026-11-28"}, {"retrieved": "2026-11-20"}])
    'ITU DataHub (accessed 2026-11-28).'
    """
    if "{retrieved}" not in citation:
        return citation
    dates = sorted(str(entry["retrieved"]) for entry in raw_files if entry.get("retrieved"))
    if not dates:
        msg = f"the citation {citation!r} needs a retrieval date, but no raw file records one"
        raise ValueError(msg)
    return citation.replace("{retrieved}", dates[-1])


@cache
def source_ids(package: str = SOURCES_PACKAGE) -> tuple[str, ...]:
    """Every source of ``package``, sorted: its sub-packages whose names do not start with ``_``."""
    module = importlib.import_module(package)
    found = (info.name for info in pkgutil.iter_modules(module.__path__) if info.ispkg)
    return tuple(sorted(name for name in found if not name.startswith("_")))


def source_package(source_id: str, package: str = SOURCES_PACKAGE) -> ModuleType:
    """``<package>.<source_id>`` (its ``__init__``: declarations only, no pandas)."""
    if source_id not in source_ids(package):
        raise unknown_source(source_id, package)
    return importlib.import_module(f"{package}.{source_id}")


def tables_by_source(package: str = SOURCES_PACKAGE) -> dict[str, tuple[str, ...]]:
    """``{source id: the tables it publishes}``, from each source's declaration."""
    return {source_id: get_source(source_id, package).tables for source_id in source_ids(package)}


def source_id_of(name: str, package: str = SOURCES_PACKAGE) -> str:
    """The source a name stands for: a source id, or the name of a table a source publishes.

    One vocabulary for ``build`` and ``fetch``: ``itu_ict`` is ITU's table, so it means ``itu``.

    >>> source_id_of("undp_hdi"), source_id_of("undp_hdr")
    ('undp_hdr', 'undp_hdr')
    """
    if name in source_ids(package):
        return name
    for source_id, tables in tables_by_source(package).items():
        if name in tables:
            return source_id
    raise unknown_source(name, package)


def unknown_source(name: str, package: str = SOURCES_PACKAGE) -> UnknownSourceError:
    known = "; ".join(f"{source_id} (tables: {', '.join(tables)})"
                      for source_id, tables in tables_by_source(package).items())
    msg = (f"unknown source or table {name!r}; give a source id or one of its tables: {known}. "
           f"({INDICATORS_TABLE} is derived from the others and is rebuilt with them.)")
    return UnknownSourceError(msg)


def get_source(source_id: str, package: str = SOURCES_PACKAGE) -> Source:
    """The :class:`Source` declared by a source's ``__init__.py``."""
    declared = source_package(source_id, package).SOURCE
    if not isinstance(declared, Source) or declared.id != source_id:
        msg = f"{package}.{source_id}.SOURCE must be a Source whose id is {source_id!r}"
        raise TypeError(msg)
    return declared


def parser(source_id: str, package: str = SOURCES_PACKAGE) -> Callable[[Mapping[str, Path]], dict[str, Any]]:
    """The source's ``parse(paths)`` (imports pandas)."""
    source_package(source_id, package)
    parse: Callable[[Mapping[str, Path]], dict[str, Any]] = importlib.import_module(
        f"{package}.{source_id}.parse"
    ).parse
    return parse


def schema_module(source_id: str, package: str = SOURCES_PACKAGE) -> ModuleType:
    """The source's ``schema`` module (imports pandera)."""
    source_package(source_id, package)
    return importlib.import_module(f"{package}.{source_id}.schema")


def table_models(source_id: str, package: str = SOURCES_PACKAGE) -> dict[str, Any]:
    """``{table name: pandera model}`` of one source, found by the models' ``Config.name``.

    Every table the source declares must have exactly one model, and no model may name a table
    the source does not declare.
    """
    import pandera.pandas as pa

    source = get_source(source_id, package)
    module = schema_module(source_id, package)
    models: dict[str, Any] = {}
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, pa.DataFrameModel) and value.__module__ == module.__name__:
            name = getattr(value.Config, "name", None)
            if name in source.tables:
                if name in models:
                    msg = f"{module.__name__}: two models for table {name!r}"
                    raise TypeError(msg)
                models[name] = value
    if set(models) != set(source.tables):
        msg = (
            f"{module.__name__}: models for tables {sorted(models)}, but the source declares "
            f"{sorted(source.tables)} (each model's Config.name is its table)"
        )
        raise TypeError(msg)
    return models


def edition_table(table: str, edition: Edition) -> str:
    """The published name of an earlier edition's table: ``undp_hdi.hdr21-22``."""
    return f"{table}.{edition.slug}"


def edition_parser(
    source_id: str, package: str = SOURCES_PACKAGE
) -> Callable[[str, Mapping[str, Path]], dict[str, Any]]:
    """A revising source's ``parse_edition(edition, paths)``: one edition's tables (imports pandas)."""
    source_package(source_id, package)
    parse_edition: Callable[[str, Mapping[str, Path]], dict[str, Any]] = importlib.import_module(
        f"{package}.{source_id}.parse"
    ).parse_edition
    return parse_edition


def edition_model(source_id: str, table: str, edition: str, package: str = SOURCES_PACKAGE) -> Any:
    """The pandera model of ``table`` in one edition of a revising source (its schema's ``edition_model``)."""
    model = schema_module(source_id, package).edition_model(table, edition)
    name = getattr(model.Config, "name", None)
    if name != table:
        msg = f"{package}.{source_id}.schema.edition_model({table!r}, {edition!r}) returned a model of {name!r}"
        raise TypeError(msg)
    return model
