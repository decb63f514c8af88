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

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ...countries import to_iso3
from ...errors import ParseError
from .._read import cells_to_number, column_letters, read_csv_text, read_excel_sheet, require_columns, to_number
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
    raw = read_csv_text(path, encoding="utf-8-sig")
    require_columns(raw, DATAHUB_COLUMNS, file=file)
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
    counts = rows.loc[
        rows["indicator"] == spec.count.indicator,
        ["iso3", "year", "footnote", "data_source", "is_estimate"],
    ]
    merged = rows.merge(
        counts, on=["iso3", "year"], how="left", suffixes=("", "_count"), validate="many_to_one"
    )
    is_rate = merged["indicator"] == spec.rate.indicator
    bare = is_rate & (merged["footnote"] == "") & (merged["data_source"] == "")
    for column in ("footnote", "data_source"):
        merged.loc[bare, column] = merged.loc[bare, f"{column}_count"].fillna("")
    count_estimate = merged["is_estimate_count"].fillna(False).astype(bool)
    merged["is_estimate"] = merged["is_estimate"] | (is_rate & count_estimate)
    return merged.drop(columns=["footnote_count", "data_source_count", "is_estimate_count"])


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
    table = pd.concat([parse_excel_series(paths[spec.name], spec) for spec in layout.JUNE_2019_FILES],
                      ignore_index=True)
    return {"itu_ict": finish(table)}


def parse_fixed_telephone(path: Path) -> pd.DataFrame:
    """The June 2019 Excel file -> long rows of fixed-telephone counts and per-100 values."""
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

    data = cells.iloc[2:]
    names = data[0].map(lambda cell: fold_space(str(cell)))
    blank = pd.Series(
        [all(str(cell).strip() == "" for cell in row) for row in data.to_numpy()], index=data.index
    )
    data, names = data[~blank], names[~blank]
    if data.empty:
        msg = f"{file}: no economy rows under the two header rows"
        raise ParseError(msg)
    if (names == "").any():
        row = int(names.index[names == ""][0]) + 1
        msg = f"{file}: row {row} has values but no economy name in column A"
        raise ParseError(msg)
    kept = ~names.isin(list(NOT_ISO_NAMES))
    data, names = data[kept], names[kept]
    iso3 = to_iso3(names, file=file)

    origin = f"{file} ({spec.vintage})"
    parts = []
    for offset, year in enumerate(years):
        footnote = data[meta_start + 2 * offset].map(lambda cell: footnote_text(str(cell)))
        data_source = data[meta_start + 2 * offset + 1].map(lambda cell: fold_space(str(cell)))
        for start, (_, indicator) in zip(starts, spec.blocks, strict=True):
            column = start + offset
            label = f"{column_letters(column + 1)} ({year})"
            value = cells_to_number(data[column], file=file, column=label, numbers_as_text=True)
            present = value.notna()
            parts.append(
                pd.DataFrame(
                    {
                        "iso3": iso3[present],
                        "country": names[present],
                        "year": year,
                        "indicator": indicator,
                        "value": value[present],
                        "footnote": footnote[present],
                        "data_source": data_source[present],
                    }
                )
            )
    rows = pd.concat(parts, ignore_index=True)
    # Estimate marks and notes once over every year and every block, not once per column.
    rows["is_estimate"] = names_itu_estimate(rows["data_source"])
    rows["note"] = compose_note(rows["footnote"], rows["data_source"])
    rows["origin"] = origin
    return rows.drop(columns=["footnote", "data_source"])


def names_itu_estimate(data_source: pd.Series) -> pd.Series:
    """``data_source.str.contains(ITU_ESTIMATE)``, the pattern tried once per distinct source text."""
    return data_source.isin([text for text in data_source.unique() if ITU_ESTIMATE.search(text)])


def each_distinct(values: pd.Series, function: Callable[[str], str]) -> pd.Series:
    """``values.map(function)``, calling ``function`` once per distinct value.

    A DataHub file repeats a few hundred names, notes and sources over thousands of rows.
    """
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    mapped = np.array([function(value) for value in distinct], dtype=object)
    return pd.Series(mapped[codes], index=values.index, name=values.name, dtype=values.dtype)


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
    """'<footnote> | Source: <source>', either part left out when empty; missing if both are."""
    source = ("Source: " + data_source).where(data_source != "", "")
    both = (footnote != "") & (source != "")
    note = footnote.where(footnote != "", source)
    note = note.where(~both, footnote + " | " + source)
    return note.where(note != "", pd.NA).astype("string")
