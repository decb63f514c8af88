"""Parse the World Bank classification into the ``countries`` and ``income_history`` tables.

``countries``, from the WDI country metadata CSV: rows with an empty Region are aggregates (WLD,
ECS, HIC...) and are dropped. Every ISO 3166-1 country is kept even where the World Bank lists no
economy, with region and income group missing.

``income_history``, from ``OGHIST.xlsx``, sheet ``Country Analytical History`` (layout quirks in the
mirror's ``wb_classification/PROVENANCE.md``): three title rows; the fiscal years ``FY89`` ...
``FY23`` in row 5 under ``Bank's fiscal year:``; the GNI data year of each in row 6 (``Data for
calendar year :``); the four groups' thresholds in rows 7-10, whose labels (``Low income (L)`` ...)
name the letter codes of the cells; then one row per economy, code in column A, name in B, from
row 12; a blank row, the footnote of ``LM*``, another blank row, six former or other economies, a
blank row and a note. ``..`` (not classified yet) and an empty cell (dissolved, or unclassified as
Venezuela in FY22-FY23) give no row. ``LM*`` (Yemen, FY89-FY90) is lower middle income: the
footnote says that the two Yemens of the time, combined, would have been LM.

In both files, the codes are World Bank codes: mostly ISO 3166-1 alpha-3, ``XKX`` for Kosovo (kept),
and the economies of :data:`NOT_ISO_ECONOMIES` (left out, each with its reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ...countries import INCOME_GROUPS, PEER_GROUPS, iter_countries, known_iso3, overrides
from ...errors import CountryError, ParseError
from .._read import cells_to_text, column_letters, read_csv_text, read_excel_table, require_columns
from . import FILE_NAME, FISCAL_YEARS, HISTORY_FILE, HISTORY_SHEET, YEARS, fiscal_year

COLUMNS = ["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]
#: World Bank codes of economies that no code the package publishes covers, left out, with why.
NOT_ISO_ECONOMIES = {
    "CHI": "Channel Islands: Jersey (JEY) and Guernsey (GGY) together",
    "CSK": "Czechoslovakia (former), dissolved 1993; ISO 3166-3 CSHH",
    "SUN": "USSR (former), dissolved 1991; ISO 3166-3 SUHH",
    "YUG": "Serbia and Montenegro (former), split 2006; ISO 3166-3 CSXX (alpha-3 SCG, not YUG)",
    "YUGf": "Yugoslavia (former), the SFR Yugoslavia, dissolved 1992; ISO 3166-3 YUCS",
}

# --- OGHIST.xlsx: where things are on the sheet -------------------------------------------------------

#: Sheet row (from 0) of ``Bank's fiscal year: FY89 ... FY23``, the header the table is read under.
HISTORY_HEADER_ROW = 4
HISTORY_HEADER = ("", "Bank's fiscal year:", *FISCAL_YEARS)
#: Rows below the header, from 0: the data years, then one threshold row per income group.
DATA_YEARS_ROW = 0
DATA_YEARS_LABEL = "Data for calendar year :"
#: The cells' letter codes, in the order of the threshold rows; each row is labelled "<group> (<code>)".
GROUP_CODES: dict[str, str] = {
    "L": INCOME_GROUPS["low"],
    "LM": INCOME_GROUPS["lower_middle"],
    "UM": INCOME_GROUPS["upper_middle"],
    "H": INCOME_GROUPS["high"],
}
THRESHOLD_ROWS = range(1, 1 + len(GROUP_CODES))
#: Marks with a footnote, reviewed: ``LM*`` (Yemen, FY89-FY90) is "Yemen, PDR (L) and Yemen, Arab
#: Rep. (LM); combined they would have been LM".
FOOTNOTED_CODES: dict[str, str] = {"LM*": INCOME_GROUPS["lower_middle"]}
#: ``..``: not classified (before independence, or no data); empty: not classified any more.
NOT_CLASSIFIED = ("..", "")


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """Raw files -> ``{"countries": frame, "income_history": frame}``."""
    return {
        "countries": parse_countries(paths[FILE_NAME]),
        "income_history": parse_income_history(paths[HISTORY_FILE]),
    }


def parse_countries(path: Path) -> pd.DataFrame:
    """The WDI metadata CSV -> ``countries``, one row per ISO 3166-1 country plus Kosovo and ANT."""
    raw = read_csv_text(path, encoding="utf-8-sig")
    # Every line ends with a comma, which pandas reads as an empty unnamed last column.
    trailing = [c for c in raw.columns if str(c).startswith("Unnamed:") and (raw[c] == "").all()]
    raw = raw.drop(columns=trailing)
    require_columns(raw.columns, COLUMNS, file=path.name)

    economies = raw[raw["Region"].str.strip() != ""]
    if economies.empty:
        msg = f"{path.name}: no economy rows (every row is an aggregate, or the file is header only)"
        raise ParseError(msg)
    codes = economy_codes(economies["Country Code"].str.strip(), file=path.name)
    classification = pd.DataFrame(
        {
            "iso3": codes,
            "wb_region": economies["Region"].str.strip(),
            "wb_income_group": economies["IncomeGroup"].str.strip().where(lambda group: group != ""),
        }
    )
    countries = pd.DataFrame(list(iter_countries()), columns=["iso3", "name", "iso_numeric"])
    table = countries.merge(classification, on="iso3", how="left", validate="one_to_one")
    for group, peer_group in PEER_GROUPS.items():
        table[group] = table["iso3"].isin(peer_group.members)
    return table.sort_values("iso3", ignore_index=True)


def economy_codes(codes: pd.Series, *, file: str) -> pd.Series:
    """World Bank economy codes -> the codes the package publishes (through the reviewed overrides).

    Codes of :data:`NOT_ISO_ECONOMIES` pass unchanged, for the caller to leave out. Raises
    :class:`CountryError` for a code that is neither, and for an economy listed twice.
    """
    mapped = codes.map(lambda code: overrides().get(code.casefold(), code))
    unknown = sorted(set(mapped) - known_iso3() - set(NOT_ISO_ECONOMIES))
    if unknown:
        msg = (
            f"{file}: World Bank economy codes with no ISO 3166-1 equivalent: {unknown}. "
            "Add a reviewed override or list them in NOT_ISO_ECONOMIES with a reason."
        )
        raise CountryError(msg)
    repeated = sorted(set(mapped[mapped.duplicated()]))
    if repeated:
        listed = "; ".join(f"{code} <- {' / '.join(codes[mapped == code])}" for code in repeated)
        msg = f"{file}: economies listed more than once: {listed}. Review the file and the overrides."
        raise CountryError(msg)
    return mapped


# --- income_history ------------------------------------------------------------------------------------


def parse_income_history(path: Path) -> pd.DataFrame:
    """``OGHIST.xlsx`` -> ``income_history``: one row per economy and year it was classified in."""
    file = f"{path.name} [{HISTORY_SHEET}]"
    body = read_excel_table(path, HISTORY_SHEET, columns=HISTORY_HEADER, header_row=HISTORY_HEADER_ROW)
    body.columns = pd.Index(["code", "name", *FISCAL_YEARS])
    check_data_years(body, file)
    check_group_codes(body, file)
    economies = economy_rows(body.iloc[THRESHOLD_ROWS.stop :], file)
    codes = cells_to_text(economies["code"], file=file, column="A (code)")
    cells_to_text(economies["name"], file=file, column="B (economy)")  # a shifted column has no names

    # One cell per economy and fiscal year, fiscal year by fiscal year (as a melt would give them), as
    # arrays: the sheet row of each (for messages), its economy, fiscal year and mark. A sheet holds a
    # handful of distinct marks, so each is read once and the answer spread back to its cells.
    n_years = len(FISCAL_YEARS)
    rows = np.tile(economies.index.to_numpy(), n_years)
    iso3 = np.tile(economy_codes(codes, file=file).to_numpy(dtype=object), n_years)
    labels = np.repeat(np.array(FISCAL_YEARS, dtype=object), len(economies))
    marks = economies[list(FISCAL_YEARS)].to_numpy(dtype=object).ravel(order="F")
    mark_of_cell, distinct_marks = pd.factorize(marks, use_na_sentinel=False)
    distinct_groups = [income_group(mark) for mark in distinct_marks]
    has_group = np.array([group is not None for group in distinct_groups], dtype=bool)
    unclassified = np.array([is_unclassified(mark) for mark in distinct_marks], dtype=bool)
    check_marks(marks, rows, labels, ~(has_group | unclassified)[mark_of_cell], codes, file)
    groups = np.array(distinct_groups, dtype=object)[mark_of_cell]
    classified = has_group[mark_of_cell] & ~np.isin(iso3, list(NOT_ISO_ECONOMIES))
    year_of = dict(zip(FISCAL_YEARS, YEARS, strict=True))
    table = pd.DataFrame(
        {
            "iso3": iso3[classified],
            "year": np.array([year_of[label] for label in labels[classified]], dtype="int64"),
            "fiscal_year": labels[classified],
            "wb_income_group": groups[classified],
        }
    )
    return table.sort_values(["iso3", "year"], ignore_index=True)


def economy_rows(below: pd.DataFrame, file: str) -> pd.DataFrame:
    """The rows with a code in column A; the blank, footnote and note rows between them must hold no marks."""
    has_code = below["code"] != ""
    stray = below.loc[~has_code, list(FISCAL_YEARS)] != ""
    if stray.to_numpy().any():
        rows, columns = stray.to_numpy().nonzero()
        row, column = stray.index[rows[0]], stray.columns[columns[0]]
        msg = (
            f"{file}: {cell(row, column)} holds {below.loc[row, column]!r} in a row without an economy code "
            "in column A; the layout changed: check the file, then update the parser"
        )
        raise ParseError(msg)
    if not has_code.any():
        msg = f"{file}: no economy rows below the thresholds (none from row {sheet_row(THRESHOLD_ROWS.stop)} on)"
        raise ParseError(msg)
    return below[has_code]


def check_marks(
    marks: np.ndarray, rows: np.ndarray, labels: np.ndarray, unknown: np.ndarray, codes: pd.Series, file: str
) -> None:
    """Every cell is a group's code, a reviewed footnoted code, or an unclassified mark.

    ``marks``, ``rows`` (sheet rows, from the header) and ``labels`` (fiscal years) describe each
    cell; ``unknown`` flags the cells that are none of those.
    """
    at = unknown.nonzero()[0]
    if not len(at):
        return
    shown = ", ".join(
        f"{marks[cell_at]!r} at {cell(rows[cell_at], labels[cell_at])} ({codes[rows[cell_at]]} {labels[cell_at]})"
        for cell_at in at[:5]
    )
    msg = (
        f"{file}: {len(at)} cell(s) hold no known classification: {shown}; the parser knows "
        f"{[*GROUP_CODES, *FOOTNOTED_CODES]} and the unclassified marks {list(NOT_CLASSIFIED)}. "
        "A new mark needs its footnote reviewed and a line in FOOTNOTED_CODES."
    )
    raise ParseError(msg)


def check_data_years(body: pd.DataFrame, file: str) -> None:
    """Row 6 must give each fiscal year the data year :func:`fiscal_year` maps it to (FY minus 2)."""
    row = body.loc[DATA_YEARS_ROW]
    if str(row["name"]).strip() != DATA_YEARS_LABEL:
        msg = (
            f"{file}: {cell(DATA_YEARS_ROW, 'name')} should read {DATA_YEARS_LABEL!r} (the GNI year of each "
            f"fiscal year), found {row['name']!r}; the layout changed: check the file, then update the parser"
        )
        raise ParseError(msg)
    for label, year in zip(FISCAL_YEARS, YEARS, strict=True):
        value = row[label]
        if not (isinstance(value, int | float) and not isinstance(value, bool) and value == year):
            msg = (
                f"{file}: {cell(DATA_YEARS_ROW, label)} gives {label} the data year {value!r}; the parser "
                f"publishes {label} as year {year} ({fiscal_year(year)} is based on {year} GNI per capita). "
                "Check the file and the mapping in sources/wb_classification/__init__.py"
            )
            raise ParseError(msg)


def check_group_codes(body: pd.DataFrame, file: str) -> None:
    """Rows 7-10 label the thresholds ``Low income (L)`` ...: the letter codes the cells use."""
    for row, (code, group) in zip(THRESHOLD_ROWS, GROUP_CODES.items(), strict=True):
        expected = f"{group} ({code})"
        found = str(body.loc[row, "name"]).strip()
        if found != expected:
            msg = (
                f"{file}: {cell(row, 'name')} should read {expected!r} (the label that defines the code {code!r}), "
                f"found {found!r}; the income groups or their codes changed: check the file, then update the parser"
            )
            raise ParseError(msg)


def income_group(value: object) -> str | None:
    """The income group a cell names (``"LM"`` -> ``"Lower middle income"``), else ``None``."""
    if not isinstance(value, str):
        return None
    code = value.strip()
    return GROUP_CODES.get(code) or FOOTNOTED_CODES.get(code)


def is_unclassified(value: object) -> bool:
    return isinstance(value, str) and value.strip() in NOT_CLASSIFIED


def sheet_row(row: int) -> int:
    """The row number Excel shows for data row ``row`` (from 0) below the header."""
    return HISTORY_HEADER_ROW + 2 + int(row)


def cell(row: int, column: str) -> str:
    """The address Excel shows (``AK112``) of data row ``row`` and a column of the frame."""
    position = ["code", "name", *FISCAL_YEARS].index(column)
    return f"{column_letters(position + 1)}{sheet_row(row)}"
