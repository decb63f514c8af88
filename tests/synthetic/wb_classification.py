"""Synthetic World Bank classification files: the WDI ``Metadata_Country_*.csv`` and ``OGHIST.xlsx``.

The layouts follow the mirror's ``wb_classification/PROVENANCE.md`` and the files' bytes.

``Metadata_Country_*.csv``: UTF-8 with a BOM; every field double-quoted; every line (the header too)
ends with a comma, hence an empty last column; CRLF between records, while line breaks inside a
quoted SpecialNotes field are bare LF; aggregates (WLD, ECS, HIC...) have an empty Region and
IncomeGroup; ``CHI`` is the Channel Islands and ``XKX`` Kosovo; Venezuela has a Region but no
IncomeGroup (unclassified). Codes and classifications of Kazakhstan and the peers are the published
ones; the file holds a small subset of the 265 rows. One row uses the World Bank's legacy code
``ROM`` for Romania (ISO ``ROU`` since 2002), which the parser maps through the reviewed overrides.

``OGHIST.xlsx`` (FY89-FY23 vintage): five sheets in the publisher's order (``Parameters``, hidden,
with its stale ``Fiscal Yeay | FY21``; ``Thresholds``; ``Country Analytical History``; ``Operational
Category Change``; ``Country Indebtedness History``). On ``Country Analytical History``: three title
rows in column B, a blank row, ``Bank's fiscal year:`` FY89 ... FY23 in row 5, ``Data for calendar
year :`` 1987 ... 2021 (numbers) in row 6 followed by formatted empty cells to column IU (the sheet's
dimension is A1:IU240, its values stop at AK), the threshold rows 7-10 with the publisher's texts
(one with a trailing space), a blank row, then economies from row 12 in alphabetical order of their
names, accents ignored (``Côte d'Ivoire``, ``São Tomé and Príncipe``, ``Türkiye``); then a blank row,
the footnote of ``LM*``, a blank row, the six former or other economies (CSK, MYT, ANT, YUG, SUN and
the four-character ``YUGf``), a blank row and the note on 1 July. Cells are ``L``, ``LM``, ``UM``,
``H``, ``..`` (not classified) or empty (dissolved; Venezuela in FY22-FY23), and ``LM*`` for Yemen in
FY89-FY90. Every economy's row is the publisher's, copied from the file (a subset of its 224 rows):
Kazakhstan, its peers, the non-ISO codes (``CHI``, ``XKX``) and the economies with gaps (Brunei,
Gibraltar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

SOURCE_ID = "wb_classification"
FILE_NAME = "Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_1228.csv"
HEADER = ("Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName")

ECA = "Europe & Central Asia"
_NOTE_AFG = (
    "The reporting period for national accounts data is designated as either calendar year basis (CY) or "
    "fiscal year basis (FY). For this country, it is fiscal year-based (fiscal year-end: March 20).\n\n"
    "In addition, the World Bank systematically assesses the appropriateness of official exchange rates "
    "as conversion factors."
)

#: The rows of the file, in its order (alphabetical by code): code, Region, IncomeGroup, SpecialNotes, TableName.
ROWS: tuple[tuple[str, str, str, str, str], ...] = (
    ("ABW", "Latin America & Caribbean", "High income", "", "Aruba"),
    ("AFE", "", "", "26 countries, stretching from the Red Sea in the North to the Cape of Good Hope in the "
     "South (https://www.worldbank.org/en/region/afr/eastern-and-southern-africa)", "Africa Eastern and Southern"),
    ("AFG", "Middle East & North Africa", "Low income", _NOTE_AFG, "Afghanistan"),
    ("ARM", ECA, "Upper middle income", "", "Armenia"),
    ("BGD", "South Asia", "Lower middle income", "", "Bangladesh"),
    ("BLR", ECA, "Upper middle income", "Data before 2015 were adjusted to reflect the new denomination.",
     "Belarus"),
    ("CHI", ECA, "High income", "", "Channel Islands"),
    ("CHN", "East Asia & Pacific", "Upper middle income", "", "China"),
    ("CUW", "Latin America & Caribbean", "High income", "", "Curaçao"),
    ("ECS", "", "", "Europe and Central Asia regional aggregate (includes all income levels).", ECA),
    ("HIC", "", "", "High income group aggregate. High-income economies are those with a GNI per capita "
     "of $14,005 or more.", "High income"),
    ("IND", "South Asia", "Lower middle income", "", "India"),
    ("KAZ", ECA, "Upper middle income", "", "Kazakhstan"),
    ("KGZ", ECA, "Lower middle income", "", "Kyrgyz Republic"),
    ("KOR", "East Asia & Pacific", "High income", "", "Korea, Rep."),
    ("ROM", ECA, "High income", "", "Romania"),
    ("RUS", ECA, "High income", "", "Russian Federation"),
    ("SOM", "Sub-Saharan Africa", "Low income", "", "Somalia"),
    ("TJK", ECA, "Lower middle income", "", "Tajikistan"),
    ("TKM", ECA, "Upper middle income", "", "Turkmenistan"),
    ("USA", "North America", "High income", "", "United States"),
    ("UZB", ECA, "Lower middle income", "", "Uzbekistan"),
    ("VEN", "Latin America & Caribbean", "", "", "Venezuela, RB"),
    ("WLD", "", "", "", "World"),
    ("XKX", ECA, "Upper middle income", "", "Kosovo"),
)

#: Rows with an empty Region: aggregates, not countries.
AGGREGATES = frozenset(code for code, region, *_ in ROWS if region == "")
#: World Bank codes the parser must translate: legacy code -> ISO 3166-1 alpha-3.
LEGACY_CODES = {"ROM": "ROU"}
#: Economies the parser leaves out because no ISO 3166-1 code covers them.
DROPPED_ECONOMIES = frozenset({"CHI"})
#: ISO3 -> (wb_region, wb_income_group or None) the ``countries`` table must show.
EXPECTED: dict[str, tuple[str, str | None]] = {
    LEGACY_CODES.get(code, code): (region, income or None)
    for code, region, income, _, _ in ROWS
    if region and code not in DROPPED_ECONOMIES
}


def quote(field: str) -> str:
    return '"' + field.replace('"', '""') + '"'


def file_text(rows: tuple[tuple[str, ...], ...] = ROWS) -> str:
    """The file's text (without the BOM): quoted fields, a comma after the last one, CRLF records."""
    lines = [",".join(quote(field) for field in row) + "," for row in (HEADER, *rows)]
    return "\r\n".join(lines) + "\r\n"


