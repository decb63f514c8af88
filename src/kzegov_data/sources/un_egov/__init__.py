"""UN DESA E-Government Survey: the twelve ``EGOV_DATA_<YYYY>.csv`` files -> table ``un_egov``.

The facts the parser and the schema share are declared here, once: the survey years and the
number of UN member states every survey covers.
"""

from __future__ import annotations

from ...registry import Licence, RawFile, Source

SURVEY_YEARS: tuple[int, ...] = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
#: Every survey lists the 193 UN member states (including the two that joined later, as not members).
UN_MEMBERS = 193
DATA_CENTER = "https://publicadministration.un.org/egovkb/en-us/Data-Center"

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
    manual_download=(
        f"Open {DATA_CENTER}, choose the survey year and download the country data as CSV; "
        "save it unchanged as raw/un_egov/EGOV_DATA_<YYYY>.csv (or point KZEGOV_MIRROR at a "
        "folder holding un_egov/EGOV_DATA_<YYYY>.csv)."
    ),
)
