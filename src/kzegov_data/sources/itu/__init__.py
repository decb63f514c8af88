"""ITU ICT statistics: five ITU DataHub CSV exports and the June 2019 fixed-telephone Excel file
-> table ``itu_ict`` (long: one row per country, year and indicator).

Declared here, once, for the parser, the schema and the indicator catalogue: the files and their
series, the two editions (the June 2019 Excel release, an earlier vintage of the same series, is
published beside the current table: ``editions_layout.py``), and every published indicator with its
unit, ceiling, title and description.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...registry import Edition, Licence, RawFile, Source
from .editions_layout import CURRENT_EDITION, EDITION, FIXED_TELEPHONE_FILE, FIXED_TELEPHONE_YEARS, JUNE_2019_FILES

# The DataHub API is undocumented and has been reported to refuse anonymous scripts (HTTP 403 or a
# CloudFront challenge); the mirror copies are ITU's files byte for byte.
DATAHUB = "https://datahub.itu.int/"
#: Returns a ZIP holding one CSV (undocumented API, seen in several public codebases of 2025).
DATAHUB_DOWNLOAD = "https://api.datahub.itu.int/v2/data/download/byid/{}/iscollection/false"
STATISTICS_PAGE = "https://www.itu.int/en/ITU-D/Statistics/Pages/stat/default.aspx"


@dataclass(frozen=True)
class DataHubSeries:
    code: str
    series_id: str
    indicator: str


@dataclass(frozen=True)
class DataHubFile:
    """One DataHub export: its per-100 (or %) series and, if it has one, its count series."""

    name: str
    download_id: int
    vintage: str
    rate: DataHubSeries
    count: DataHubSeries | None = None

    @property
    def series(self) -> tuple[DataHubSeries, ...]:
        return (self.rate,) if self.count is None else (self.count, self.rate)


DATAHUB_FILES: tuple[DataHubFile, ...] = (
    DataHubFile(
        "individuals_using_internet.csv",
        11624,
        "downloaded by 2025-12-17",
        rate=DataHubSeries("i99H", "11624", "internet_users_pct"),
    ),
    DataHubFile(
        "mobile-cellular-subscriptions_1758627613877.csv",
        178,
        "downloaded 2025-09-23",
        rate=DataHubSeries("i911", "392", "mobile_cellular_per100"),
        count=DataHubSeries("i271", "178", "mobile_cellular_subscriptions"),
    ),
    DataHubFile(
        "fixed_broadband_subscriptions.csv",
        19303,
        "downloaded by 2025-12-17",
        rate=DataHubSeries("i992b", "19303", "fixed_broadband_per100"),
        count=DataHubSeries("i4213tfbb", "19257", "fixed_broadband_subscriptions"),
    ),
    DataHubFile(
        "active_mobile_broadband_subscriptions.csv",
        11632,
        "downloaded by 2025-12-17",
        rate=DataHubSeries("i911mw", "12066", "mobile_broadband_per100"),
        count=DataHubSeries("i271mw", "11632", "mobile_broadband_subscriptions"),
    ),
    DataHubFile(
        "households_internet_access.csv",
        12047,
        "downloaded by 2025-12-17",
        rate=DataHubSeries("xHH6_IDI", "12047", "households_internet_pct"),
    ),
)

#: When each edition came out, and where that date comes from.
JUNE_2019_RELEASED = (
    "2019-06-30",
    "month in the release's file names (..._Jun2019...xls); the day is not known, so the month's last day",
)
DATAHUB_RELEASED = (
    "2025-12-17",
    "the DataHub exports are undated: the date by which these files had been downloaded "
    "(itu/PROVENANCE.md; the mobile-cellular export is of 2025-09-23)",
)

SOURCE = Source(
    id="itu",
    publisher="International Telecommunication Union (ITU)",
    title=(
        "ITU World Telecommunication/ICT Indicators: DataHub series and the June 2019 Excel release"
    ),
    landing_page=DATAHUB,
    licence=Licence(
        name="CC BY-NC-SA 3.0 IGO",
        url="https://creativecommons.org/licenses/by-nc-sa/3.0/igo/",
        note=(
            "Non-commercial use only; anything derived from the data must be shared under the same "
            "licence; cite ITU with the access date. Series marked as third-party data keep their "
            "owner's terms. No ITU endorsement is implied and the ITU logo may not be used."
        ),
    ),
    citation=(
        "International Telecommunication Union, ITU DataHub, https://datahub.itu.int/ "
        "(accessed {retrieved}); and ITU, World Telecommunication/ICT Indicators, fixed-telephone "
        "subscriptions 2000-2018, June 2019 release (revised 27 August 2019)."
    ),
    files=(
        *(
            # The ZIP holds one CSV named <indicator-slug>_<download time in ms>.csv.
            RawFile(f.name, url=DATAHUB_DOWNLOAD.format(f.download_id), archive_member="*.csv")
            for f in DATAHUB_FILES
        ),
        # The June 2019 release: the fixed-telephone file (read by the current table too) and the
        # other series files of that edition.
        *(RawFile(spec.name) for spec in JUNE_2019_FILES),
    ),
    tables=("itu_ict",),
    editions=(
        Edition(
            EDITION, *JUNE_2019_RELEASED, files=tuple(spec.name for spec in JUNE_2019_FILES),
            years=FIXED_TELEPHONE_YEARS,
            note="ITU's Excel release: internet use, mobile-cellular, fixed-broadband and fixed-telephone series",
        ),
        Edition(
            CURRENT_EDITION, *DATAHUB_RELEASED,
            files=(*(f.name for f in DATAHUB_FILES), FIXED_TELEPHONE_FILE), current=True,
            note="the DataHub exports, with fixed telephone from the June 2019 release (DataHub has no such series)",
        ),
    ),
    manual_download=(
        f"{FIXED_TELEPHONE_FILE}: ITU no longer links the June 2019 release from "
        f"{STATISTICS_PAGE}; "
        "it was most likely at https://www.itu.int/en/ITU-D/Statistics/Documents/statistics/2019/"
        f"{FIXED_TELEPHONE_FILE} (inferred, unverified). Save it unchanged as raw/itu/"
        f"{FIXED_TELEPHONE_FILE}. DataHub files: open {DATAHUB}, the indicator's page, Download "
        "(CSV), and save the CSV under the file name the package expects."
    ),
)


@dataclass(frozen=True)
class Indicator:
    """One published ITU indicator.

    ``ceiling`` bounds a per-100 or % value (a value above it must be a reviewed anomaly);
    ``count`` names the count indicator from which group aggregates of a per-100 indicator are
    population-weighted; ``vintage`` says where a series older than the current edition comes from.
    """

    unit: str
    title: str
    description: str
    ceiling: float | None = None
    count: str | None = None
    vintage: str = ""

    @property
    def caveat(self) -> str:
        """What to know before comparing values (printed in the codebook)."""
        parts = [self.vintage or "ITU's values, unchanged: DataHub exports carry 6 significant digits.",
                 "ITU's own estimates are marked in itu_ict's is_estimate column."]
        if self.unit == "per 100 inhabitants":
            parts.append("Per-100 values use UN World Population Prospects denominators and change when those "
                         "are revised.")
        return " ".join(parts)


# Ceilings: 100 for shares. Mobile: 250 (more than 2.5 subscriptions per inhabitant happens, but each
# case is reviewed; a count put in the per-100 column is far above it). Fixed lines are shared by
# households and firms, so they stay lower: the files' maxima are 75.7 for fixed broadband (Cayman
# Islands 2019) and 135.6 for fixed telephone (Monaco 2014), hence 100 and 150.
FIXED_TELEPHONE_VINTAGE = (
    f"From ITU's {EDITION} Excel release ({FIXED_TELEPHONE_YEARS[0]}-{FIXED_TELEPHONE_YEARS[-1]}, full precision): "
    f"no {CURRENT_EDITION} export has fixed telephone, so it is older than the other series."
)
INDICATORS: dict[str, Indicator] = {
    "internet_users_pct": Indicator(
        "% of individuals", "Individuals using the Internet",
        "Share of individuals who used the Internet in the last 3 months.", ceiling=100,
    ),
    "households_internet_pct": Indicator(
        "% of households", "Households with Internet access at home",
        "Share of households with Internet access at home.", ceiling=100,
    ),
    "mobile_cellular_per100": Indicator(
        "per 100 inhabitants", "Mobile-cellular subscriptions per 100 inhabitants",
        "Active mobile-cellular telephone subscriptions per 100 inhabitants.", ceiling=250,
        count="mobile_cellular_subscriptions",
    ),
    "mobile_cellular_subscriptions": Indicator(
        "subscriptions", "Mobile-cellular subscriptions", "Number of mobile-cellular telephone subscriptions.",
    ),
    "mobile_broadband_per100": Indicator(
        "per 100 inhabitants", "Active mobile-broadband subscriptions per 100 inhabitants",
        "Active mobile-broadband subscriptions per 100 inhabitants.", ceiling=250,
        count="mobile_broadband_subscriptions",
    ),
    "mobile_broadband_subscriptions": Indicator(
        "subscriptions", "Active mobile-broadband subscriptions", "Number of active mobile-broadband subscriptions.",
    ),
    "fixed_broadband_per100": Indicator(
        "per 100 inhabitants", "Fixed-broadband subscriptions per 100 inhabitants",
        "Fixed (wired or wireless) broadband subscriptions per 100 inhabitants.", ceiling=100,
        count="fixed_broadband_subscriptions",
    ),
    "fixed_broadband_subscriptions": Indicator(
        "subscriptions", "Fixed-broadband subscriptions", "Number of fixed-broadband subscriptions.",
    ),
    "fixed_telephone_per100": Indicator(
        "per 100 inhabitants", "Fixed-telephone subscriptions per 100 inhabitants",
        "Fixed-telephone subscriptions per 100 inhabitants (June 2019 release, 2000-2018).", ceiling=150,
        count="fixed_telephone_subscriptions", vintage=FIXED_TELEPHONE_VINTAGE,
    ),
    "fixed_telephone_subscriptions": Indicator(
        "subscriptions", "Fixed-telephone subscriptions",
        "Number of fixed-telephone subscriptions (June 2019 release, 2000-2018).", vintage=FIXED_TELEPHONE_VINTAGE,
    ),
}