# --- OGHIST.xlsx -------------------------------------------------------------------------------------

HISTORY_FILE = "OGHIST.xlsx"
HISTORY_SHEET = "Country Analytical History"
#: The workbook's sheets in its order; all but the classification are decoys here.
SHEETS = ("Parameters", "Thresholds", HISTORY_SHEET, "Operational Category Change", "Country Indebtedness History")
FISCAL_YEARS: tuple[str, ...] = tuple(f"FY{year % 100:02d}" for year in range(1989, 2024))
DATA_YEARS: tuple[int, ...] = tuple(range(1987, 2022))
TITLES = (
    "World Bank Analytical Classifications",
    "(presented in World Development Indicators)",
    "GNI per capita in US$ (Atlas methodology)",
)
FISCAL_YEAR_LABEL = "Bank's fiscal year:"
DATA_YEAR_LABEL = "Data for calendar year :"
_LOW = (
    "480 545 580 610 635 675 695 725 765 785 785 760 755 755 745 735 765 825 875 905 935 975 995 1,005 "
    "1,025 1,035 1,045 1,045 1,025 1,005 995 1,025 1,035 1,045 1,085"
).split()
_UPPER = (
    "1,940 2,200 2,335 2,465 2,555 2,695 2,785 2,895 3,035 3,115 3,125 3,030 2,995 2,995 2,975 2,935 3,035 "
    "3,255 3,465 3,595 3,705 3,855 3,945 3,975 4,035 4,085 4,125 4,125 4,035 3,955 3,895 3,995 4,045 4,095 4,255"
).split()
_HIGH = (
    "6,000 6,000 6,000 7,620 7,910 8,355 8,625 8,955 9,385 9,645 9,655 9,360 9,265 9,265 9,205 9,075 9,385 "
    "10,065 10,725 11,115 11,455 11,905 12,195 12,275 12,475 12,615 12,745 12,735 12,475 12,235 12,055 12,375 "
    "12,535 12,695 13,205"
).split()


