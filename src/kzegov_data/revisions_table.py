"""The derived ``revisions`` table: every edition's value of every indicator of the revising sources.

UNDP's HDR, the World Bank's WGI and ITU's series republish their whole back series in each edition.
``revisions`` lines the editions up: one row per table, indicator, country, year and edition, with the
value that edition published and the change against the previous edition that published that
country-year. Values come from the same derivation as ``indicators`` (:func:`derived.build_indicators`)
applied to each edition's table, so an indicator id means the same in both tables. The table is derived
from the published current and earlier-edition tables, never from raw files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from . import registry
from .derived import IndicatorValues, indicator_values, source_of_tables, text
from .registry import Edition, Licence, Source, edition_table
from .schemas import CountryTable, inherited_check_name, matches_pattern

TABLE = registry.REVISIONS_TABLE
KEY = ["table", "indicator", "iso3", "year", "edition"]
#: An edition's release date as the ``released`` column holds it (ISO 8601, a day).
RELEASED = r"^\d{4}-\d{2}-\d{2}$"
DERIVED = Source(
    id=TABLE,
    publisher="kzegov_data (each row from the publisher of its table)",
    title="kzegov_data revisions: every edition's values of the revising sources (UNDP HDR, WGI, ITU)",
    landing_page="DATACARD.md",
    licence=Licence(
        name="Each row keeps its source's licence",
        url="DATACARD.md",
        note="See the table column and DATACARD.md: CC BY 3.0 IGO (UNDP), CC BY 4.0 (World Bank), "
        "CC BY-NC-SA 3.0 IGO (ITU).",
        open=None,
    ),
    citation="Cite the publisher and edition of every value you use (kz.editions(table) lists them).",
    files=(),
    tables=(TABLE,),
)


def revising_tables(package: str = registry.SOURCES_PACKAGE) -> dict[str, Source]:
    """Published table -> its source, for the tables of sources whose editions are file sets of their own."""
    sources = source_of_tables(package)
    return {table: registry.get_source(source_id, package) for table, source_id in sorted(sources.items())
            if registry.get_source(source_id, package).revising}


def input_names(package: str = registry.SOURCES_PACKAGE) -> list[str]:
    """Every published table ``revisions`` is derived from: each revising table and its earlier editions."""
    return sorted(name for table, source in revising_tables(package).items()
                  for name in [table, *(edition_table(table, edition) for edition in source.earlier_editions)])


def build_revisions(frames: Mapping[str, pd.DataFrame], package: str = registry.SOURCES_PACKAGE) -> pd.DataFrame:
    """``revisions`` from the revising tables and their earlier editions (``{published name: frame}``).

    Assembled from integer codes (as ``indicators`` is): each edition's values come from
    :func:`derived.indicator_values`, their countries, indicators, tables and editions become codes into
    sorted lists, the rows are sorted on the codes and compared with the row before them on the codes,
    and the text columns are taken from the lists once, at the end.
    """
    pieces = []
    for table, source in revising_tables(package).items():
        for edition in (e for e in source.editions if e.files):
            name = table if edition.current else registry.edition_table(table, edition)
            found = indicator_values({table: frames[name]}, package)
            if len(found.value):
                pieces.append((table, edition, found))
    tables = sorted({table for table, _, _ in pieces})
    indicators = sorted({spec.id for _, _, found in pieces for spec in found.specs})
    countries = sorted({iso3 for _, _, found in pieces for iso3 in found.countries})
    editions = sorted({edition.name for _, edition, _ in pieces})
    dates = sorted({edition.released for _, edition, _ in pieces})

    # Small codes (at most a few hundred countries, indicators, editions; years below 32,768): int16
    # keeps the sort keys of millions of rows small (a build on inputs 10x larger peaks here).
    def codes(values: list[str], categories: list[str]) -> np.ndarray:
        return np.searchsorted(np.array(categories, dtype=object), np.array(values, dtype=object)).astype(np.int16)

    def constant(code: int, found: IndicatorValues) -> np.ndarray:
        return np.full(len(found.value), code, dtype=np.int16)

    table_code = np.concatenate([constant(tables.index(t), f) for t, _, f in pieces])
    indicator_code = np.concatenate([codes([s.id for s in f.specs], indicators)[f.spec] for _, _, f in pieces])
    iso3_code = np.concatenate([codes(f.countries, countries)[f.iso3] for _, _, f in pieces])
    year = np.concatenate([f.year.astype(np.int16) for _, _, f in pieces])
    edition_code = np.concatenate([constant(editions.index(e.name), f) for _, e, f in pieces])
    date_code = np.concatenate([constant(dates.index(e.released), f) for _, e, f in pieces])
    value = np.concatenate([f.value for _, _, f in pieces])
    pieces.clear()  # the editions' own arrays are not needed past this point
    order = np.lexsort((date_code, year, iso3_code, indicator_code, table_code))
    keys = [table_code[order], indicator_code[order], iso3_code[order], year[order]]
    del table_code, indicator_code, iso3_code, year
    edition_code, date_code, value = edition_code[order], date_code[order], value[order]
    del order
    previous, change = changes(keys, edition_code, value)
    return pd.DataFrame({
        "table": text(tables, keys[0]), "indicator": text(indicators, keys[1]), "iso3": text(countries, keys[2]),
        "year": keys[3].astype(np.int64), "edition": text(editions, edition_code), "released": text(dates, date_code),
        "value": value, "previous_edition": text(editions, previous), "change": change,
    })


def changes(keys: list[np.ndarray], edition: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the previous edition (``-1``: none) and the change against it.

    The rows are sorted by the ``keys`` (table, indicator, country, year) and then by release date,
    so a row's previous edition is the row before it when both have the same keys.
    """
    same = np.zeros(len(value), dtype=bool)
    if len(value) > 1:
        same[1:] = np.logical_and.reduce([key[1:] == key[:-1] for key in keys])
    previous = np.where(same, np.roll(edition, 1), -1)
    change = np.where(same, value - np.roll(value, 1), np.nan)
    return previous, change


