"""The public functions: ``load``, ``tables``, ``citation``, ``peers``. Reads the published tables only.

Arguments are forgiving in form and strict in meaning. ``years`` takes a year as an int, a numpy
integer, a whole float or a string (``2024``, ``2024.0``, ``"2024"``), a range string
(``"2020-2024"``, ``"2020-2022,2024"``), a ``range`` or any iterable of those; ranges are clipped to
the table's coverage before anything is read or expanded. ``countries`` takes codes (ISO3, ISO2,
numeric), names (pycountry's, the reviewed aliases, every name a published table prints) and peer
groups, alone or in a list. Anything else raises a :class:`~kzegov_data.errors.KzegovDataError`
that names the argument and what it accepts.

``datapackage.json`` is parsed once per version of the file (keyed on its path, modification time,
size and inode), and small Parquet files are read on one thread, which is faster than the pool.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import countries as country_codes
from . import locations
from .errors import (
    DamagedTableError,
    InvalidArgumentError,
    UnknownEditionError,
    UnknownPeerGroupError,
    UnknownTableError,
    YearNotPublishedError,
)
from .publish import DATAPACKAGE, readable_folder, table_resources, year_column

if TYPE_CHECKING:
    import pandas as pd

#: Parquet files up to this size are read on one thread: for them the thread pool costs more than it saves.
SINGLE_THREAD_BYTES = 256 * 1024


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """Where the published tables are read from.

    ``explicit`` argument, else ``KZEGOV_DATA_DIR``, else (for an installed package) the user build
    that ``kzegov-data build`` writes outside a checkout, when it holds tables, else the tables
    shipped with the package (inside the wheel, or ``processed/`` of the checkout this module runs
    from, which is also where a build in the checkout publishes).
    """
    if explicit or os.environ.get("KZEGOV_DATA_DIR"):
        return readable_folder(Path(explicit or os.environ["KZEGOV_DATA_DIR"]))
    shipped = locations.shipped_processed_dir()
    if shipped.parent == locations.package_dir():
        user_build = locations.user_processed_dir()
        if (user_build / DATAPACKAGE).is_file():
            return user_build
    return readable_folder(shipped)


# --- The descriptor and the files -------------------------------------------------------------------


def published_tables(folder: Path) -> Mapping[str, dict[str, Any]]:
    """Published table name -> its resource in ``folder/datapackage.json`` (shared: do not modify).

    Parsed once per version of the file: the cache key is the file's path, modification time,
    size and inode, so a rebuilt folder (a new file swapped in) is read afresh.
    """
    try:
        stat = (folder / DATAPACKAGE).stat()
    except OSError:
        return table_resources(folder)  # raises NoPublishedTablesError with what to do
    return parsed_descriptor(str(folder), stat.st_mtime_ns, stat.st_size, stat.st_ino)


@lru_cache(maxsize=16)
def parsed_descriptor(folder: str, mtime_ns: int, size: int, inode: int) -> Mapping[str, dict[str, Any]]:
    return table_resources(Path(folder))


def file_key(path: Path) -> tuple[str, int, int, int]:
    """What identifies one version of a file for the caches below."""
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino


def resource_of(folder: Path, table: str) -> dict[str, Any]:
    """The resource of one published table; an unknown name says what is published."""
    resources = published_tables(folder)
    if table in resources:
        return resources[table]
    import difflib

    close = difflib.get_close_matches(table, list(resources), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    spec = catalogue_of(resources).get(table)
    if spec is not None:
        hint = f" ({table!r} is an indicator of table {spec['table']!r}: kz.panel({table!r}) reads it)"
    msg = f"unknown table {table!r}{hint}; published tables: {', '.join(sorted(resources))}"
    raise UnknownTableError(msg)


def catalogue_of(resources: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The indicator catalogue published with the cross-source table, by indicator id (empty if none)."""
    for resource in resources.values():
        if "kzegov:catalogue" in resource:
            return {record["id"]: record for record in resource["kzegov:catalogue"]}
    return {}