def _plus_one(amount: str) -> str:
    return f"{int(amount.replace(',', '')) + 1:,}"


def _band(low: str, high: str, fiscal_year: int) -> str:
    # From FY21 the publisher puts spaces around the dash.
    dash = " - " if fiscal_year >= 2021 else "-"
    return f"{_plus_one(low)}{dash}{high}"


#: Rows 7-10: each group's label (which defines its letter code) and its threshold per fiscal year.
THRESHOLDS: tuple[tuple[str, ...], ...] = (
    ("Low income (L)", *(f"<= {low}" for low in _LOW)),
    ("Lower middle income (LM)", *(_band(low, upper, 1989 + i) for i, (low, upper) in enumerate(zip(_LOW, _UPPER, strict=True)))),  # noqa: E501
    ("Upper middle income (UM)", *(_band(up, high, 1989 + i) for i, (up, high) in enumerate(zip(_UPPER, _HIGH, strict=True)))),  # noqa: E501
    ("High income (H)", "> 6,000 ", *(f"> {high}" for high in _HIGH[1:])),  # FY89's trailing space is the file's
)
#: Economy rows (code, name, the 35 cells FY89..FY23 with ``_`` for an empty cell), as the file has them.
ECONOMIES: tuple[tuple[str, str, str], ...] = (
    ("AFG", "Afghanistan", "L L L L L L L L L L L L L L L L L L L L L L L L L L L L L L L L L L L"),
    ("ALB", "Albania", ".. .. .. LM LM LM L L L LM L LM LM LM LM LM LM LM LM LM LM LM UM UM LM UM UM UM UM UM UM UM UM UM UM"),  # noqa: E501
    ("ARM", "Armenia", ".. .. .. .. LM LM L L L L L L L L L LM LM LM LM LM LM LM LM LM LM LM LM LM LM LM UM UM UM UM UM"),  # noqa: E501
    ("BRN", "Brunei Darussalam", "H .. .. H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H"),
    ("CHI", "Channel Islands", "H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H"),
    ("CHN", "China", "L L L L L L L L L L LM L LM LM LM LM LM LM LM LM LM LM LM UM UM UM UM UM UM UM UM UM UM UM UM"),
    ("CIV", "Côte d'Ivoire", "LM LM LM LM LM LM L L L L L L L L L L L L L L L LM LM LM LM LM LM LM LM LM LM LM LM LM LM"),  # noqa: E501
    ("GIB", "Gibraltar", "UM UM UM UM UM UM UM .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. H H .. .. .. .. H H H H H H H"),  # noqa: E501
    ("KAZ", "Kazakhstan", ".. .. .. .. LM LM LM LM LM LM LM LM LM LM LM LM LM LM LM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM"),  # noqa: E501
    ("XKX", "Kosovo", ".. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. .. LM LM LM LM LM LM LM LM LM LM UM UM UM UM"),  # noqa: E501
    ("KGZ", "Kyrgyz Republic", ".. .. .. .. LM LM LM L L L L L L L L L L L L L L L L L L L LM LM LM LM LM LM LM LM LM"),
    ("RUS", "Russian Federation", ".. .. .. .. UM LM LM LM LM LM LM LM LM LM LM LM LM UM UM UM UM UM UM UM UM H H H UM UM UM UM UM UM UM"),  # noqa: E501
    ("STP", "São Tomé and Príncipe", "L L L L L L L L L L L L L L L L L L L L L LM LM LM LM LM LM LM LM LM LM LM LM LM LM"),  # noqa: E501
    ("TWN", "Taiwan, China", "H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H H"),
    ("TJK", "Tajikistan", ".. .. .. .. LM L L L L L L L L L L L L L L L L L L L L L L LM LM LM L L L LM LM"),
    ("TUR", "Türkiye", "LM LM LM LM LM LM LM LM LM LM UM UM LM UM LM LM LM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM"),  # noqa: E501
    ("TKM", "Turkmenistan", ".. .. .. .. LM LM LM LM LM LM L L L LM LM LM LM LM LM LM LM LM LM LM UM UM UM UM UM UM UM UM UM UM UM"),  # noqa: E501
    ("UZB", "Uzbekistan", ".. .. .. .. LM LM LM LM LM LM LM LM L L L L L L L L L L LM LM LM LM LM LM LM LM LM LM LM LM LM"),  # noqa: E501
    ("VEN", "Venezuela, RB", "UM UM UM UM UM UM UM LM LM LM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM H UM UM UM UM UM _ _"),  # noqa: E501
    ("YEM", "Yemen, Rep.", "LM* LM* LM LM L L L L L L L L L L L L L L L L L L LM LM LM LM LM LM LM LM L L L L L"),
)
FOOTNOTE = "* At this time, there were Yemen, PDR (L) and Yemen, Arab Rep. (LM); combined they would have been LM."
#: Former and other economies, below the footnote.
FORMER_ECONOMIES: tuple[tuple[str, str, str], ...] = (
    ("CSK", "Czechoslovakia (former)", ".. .. .. UM UM" + " _" * 30),
    ("MYT", "Mayotte", ".. .. .. H UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM UM" + " _" * 11),
    ("ANT", "Netherlands Antilles (former)", "UM UM UM UM UM UM UM H H H H H H H H H H H H H H H H" + " _" * 12),
    ("YUG", "Serbia and Montenegro (former)", ".. .. .. .. .. LM LM LM LM LM LM LM LM LM LM LM LM LM LM" + " _" * 16),
    ("SUN", "USSR (former)", ".. .. .. UM" + " _" * 31),
    ("YUGf", "Yugoslavia (former)", "UM UM UM UM UM" + " _" * 30),
)
NOTE = (
    "Note: Income classifications are set each year on July 1 for all World Bank member economies, and all "
    "other economies with populations of more than 30,000. These official analytical classifications are fixed "
    "during the World Bank's fiscal year (ending on June 30), thus economies remain in the categories in which "
    "they are classified irrespective of any revisions to their per capita income data. The historical "
    "classifications shown are as published on July 1 of each fiscal year."
)
#: Letter code -> the income group the ``countries`` table names.
GROUPS = {"L": "Low income", "LM": "Lower middle income", "LM*": "Lower middle income",
          "UM": "Upper middle income", "H": "High income"}
