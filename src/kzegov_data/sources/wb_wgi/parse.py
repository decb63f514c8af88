"""Parse the WGI 2024 Update, ``wgidataset.xlsx``, into table ``wb_wgi``.

Layout quirks (see the mirror's ``wb_wgi/PROVENANCE.md``): one long sheet ``Sheet1``, one row per
economy, year and indicator; missing values are the text ``..`` in all six value columns at once;
there are no years 1997, 1999 and 2001; codes are World Bank legacy codes (ROM, ZAR, ADO, TMP, KSV,
WBG), mapped through the reviewed overrides; ANT, the Netherlands Antilles dissolved in 2010, keeps
its former ISO code (see ``countries.EXTRA_CODES``). The file holds no aggregates.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ...countries import to_iso3
from ...errors import ParseError
from .._read import cells_to_number, cells_to_text, read_excel_table
from . import DIMENSIONS, EDITION, FILE_NAME, MEASURES, SHEET, YEARS

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

    code = cells_to_text(raw["code"], file=file, column="code")
    indicator_code = cells_to_text(raw["indicator"], file=file, column="indicator")
    year = parse_years(raw["year"], file=file)
    unknown = sorted(set(indicator_code.unique()) - set(INDICATORS))
    if unknown:
        msg = f"{file}: unknown indicator code(s) {unknown}; the parser knows {list(INDICATORS)}"
        raise ParseError(msg)
    # codeindyr repeats code, indicator and year: a mismatch means shifted or edited columns.
    row_key = cells_to_text(raw["codeindyr"], file=file, column="codeindyr")
    mismatch = row_key != code + indicator_code + year.astype("string")
    if mismatch.any():
        first = int(mismatch.to_numpy().nonzero()[0][0])
        msg = (
            f"{file}: 'codeindyr' disagrees with code/indicator/year on {int(mismatch.sum())} "
            f"row(s), first at data row {first + 1} ({row_key.iloc[first]!r}); the columns may "
            "have shifted"
        )
        raise ParseError(msg)

    table = pd.DataFrame(
        {
            "iso3": to_iso3(code, file=file),
            "country": cells_to_text(raw["countryname"], file=file, column="countryname"),
            "year": year,
            "indicator": indicator_code.map(INDICATORS),
        }
    )
    for column, name in MEASURES.items():
        table[name] = cells_to_number(raw[column], file=file, column=column, missing=MISSING)
    n_sources = table["n_sources"]
    if not (n_sources.dropna() % 1 == 0).all():
        msg = f"{file}: 'nsource' (number of sources) holds non-integer values"
        raise ParseError(msg)
    table["n_sources"] = n_sources.astype("Int64")
    table["edition"] = EDITION
    table = table.sort_values(["iso3", "year", "indicator"], ignore_index=True)
    return {"wb_wgi": table}


def parse_years(values: pd.Series, *, file: str) -> pd.Series:
    """The ``year`` column as int; a year outside this edition's coverage means a new edition."""
    years = cells_to_number(values, file=file, column="year")
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