def read_parquet(
    folder: Path,
    resource: Mapping[str, Any],
    where: Mapping[str, Collection[Any]] | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """A published table's rows whose ``where`` columns hold one of the given values.

    Equal to ``pandas.read_parquet(path, filters=...)`` (same dtypes, categoricals with the same
    categories, nullable integers), without the dataset machinery: the file is read in one piece
    (a thread pool only for big files) and filtered with Arrow compute kernels.
    """
    import pyarrow.compute as pc

    table = read_arrow(folder, resource, columns)
    mask = None
    for column, values in (where or {}).items():
        hit = is_in(table[column], values)
        mask = hit if mask is None else pc.and_(mask, hit)
    if mask is not None:
        table = table.filter(mask)
    return table.to_pandas(use_threads=False)


def is_in(column: Any, values: Collection[Any]) -> Any:
    """Which rows of an Arrow column hold one of ``values``. A dictionary column (codes, indicator
    ids) is matched on its few distinct values and the answer spread to the rows through the
    indices: a third of the time of matching every row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if not pa.types.is_dictionary(kind):
        return pc.is_in(column, value_set=pa.array(list(values), type=kind))
    value_set = pa.array(list(values), type=kind.value_type)
    return pa.chunked_array(
        [pc.take(pc.is_in(chunk.dictionary, value_set=value_set), chunk.indices) for chunk in column.chunks],
        type=pa.bool_(),
    )


def read_arrow(folder: Path, resource: Mapping[str, Any], columns: list[str] | None = None) -> Any:
    """A published table (or some of its columns) as a pyarrow Table; damage says what to do."""
    import pyarrow.parquet as pq

    path = folder / resource["path"]
    try:
        if resource.get("bytes", 0) <= SINGLE_THREAD_BYTES:
            return small_table(*file_key(path), tuple(columns) if columns is not None else None)
        with pq.ParquetFile(path) as parquet:
            return parquet.read(columns=columns, use_threads=True)
    except FileNotFoundError:
        problem = "the file is missing"
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        problem = f"it cannot be read: {' '.join(str(error).split())[:160]}"
    msg = (f"published table {resource['name']!r} is damaged: {path} ({problem}); restore it (git checkout -- "
           f"processed/) or rebuild it: kzegov-data build --force")
    raise DamagedTableError(msg)


@lru_cache(maxsize=32)
def small_table(path: str, mtime_ns: int, size: int, inode: int, columns: tuple[str, ...] | None) -> Any:
    """A small published file read once per version of the file (an Arrow table is immutable, and
    ``to_pandas`` copies what a caller could change): a warm ``load`` then costs the conversion only.
    Files up to :data:`SINGLE_THREAD_BYTES` only, so the cache holds a few MB at most."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as parquet:
        return parquet.read(columns=list(columns) if columns is not None else None, use_threads=False)


# --- years ------------------------------------------------------------------------------------------

YEARS_ACCEPTED = ("a year (2024, 2024.0 or '2024'), a range ('2020-2024' or range(2020, 2025)), "
                  "or a list of those ('2020,2022' or [2020, 2022])")
YEAR_TEXT = re.compile(r"(\d{1,9})(?:\s*[-\u2013]\s*(\d{1,9}))?")


@dataclass(frozen=True)
class YearRequest:
    """The years asked for, kept as given (single years and ranges) and expanded only within a
    table's coverage, so ``"1-99999999"`` costs as little as ``2024``."""

    single: frozenset[int]
    ranges: tuple[range, ...]
    given: str

    def __contains__(self, year: object) -> bool:
        return year in self.single or any(year in span for span in self.ranges)

    def within(self, first: int, last: int) -> list[int]:
        """The years asked for from ``first`` to ``last`` (inclusive), in order."""
        return [year for year in range(first, last + 1) if year in self]


def parse_years(years: object, *, argument: str = "years") -> YearRequest | None:
    """The ``years`` argument of ``load``, ``panel`` and ``compare`` (``None``: every year).

    >>> request = parse_years("2020-2022,2024")
    >>> request.within(2000, 2030)
    [2020, 2021, 2022, 2024]
    >>> parse_years(range(1, 99999999)).within(2003, 2005)
    [2003, 2004, 2005]
    """
    if years is None:
        return None
    given = country_codes.short_repr(years)
    single: set[int] = set()
    ranges: list[range] = []
    items = [years] if isinstance(years, (str, range)) or is_number(years) else iterable_items(years, argument)
    for item in items:
        if isinstance(item, range):
            ranges.append(item)
        elif isinstance(item, str):
            add_year_text(item, single, ranges, argument)
        elif is_number(item):
            single.add(whole_year(item, argument))
        else:
            msg = f"{argument}: {country_codes.short_repr(item)} is not a year; expected {YEARS_ACCEPTED}"
            raise InvalidArgumentError(msg)
    if not single and not any(ranges):
        msg = (f"{argument}={given} names no year; pass {YEARS_ACCEPTED}, or leave {argument} out (None) "
               "for every year")
        raise InvalidArgumentError(msg)
    return YearRequest(frozenset(single), tuple(ranges), given)


def is_number(value: object) -> bool:
    import numbers

    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def iterable_items(value: object, argument: str) -> list[Any]:
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        msg = f"{argument}={country_codes.short_repr(value)}: expected {YEARS_ACCEPTED}"
        raise InvalidArgumentError(msg)
    return list(value)


def whole_year(value: Any, argument: str) -> int:
    if country_codes.is_integer(value):
        return int(value)
    number = float(value)
    if not number.is_integer():
        msg = f"{argument}={value!r} is not a whole year; expected {YEARS_ACCEPTED}"
        raise InvalidArgumentError(msg)
    return int(number)


def add_year_text(text: str, single: set[int], ranges: list[range], argument: str) -> None:
    """Parse ``"2024"``, ``"2020-2024"`` or a comma-separated list of them into ``single``/``ranges``."""
    for part in text.split(","):
        match = YEAR_TEXT.fullmatch(part.strip())
        if match is None:
            msg = f"{argument}={text!r}: {part.strip()!r} is not a year or a range; expected {YEARS_ACCEPTED}"
            raise InvalidArgumentError(msg)
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first:
            msg = f"{argument}={text!r}: the range {part.strip()!r} runs backwards; write {last}-{first}"
            raise InvalidArgumentError(msg)
        if first == last:
            single.add(first)
        else:
            ranges.append(range(first, last + 1))


def coverage(years: object) -> tuple[int, int] | None:
    """First and last year of a coverage such as a resource's ``kzegov:years`` (``"2003-2024"``).

    >>> coverage("2003-2024"), coverage("2024"), coverage(None)
    ((2003, 2024), (2024, 2024), None)
    """
    first, _, last = str(years or "").partition("-")
    last = last or first
    return (int(first), int(last)) if first.strip().isdigit() and last.strip().isdigit() else None


def published_years(folder: Path, resource: Mapping[str, Any], column: str,
                    where: Mapping[str, Collection[Any]] | None = None) -> list[int]:
    """The distinct values of a table's year column (of the rows matching ``where``), sorted."""
    frame = read_parquet(folder, resource, where, columns=[column, *(where or {})])
    return sorted(int(year) for year in frame[column].unique())


def year_list(years: list[int]) -> str:
    """``2003, 2004, 2005, 2008-2024``-style text: runs of consecutive years as ranges."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs) or "none"


def years_not_published(what: str, request: YearRequest, existing: list[int]) -> YearNotPublishedError:
    """The error for years that match none of ``existing``: the span, and the years if it has gaps."""
    listed = year_list(existing)
    span = f"{existing[0]}-{existing[-1]}" if existing else "none"
    years = span if listed == span else f"{span}, in these years: {listed}"
    msg = f"{what} has no data for years={request.given}; published years: {years}"
    return YearNotPublishedError(msg)


# --- countries --------------------------------------------------------------------------------------


def country_index(folder: Path) -> country_codes.CountryIndex:
    """Codes and names to match ``countries=`` against: the folder's ``countries`` table (no
    pycountry import when the input is a code), else pycountry."""
    resources = published_tables(folder)
    if "countries" not in resources:
        index = country_codes.pycountry_index()
        return country_codes.CountryIndex(index.codes, index.numeric, lambda: published_names(folder))
    return indexed_countries(folder, file_key(folder / resources["countries"]["path"]))


@lru_cache(maxsize=8)
def indexed_countries(folder: Path, key: tuple[str, int, int, int]) -> country_codes.CountryIndex:
    table = read_arrow(folder, published_tables(folder)["countries"], ["iso3", "iso_numeric"])
    codes = table["iso3"].to_pylist()
    numeric = {number: code for number, code in zip(table["iso_numeric"].to_pylist(), codes, strict=True) if number}
    return country_codes.CountryIndex(frozenset(codes), numeric, lambda: published_names(folder))


def published_names(folder: Path) -> dict[str, str]:
    """Every name a published table prints in a ``country`` or ``name`` column -> its ISO3 code.

    A name printed for two different codes is left out (it cannot resolve to one country).
    """
    resources = published_tables(folder)
    key = tuple(sorted((name, str(resource.get("hash"))) for name, resource in resources.items()))
    return dict(names_of(folder, key))


@lru_cache(maxsize=8)
def names_of(folder: Path, key: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    codes: dict[str, set[str]] = {}
    for resource in published_tables(folder).values():
        fields = {field["name"] for field in resource["schema"]["fields"]}
        for column in ("country", "name"):
            if {"iso3", column} <= fields:
                pairs = read_parquet(folder, resource, columns=["iso3", column]).astype(str).drop_duplicates()
                for code, name in pairs.itertuples(index=False):
                    codes.setdefault(name, set()).add(code)
    return tuple((name, next(iter(found))) for name, found in sorted(codes.items()) if len(found) == 1)


def select_countries(countries: object, folder: Path) -> country_codes.CountrySelection:
    """The ``countries`` argument parsed against ``folder``'s codes and names (income groups unexpanded)."""
    if groups_only(countries):  # nothing to look up: the countries table is not read
        return country_codes.select_countries(countries, NO_INDEX)  # type: ignore[arg-type]
    return country_codes.select_countries(countries, country_index(folder))  # type: ignore[arg-type]


