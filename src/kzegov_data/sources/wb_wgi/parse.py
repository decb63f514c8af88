"""Parse the WGI 2024 Update, ``wgidataset.xlsx``, into table ``wb_wgi`` (and earlier editions too).

Layout quirks (see the mirror's ``wb_wgi/PROVENANCE.md``): one long sheet ``Sheet1``, one row per
economy, year and indicator; missing values are the text ``..`` in all six value columns at once;
there are no years 1997, 1999 and 2001; codes are World Bank legacy codes (ROM, ZAR, ADO, TMP, KSV,
WBG), mapped through the reviewed overrides; ANT, the Netherlands Antilles dissolved in 2010, keeps
its former ISO code (see ``countries.EXTRA_CODES``). The file holds no aggregates.

The earlier editions (2019 and 2021 Updates) come in the old wide layout, one sheet per indicator
(:mod:`.editions_layout`); :func:`parse_edition` reads them into the very same frame, through the
same conversion (:func:`tidy_table`) as the current file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ...countries import to_iso3
from ...errors import ParseError
from .._read import (
    cell_kinds,
    cells_to_number,
    cells_to_text,
    column_letters,
    header_cells,
    read_excel_table,
    workbook_sheets,
)
from . import DIMENSIONS, EDITION, FILE_NAME, MEASURES, SHEET, YEARS
from . import editions_layout as wide

COLUMNS = [
    "codeindyr", "code", "countryname", "year", "indicator",
    "estimate", "stddev", "nsource", "pctrank", "pctranklower", "pctrankupper",
]
MISSING = ("..",)
INDICATORS = {code: indicator for code, (indicator, _) in DIMENSIONS.items()}


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """Raw file -> ``{"wb_wgi": tidy frame}``, one row per economy, year and indicator."""
    path = paths[FILE_NAME]
    file = path.name
    raw = read_excel_table(path, SHEET, columns=COLUMNS)
    if raw.empty:
        msg = f"{file}: sheet {SHEET!r} has a header but no data rows"
        raise ParseError(msg)

    code = text_by_value(raw["code"], file=file, column="code")
    indicator_code = text_by_value(raw["indicator"], file=file, column="indicator")
    year = parse_years(raw["year"], file=file)
    unknown = sorted(set(indicator_code.unique()) - set(INDICATORS))
    if unknown:
        msg = f"{file}: unknown indicator code(s) {unknown}; the parser knows {list(INDICATORS)}"
        raise ParseError(msg)
    # codeindyr repeats code, indicator and year: a mismatch means shifted or edited columns.
    expected_key = code + indicator_code + year.astype("string")
    # Its 32,100 keys are all different: compared as they are first, and only should one differ
    # (perhaps only by white space) converted and stripped like any text column.
    if not (raw["codeindyr"].to_numpy(dtype=object) == expected_key.to_numpy(dtype=object)).all():
        row_key = cells_to_text(raw["codeindyr"], file=file, column="codeindyr")
        mismatch = row_key != expected_key
        if mismatch.any():
            first = int(mismatch.to_numpy().nonzero()[0][0])
            msg = (
                f"{file}: 'codeindyr' disagrees with code/indicator/year on {int(mismatch.sum())} "
                f"row(s), first at data row {first + 1} ({row_key.iloc[first]!r}); the columns may "
                "have shifted"
            )
            raise ParseError(msg)

    return {"wb_wgi": tidy_table(raw, code, indicator_code, year, file=file, edition=EDITION, missing=MISSING)}


def tidy_table(
    raw: pd.DataFrame, code: pd.Series, indicator_code: pd.Series, year: pd.Series, *,
    file: str, edition: str, missing: Sequence[str],
) -> pd.DataFrame:
    """The published frame from the raw cells (``countryname`` and the six value columns of the 2024
    file's names), the economy codes, indicator codes and years: one path for every edition."""
    # Economy and indicator codes repeat on every year and indicator: each distinct one is looked up once.
    code_of_row, distinct_codes = pd.factorize(code)
    indicator_of_row, distinct_indicators = pd.factorize(indicator_code)
    iso3 = to_iso3(pd.Series(distinct_codes), file=file).array
    indicator = pd.array([INDICATORS[name] for name in distinct_indicators], dtype="str")
    columns = {
        "iso3": iso3.take(code_of_row),
        "country": text_by_value(raw["countryname"], file=file, column="countryname").array,
        "year": year.to_numpy(dtype="int64"),
        "indicator": indicator.take(indicator_of_row),
    }
    for column, name in MEASURES.items():
        columns[name] = number_cells(raw[column], file=file, column=column, missing=missing)
    n_sources = columns["n_sources"]
    if not (n_sources[~np.isnan(n_sources)] % 1 == 0).all():
        msg = f"{file}: 'nsource' (number of sources) holds non-integer values"
        raise ParseError(msg)
    columns["n_sources"] = pd.array(n_sources, dtype="Int64")
    # Sorted by iso3, year and indicator as a stable sort_values would, on integer keys: the rank of
    # each distinct iso3 and indicator name (equal names share a rank), then np.lexsort (stable).
    iso3_rank = np.unique(iso3.to_numpy(dtype=object), return_inverse=True)[1]
    indicator_rank = np.unique(indicator.to_numpy(dtype=object), return_inverse=True)[1]
    order = np.lexsort((indicator_rank[indicator_of_row], columns["year"], iso3_rank[code_of_row]))
    table = pd.DataFrame({name: values[order] for name, values in columns.items()})
    table["edition"] = edition
    return table


#: What ``pd.api.types.infer_dtype`` calls an array of Python ints and floats only (no bool, text or date).
ONLY_NUMBERS = frozenset({"floating", "integer", "mixed-integer-float", "empty"})


def number_cells(values: pd.Series, *, file: str, column: str, missing: Sequence[str] = ("",)) -> np.ndarray:
    """:func:`cells_to_number` as an array, without looking at the type of each of a column's cells in Python.

    The cells that are exactly a missing marker are found by comparison; if the others are all ints
    and floats (``infer_dtype`` checks that in C) they are converted at once. Anything else (a marker
    with spaces around it, other text, a boolean, a date) goes to :func:`cells_to_number`, which
    accepts or rejects it with its message.
    """
    cells = values.to_numpy(dtype=object)
    is_missing = np.zeros(len(cells), dtype=bool)
    for marker in missing:
        is_missing |= cells == marker
    present = cells[~is_missing]
    if pd.api.types.infer_dtype(present, skipna=False) not in ONLY_NUMBERS:
        return cells_to_number(values, file=file, column=column, missing=missing).to_numpy()
    numbers = np.full(len(cells), np.nan)
    numbers[~is_missing] = present.astype("float64")
    return numbers


def text_by_value(values: pd.Series, *, file: str, column: str) -> pd.Series:
    """:func:`cells_to_text` of a column that repeats a few values: each distinct cell checked and stripped once.

    ``pd.factorize`` groups equal cells in C; a text cell equals only text, so the column is all
    non-blank text exactly when its distinct cells are (missing values are kept as values, not
    dropped). Otherwise :func:`cells_to_text` reads the whole column and raises its message.
    """
    row_codes, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    if not all(isinstance(cell, str) and cell.strip() for cell in distinct):
        return cells_to_text(values, file=file, column=column)
    stripped = pd.array([cell.strip() for cell in distinct], dtype="string")
    return pd.Series(stripped.take(row_codes), index=values.index, name=values.name)


def parse_years(values: pd.Series, *, file: str) -> pd.Series:
    """The ``year`` column as int; a year outside this edition's coverage means a new edition."""
    years = pd.Series(number_cells(values, file=file, column="year"), index=values.index)
    if years.isna().any() or not (years % 1 == 0).all():
        msg = f"{file}: 'year' must be a whole number on every row"
        raise ParseError(msg)
    years = years.astype("int64")
    found = set(years)
    if found != set(YEARS):
        msg = (
            f"{file}: the years differ from the {EDITION} coverage ({YEARS[0]}-{YEARS[-1]}, no "
            f"1997/1999/2001): unexpected {sorted(found - set(YEARS))}, missing "
            f"{sorted(set(YEARS) - found)}. A new edition? Check the file, then update EDITION "
            "and YEARS in sources/wb_wgi/__init__.py."
        )
        raise ParseError(msg)
    return years


# --- earlier editions: the old wide layout ----------------------------------------------------------


def parse_edition(edition: str, paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """One edition's raw file -> ``{"wb_wgi": frame}``, columns, dtypes and order as the current table.

    ``paths`` maps the edition's raw file name (``2019_update/wgidataset.xlsx``) to a local path.
    The current edition is :func:`parse`; an earlier one is read from the wide layout, one sheet
    per indicator, after checking that the workbook's title names that release.

    >>> sorted(wide.WIDE_EDITIONS)
    ['2019 Update', '2021 Update']
    """
    if edition == EDITION:
        return parse(paths)
    layout = wide.WIDE_EDITIONS.get(edition)
    if layout is None:
        msg = f"wb_wgi has no edition {edition!r}; its editions are {[*wide.WIDE_EDITIONS, EDITION]}"
        raise ValueError(msg)
    path, file = paths[layout.file], layout.file
    # The seven sheets from one read, check and opening of the workbook.
    sheets = workbook_sheets(path, [wide.INTRODUCTION_SHEET, *wide.SHEETS.values()])
    check_release_title(sheets[wide.INTRODUCTION_SHEET], layout)
    parts = [
        wide_sheet_rows(sheets[sheet], layout, sheet=sheet, indicator_code=code) for code, sheet in wide.SHEETS.items()
    ]
    # One frame of the six sheets' rows; the cells stay Python objects (no string inference on 25,680 rows).
    raw = pd.DataFrame({
        name: pd.Series(np.concatenate([part[name] for part in parts]), dtype=first.dtype)
        for name, first in parts[0].items()
    })
    # Each economy's rows follow one another, one per year: every len(years)-th row is each economy of
    # each sheet once, in the same order, which is all the check needs (25,680 rows -> 1,284).
    check_one_name_per_code(raw.iloc[:: len(layout.years)], file)
    code = text_by_value(raw["code"], file=file, column="code")
    indicator_code = raw["indicator"].astype("string")
    table = tidy_table(raw, code, indicator_code, raw["year"], file=file, edition=edition, missing=wide.MISSING)
    return {"wb_wgi": table}


def check_release_title(cells: np.ndarray, layout: wide.WideEdition) -> None:
    """The ``Introduction`` sheet's title (F2) must name the edition: the file name never changes."""
    row, column = wide.TITLE_CELL
    found = cells[row, column] if cells.shape[0] > row and cells.shape[1] > column else ""
    expected = wide.TITLE_PREFIX + layout.name
    if str(found).strip() != expected:
        msg = (
            f"{layout.file}: cell {column_letters(column + 1)}{row + 1} of sheet "
            f"{wide.INTRODUCTION_SHEET!r} reads {found!r}, not {expected!r}, so the file is not the "
            f"{layout.name}. Fetch that edition's file again (kzegov-data fetch) and check the mirror folder"
        )
        raise ParseError(msg)


def wide_sheet_rows(
    cells: np.ndarray, layout: wide.WideEdition, *, sheet: str, indicator_code: str
) -> dict[str, np.ndarray]:
    """One indicator sheet of the wide layout -> long raw columns (code, countryname, year, indicator, six values).

    The value cells stay as calamine gives them (numbers, or the ``#N/A`` text); every layout
    surprise is a ParseError naming the cell.
    """
    where = f"{layout.file} [{sheet}]"
    years = layout.years
    blocks, block_width = len(years), len(wide.BLOCK_HEADERS)
    width = len(wide.KEY_HEADERS) + blocks * block_width
    if cells.shape[0] <= wide.FIRST_DATA_ROW:
        msg = (
            f"{where}: {cells.shape[0]} rows; the layout has years in row {wide.YEAR_ROW + 1}, "
            f"headers in row {wide.HEADER_ROW + 1} and economies from row {wide.FIRST_DATA_ROW + 1}"
        )
        raise ParseError(msg)
    title = DIMENSIONS[indicator_code][1]
    if str(cells[wide.TITLE_ROW, 0]).strip() != title:
        msg = f"{where}: A1 reads {cells[wide.TITLE_ROW, 0]!r}, not the indicator's title {title!r}"
        raise ParseError(msg)
    require_row(
        cells, wide.YEAR_ROW, ["", "", *[str(year) for year in years for _ in range(block_width)]],
        where=where, what=f"the year of each block of {block_width} columns ({years[0]}-{years[-1]})",
    )
    require_row(
        cells, wide.HEADER_ROW, [*wide.KEY_HEADERS, *list(wide.BLOCK_HEADERS) * blocks],
        where=where, what="the headers",
    )
    body = cells[wide.FIRST_DATA_ROW :]
    stray = (body[:, width:] != "").any(axis=1).nonzero()[0]
    if len(stray):
        msg = (
            f"{where}: values right of column {column_letters(width)} (first in row "
            f"{wide.FIRST_DATA_ROW + 1 + int(stray[0])}), beyond the {blocks} years of the {layout.name}"
        )
        raise ParseError(msg)
    filled = (body != "").any(axis=1)
    end = int(filled.nonzero()[0][-1]) + 1 if filled.any() else 0
    if not filled[:end].all() or end == 0:
        row = wide.FIRST_DATA_ROW + 1 + (int((~filled[:end]).nonzero()[0][0]) if end else 0)
        msg = f"{where}: row {row} is empty; the economies run without gaps from row {wide.FIRST_DATA_ROW + 1}"
        raise ParseError(msg)
    body = body[:end, :width]
    for column, header in enumerate(wide.KEY_HEADERS):
        require_text(body[:, column], where=where, column=column, header=header)
    values = body[:, len(wide.KEY_HEADERS) :]
    require_numbers_or_missing(values, where=where, first_column=len(wide.KEY_HEADERS))
    economies = len(body)
    long_values = values.reshape(economies * blocks, block_width)
    return {
        "code": np.repeat(body[:, 1], blocks),
        "countryname": np.repeat(body[:, 0], blocks),
        "year": np.tile(np.array(years, dtype="int64"), economies),
        "indicator": np.full(economies * blocks, indicator_code, dtype=object),
        **{name: long_values[:, number] for number, name in enumerate(wide.BLOCK_HEADERS.values())},
    }


def require_row(cells: np.ndarray, row: int, expected: list[str], *, where: str, what: str) -> None:
    """Row ``row`` (from 0) must read ``expected`` (numbers as whole-number text), nothing right of it."""
    found = header_cells(cells[row])
    if found == expected:
        return
    padded = found + [""] * max(len(expected) - len(found), 0)
    expected_padded = expected + [""] * max(len(found) - len(expected), 0)
    column = next(i for i, (a, b) in enumerate(zip(padded, expected_padded, strict=True)) if a != b)
    msg = (
        f"{where}: row {row + 1} must hold {what}; cell {column_letters(column + 1)}{row + 1} reads "
        f"{padded[column]!r}, expected {expected_padded[column]!r}. The publisher may have changed the "
        "layout, or the file is another release: check it, then update sources/wb_wgi/editions_layout.py"
    )
    raise ParseError(msg)


def require_text(values: np.ndarray, *, where: str, column: int, header: str) -> None:
    """Every economy row has a non-empty text in this key column."""
    bad = [i for i, cell in enumerate(values) if not isinstance(cell, str) or not cell.strip()]
    if bad:
        msg = (
            f"{where}: column {header!r} must hold text on every economy row; cell "
            f"{column_letters(column + 1)}{wide.FIRST_DATA_ROW + 1 + bad[0]} holds {values[bad[0]]!r} "
            f"({len(bad)} such cell(s))"
        )
        raise ParseError(msg)


def require_numbers_or_missing(values: np.ndarray, *, where: str, first_column: int) -> None:
    """Every value cell is a number or the missing marker; else name the first other cell."""
    flat = values.ravel()
    is_marker = np.zeros(len(flat), dtype=bool)
    for marker in wide.MISSING:
        is_marker |= flat == marker
    if pd.api.types.infer_dtype(flat[~is_marker], skipna=False) in ONLY_NUMBERS:
        return  # exactly the markers and ints and floats (checked in C); else each cell's type, in Python
    cells, is_number, is_text = cell_kinds(pd.Series(flat, dtype=object))
    is_missing = np.zeros(len(cells), dtype=bool)
    is_missing[is_text] = np.isin(np.array([text.strip() for text in cells[is_text]], dtype=object), wide.MISSING)
    bad = (~is_number & ~is_missing).nonzero()[0]
    if len(bad):
        row, column = divmod(int(bad[0]), values.shape[1])
        msg = (
            f"{where}: cell {column_letters(first_column + column + 1)}{wide.FIRST_DATA_ROW + 1 + row} holds "
            f"{cells[bad[0]]!r}; a value cell holds a number or {wide.MISSING[0]!r} (missing) "
            f"({len(bad)} such cell(s))"
        )
        raise ParseError(msg)


def check_one_name_per_code(raw: pd.DataFrame, file: str) -> None:
    """An economy code has one name on all six sheets (else rows were shifted on one of them)."""
    names: dict[str, list[str]] = {}
    for code, name in zip(raw["code"].tolist(), raw["countryname"].tolist(), strict=True):
        found = names.setdefault(code, [])
        if name.strip() not in found:
            found.append(name.strip())
    several = {code: found for code, found in sorted(names.items()) if len(found) > 1}
    if several:
        shown = "; ".join(f"{code}: {', '.join(map(repr, found))}" for code, found in list(several.items())[:3])
        msg = f"{file}: {len(several)} economy code(s) carry different names on different sheets ({shown})"
        raise ParseError(msg)
