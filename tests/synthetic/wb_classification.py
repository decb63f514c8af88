"""A synthetic World Bank ``Metadata_Country_*.csv`` in the layout of the WDI bulk download.

The layout follows the mirror's ``wb_classification/PROVENANCE.md`` and the file's bytes: UTF-8 with a
BOM; every field double-quoted; every line (the header too) ends with a comma, hence an empty last
column; CRLF between records, while line breaks inside a quoted SpecialNotes field are bare LF;
aggregates (WLD, ECS, HIC...) have an empty Region and IncomeGroup; ``CHI`` is the Channel Islands and
``XKX`` Kosovo; Venezuela has a Region but no IncomeGroup (unclassified). Codes and classifications of
Kazakhstan and the peers are the published ones; the file holds a small subset of the 265 rows.

One row uses the World Bank's legacy code ``ROM`` for Romania (ISO ``ROU`` since 2002), which the parser
maps through the reviewed overrides.
"""

from __future__ import annotations

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


def write(root: Path) -> dict[str, Path]:
    """Write the metadata CSV under ``root/wb_classification/``; returns ``{file name: path}``."""
    folder = root / SOURCE_ID
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    path.write_bytes(file_text().encode("utf-8-sig"))
    return {FILE_NAME: path}
