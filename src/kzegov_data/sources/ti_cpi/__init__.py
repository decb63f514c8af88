"""Transparency International's Corruption Perceptions Index 1995-2025 -> ``ti_cpi`` and sources.

The editions, the scale break and the files are declared here, once, for the parser and the schema.
Each CPI year is its own edition, never revised afterwards: every one of them is current.
"""

from __future__ import annotations

from ...registry import Licence, RawFile, Source, per_year_editions

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


#: When each CPI year was published, and where that date comes from.
PRESS_RELEASE = "TI's release of the CPI, as ti_cpi/PROVENANCE.md records it"
RELEASED: dict[int, tuple[str, str]] = {
    **{year: (f"{year}-12-31", "published within its own year (TI's practice until 2011); the day is not "
                               "recorded here, so the year's last day") for year in TRANSCRIPTION_YEARS},
    2010: ("2010-10-26", PRESS_RELEASE),
    2011: ("2011-12-01", PRESS_RELEASE),
    2012: ("2012-12-05", PRESS_RELEASE),
    2013: ("2013-12-03", PRESS_RELEASE),
    2014: ("2014-12-03", PRESS_RELEASE),
    2015: ("2016-01-27", PRESS_RELEASE),
    2016: ("2017-01-25", PRESS_RELEASE),
    2017: ("2018-02-21", PRESS_RELEASE),
    2018: ("2019-01-29", PRESS_RELEASE),
    2019: ("2020-01-23", PRESS_RELEASE),
    2020: ("2021-01-28", PRESS_RELEASE),
    2021: ("2022-01-25", PRESS_RELEASE),
    2022: ("2023-01-31", PRESS_RELEASE),
    2023: ("2024-01-30", "TI's press release of CPI 2023 (not recorded in the mirror's files)"),
    2024: ("2025-02-11", "TI's press release of CPI 2024 (not recorded in the mirror's files)"),
    2025: ("2026-02-10", PRESS_RELEASE),
}


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
    editions=per_year_editions(YEARS, "CPI {}".format, RELEASED),

)