#: Codes the parser leaves out: no code the package publishes covers them.
NOT_PUBLISHED = frozenset({"CHI", "CSK", "SUN", "YUG", "YUGf"})
#: Sheet row (as Excel numbers it) of the first economy, Afghanistan.
FIRST_ECONOMY_ROW = 12
#: Fixed so that the workbook's bytes do not depend on when it was written.
CREATED = dt.datetime(2023, 2, 9, 3, 39, 45)
#: The last column of the sheet's dimension (A1:IU240): formatted empty cells reach it.
LAST_FORMATTED_COLUMN = 254  # IU, from 0


def marks(cells: str) -> list[str]:
    """The 35 cells of an economy row (``_`` is an empty cell)."""
    found = ["" if mark == "_" else mark for mark in cells.split()]
    assert len(found) == len(FISCAL_YEARS), cells
    return found


def expected_history() -> dict[tuple[str, int], tuple[str, str]]:
    """(iso3, year) -> (fiscal year, income group) that ``income_history`` must hold."""
    expected = {}
    for code, _, cells in (*ECONOMIES, *FORMER_ECONOMIES):
        if code in NOT_PUBLISHED:
            continue
        for label, year, mark in zip(FISCAL_YEARS, DATA_YEARS, marks(cells), strict=True):
            if mark in GROUPS:
                expected[(code, year)] = (label, GROUPS[mark])
    return expected