#: The index for a selection of groups only (never consulted).
NO_INDEX = country_codes.CountryIndex(frozenset(), {}, dict)


def groups_only(countries: object) -> bool:
    """True for a peer group name, or a non-empty list or tuple of them (``income:`` groups too)."""
    items = [countries] if isinstance(countries, str) else countries
    return isinstance(items, list | tuple) and bool(items) and all(
        isinstance(item, str) and (item in country_codes.PEER_GROUPS or item.startswith(country_codes.INCOME_PREFIX))
        for item in items)


def resolve_countries(countries: str | int | Iterable[str | int], *, data_dir: str | Path | None = None,
                      as_of: int | None = None) -> list[str]:
    """ISO3 codes for countries, codes, names and peer groups, alone or in a list, in the order
    asked and without repeats; an income group's members by the current classification, or the
    one of the year ``as_of``.

    >>> resolve_countries(["Korea, Rep.", 398, "central_asia"])
    ['KOR', 'KAZ', 'KGZ', 'TJK', 'TKM', 'UZB']
    """
    folder = resolve_data_dir(data_dir)
    return expanded(select_countries(countries, folder), folder, as_of)


def expanded(selection: country_codes.CountrySelection, folder: Path, as_of: int | None = None) -> list[str]:
    """The codes of a selection, income groups expanded by one classification (today's by default)."""
    codes = dict.fromkeys(selection.codes)
    if selection.income_groups:
        classification = income_classification(folder)
        year = check_as_of(as_of, classification)
        for group in selection.income_groups:
            codes.update(dict.fromkeys(sorted(classification.members(group, year)[0])))
    return list(codes)


# --- income groups: each year's classification or today's ---------------------------------------------

HISTORY_TABLE = "income_history"


@dataclass(frozen=True)
class IncomeClassification:
    """The World Bank income groups by year (``income_history``) and today's (``countries``).

    ``history`` maps a calendar year to its fiscal-year label and ``iso3 -> group``; it is empty
    when the folder has no ``income_history`` table (an older build).
    """

    history: Mapping[int, tuple[str, Mapping[str, str]]]
    current: Mapping[str, str]

    def members(self, group: str, year: int | None = None) -> tuple[frozenset[str], str]:
        """Members of ``income:<slug>`` in ``year`` (``None``: today) and which classification that is.

        The label is the fiscal year of the historical classification (``"FY23"``), ``"current"``
        (the ``countries`` table: for ``year=None``, years after the history, and folders without
        one), or ``"none"`` for a year before the history starts (no members then).
        """
        name = country_codes.income_group(group)
        if name is None:
            raise country_codes.unknown_peer_group(group)
        if year is None or not self.history or year > max(self.history):
            return frozenset(code for code, found in self.current.items() if found == name), "current"
        if year not in self.history:
            return frozenset(), "none"
        fiscal_year, groups = self.history[year]
        return frozenset(code for code, found in groups.items() if found == name), fiscal_year

    def describe(self) -> str:
        """One line on what :meth:`members` uses, for a result's ``attrs``."""
        if not self.history:
            return ("income groups: the current World Bank classification (countries table) for every year; "
                    "this folder has no income_history table")
        first, last = min(self.history), max(self.history)
        return (f"income groups: each year's World Bank classification ({HISTORY_TABLE}: {first}-{last}, "
                f"{self.history[first][0]}-{self.history[last][0]}); years after {last}: the current "
                "classification (countries table)")


