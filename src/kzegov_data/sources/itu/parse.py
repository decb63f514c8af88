"""Parse five ITU DataHub CSV exports and the June 2019 fixed-telephone Excel file into ``itu_ict``.

Layout quirks (see the mirror's ``itu/PROVENANCE.md``):

* DataHub: one CSV holds two series, the count and the per-100 rate; ``seriesCode`` tells them
  apart (``seriesUnits`` is wrong on half the rows and is ignored). Values are ``%g`` text with 6
  significant digits (``"2.61701e+007"``). "ITU estimate" appears in ``dataSource`` of the count
  row only, so a per-100 value takes the estimate mark (and, when it has none of its own, the
  footnote and source) of the count row of the same economy and year.
* ``entityIso`` is ITU's code: KSO (Kosovo, XKX), AAA (Guernsey, GGY) and GBJ (Jersey, JEY) are
  reviewed overrides; ANT (Netherlands Antilles) is kept under its former code, as in every
  source; ASC (Ascension) is dropped, see
  ``NOT_ISO_ENTITIES``.
* The 2019 Excel file: two header rows (block titles, then years as floats), then one row per
  economy named in column A (no code column); block B-T holds counts, V-AN per-100 values,
  then pairs of ``Notes <year>``/``Source <year>`` columns. Columns U and AO are unlabelled
  separators and are ignored (the sister files of the same release hold stray numbers there).
* The earlier edition, ITU's June 2019 Excel release (:mod:`.editions_layout`): four files of
  that layout (Internet use has one block of percentages), read by :func:`parse_edition` through
  the same code as the fixed-telephone file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..._io import sha256_file
from ...countries import to_iso3
from ...errors import ParseError
from .._read import (
    cell_kinds,
    cells_to_float,
    cells_to_number,
    column_letters,
    read_csv_columns,
    read_excel_sheet,
    to_number,
)
from . import DATAHUB_FILES, FIXED_TELEPHONE_FILE, INDICATORS, DataHubFile
from . import editions_layout as layout

DATAHUB_COLUMNS = [
    "seriesID",
    "seriesCode",
    "seriesName",
    "seriesParent",
    "seriesUnits",
    "entityID",
    "entityIso",
    "entityName",
    "dataValue",
    "dataYear",
    "dataNote",
    "dataSource",
    "seriesDescription",
]
#: The columns the parser reads.
DATAHUB_READ = ["seriesID", "seriesCode", "entityIso", "entityName", "dataValue", "dataYear", "dataNote", "dataSource"]
#: ITU entities without an ISO 3166-1 code of their own, left out with the reason why. Matched by
#: ITU code in the DataHub files and by name in the 2019 Excel file.
NOT_ISO_ENTITIES: dict[str, str] = {
    "ASC": (
        "Ascension: part of ISO's SHN (Saint Helena, Ascension and Tristan da Cunha), which ITU "
        "publishes separately as 'St. Helena' (mapping ASC to SHN would give two values a year)"
    ),
}
NOT_ISO_NAMES: dict[str, str] = {"Ascension": "ASC"}

#: ITU's own estimates, however capitalised: "ITU estimate.", "ITU Estimate.", "ITU estimate
#: based on GSMA", "SITTEL. ITU estimate.". Estimates by others ("DEC estimate.") are not ITU's.
ITU_ESTIMATE = re.compile(r"\bITU\s+estimate", re.IGNORECASE)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """Raw files (by name) -> ``{"itu_ict": tidy frame}``, one row per country, year, indicator."""
    parts = [parse_datahub(paths[spec.name], spec) for spec in DATAHUB_FILES]
    parts.append(parse_fixed_telephone(paths[FIXED_TELEPHONE_FILE]))
    return {"itu_ict": finish(pd.concat(parts, ignore_index=True))}


def finish(table: pd.DataFrame) -> pd.DataFrame:
    """Every edition's last step: the unit of each indicator, and the table's order."""
    table["unit"] = table["indicator"].map({name: indicator.unit for name, indicator in INDICATORS.items()})
    return table.sort_values(["iso3", "year", "indicator"], ignore_index=True)


def parse_datahub(path: Path, spec: DataHubFile) -> pd.DataFrame:
    """One DataHub export -> long rows of its count and rate series."""
    file = path.name
    # Series names, units and descriptions (long texts repeated on every row) are checked in the header, never read.
    raw = read_csv_columns(path, header=DATAHUB_COLUMNS, columns=DATAHUB_READ, encoding="utf-8-sig")
    if raw.empty:
        msg = f"{file}: header only, no data rows; download the series again"
        raise ParseError(msg)
    check_series(raw, spec, file)

    dropped = raw["entityIso"].str.strip().isin(list(NOT_ISO_ENTITIES))
    raw = raw[~dropped]
    by_code = {s.code: s.indicator for s in spec.series}
    year = to_number(raw["dataYear"], file=file, column="dataYear")
    if year.isna().any() or (year % 1 != 0).any():
        msg = f"{file}: 'dataYear' must be a whole year on every row"
        raise ParseError(msg)
    value = to_number(raw["dataValue"], file=file, column="dataValue")
    if value.isna().any():
        # DataHub lists only the years that have a value: a blank one means the layout changed.
        msg = f"{file}: {int(value.isna().sum())} row(s) with an empty 'dataValue'"
        raise ParseError(msg)
    rows = pd.DataFrame(
        {
            "iso3": to_iso3(raw["entityIso"].str.strip(), file=file),
            "country": each_distinct(raw["entityName"], fold_space),
            "year": year.astype("int64"),
            "indicator": raw["seriesCode"].map(by_code),
            "value": value,
            "footnote": each_distinct(raw["dataNote"], footnote_text),
            "data_source": each_distinct(raw["dataSource"], fold_space),
        }
    )
    duplicated = rows.duplicated(["indicator", "iso3", "year"], keep=False)
    if duplicated.any():
        shown = rows.loc[duplicated, ["indicator", "iso3", "year"]].head(3).to_dict("records")
        msg = (
            f"{file}: {int(duplicated.sum())} rows repeat a series, economy and year, e.g. {shown}"
        )
        raise ParseError(msg)
    rows["is_estimate"] = names_itu_estimate(rows["data_source"])
    if spec.count is not None:
        rows = inherit_from_count(rows, spec)
    rows["note"] = compose_note(rows["footnote"], rows["data_source"])
    rows["origin"] = f"{file} (ITU DataHub, {spec.vintage})"
    return rows.drop(columns=["footnote", "data_source"])


def check_series(raw: pd.DataFrame, spec: DataHubFile, file: str) -> None:
    """The file holds exactly the expected series, each under its DataHub series id."""
    found = raw.groupby(["seriesCode", "seriesID"]).size()
    expected = {(s.code, s.series_id) for s in spec.series}
    unknown = sorted(set(found.index) - expected)
    missing = sorted(expected - set(found.index))
    if unknown or missing:
        msg = (
            f"{file}: expected the series (code, id) {sorted(expected)}; "
            f"unexpected {unknown}, missing {missing}. Is it the right DataHub download?"
        )
        raise ParseError(msg)


def inherit_from_count(rows: pd.DataFrame, spec: DataHubFile) -> pd.DataFrame:
    """Rate rows take the count row's estimate mark, and its footnote and source if they have none.

    ITU computes the per-100 value from the count and attaches "ITU estimate" and the footnotes to
    the count row. A few rate rows carry "ITU estimate" themselves (their count row may not): a
    rate is an estimate when either row says so.
    """
    assert spec.count is not None
    is_count = (rows["indicator"] == spec.count.indicator).to_numpy()
    # Economy and year as one integer key, looked up in an integer index (not a MultiIndex of texts).
    economy, _ = pd.factorize(rows["iso3"], use_na_sentinel=False)
    year, years = pd.factorize(rows["year"], use_na_sentinel=False)
    key = economy.astype("int64") * len(years) + year
    # The count row of each row's economy and year (-1: none); the keys are unique (checked above).
    at = pd.Index(key[is_count]).get_indexer(pd.Index(key))
    has_count = at >= 0

    def of_count(column: str, missing: object) -> np.ndarray:
        """Each row's count-row value of ``column``; ``missing`` where there is no count row."""
        values = np.full(len(rows), missing, dtype=object)
        values[has_count] = rows[column].to_numpy(dtype=object)[is_count][at[has_count]]
        return values

    is_rate = (rows["indicator"] == spec.rate.indicator).to_numpy()
    bare = is_rate & (rows["footnote"] == "").to_numpy() & (rows["data_source"] == "").to_numpy()
    inherited = rows.reset_index(drop=True)
    for column in ("footnote", "data_source"):
        texts = rows[column].to_numpy(dtype=object)
        texts[bare] = of_count(column, "")[bare]
        inherited[column] = pd.Series(texts, dtype=rows[column].dtype)
    count_estimate = of_count("is_estimate", False).astype(bool)
    inherited["is_estimate"] = rows["is_estimate"].to_numpy() | (is_rate & count_estimate)
    return inherited


