"""UNDP Human Development Report 2025: composite indices time series -> table ``undp_hdi``.

Every edition recalculates the whole back series (HDR 2025 gives Kazakhstan 0.771 for 2008, HDR
2023/24 gave 0.757), so every row carries its edition and one table never mixes editions; the
HDR 2021/2022 and 2023/2024 editions are published beside the current table. The editions and
their years are declared here, once, for the parser and the schema.
"""

from __future__ import annotations

from ...registry import Edition, Licence, RawFile, Source
from .editions_layout import HDR21_22, HDR23_24, TimeSeriesLayout

EDITION = "HDR 2025"
FIRST_YEAR, LATEST_YEAR = 1990, 2023
YEARS = tuple(range(FIRST_YEAR, LATEST_YEAR + 1))
TIME_SERIES = "HDR25_Composite_indices_complete_time_series.csv"
METADATA = "HDR25_Composite_indices_metadata.xlsx"
DOWNLOADS = "https://hdr.undp.org/sites/default/files/2025_HDR"
#: The earlier editions published beside the current table (their layouts: ``editions_layout.py``),
#: with the alias users type, the edition's download folder and when it was released.
EARLIER: dict[str, tuple[TimeSeriesLayout, str, str, tuple[str, str]]] = {
    HDR21_22.name: (
        HDR21_22, "HDR21-22", "2021-22_HDR",
        ("2022-09-08", "UNDP's launch of the Human Development Report 2021/2022 (press release of 8 September 2022)"),
    ),
    HDR23_24.name: (
        HDR23_24, "HDR23-24", "2023-24_HDR",
        ("2024-03-13", "HTTP Last-Modified of the file on hdr.undp.org (undp_hdr/PROVENANCE.md)"),
    ),
}
RELEASED = ("2025-05-05", "HTTP Last-Modified of the file on hdr.undp.org (undp_hdr/PROVENANCE.md)")

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
        open=True,
    ),
    citation=(
        "UNDP (United Nations Development Programme). 2025. Human Development Report 2025 - "
        "A matter of choice: People and possibilities in the age of AI. New York."
    ),
    files=(
        *(
            RawFile(layout.file, url=f"https://hdr.undp.org/sites/default/files/{folder}/{layout.file}")
            for layout, _, folder, _ in EARLIER.values()
        ),
        RawFile(TIME_SERIES, url=f"{DOWNLOADS}/{TIME_SERIES}"),
        RawFile(METADATA, url=f"{DOWNLOADS}/{METADATA}"),
    ),
    tables=("undp_hdi",),
    editions=(
        *(
            Edition(name, *released, files=(layout.file,), years=layout.years, aliases=(alias,),
                    note="no metadata workbook of this edition is pinned: its codebook is not checked")
            for name, (layout, alias, _, released) in EARLIER.items()
        ),
        Edition(EDITION, *RELEASED, files=(TIME_SERIES, METADATA), years=YEARS, aliases=("HDR25",), current=True),
    ),
)
