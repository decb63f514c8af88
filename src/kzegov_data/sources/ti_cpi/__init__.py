"""Transparency International's Corruption Perceptions Index 1995-2025 -> ``ti_cpi`` and sources.

The editions, the scale break and the files are declared here, once, for the parser and the schema.
"""

from __future__ import annotations

from ...registry import Licence, RawFile, Source

LANDING_PAGE = "https://www.transparency.org/en/cpi"
HISTORICAL_FILE = "CPI2025_Results.xlsx"
HISTORICAL_SHEET = "CPI Historical"
FILE_2011 = "CPI2011_Results.xls"
FILE_2010 = "CPI+2010+results_pls_standardized_data.xls"
#: Editions 1995-2011 are on the 0-10 scale, relative to each year's countries; from 2012 on 0-100,
#: comparable over time. The two are never converted into each other.
YEARS: tuple[int, ...] = tuple(range(1995, 2026))
LAST_RELATIVE_YEAR = 2011
TRANSCRIPTION_YEARS: tuple[int, ...] = tuple(range(YEARS[0], 2010))
HISTORICAL_YEARS: tuple[int, ...] = tuple(range(LAST_RELATIVE_YEAR + 1, YEARS[-1] + 1))
# open-numbers/ddf--transparency_international--corruption_perception_index at the commit whose
# files are byte-identical to the mirror's copies (PROVENANCE section 3).
OPEN_NUMBERS = (
    "https://raw.githubusercontent.com/open-numbers/"
    "ddf--transparency_international--corruption_perception_index/"
    "7aca500724487f1f5b6a53e1cc501a35977c0a53/etl/source"
)
# TI's own 2010 and 2011 URLs (files.transparency.org) died in 2020; TI now serves only CSV
# re-issues with other content. These are public copies of the unchanged TI files, pinned to a
# commit; the sha256 lock proves the bytes are the ones reviewed. The dead official links were
# http://files.transparency.org/content/download/313/1264/file/CPI2011_DataPackage.zip and
# http://files.transparency.org/content/download/426/1752/CPI+2010+results_pls_standardized_data.xls
# TI renames the results file every edition (CPI2024-Results-and-trends.xlsx, CPI2025_Results.xlsx...):
# a new edition means a new RawFile and a review of its layout.
CPI_DATASET_COPY = (
    "https://raw.githubusercontent.com/jeegarmaru/CPIDataSet/33fdb82e881fea1d8309ee3e84bf991ad46e4905"
)


def transcription_file(year: int) -> str:
    return f"open-numbers_etl_source/{year}.csv"


SOURCE = Source(
    id="ti_cpi",
    publisher="Transparency International",
    title="Corruption Perceptions Index (CPI), 1995-2025",
    landing_page=LANDING_PAGE,
    licence=Licence(
        name="CC BY-ND 4.0",
        url="https://creativecommons.org/licenses/by-nd/4.0/",
        note=(
            "Attribution to Transparency International required. NoDerivatives: sharing adapted "
            "material (reshaped or recomputed tables) may need TI's permission; the 1995-2009 rows "
            "come from a third-party transcription (open-numbers). 2011 file: '(c) 2011 "
            "Transparency International. All rights reserved.'"
        ),
    ),
    citation=(
        f"Transparency International ({YEARS[0]}-{YEARS[-1]}). Corruption Perceptions Index, editions "
        f"{YEARS[0]}-{YEARS[-1]} (historical results in the {YEARS[-1]} edition). Licensed under CC BY-ND 4.0. "
        f"{LANDING_PAGE}/{YEARS[-1]}"
    ),
    files=(
        RawFile(HISTORICAL_FILE, url="https://files.transparencycdn.org/images/CPI2025_Results.xlsx"),
        RawFile(
            FILE_2011,
            url=f"{CPI_DATASET_COPY}/CPI2011_DataPackage.zip",
            archive_member="CPI2011_DataPackage/CPI2011_Results.xls",
        ),
        RawFile(
            FILE_2010, url=f"{CPI_DATASET_COPY}/CPI%2B2010%2Bresults_pls_standardized_data.xls"
        ),
        *(
            RawFile(transcription_file(year), url=f"{OPEN_NUMBERS}/{year}.csv")
            for year in TRANSCRIPTION_YEARS
        ),
    ),
    tables=("ti_cpi", "ti_cpi_sources"),

)
