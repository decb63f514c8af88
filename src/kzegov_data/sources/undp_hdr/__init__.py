"""UNDP Human Development Report 2025: composite indices time series -> table ``undp_hdi``.

Every edition recalculates the whole back series (HDR 2025 gives Kazakhstan 0.771 for 2008, HDR
2023/24 gave 0.757), so every row carries its edition and one table never mixes editions. The
edition and its years are declared here, once, for the parser and the schema.
"""

from __future__ import annotations

from ...registry import Licence, RawFile, Source

EDITION = "HDR 2025"
FIRST_YEAR, LATEST_YEAR = 1990, 2023
YEARS = tuple(range(FIRST_YEAR, LATEST_YEAR + 1))
TIME_SERIES = "HDR25_Composite_indices_complete_time_series.csv"
METADATA = "HDR25_Composite_indices_metadata.xlsx"
DOWNLOADS = "https://hdr.undp.org/sites/default/files/2025_HDR"

SOURCE = Source(
    id="undp_hdr",
    publisher="United Nations Development Programme (UNDP), Human Development Report Office",
    title=f"Human Development Report 2025: composite indices time series, {FIRST_YEAR}-{LATEST_YEAR}",
    landing_page="https://hdr.undp.org/data-center/documentation-and-downloads",
    licence=Licence(
        name="CC BY 3.0 IGO",
        url="https://creativecommons.org/licenses/by/3.0/igo/",
        note=(
            "hdr.undp.org/terms-use: attribute UNDP, link to the licence, indicate changes, imply "
            "no UNDP endorsement. HDI values and ranks are recalculated in every report: values "
            "from different editions are not comparable."
        ),
    ),
    citation=(
        "UNDP (United Nations Development Programme). 2025. Human Development Report 2025 - "
        "A matter of choice: People and possibilities in the age of AI. New York."
    ),
    files=(
        RawFile(TIME_SERIES, url=f"{DOWNLOADS}/{TIME_SERIES}"),
        RawFile(METADATA, url=f"{DOWNLOADS}/{METADATA}"),
    ),
    tables=("undp_hdi",),
)