class RevisionsSchema(CountryTable):
    """One row per table, indicator, country, year and edition of the revising sources."""

    table: Series[str] = pa.Field(
        title="Table", description="Published table of the value's source (undp_hdi, wb_wgi, itu_ict).",
        metadata={"unit": "category"},
    )
    indicator: Series[str] = pa.Field(
        title="Indicator", description="Indicator id, as in the indicators table (kz.indicators() lists them).",
        metadata={"unit": "category"},
    )
    year: Series[int] = pa.Field(
        ge=1990, le=2030, title="Year", description="Year the value refers to (not the edition's year).",
        metadata={"unit": "year"},
    )
    edition: Series[str] = pa.Field(
        title="Edition", description="Edition that published the value (kz.editions(table) lists them).",
        metadata={"unit": "category"},
    )
    released: Series[str] = pa.Field(
        title="Released",
        description="Release date of the edition (ISO date; kz.editions(table) says where it comes from).",
        metadata={"unit": "date"},
    )
    value: Series[float] = pa.Field(
        title="Value", description="The value the edition published, unchanged; never missing.",
        metadata={"unit": "see the indicator's unit (kz.indicators())"},
    )
    previous_edition: Series[str] = pa.Field(
        nullable=True, title="Previous edition",
        description="The latest earlier edition that published a value for this country-year; missing when none did.",
        metadata={"unit": "text"},
    )
    change: Series[float] = pa.Field(
        nullable=True, title="Change against the previous edition",
        description="value minus the previous edition's value (a revision, not a movement over time); missing "
        "when no earlier edition published this country-year.",
        metadata={"unit": "see the indicator's unit (kz.indicators())"},
    )

    class Config:
        name = TABLE
        title = "Revisions: every edition's values of UNDP HDR, WGI and ITU"
        description = (
            "For the sources that republish their whole back series in each edition (UNDP HDR, World Bank WGI, "
            "ITU), every edition's value of every indicator, with the change against the previous edition."
        )
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = KEY

    @pa.check("released", error=pa.Check.str_matches(RELEASED).error)
    @classmethod
    @inherited_check_name("str_matches")
    def released_is_an_iso_date(cls, released: pd.Series) -> pd.Series | bool:
        # pandera's str_matches, named and reported as it is, but decided on the few distinct dates.
        return matches_pattern(released, RELEASED)

    @pa.dataframe_check(name="change is value minus the previous edition's value, and only where there is one")
    @classmethod
    def change_follows_previous(cls, frame: pd.DataFrame) -> pd.Series:
        has_previous = frame["previous_edition"].notna()
        return has_previous == frame["change"].notna()

    @pa.dataframe_check(name="the previous edition was released before the row's edition")
    @classmethod
    def previous_is_earlier(cls, frame: pd.DataFrame) -> pd.Series:
        # A few editions and dates: the release of each distinct previous edition is looked up once
        # (missing for an edition no row publishes), then taken per row by its code (a per-row map
        # of 361,165 strings cost twice as much).
        released = frame.drop_duplicates("edition").set_index("edition")["released"]
        codes, editions = pd.factorize(frame["previous_edition"])
        previous = pd.Series(released.reindex(editions).array.take(codes, allow_fill=True), index=frame.index)
        return frame["previous_edition"].isna() | (previous < frame["released"])


def edition_entries(
    source: Source, built: Sequence[tuple[Edition, Any, str]], year: str | None
) -> list[dict[str, Any]]:
    """The ``editions`` list of a current table's resource, oldest first: per edition its release, path,
    years, rows and countries. ``built`` holds ``(edition, frame, published path)`` of the current table
    and, for a revising source, of each earlier edition; a source that publishes each year once has one
    edition per year of the current table (the years it has rows for)."""
    if source.revising:
        ordered = sorted(built, key=lambda item: item[0].released)
        return [entry(edition, path, frame, year) for edition, frame, path in ordered]
    ((_, current, path),) = built
    if year is None:
        return []
    years = current[year].astype("int64").to_numpy()
    rows = ((edition, current[years == edition.years[0]]) for edition in source.editions)
    return [entry(edition, path, frame, year) for edition, frame in rows if len(frame)]


def entry(edition: Edition, path: str, frame: Any, year: str | None) -> dict[str, Any]:
    span = [int(frame[year].min()), int(frame[year].max())] if year is not None and len(frame) else []
    return {
        "name": edition.name, "aliases": list(edition.aliases), "released": edition.released,
        "released_source": edition.released_source, "current": edition.current, "path": path,
        "years": span, "rows": len(frame), "countries": int(frame["iso3"].nunique()) if "iso3" in frame else 0,
        "note": edition.note,
    }