def income_classification(folder: Path) -> IncomeClassification:
    resources = published_tables(folder)
    keys = tuple(file_key(folder / resources[name]["path"]) for name in ("countries", HISTORY_TABLE)
                 if name in resources)
    return classified(folder, keys)


@lru_cache(maxsize=8)
def classified(folder: Path, keys: tuple[tuple[str, int, int, int], ...]) -> IncomeClassification:
    resources = published_tables(folder)
    current: dict[str, str] = {}
    if "countries" in resources:
        table = read_arrow(folder, resources["countries"], ["iso3", "wb_income_group"])
        current = {code: group for code, group in zip(*(table[c].to_pylist() for c in table.column_names),
                                                      strict=True) if group}
    history: dict[int, tuple[str, dict[str, str]]] = {}
    if HISTORY_TABLE in resources:
        table = read_arrow(folder, resources[HISTORY_TABLE], ["iso3", "year", "fiscal_year", "wb_income_group"])
        for code, year, fiscal_year, group in zip(*(table[c].to_pylist() for c in table.column_names), strict=True):
            if group:
                history.setdefault(int(year), (str(fiscal_year), {}))[1][code] = group
    return IncomeClassification(history, current)


def check_as_of(as_of: object, classification: IncomeClassification) -> int | None:
    """``as_of`` as a year the classification can answer for (``None`` stays ``None``)."""
    if as_of is None:
        return None
    if not is_number(as_of):
        msg = f"as_of={country_codes.short_repr(as_of)}: expected a year such as 2015"
        raise InvalidArgumentError(msg)
    year = whole_year(as_of, "as_of")
    if classification.history and year < min(classification.history):
        msg = (f"as_of={year}: the World Bank's historical classification starts in {min(classification.history)}; "
               f"pass a year from {min(classification.history)} on")
        raise InvalidArgumentError(msg)
    return year


# --- the public functions ---------------------------------------------------------------------------


