"""UN DESA E-Government Survey: the twelve ``EGOV_DATA_<YYYY>.csv`` files -> table ``un_egov``.

The facts the parser and the schema share are declared here, once: the survey years, the
number of UN member states every survey covers, and when each survey came out (each survey is its
own edition and is never revised, so every one of them is current).
"""

from __future__ import annotations

from ...registry import Licence, RawFile, Source, per_year_editions

SURVEY_YEARS: tuple[int, ...] = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
#: Every survey lists the 193 UN member states (including the two that joined later, as not members).
UN_MEMBERS = 193
DATA_CENTER = "https://publicadministration.un.org/egovkb/en-us/Data-Center"
LAUNCH = "UN DESA launch of the survey (press release)"
YEAR_ONLY = "the survey's year of publication only; the day is not known, so the year's last day"
#: When each survey was published, and where that date comes from.
RELEASED: dict[int, tuple[str, str]] = {
    **{year: (f"{year}-12-31", YEAR_ONLY) for year in (2003, 2004, 2005, 2008, 2010, 2012)},
    2014: ("2014-06-24", LAUNCH),
    2016: ("2016-07-29", LAUNCH),
    2018: ("2018-07-19", LAUNCH),
    2020: ("2020-07-10", LAUNCH),
    2022: ("2022-09-28", LAUNCH),
    2024: ("2024-09-17", LAUNCH),
}

SOURCE = Source(
    id="un_egov",
    publisher="United Nations Department of Economic and Social Affairs (UN DESA)",
    title="United Nations E-Government Survey, country data 2003-2024",
    landing_page=DATA_CENTER,
    licence=Licence(
        name="United Nations Terms of Use (no open licence)",
        url="https://www.un.org/en/about-us/terms-of-use",
        note=(
            "Download and copy for personal, non-commercial use; redistribution and derivative "
            "works may need permission from the UN Publications Board (permissions@un.org). "
            "Always cite UN DESA."
        ),
    ),
    citation=(
        "UN DESA (2003-2024). United Nations E-Government Survey, country data. "
        f"{DATA_CENTER}"
    ),
    # The Data Center generates these CSVs on demand: there is no stable per-file URL.
    files=tuple(RawFile(f"EGOV_DATA_{year}.csv") for year in SURVEY_YEARS),
    tables=("un_egov",),
    editions=per_year_editions(SURVEY_YEARS, "E-Government Survey {}".format, RELEASED),
    manual_download=(
        f"Open {DATA_CENTER}, choose the survey year and download the country data as CSV; "
        "save it unchanged as raw/un_egov/EGOV_DATA_<YYYY>.csv (or point KZEGOV_MIRROR at a "
        "folder holding un_egov/EGOV_DATA_<YYYY>.csv)."
    ),
)
