"""The earlier WGI editions (2019 and 2021 Updates) and the old wide layout they share.

Up to the 2023 Update the World Bank published ``wgidataset.xlsx`` wide (the mirror's
``wb_wgi/PROVENANCE.md``, addendum of 2026-12-01): a sheet ``Introduction`` whose cell F2 names the
release, then one sheet per indicator with fixed names (note the space in ``Political
StabilityNoViolence``). On each indicator sheet A1 holds the indicator's title, row 14 the year over
each block of six columns (A14:B14 empty), row 15 the headers ``Country/Territory, Code`` and then
``Estimate, StdErr, NumSrc, Rank, Lower, Upper`` once per year, and rows 16-229 one economy each
(214, not sorted). A missing value is the text ``#N/A`` (a string, not an Excel error cell), in all
six cells of a year at once. Codes are the same World Bank legacy codes as in the 2024 file.

Every layout fact the parser and the edition schemas use is here, once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WideEdition:
    """One earlier WGI release in the wide layout: its name, raw file, years and economies."""

    name: str
    #: The raw file's name as the source declares it (the mirror subfolder included).
    file: str
    years: tuple[int, ...]
    economies: int


def wgi_years(last: int) -> tuple[int, ...]:
    """WGI's years up to ``last``: 1996, 1998, 2000, then every year (no 1997, 1999, 2001)."""
    return (1996, 1998, 2000, *range(2002, last + 1))


WIDE_EDITIONS: dict[str, WideEdition] = {
    edition.name: edition
    for edition in (
        WideEdition("2019 Update", "2019_update/wgidataset.xlsx", wgi_years(2018), economies=214),
        WideEdition("2021 Update", "2021_update/wgidataset.xlsx", wgi_years(2020), economies=214),
    )
}

#: The sheet that names the release, and the cell (row, column from 0: F2) that does.
INTRODUCTION_SHEET = "Introduction"
TITLE_CELL = (1, 5)
TITLE_PREFIX = "The Worldwide Governance Indicators, "
#: The file's indicator code (as in the 2024 file) -> its sheet in the wide layout.
SHEETS: dict[str, str] = {
    "va": "VoiceandAccountability",
    "pv": "Political StabilityNoViolence",
    "ge": "GovernmentEffectiveness",
    "rq": "RegulatoryQuality",
    "rl": "RuleofLaw",
    "cc": "ControlofCorruption",
}
#: Rows from 0 (Excel's row minus 1): the sheet title (A1), the years (14), the headers (15), data (16-).
TITLE_ROW = 0
YEAR_ROW = 13
HEADER_ROW = 14
FIRST_DATA_ROW = 15
KEY_HEADERS: tuple[str, ...] = ("Country/Territory", "Code")
#: The six headers of each year's block -> the 2024 file's column of the same measure.
BLOCK_HEADERS: dict[str, str] = {
    "Estimate": "estimate",
    "StdErr": "stddev",
    "NumSrc": "nsource",
    "Rank": "pctrank",
    "Lower": "pctranklower",
    "Upper": "pctrankupper",
}
MISSING: tuple[str, ...] = ("#N/A",)