def history_rows(
    economies: Sequence[tuple[str, str, str]] = ECONOMIES, former: Sequence[tuple[str, str, str]] = FORMER_ECONOMIES
) -> list[list[object]]:
    """The cells of ``Country Analytical History`` A1:AK240, row by row (``""`` is an empty cell)."""
    width = 2 + len(FISCAL_YEARS)

    def row(*cells: object) -> list[object]:
        return [*cells, *[""] * (width - len(cells))]

    sheet = [row("", title) for title in TITLES]
    sheet.append(row())
    sheet.append(row("", FISCAL_YEAR_LABEL, *FISCAL_YEARS))
    sheet.append(row("", DATA_YEAR_LABEL, *(float(year) for year in DATA_YEARS)))
    sheet.extend(row("", *threshold) for threshold in THRESHOLDS)
    sheet.append(row())
    sheet.extend(row(code, name, *marks(cells)) for code, name, cells in economies)
    sheet += [row(), row("", FOOTNOTE), row()]
    sheet.extend(row(code, name, *marks(cells)) for code, name, cells in former)
    sheet += [row(), row("", NOTE)]
    return sheet


def write_history(path: Path, cells: Sequence[Sequence[object]] | None = None, *, sheet: str = HISTORY_SHEET) -> Path:
    """Write ``OGHIST.xlsx`` with ``cells`` (default :func:`history_rows`) as its classification sheet.

    Tests call it with altered copies of :func:`history_rows` to make the bad files a parser must refuse.
    """
    import xlsxwriter  # a dev extra, only needed where synthetic files are written

    cells = history_rows() if cells is None else cells
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    workbook.set_properties({"author": "IECSE", "created": CREATED})
    shaded = workbook.add_format({"bg_color": "#FFFFCC"})
    for name in SHEETS:
        worksheet = workbook.add_worksheet(sheet if name == HISTORY_SHEET else name)
        if name == "Parameters":
            worksheet.write_row(0, 0, ["Fiscal Yeay", "FY21"])  # the file's typo and stale value
            worksheet.write_string(1, 1, "(July 2020)")
            worksheet.hide()
        elif name == "Thresholds":
            worksheet.write_row(0, 0, ["Data for calendar year :", "Low income", "High income"])
            worksheet.write_row(1, 0, [2021, "<= 1,085", "> 13,205"])
        elif name == HISTORY_SHEET:
            worksheet.activate()  # the sheet the publisher's file opens on (and the first one cannot be hidden)
            for r, values in enumerate(cells):
                for c, value in enumerate(values):
                    if isinstance(value, bool):
                        worksheet.write_boolean(r, c, value)
                    elif isinstance(value, int | float):
                        worksheet.write_number(r, c, value)
                    elif value != "":
                        worksheet.write_string(r, c, str(value))
            # Formatted cells without values, as in the publisher's row 6: they stretch the sheet's
            # dimension to IU, but hold nothing.
            for c in range(len(cells[5]) if len(cells) > 5 else 0, LAST_FORMATTED_COLUMN + 1):
                worksheet.write_blank(5, c, None, shaded)
        else:
            worksheet.write_string(0, 0, name)
    workbook.close()
    return path


def write(root: Path) -> dict[str, Path]:
    """Write both raw files under ``root/wb_classification/``; returns ``{file name: path}``."""
    folder = root / SOURCE_ID
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    path.write_bytes(file_text().encode("utf-8-sig"))
    return {FILE_NAME: path, HISTORY_FILE: write_history(folder / HISTORY_FILE)}