def load(
    table: str,
    countries: str | int | Iterable[str | int] | None = None,
    years: int | str | Iterable[int | str] | None = None,
    *,
    edition: str | int | None = None,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """A published table as a pandas DataFrame (codes as categoricals, nullable integers).

    ``countries``: ISO3, ISO2 or numeric codes, country names (any the package prints, and short
    names such as ``"UK"``), peer groups (``"central_asia"``, ``"eaeu"``, ``"post_soviet"``,
    ``"paper_comparators"``, ``"income:upper_middle"``...; income groups by today's
    classification), or a list of those. ``years``: ``2024``, ``"2024"``, ``"2020-2024"``,
    ``range(2020, 2025)`` or a list of those, matched against the table's year column (``year`` or
    ``survey_year``). Years that match no published year raise
    :class:`~kzegov_data.errors.YearNotPublishedError` listing the years that exist (``un_egov``
    has survey years only); a request that matches some published years returns those.

    ``attrs`` of the result hold the table's metadata: ``table``, ``title``, ``units`` (column ->
    unit), ``source``, ``source_title``, ``source_url``, ``licence``, ``licence_url``, ``citation``,
    and ``notes`` (a list of lines, e.g. which income classification was applied).

    ``edition``: one of the table's editions by name or alias (``"HDR21-22"``, ``"2019 Update"``,
    ``2024``; :func:`editions` lists them), matched ignoring case, spaces and punctuation. An
    earlier edition of a revising source (UNDP HDR, WGI, ITU) is its own file set, parsed on its
    own; an edition of a source that publishes each year once (``un_egov``, ``ti_cpi``) is that
    year's rows of the current table. ``None``: the current table. An unknown edition raises
    :class:`~kzegov_data.errors.UnknownEditionError` listing the known ones.

    ``ti_cpi`` holds two scales that must never be mixed: 0-10 and relative to each year's countries
    up to 2011, 0-100 and comparable over time from 2012. Select the comparable series with
    ``cpi = kz.load("ti_cpi"); cpi[cpi["scale"] == "0-100"]`` (or the indicator ``cpi_score`` of
    ``kz.panel``).

    >>> import kzegov_data as kz
    >>> egov = kz.load("un_egov", countries="central_asia", years="2020-2024")
    >>> egov.loc[egov.iso3.eq("KAZ") & egov.survey_year.eq(2024), "egdi"].item()
    0.90093
    >>> egov.attrs["licence"]
    'United Nations Terms of Use (no open licence)'
    """
    if edition is not None:
        return load_edition(table, edition, countries, years, data_dir)
    folder = resolve_data_dir(data_dir)
    resource = resource_of(folder, table)
    where: dict[str, Collection[Any]] = {}
    notes = []
    if countries is not None:
        selection = select_countries(countries, folder)
        where["iso3"] = expanded(selection, folder)
        if selection.income_groups:
            notes.append("income groups: the current World Bank classification (countries table); "
                         "kz.panel and kz.compare apply each year's")
    request = parse_years(years)
    if request is not None:
        column = year_column(resource)
        if column is None:
            msg = f"table {table!r} has no year column; drop the years argument"
            raise InvalidArgumentError(msg)
        span = coverage(resource.get("kzegov:years"))
        wanted = request.within(*span) if span else sorted(year for year in published_years(
            folder, resource, column) if year in request)
        if not wanted:
            raise years_not_published(table, request, published_years(folder, resource, column))
        where[column] = wanted
    frame = read_parquet(folder, resource, where)
    if request is not None and frame.empty:
        existing = published_years(folder, resource, str(year_column(resource)))
        if not any(year in request for year in existing):
            raise years_not_published(table, request, existing)
    frame.attrs.update(table_metadata(resource), notes=notes)
    return frame


def table_metadata(resource: Mapping[str, Any]) -> dict[str, Any]:
    """What ``load`` puts into ``DataFrame.attrs``: the resource's title, units, source, licence,
    citation (empty where a hand-made descriptor leaves a fact out)."""
    licence, source = first(resource.get("licenses")), first(resource.get("sources"))
    return {
        "table": resource["name"],
        "title": resource.get("title", ""),
        "units": {field["name"]: field.get("kzegov:unit", "") for field in resource["schema"]["fields"]},
        "source": resource.get("kzegov:source", ""),
        "source_title": source.get("title", ""),
        "source_url": source.get("path", ""),
        "licence": licence.get("name", ""),
        "licence_url": licence.get("path", ""),
        "citation": resource.get("kzegov:citation", ""),
    }


def first(entries: object) -> Mapping[str, Any]:
    """The first licence or source of a resource (an empty one if it names none)."""
    return entries[0] if isinstance(entries, list) and entries and isinstance(entries[0], Mapping) else {}


def table_records(*, data_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """One dict per published table, from ``datapackage.json`` alone (no pandas): the rows of
    :func:`tables`."""
    return [
        {
            "name": name,
            "title": resource["title"],
            "description": resource["description"],
            "rows": resource["kzegov:rows"],
            "years": resource.get("kzegov:years") or "",
            "source": resource["kzegov:source"],
            "licence": resource["licenses"][0]["name"],
            "licence_url": resource["licenses"][0]["path"],
            "citation": resource["kzegov:citation"],
        }
        for name, resource in sorted(published_tables(resolve_data_dir(data_dir)).items())
        if not is_edition_resource(resource)
    ]


def tables(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per published table: name, title, description, rows, years, source, licence,
    licence_url, citation.

    >>> import kzegov_data as kz
    >>> kz.tables().set_index("name").loc["countries", "licence_url"]
    'https://creativecommons.org/licenses/by/4.0/'
    """
    import pandas as pd

    return pd.DataFrame(table_records(data_dir=data_dir))


CITATION_STYLES = ("text", "bibtex")


def citation(table_or_indicator: str, style: str = "text", *, data_dir: str | Path | None = None) -> str:
    """How to cite a published table, or the table an indicator comes from.

    ``style="text"`` gives the citation exactly as published in ``datapackage.json``;
    ``style="bibtex"`` puts the same published facts (source title and page, citation, licence)
    into a ``@misc`` entry. Nothing is added that the descriptor does not hold.

    >>> import kzegov_data as kz
    >>> kz.citation("egdi") == kz.citation("un_egov")
    True
    >>> print(kz.citation("un_egov", style="bibtex").splitlines()[0])
    @misc{kzegov_un_egov,
    """
    if style not in CITATION_STYLES:
        msg = f"style={style!r}: expected one of {', '.join(map(repr, CITATION_STYLES))}"
        raise InvalidArgumentError(msg)
    folder = resolve_data_dir(data_dir)
    resources = published_tables(folder)
    catalogue = catalogue_of(resources)
    if table_or_indicator in resources:
        resource = resources[table_or_indicator]
    elif table_or_indicator in catalogue:
        resource = resource_of(folder, catalogue[table_or_indicator]["table"])
    else:
        import difflib

        close = difflib.get_close_matches(str(table_or_indicator), [*resources, *catalogue], n=3)
        hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
        msg = (f"{table_or_indicator!r} is neither a published table nor an indicator{hint}; tables: "
               f"{', '.join(sorted(resources))}; kz.indicators() lists the indicator ids")
        raise UnknownTableError(msg)
    text = str(resource["kzegov:citation"])
    if style == "text":
        return text
    licence, source = resource["licenses"][0], resource["sources"][0]
    fields = {
        "title": bibtex_text(source["title"]),
        "howpublished": f"\\url{{{source['path']}}}",
        "note": f"{bibtex_text(text)} Licence: {bibtex_text(licence['name'])}, \\url{{{licence['path']}}}",
    }
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    return f"@misc{{kzegov_{resource['name']},\n{body}}}\n"


def bibtex_text(text: str) -> str:
    """``text`` with the characters BibTeX/LaTeX treat specially escaped."""
    for special, escaped in (("\\", "\\textbackslash{}"), ("{", "\\{"), ("}", "\\}"), ("&", "\\&"),
                             ("%", "\\%"), ("$", "\\$"), ("#", "\\#"), ("_", "\\_")):
        text = text.replace(special, escaped)
    return text


def peers(group: str, *, as_of: int | None = None, data_dir: str | Path | None = None) -> list[str]:
    """ISO3 codes of a peer group, sorted: ``central_asia``, ``eaeu``, ``post_soviet``,
    ``paper_comparators``, or a World Bank income group such as ``income:upper_middle``: by the
    current classification (the ``countries`` table of ``data_dir``), or with ``as_of=2015`` by
    the classification that applied in that year (``income_history``; the current one for years
    after it).

    >>> import kzegov_data as kz
    >>> kz.peers("eaeu")
    ['ARM', 'BLR', 'KAZ', 'KGZ', 'RUS']
    """
    if not isinstance(group, str) or not country_codes.is_peer_group(group):
        raise unknown_group(group)
    if country_codes.income_group(group) is None:
        return country_codes.peers(group)
    classification = income_classification(resolve_data_dir(data_dir))
    return sorted(classification.members(group, check_as_of(as_of, classification))[0])


def unknown_group(group: object) -> UnknownPeerGroupError:
    import difflib

    names = country_codes.peer_group_names()
    close = difflib.get_close_matches(str(group), names, n=2, cutoff=0.5) + [
        name for name in names if isinstance(group, str) and len(group) > 2 and group in name]
    hint = f" (did you mean {', '.join(dict.fromkeys(close))}?)" if close else ""
    msg = f"unknown peer group {country_codes.short_repr(group)}{hint}; known groups: {', '.join(names)}"
    return UnknownPeerGroupError(msg)


# --- editions and revisions ---------------------------------------------------------------------------
#
# What each table's editions are comes from ``datapackage.json`` alone: every current table's resource
# lists its ``editions`` (name, aliases, release date and where that date comes from, path, years, rows,
# countries), an earlier edition of a revising source is a resource of its own (``<table>.<slug>``,
# with ``edition_of``), and the ``revisions`` table holds every edition's value of every indicator of
# the revising sources.

#: The columns of :func:`editions`, in order.
EDITION_COLUMNS = ["name", "aliases", "released", "years", "rows", "countries", "current", "released_source", "note"]
#: The columns of a revision summary (:func:`revision_summary`), in order.
SUMMARY_COLUMNS = ["previous_edition", "edition", "compared", "changed", "share_changed", "mean_abs_revision",
                   "largest_revision", "largest_iso3", "largest_year"]


def is_edition_resource(resource: Mapping[str, Any]) -> bool:
    """An earlier edition published beside its table (``<table>.<slug>``), not a table of its own."""
    return "edition_of" in resource


def edition_key(name: object) -> str:
    """An edition name as matched: lower case, letters and digits only.

    >>> edition_key("HDR 2021/2022"), edition_key("hdr21-22"), edition_key(2019)
    ('hdr20212022', 'hdr2122', '2019')
    """
    return "".join(character for character in str(name).lower() if character.isalnum())


def edition_entries(folder: Path, table: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The current table's resource and its editions as ``datapackage.json`` lists them (by release).

    ``table`` may also name an earlier edition's own resource (``undp_hdi.hdr21-22``): its table's
    editions are meant. A table whose resource lists no editions (one edition, or a folder built
    before editions were published) has one, named ``current``: the published table.
    """
    resource = resource_of(folder, table)
    if is_edition_resource(resource):
        resource = resource_of(folder, str(resource["edition_of"]))
    entries = resource.get("editions")
    if entries:
        return resource, sorted(entries, key=lambda entry: (str(entry.get("released", "")), str(entry["name"])))
    span = coverage(resource.get("kzegov:years"))
    return resource, [{
        "name": "current", "aliases": [], "released": "", "released_source": "", "current": True,
        "path": resource["path"], "years": list(span) if span else [], "rows": resource.get("kzegov:rows"),
        "countries": None,
        "note": "datapackage.json lists no editions of this table: the published table is its only edition",
    }]


def edition_kind(resource: Mapping[str, Any], entries: list[dict[str, Any]]) -> str:
    """``"revising"`` (earlier editions are files of their own), ``"per_year"`` (each year published
    once: every edition is current) or ``"single"``."""
    if any(entry["path"] != resource["path"] for entry in entries):
        return "revising"
    return "per_year" if len(entries) > 1 and all(entry.get("current") for entry in entries) else "single"


def edition_label(entry: Mapping[str, Any]) -> str:
    """``HDR 2021/2022 (HDR21-22)``: a name with its aliases, for messages."""
    aliases = [alias for alias in entry.get("aliases", []) if edition_key(alias) != edition_key(entry["name"])]
    return f"{entry['name']} ({', '.join(aliases)})" if aliases else str(entry["name"])


def find_edition(folder: Path, table: str, edition: object) -> tuple[dict[str, Any], dict[str, Any]]:
    """The resource of ``table`` and its edition named ``edition`` (a name or an alias, ignoring case,
    spaces and punctuation); an unknown one raises :class:`UnknownEditionError` listing the known ones."""
    if not isinstance(edition, str) and not country_codes.is_integer(edition):
        msg = f"edition={country_codes.short_repr(edition)}: expected an edition name such as 'HDR21-22' or 2019"
        raise InvalidArgumentError(msg)
    resource, entries = edition_entries(folder, table)
    wanted = edition_key(edition)
    for entry in entries:
        if wanted and wanted in {edition_key(name) for name in [entry["name"], *entry.get("aliases", [])]}:
            return resource, entry
    known = "; ".join(edition_label(entry) for entry in entries)
    msg = (f"{resource['name']} has no edition {edition!r}; known editions: {known} "
           f"(kz.editions({resource['name']!r}) or: kzegov-data editions {resource['name']})")
    raise UnknownEditionError(msg)


def entry_span(entry: Mapping[str, Any]) -> tuple[int, int] | None:
    """First and last data year of an edition (its ``years``), if it names them."""
    years = entry.get("years") or []
    return (int(years[0]), int(years[-1])) if len(years) >= 1 else None


def edition_resource(folder: Path, resource: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Any]:
    """The resource (``<table>.<slug>``) of an earlier edition of ``resource``'s table."""
    for candidate in published_tables(folder).values():
        if candidate.get("edition_of") == resource["name"] and (
                candidate.get("edition") == entry["name"] or candidate.get("path") == entry["path"]):
            return candidate
    msg = (f"datapackage.json lists edition {entry['name']!r} of {resource['name']} at {entry['path']}, but has no "
           "resource for it; restore the folder (git checkout -- processed/) or rebuild: kzegov-data build --force")
    raise DamagedTableError(msg)


def load_edition(table: str, edition: object, countries: Any, years: Any,
                 data_dir: str | Path | None) -> pd.DataFrame:
    """:func:`load` of one edition: an earlier edition's own file, or a per-year edition's rows."""
    folder = resolve_data_dir(data_dir)
    resource, entry = find_edition(folder, table, edition)
    span = entry_span(entry)
    if entry["path"] != resource["path"]:
        frame = load(edition_resource(folder, resource, entry)["name"], countries, years, data_dir=folder)
    elif span is None or span == coverage(resource.get("kzegov:years")):
        frame = load(resource["name"], countries, years, data_dir=folder)
    else:
        request = parse_years(years)
        wanted = request.within(*span) if request is not None else list(range(span[0], span[1] + 1))
        if not wanted:
            assert request is not None
            what = f"{resource['name']}, edition {entry['name']},"
            raise years_not_published(what, request, list(range(span[0], span[1] + 1)))
        frame = load(resource["name"], countries, wanted, data_dir=folder)
    frame.attrs.update(table=resource["name"], edition=entry["name"], released=entry.get("released", ""),
                       released_source=entry.get("released_source", ""))
    frame.attrs["notes"] = [*frame.attrs.get("notes", []),
                            f"edition: {entry['name']}" + (f", released {entry['released']}" if entry.get("released")
                                                           else "")]
    return frame


def edition_records(table: str, *, data_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """The rows of :func:`editions` as dicts, from ``datapackage.json`` alone (no pandas, no Parquet)."""
    _, entries = edition_entries(resolve_data_dir(data_dir), table)
    records = []
    for entry in entries:
        span = entry_span(entry)
        records.append({
            "name": entry["name"],
            "aliases": tuple(entry.get("aliases", [])),
            "released": entry.get("released", ""),
            "years": "" if span is None else str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}",
            "rows": entry.get("rows"),
            "countries": entry.get("countries"),
            "current": bool(entry.get("current")),
            "released_source": entry.get("released_source", ""),
            "note": entry.get("note", ""),
        })
    return records


def editions(table: str, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per edition of a table, oldest first: name, aliases, released (ISO date), years
    (first-last), rows, countries, current, released_source (where the release date comes from) and
    note; read from ``datapackage.json`` only.

    A revising source (UNDP HDR, WGI, ITU) has one row per report or update, exactly one of them
    current; a source that publishes each year once has one current edition per year (each UN
    survey, each CPI year).

    >>> import kzegov_data as kz
    >>> kz.editions("un_egov").set_index("name").loc["E-Government Survey 2024", "current"]
    np.True_
    """
    import pandas as pd

    return pd.DataFrame(edition_records(table, data_dir=data_dir), columns=EDITION_COLUMNS)


def revisions_resource(folder: Path) -> dict[str, Any]:
    """The ``revisions`` table's resource, or an error saying the folder predates it."""
    from .registry import REVISIONS_TABLE  # not at the top: a cold kz.load imports no registry

    resources = published_tables(folder)
    if REVISIONS_TABLE not in resources:
        msg = (f"{folder} has no {REVISIONS_TABLE} table (it was built before editions were published); "
               "rebuild it: kzegov-data build")
        raise UnknownTableError(msg)
    return resources[REVISIONS_TABLE]


def revising_tables(folder: Path) -> list[str]:
    """The tables whose earlier editions are published as files of their own (the revising sources)."""
    found = []
    for name, resource in sorted(published_tables(folder).items()):
        if resource.get("editions") and not is_edition_resource(resource):
            if edition_kind(resource, list(resource["editions"])) == "revising":
                found.append(name)
    return found


def revised_indicator(folder: Path, indicator: object) -> dict[str, Any]:
    """The catalogue record of ``indicator``, which must come from a revising source."""
    from .errors import UnknownIndicatorError

    catalogue = catalogue_of(published_tables(folder))
    if not isinstance(indicator, str) or indicator not in catalogue:
        import difflib

        close = difflib.get_close_matches(str(indicator), list(catalogue), n=3)
        hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
        msg = f"unknown indicator {country_codes.short_repr(indicator)}{hint}; kz.indicators() lists the ids"
        raise UnknownIndicatorError(msg)
    record = catalogue[indicator]
    revising = revising_tables(folder)
    if record["table"] not in revising:
        msg = (f"{indicator} comes from {record['table']}, which publishes each year once and never revises it "
               f"(every edition is its own year: kz.editions({record['table']!r})); revising tables: "
               f"{', '.join(revising) or 'none in this folder'}")
        raise InvalidArgumentError(msg)
    return record


def revisions(indicator: str, countries: str | int | Iterable[str | int] | None = None, *,
              data_dir: str | Path | None = None) -> pd.DataFrame:
    """Per country and year, an indicator's value in every edition: columns ``iso3``, ``year``, then
    one column per edition in release order (missing where an edition has no value there).

    ``attrs["summary"]`` compares each edition with the one released before it, over the rows
    returned (:func:`revision_summary`); ``attrs`` also hold ``indicator``, ``table``, ``unit``,
    ``editions`` (names, oldest first) and ``released`` (edition -> release date). Only the revising
    sources (UNDP HDR, WGI, ITU) have revisions; ``countries`` takes what :func:`load` takes.

    >>> import kzegov_data as kz
    >>> hdi = kz.revisions("hdi", countries="KAZ")
    >>> hdi.set_index("year").loc[2021, ["HDR 2021/2022", "HDR 2023/2024", "HDR 2025"]].astype(float).tolist()
    [0.811, 0.801, 0.816]
    """
    folder = resolve_data_dir(data_dir)
    record = revised_indicator(folder, indicator)
    resource = revisions_resource(folder)
    where: dict[str, Collection[Any]] = {"indicator": [indicator]}
    if countries is not None:
        where["iso3"] = expanded(select_countries(countries, folder), folder)
    long = read_parquet(folder, resource, where, ["indicator", "iso3", "year", "edition", "released", "value"])
    released = {str(edition): str(date) for edition, date in zip(long["edition"], long["released"], strict=True)}
    _, entries = edition_entries(folder, str(record["table"]))
    order = [str(entry["name"]) for entry in entries if entry["name"] in released]
    order += sorted((name for name in released if name not in order), key=lambda name: (released[name], name))
    long = long.astype({"iso3": "str", "edition": "str"})
    # pivot, not pivot_table: two values for one country, year and edition must fail, not be averaged.
    wide = long.pivot(index=["iso3", "year"], columns="edition", values="value")  # noqa: PD010
    wide = wide.reindex(columns=order).reset_index()
    wide.columns.name = None
    wide = wide.astype({"year": "int64"}).sort_values(["iso3", "year"], ignore_index=True)
    wide.attrs.update(
        indicator=indicator, table=record["table"], unit=record.get("unit", ""), editions=order,
        released={name: released[name] for name in order}, summary=summarise_revisions(wide, order),
        notes=[f"{indicator} ({record['table']}) in {len(order)} editions: {', '.join(order)}"],
    )
    return wide


def summarise_revisions(wide: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Per consecutive pair of editions: values compared (both editions have one), how many and what
    share changed, the mean absolute revision, and the largest revision (signed) with where it is."""
    import pandas as pd

    rows = []
    for previous, edition in pairwise(order):
        both = wide[[previous, edition]].notna().all(axis=1).to_numpy()
        change = (wide[edition].to_numpy(dtype="float64") - wide[previous].to_numpy(dtype="float64"))[both]
        iso3, year = wide["iso3"].to_numpy()[both], wide["year"].to_numpy()[both]
        compared, changed = len(change), int((change != 0).sum())
        largest = int(abs(change).argmax()) if compared else None
        rows.append({
            "previous_edition": previous, "edition": edition, "compared": compared, "changed": changed,
            "share_changed": changed / compared if compared else float("nan"),
            "mean_abs_revision": float(abs(change).mean()) if compared else float("nan"),
            "largest_revision": float(change[largest]) if largest is not None else float("nan"),
            "largest_iso3": str(iso3[largest]) if largest is not None else None,
            "largest_year": int(year[largest]) if largest is not None else None,
        })
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return summary.astype({"compared": "int64", "changed": "int64", "largest_year": "Int64"})


def revision_summary(indicator: str, countries: str | int | Iterable[str | int] | None = None, *,
                     data_dir: str | Path | None = None) -> pd.DataFrame:
    """How each edition revised an indicator against the one released before it, over every country
    (or ``countries``): previous_edition, edition, compared (country-years both publish), changed,
    share_changed, mean_abs_revision, largest_revision (signed: new minus old), largest_iso3,
    largest_year. The same frame as ``kz.revisions(indicator).attrs["summary"]``.

    >>> import kzegov_data as kz
    >>> kz.revision_summary("hdi")[["previous_edition", "edition"]].to_numpy().tolist()
    [['HDR 2021/2022', 'HDR 2023/2024'], ['HDR 2023/2024', 'HDR 2025']]
    """
    summary: pd.DataFrame = revisions(indicator, countries, data_dir=data_dir).attrs["summary"]
    return summary


# --- what could be downloaded on a day -------------------------------------------------------------------

DATE_ACCEPTED = "a date such as '2022-06-30' or datetime.date(2022, 6, 30)"


def as_date(value: object, argument: str = "as_of") -> Any:
    """``value`` as a ``datetime.date``: a ``date`` (or ``datetime``) or ISO text ``YYYY-MM-DD``."""
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    msg = f"{argument}={country_codes.short_repr(value)}: expected {DATE_ACCEPTED}"
    raise InvalidArgumentError(msg)


def is_date(value: object) -> bool:
    """``as_of`` meaning a day (a date or date text), not a year."""
    import datetime

    return isinstance(value, (datetime.date, str))


def released_by(entries: list[dict[str, Any]], day: Any) -> list[dict[str, Any]]:
    """The editions released on or before ``day`` (release dates are ISO text, so they sort as dates)."""
    return [entry for entry in entries if entry.get("released") and str(entry["released"]) <= day.isoformat()]


def edition_as_of(date: object, *, data_dir: str | Path | None = None) -> dict[str, str | list[int] | None]:
    """Per table with editions, what could be downloaded on ``date``: the name of the edition that was
    current then (revising sources; ``None`` if none published here had been released yet), or the
    years released by then (sources that publish each year once: ``un_egov``, ``ti_cpi``).

    Release dates are those of ``kz.editions(table)`` (``released``; ``released_source`` says where
    each comes from).

    >>> import kzegov_data as kz
    >>> kz.edition_as_of("2023-01-01")["undp_hdi"]
    'HDR 2021/2022'
    """
    day = as_date(date, "date")
    folder = resolve_data_dir(data_dir)
    found: dict[str, str | list[int] | None] = {}
    for name, resource in sorted(published_tables(folder).items()):
        if not resource.get("editions") or is_edition_resource(resource):
            continue
        _, entries = edition_entries(folder, name)
        released = released_by(entries, day)
        if edition_kind(resource, entries) == "per_year":
            found[name] = sorted({year for entry in released if (span := entry_span(entry))
                                  for year in range(span[0], span[1] + 1)})
        else:
            found[name] = str(released[-1]["name"]) if released else None
    return found


def classification_year(day: Any) -> int:
    """The year of the income classification in effect on ``day``: the classification based on year
    Y's income is set on 1 July of Y+1 and holds until 30 June of Y+2 (see ``income_history``)."""
    return int(day.year) - (1 if (day.month, day.day) >= (7, 1) else 2)