def parse_edition(edition: str, paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """One edition's raw files (by name) -> ``{"itu_ict": frame}``, columns and order as the current table.

    The current edition (``DataHub 2025``) is :func:`parse`. ``June 2019`` is ITU's Excel release:
    Internet use, mobile-cellular, fixed-broadband and fixed-telephone series 2000-2018, each file
    read the way :func:`parse` reads the fixed-telephone file of that release.

    >>> [spec.name.split("_")[0] for spec in layout.JUNE_2019_FILES]
    ['Individuals', 'Mobile', 'Fixed', 'Fixed']
    """
    if edition == layout.CURRENT_EDITION:
        return parse(paths)
    if edition != layout.EDITION:
        msg = f"itu has no edition {edition!r}; its editions are {[layout.EDITION, layout.CURRENT_EDITION]}"
        raise ValueError(msg)
    table = pd.concat(
        [
            parse_fixed_telephone(paths[spec.name]) if spec == layout.FIXED_TELEPHONE
            else parse_excel_series(paths[spec.name], spec)
            for spec in layout.JUNE_2019_FILES
        ],
        ignore_index=True,
    )
    return {"itu_ict": finish(table)}


def parse_fixed_telephone(path: Path) -> pd.DataFrame:
    """The June 2019 Excel file -> long rows of fixed-telephone counts and per-100 values.

    Both editions read this file (the current table for its fixed-telephone series, the June 2019
    edition as one of its four files): a build parses it once, the rows kept for the file's bytes.
    """
    return fixed_telephone_rows_of(path, sha256_file(path)).copy()


@functools.lru_cache(maxsize=1)
def fixed_telephone_rows_of(path: Path, sha256: str) -> pd.DataFrame:
    """:func:`parse_excel_series` of the fixed-telephone file at ``path``, whose bytes have this sha256."""
    return parse_excel_series(path, layout.FIXED_TELEPHONE)


def parse_excel_series(path: Path, spec: layout.ExcelSeriesFile) -> pd.DataFrame:
    """One file of the June 2019 release -> long rows of each of its blocks."""
    cells = read_excel_sheet(path, layout.SHEET)
    return excel_series_rows(cells, path.name, spec)


def fixed_telephone_layout() -> dict[tuple[int, int], object]:
    """(row, column) -> the header cell the parser expects; columns U and AO are not checked."""
    return excel_series_layout(layout.FIXED_TELEPHONE)


def fixed_telephone_rows(cells: pd.DataFrame, file: str) -> pd.DataFrame:
    """The fixed-telephone sheet's cells (by position) -> long rows; every layout surprise is a ParseError."""
    return excel_series_rows(cells, file, layout.FIXED_TELEPHONE)


def block_starts(spec: layout.ExcelSeriesFile) -> tuple[list[int], int]:
    """Column (from 0) of each value block's first year, and of the first notes column.

    Column A holds the name; each block is one column a year, then an unlabelled separator.
    """
    starts = [1 + number * (len(layout.YEARS) + 1) for number in range(len(spec.blocks))]
    return starts, 1 + len(spec.blocks) * (len(layout.YEARS) + 1)


def excel_series_layout(spec: layout.ExcelSeriesFile) -> dict[tuple[int, int], object]:
    """(row, column) -> the header cell the parser expects; the separator columns are not checked."""
    years = layout.YEARS
    starts, meta_start = block_starts(spec)
    expected: dict[tuple[int, int], object] = {(0, 0): "", (1, 0): ""}
    for start, (title, _) in zip(starts, spec.blocks, strict=True):
        expected[(0, start)] = title
        for offset, year in enumerate(years):
            expected[(1, start + offset)] = float(year)
    expected[(0, meta_start)] = spec.metadata_title
    for offset, year in enumerate(years):
        expected[(1, meta_start + 2 * offset)] = f"Notes {year}"
        expected[(1, meta_start + 2 * offset + 1)] = f"Source {year}"
    return expected


def excel_series_rows(cells: pd.DataFrame, file: str, spec: layout.ExcelSeriesFile) -> pd.DataFrame:
    """The sheet's cells (by position) -> long rows; every layout surprise is a ParseError."""
    years = layout.YEARS
    starts, meta_start = block_starts(spec)
    width = meta_start + 2 * len(years)
    if cells.shape[0] < 3 or cells.shape[1] != width:
        blocks = ", ".join(
            f"{len(years)} values ({INDICATORS[indicator].unit}), separator" for _, indicator in spec.blocks
        )
        msg = (
            f"{file}: sheet {layout.SHEET!r} has {cells.shape[1]} columns and "
            f"{cells.shape[0]} rows; the parser knows {width} columns (name, {blocks}, "
            f"{2 * len(years)} notes/sources) and at least 3 rows. The publisher "
            "may have changed the layout: check the file, then update the parser."
        )
        raise ParseError(msg)
    wrong = []
    for (row, column), wanted in excel_series_layout(spec).items():
        found = cells.iloc[row, column]
        # Titles are compared without surrounding blanks (the Internet file ends one with a space).
        same = (
            isinstance(found, str) and found.strip() == wanted
            if isinstance(wanted, str)
            else (isinstance(found, int | float) and float(found) == wanted)
        )
        if not same:
            wrong.append(f"{column_letters(column + 1)}{row + 1}: expected {wanted!r}, found {found!r}")
    if wrong:
        msg = (
            f"{file}: the header is not the one the parser knows ({'; '.join(wrong[:4])}"
            f"{'; ...' if len(wrong) > 4 else ''}). The publisher may have changed the layout: "
            "check the file, then update the parser."
        )
        raise ParseError(msg)

    # Work on the cells as one array: every per-cell rule runs once per distinct text, and the
    # long rows (year-major, then block, then sheet row, as one frame per year and block would
    # give) come from one frame instead of one per year and block.
    data = cells.iloc[2:].to_numpy(dtype=object)
    sheet_rows = cells.index[2:].to_numpy()
    # As text: the names (column A), then the notes and sources (pairs of columns from meta_start).
    texts = as_text(data[:, [0, *range(meta_start, width)]])
    names = map_distinct(texts[:, 0], fold_space)
    blank = blank_cells(data).all(axis=1)
    data, texts, names, sheet_rows = data[~blank], texts[~blank], names[~blank], sheet_rows[~blank]
    if len(data) == 0:
        msg = f"{file}: no economy rows under the two header rows"
        raise ParseError(msg)
    if (names == "").any():
        row = int(sheet_rows[names == ""][0]) + 1
        msg = f"{file}: row {row} has values but no economy name in column A"
        raise ParseError(msg)
    kept = ~np.isin(names, list(NOT_ISO_NAMES))
    data, texts, names, sheet_rows = data[kept], texts[kept], names[kept], sheet_rows[kept]
    country = pd.Series(names, index=sheet_rows, dtype="str")
    iso3 = to_iso3(country, file=file)

    # Value columns in row order year by year, each year block by block: (year, block) x row.
    columns = [start + offset for offset in range(len(years)) for start in starts]
    values, bad = cells_to_float(data[:, columns].T.ravel(), numbers_as_text=True)
    if bad.any():
        first = columns[int(bad.nonzero()[0][0]) // len(data)]
        year = years[(first - 1) % (len(years) + 1)]
        # Raises, with the message a column-by-column conversion gives for the first bad column.
        cells_to_number(pd.Series(data[:, first], index=sheet_rows), file=file,
                        column=f"{column_letters(first + 1)} ({year})", numbers_as_text=True)
    present = ~np.isnan(values)

    # Notes and estimate marks per year and economy (every block of a year shares them): year x row.
    footnote = map_distinct(texts[:, 1::2].T.ravel(), footnote_text)
    data_source = map_distinct(texts[:, 2::2].T.ravel(), fold_space)
    note = compose_note(pd.Series(footnote, dtype="str"), pd.Series(data_source, dtype="str")).array
    is_estimate = names_itu_estimate(pd.Series(data_source, dtype="str")).to_numpy()
    block_count, row_count = len(spec.blocks), len(data)

    def each_block(per_year_and_row: np.ndarray) -> np.ndarray:
        """year x row -> (year, block) x row, for the cells that hold a value."""
        by_year = np.asarray(per_year_and_row).reshape(len(years), 1, row_count)
        return np.broadcast_to(by_year, (len(years), block_count, row_count)).ravel()[present]

    economy = np.tile(np.arange(row_count), len(years) * block_count)[present]
    indicators = np.array([indicator for _, indicator in spec.blocks], dtype=object)
    return pd.DataFrame(
        {
            "iso3": iso3.array.take(economy),
            "country": pd.array(names[economy], dtype="str"),
            "year": np.repeat(np.array(years, dtype="int64"), block_count * row_count)[present],
            "indicator": pd.array(np.tile(np.repeat(indicators, row_count), len(years))[present], dtype="str"),
            "value": values[present],
            "is_estimate": each_block(is_estimate),
            "note": note.take(each_block(np.arange(len(note)))),
            "origin": f"{file} ({spec.vintage})",
        }
    )


def names_itu_estimate(data_source: pd.Series) -> pd.Series:
    """``data_source.str.contains(ITU_ESTIMATE)``, the pattern tried once per distinct source text."""
    return data_source.isin([text for text in data_source.unique() if ITU_ESTIMATE.search(text)])


def each_distinct(values: pd.Series, function: Callable[[str], str]) -> pd.Series:
    """``values.map(function)``, calling ``function`` once per distinct value.

    A DataHub file repeats a few hundred names, notes and sources over thousands of rows.
    """
    # Factorized as text (Arrow's dictionary encoding), not as an object array of every cell.
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    mapped = pd.Series([function(text) for text in distinct], dtype=values.dtype)
    return pd.Series(mapped.array.take(codes), index=values.index, name=values.name)


def as_text(cells: np.ndarray) -> np.ndarray:
    """``str(cell)`` for every cell of an object array (text cells, most of a sheet, stay as they are)."""
    flat = cells.ravel()
    _, _, is_text = cell_kinds(flat)
    texts = flat.copy()
    texts[~is_text] = [str(cell) for cell in flat[~is_text]]
    return texts.reshape(cells.shape)


def blank_cells(cells: np.ndarray) -> np.ndarray:
    """``str(cell).strip() == ""`` for every cell of an object array; a number is never blank."""
    flat = cells.ravel()
    _, is_number, is_text = cell_kinds(flat)
    blank = np.zeros(len(flat), dtype=bool)
    blank[is_text] = map_distinct(flat[is_text], str.strip) == ""
    other = ~is_number & ~is_text
    blank[other] = [str(cell).strip() == "" for cell in flat[other]]
    return blank.reshape(cells.shape)


def map_distinct(texts: np.ndarray, function: Callable[[str], str]) -> np.ndarray:
    """``function`` on every element of an array of texts (any shape), called once per distinct text."""
    codes, distinct = pd.factorize(texts.ravel(), use_na_sentinel=False)
    mapped = np.array([function(text) for text in distinct], dtype=object)
    return mapped[codes].reshape(texts.shape)


def fold_space(text: str) -> str:
    """Trim and fold runs of white space (ITU's notes hold stray line breaks and double spaces)."""
    return " ".join(text.split())


#: Footnotes that stand for "no footnote": ITU writes a bare ``-`` in a few ``dataNote`` cells (Myanmar
#: fixed broadband 2021-2022) where others are empty; kept, it would start the published note with a
#: character spreadsheets read as a formula.
NO_FOOTNOTE = frozenset({"-"})


def footnote_text(text: str) -> str:
    """A footnote cell, white space folded; ITU's placeholder for none (``-``) is no footnote."""
    folded = fold_space(text)
    return "" if folded in NO_FOOTNOTE else folded


def compose_note(footnote: pd.Series, data_source: pd.Series) -> pd.Series:
    """'<footnote> | Source: <source>', either part left out when empty; missing if both are.

    Both are text, ``""`` when empty. The note is put together once per distinct (footnote,
    source) pair: a file has a few hundred of them.
    """
    footnotes, footnote_texts = pd.factorize(footnote, use_na_sentinel=False)
    sources, source_texts = pd.factorize(data_source, use_na_sentinel=False)
    pairs, distinct = pd.factorize(footnotes.astype("int64") * len(source_texts) + sources)
    footnote_list, source_list = footnote_texts.tolist(), source_texts.tolist()
    notes = pd.array(
        [
            note_text(footnote_list[pair // len(source_list)], source_list[pair % len(source_list)])
            for pair in distinct.tolist()
        ],
        dtype="string",
    )
    return pd.Series(notes.take(pairs), index=footnote.index, dtype="string")


def note_text(footnote: str, data_source: str) -> str | None:
    """One note of :func:`compose_note` (None when both parts are empty)."""
    source = f"Source: {data_source}" if data_source != "" else ""
    if footnote != "" and source != "":
        return f"{footnote} | {source}"
    return footnote or source or None
