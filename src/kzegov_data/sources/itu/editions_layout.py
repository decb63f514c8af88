"""ITU's June 2019 Excel release (data 2000-2018), the earlier edition of ``itu_ict``: its files and layout.

The four time-series files of the release share one layout (the mirror's ``itu/PROVENANCE.md``,
section B): a BIFF8 workbook with one sheet ``Final``; row 1 holds block titles, row 2 the years
2000-2018 as floats; then one row per economy named in column A (no code column). The value blocks
(19 years each, then an unlabelled separator column) come first: counts and per-100 values in the
three subscription files, the percentage alone in the Internet file. Pairs of ``Notes <year>`` /
``Source <year>`` columns follow. The separators are not data: the Internet file holds a stray
constant in column U on 228 rows, the fixed-broadband file stray numbers on 45 rows.

``CoreHouseholdIndicators_Jun2019.xlsx`` of the same release is not part of the edition: it is a
latest-year snapshot (one "year of data" per economy and indicator, values stored as text, numbered
footnotes in a footer) and its legend marks ITU estimates by italics, which the copy has lost, so
its rows could not say which values are ITU's estimates; its Internet-use column repeats the
Internet file.

Every layout fact the parser, the edition schema and the source's declaration use is here, once
(the package's ``__init__`` imports the file names and the fixed-telephone constants from here).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The fixed-telephone file of the June 2019 release: the current table reads it too (the DataHub
#: exports carry no fixed-telephone series), so the package declaration imports these.
FIXED_TELEPHONE_FILE = "Fixed_tel_2000-2018_Jun2019_revised_27082019.xls"
FIXED_TELEPHONE_VINTAGE = "ITU June 2019 release, revised 27 Aug 2019"
FIXED_TELEPHONE_SHEET = "Final"
FIXED_TELEPHONE_YEARS = tuple(range(2000, 2019))

EDITION = "June 2019"
CURRENT_EDITION = "DataHub 2025"
SHEET = FIXED_TELEPHONE_SHEET
YEARS: tuple[int, ...] = FIXED_TELEPHONE_YEARS
VINTAGE = "ITU June 2019 release"


@dataclass(frozen=True)
class ExcelSeriesFile:
    """One file of the release: its name, vintage (for ``origin``) and header texts.

    ``blocks`` lists, left to right, the title over each block of yearly values and the indicator
    the block holds; ``metadata_title`` is the title over the notes and sources.
    """

    name: str
    vintage: str
    blocks: tuple[tuple[str, str], ...]
    metadata_title: str


FIXED_TELEPHONE = ExcelSeriesFile(
    FIXED_TELEPHONE_FILE,
    FIXED_TELEPHONE_VINTAGE,
    (
        ("Fixed-telephone subscriptions", "fixed_telephone_subscriptions"),
        ("Fixed-telephone subscriptions per 100 inhabitants", "fixed_telephone_per100"),
    ),
    "Metadata for fixed-telephone subscriptions",
)

#: The files of the June 2019 edition, as the source declares them.
JUNE_2019_FILES: tuple[ExcelSeriesFile, ...] = (
    ExcelSeriesFile(
        "Individuals_Internet_2000-2018_Jun2019.xls",
        VINTAGE,
        (("Percentage of Individuals using the Internet", "internet_users_pct"),),
        "Metadata for Percentage of Individuals using the Internet",
    ),
    ExcelSeriesFile(
        "Mobile_cellular_2000-2018_Jun2019.xls",
        VINTAGE,
        (
            ("Mobile-cellular telephone subscriptions", "mobile_cellular_subscriptions"),
            ("Mobile-cellular telephone subscriptions per 100 inhabitants", "mobile_cellular_per100"),
        ),
        "Metadata for Mobile-cellular telephone subscriptions",
    ),
    ExcelSeriesFile(
        "Fixed_broadband_2000-2018_Jun2019_revised27082019.xls",
        f"{VINTAGE}, revised 27 Aug 2019",
        (
            ("Fixed-broadband subscriptions", "fixed_broadband_subscriptions"),
            ("Fixed-broadband subscriptions per 100 inhabitants", "fixed_broadband_per100"),
        ),
        "Metadata for fixed-broadband subscriptions",
    ),
    FIXED_TELEPHONE,
)
#: The indicators the June 2019 edition publishes.
JUNE_2019_INDICATORS: tuple[str, ...] = tuple(
    indicator for spec in JUNE_2019_FILES for _, indicator in spec.blocks
)
