"""UNDP Human Development Report 2025: composite indices time series -> table ``undp_hdi``.

Every edition recalculates the whole back series (HDR 2025 gives Kazakhstan 0.771 for 2008, HDR
2023/24 gave 0.757), so every row carries its edition and one table never mixes editions. The
edition and its years are declared here, once, for the parser and the schema.
"""

from __future__ import annotations

from ...registry import Edition, Licence, RawFile, Source

EDITION = "HDR 2025"
FIRST_YEAR, LATEST_YEAR = 1990, 2023
YEARS = tuple(range(FIRST_YEAR, LATEST_YEAR + 1))
TIME_SERIES = "HDR25_Composite_indices_complete_time_series.csv"
METADATA = "HDR25_Composite_indices_metadata.xlsx"
DOWNLOADS = "https://hdr.undp.org/sites/default/files/2025_HDR"
#: The earlier editions published beside the current table: name -> (alias, latest year, release).
#: UNDP names each file and its folder after the edition: HDR21-22_... in 2021-22_HDR/.
EARLIER: dict[str, tuple[str, int, tuple[str, str]]] = {
    "HDR 2021/2022": (
        "HDR21-22", 2021,
        ("2022-09-08", "UNDP's launch of the Human Development Report 2021/2022 (press release of 8 September 2022)"),
    ),
    "HDR 2023/2024": (
        "HDR23-24", 2022, ("2024-03-13", "HTTP Last-Modified of the file on hdr.undp.org (undp_hdr/PROVENANCE.md)"),
    ),
}


def time_series_file(alias: str) -> str:
    """``HDR21-22`` -> the edition's time-series file name."""
    return f"{alias}_Composite_indices_complete_time_series.csv"


def download_url(alias: str) -> str:
    """``HDR21-22`` -> https://hdr.undp.org/sites/default/files/2021-22_HDR/HDR21-22_..."""
    return f"https://hdr.undp.org/sites/default/files/20{alias[3:]}_HDR/{time_series_file(alias)}"


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
    ),
    citation=(
        "UNDP (United Nations Development Programme). 2025. Human Development Report 2025 - "
        "A matter of choice: People and possibilities in the age of AI. New York."
    ),
    files=(
        *(RawFile(time_series_file(alias), url=download_url(alias)) for alias, _, _ in EARLIER.values()),
        RawFile(TIME_SERIES, url=f"{DOWNLOADS}/{TIME_SERIES}"),
        RawFile(METADATA, url=f"{DOWNLOADS}/{METADATA}"),
    ),
    tables=("undp_hdi",),
    editions=(
        *(
            Edition(name, *released, files=(time_series_file(alias),), years=tuple(range(FIRST_YEAR, latest + 1)),
                    aliases=(alias,), note="no metadata workbook of this edition is pinned: its codebook is not checked")
            for name, (alias, latest, released) in EARLIER.items()
        ),
        Edition(EDITION, *RELEASED, files=(TIME_SERIES, METADATA), years=YEARS, aliases=("HDR25",), current=True),
    ),
)
