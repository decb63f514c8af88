"""Synthetic HDR 2025 composite-indices files: the wide time-series CSV and the metadata workbook.

The layout follows the mirror's ``undp_hdr/PROVENANCE.md``: one CSV in Windows-1252 (only "Côte
d'Ivoire" and "Türkiye" are non-ASCII), CRLF line endings including after the last row, no BOM;
1,112 columns named ``<indicator>_<year>`` (rank and group columns for 2023 only, the IHDI block from
2010); numbers in their shortest form (``0.81``, not ``0.810``); blank cells for missing values; 195
countries and territories (193 with an HDI, PRK and MCO without) followed by the 11 aggregate rows
whose codes start with ``ZZ``. The metadata workbook has the sheets ``codebook`` (header ``Full name |
Short name | Time series``, section titles with only column A) and ``recommended_citation``.

What is real and what is invented: Kazakhstan's whole HDI series 1990-2023 and its 2023 components,
and the 2023 values (HDI, rank, components) of the peers, Türkiye and Côte d'Ivoire, are the published
ones (:data:`PLANTED`); their other years are interpolated. Every other country has an invented 2023
HDI that keeps the planted ranks true (59 countries above Kazakhstan's 0.837), and little else.

The earlier editions, HDR 2021/2022 and HDR 2023/2024 (:data:`EARLIER`), are the same wide scheme
with the edition's latest year (rank and group columns suffixed with it), its encoding (HDR21-22 is
UTF-8, HDR23-24 cp1252) and its blocks (HDR21-22 has no ``pop_total``: 1,008 columns; HDR23-24
1,076). Their rows come from the HDR 2025 rows (:func:`edition_rows`): years after the edition's
latest dropped, Kazakhstan's HDI the edition's own (1990, 2008 and 2021 from each edition's file,
the years between interpolated), the other planted countries' HDI revised down by 0.004, the
invented countries' latest values moved to the edition's latest year, and the ranks recomputed from
the edition's HDI. HDR21-22 names Türkiye "Turkey" and has no HDI for Nauru and Somalia either.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .un_egov import NAMES as UN_NAMES
from .un_egov import ranked_values

SOURCE_ID = "undp_hdr"
TIME_SERIES = "HDR25_Composite_indices_complete_time_series.csv"
METADATA = "HDR25_Composite_indices_metadata.xlsx"
FIRST_YEAR, LATEST_YEAR = 1990, 2023
YEARS = tuple(range(FIRST_YEAR, LATEST_YEAR + 1))


def header(latest_year: int = LATEST_YEAR, *, population: bool = True) -> tuple[str, ...]:
    """The publisher's header, block by block as PROVENANCE.md describes it, for an edition whose
    latest year is ``latest_year`` (``population``: whether it has the ``pop_total`` block)."""

    def year_columns(indicators: str, first_year: int = FIRST_YEAR) -> list[str]:
        return [f"{name}_{year}" for name in indicators.split() for year in range(first_year, latest_year + 1)]

    return (
        "iso3", "country", "hdicode", "region", f"hdi_rank_{latest_year}",
        *year_columns("hdi le eys mys gnipc"),
        f"gdi_group_{latest_year}",
        *year_columns("gdi hdi_f le_f eys_f mys_f gni_pc_f hdi_m le_m eys_m mys_m gni_pc_m"),
        *year_columns("ihdi coef_ineq loss ineq_le ineq_edu ineq_inc", first_year=2010),
        f"gii_rank_{latest_year}",
        *year_columns("gii mmr abr se_f se_m pr_f pr_m lfpr_f lfpr_m"),
        f"rankdiff_hdi_phdi_{latest_year}",
        *year_columns("phdi diff_hdi_phdi co2_prod mf" + (" pop_total" if population else "")),
    )


HEADER: tuple[str, ...] = header()

#: Kazakhstan's HDI 1990-2023 as HDR 2025 publishes it (0.689 in 1990, 0.771 in 2008, 0.837 in 2023).
KAZAKHSTAN_HDI: dict[int, float] = dict(zip(YEARS, (
    0.689, 0.683, 0.68, 0.673, 0.666, 0.665, 0.669, 0.673, 0.678, 0.683, 0.692, 0.707, 0.72, 0.732, 0.743,
    0.754, 0.765, 0.772, 0.771, 0.774, 0.781, 0.79, 0.799, 0.808, 0.813, 0.819, 0.82, 0.824, 0.828, 0.834,
    0.826, 0.816, 0.831, 0.837,
), strict=True))


@dataclass(frozen=True)
class Planted:
    """A country's published HDR 2025 values: HDI 1990/2008/2023 and the 2023 components and rank."""

    name: str
    region: str
    rank: int
    hdi_1990: float | None
    hdi_2008: float
    hdi_2023: float
    le: float
    eys: float
    mys: float
    gnipc: float
    ihdi: float | None
    gdi: float | None
    gii: float | None
    gii_rank: int | None = None


PLANTED: dict[str, Planted] = {
    "KOR": Planted("Korea (Republic of)", "", 20, 0.738, 0.878, 0.937, 84.329, 16.6186409, 12.72219869,
                   49726.45327, 0.857, 0.959, 0.038, 12),
    "TUR": Planted("Türkiye", "ECA", 51, 0.598, 0.721, 0.853, 77.156, 19.8307991, 8.98624366, 34506.98065,
                   0.708, 0.938, 0.227, 59),
    "KAZ": Planted("Kazakhstan", "ECA", 60, 0.689, 0.771, 0.837, 74.402, 14.0086174, 12.54717423, 30988.52844,
                   0.766, 1.004, 0.182, 50),
    "RUS": Planted("Russian Federation", "", 64, 0.762, 0.807, 0.832, 73.154, 13.18515015, 12.40999985,
                   39221.68359, 0.758, 1.023, 0.169, 45),
    "BLR": Planted("Belarus", "ECA", 65, None, 0.796, 0.824, 74.434, 13.71881008, 12.33537298, 26724.871,
                   0.771, 1.009, 0.08, 27),
    "ARM": Planted("Armenia", "ECA", 69, 0.663, 0.743, 0.811, 75.683, 14.3838501, 11.34497821, 20220.72319,
                   0.743, 1.006, 0.18, 49),
    "TKM": Planted("Turkmenistan", "ECA", 95, None, 0.683, 0.764, 70.073, 13.24057961, 11.20780193, 17715.58167,
                   None, None, None),
    "UZB": Planted("Uzbekistan", "ECA", 107, None, 0.663, 0.74, 72.388, 12.46086979, 11.90999985, 8825.730893,
                   None, 0.951, 0.291, 74),
    "KGZ": Planted("Kyrgyzstan", "ECA", 117, 0.649, 0.666, 0.72, 71.677, 12.71388245, 12.06588858, 6078.117589,
                   0.649, 0.959, 0.34, 83),
    "TJK": Planted("Tajikistan", "ECA", 128, None, 0.634, 0.691, 71.79, 10.84980801, 11.27094825, 5746.568969,
                   0.594, 0.926, 0.258, 68),
    "CIV": Planted("Côte d'Ivoire", "SSA", 157, 0.389, 0.452, 0.582, 61.944, 11.41112995, 4.869999886,
                   6735.416265, 0.35, 0.91, 0.589, 159),
}
PEERS = ("KGZ", "TJK", "TKM", "UZB", "ARM", "BLR", "RUS", "KOR")
#: Countries and territories without an HDI (and so without a rank): "Other Countries or Territories".
WITHOUT_HDI: dict[str, str] = {"PRK": "Korea (Democratic People's Rep. of)", "MCO": "Monaco"}
#: Not UN members, but in the HDR: the 193 UN members plus these make the 195 rows.
NON_MEMBERS: dict[str, str] = {"HKG": "Hong Kong, China (SAR)", "PSE": "Palestine, State of"}
AGGREGATES: dict[str, str] = {
    "ZZA.VHHD": "Very high human development", "ZZB.HHD": "High human development",
    "ZZC.MHD": "Medium human development", "ZZD.LHD": "Low human development", "ZZE.AS": "Arab States",
    "ZZF.EAP": "East Asia and the Pacific", "ZZG.ECA": "Europe and Central Asia",
    "ZZH.LAC": "Latin America and the Caribbean", "ZZI.SA": "South Asia", "ZZJ.SSA": "Sub-Saharan Africa",
    "ZZK.WORLD": "World",
}
N_COUNTRIES = 195
N_RANKED = 193
EDITION = "HDR 2025"
REGIONS = ("SSA", "LAC", "EAP", "AS", "ECA", "SA", "")

#: The ``codebook`` sheet: (Full name, Short name, Time series); section titles have only a full name.
CODEBOOK: tuple[tuple[str, str, str | float], ...] = (
    ("Full name", "Short name", "Time series"),
    ("ISO3", "iso3", "-"), ("HDR Country Name", "country", "-"), ("Human Development Groups", "hdicode", "-"),
    ("UNDP Developeing Regions", "region", "-"),
    ("HDI", "", ""),
    ("HDI Rank", "hdi_rank", 2023.0),
    ("Human Development Index (value)", "hdi", "1990-2023"),
    ("Life Expectancy at Birth (years)", "le", "1990-2023"),
    ("Expected Years of Schooling (years)", "eys", "1990-2023"),
    ("Mean Years of Schooling (years)", "mys", "1990-2023"),
    ("Gross National Income Per Capita (2021 PPP$)", "gnipc", "1990-2023"),
    ("GDI", "", ""),
    ("GDI Group", "gdi_group", 2023.0),
    ("Gender Development Index (value)", "gdi", "1990-2023"),
    ("HDI female (value)", "hdi_f", "1990-2023"),
    ("Life Expectancy at Birth, female (years)", "le_f", "1990-2023"),
    ("Expected Years of Schooling, female (years)", "eys_f", "1990-2023"),
    ("Mean Years of Schooling, female (years)", "mys_f", "1990-2023"),
    ("Gross National Income Per Capita, female (2021 PPP$)", "gni_pc_f", "1990-2023"),
    ("HDI male (value)", "hdi_m", "1990-2023"),
    ("Life Expectancy at Birth, male (years)", "le_m", "1990-2023"),
    ("Expected Years of Schooling, male (years)", "eys_m", "1990-2023"),
    ("Mean Years of Schooling, male (years)", "mys_m", "1990-2023"),
    ("Gross National Income Per Capita, male (2021 PPP$)", "gni_pc_m", "1990-2023"),
    ("IHDI", "", ""),
    ("Inequality-adjusted Human Development Index (value)", "ihdi", "2010-2023"),
    ("Coefficient of human inequality", "coef_ineq", "2010-2023"),
    ("Overall loss (%)", "loss", "2010-2023"),
    ("Inequality in life expectancy", "ineq_le", "2010-2023"),
    ("Inequality in eduation", "ineq_edu", "2010-2023"),
    ("Inequality in income", "ineq_inc", "2010-2021, 2022-2023=2022"),
    ("GII", "", ""),
    ("GII Rank", "gii_rank", 2023.0),
    ("Gender Inequality Index (value)", "gii", "1990-2023"),
    ("Maternal Mortality Ratio (deaths per 100,000 live births)", "mmr", "1990-2019, 2020-2023=2020"),
    ("Adolescent Birth Rate (births per 1,000 women ages 15-19)", "abr", "1990-2023"),
    ("Population with at least some secondary education, female (% ages 25 and older)", "se_f", "1990-2023"),
    ("Population with at least some secondary education, male (% ages 25 and older)", "se_m", "1990-2023"),
    ("Share of seats in parliament, female (% held by women)", "pr_f", "1990-2023"),
    ("Share of seats in parliament, male (% held by men)", "pr_m", "1990-2023"),
    ("Labour force participation rate, female (% ages 15 and older)", "lfpr_f", "1990-2023"),
    ("Labour force participation rate, male (% ages 15 and older)", "lfpr_m", "1990-2023"),
    ("PHDI", "", ""),
    ("Difference from HDI rank", "rankdiff_hdi_phdi", 2023.0),
    ("Planetary pressures\u2013adjusted Human Development Index (value)", "phdi", "1990-2023"),
    ("Difference from HDI value (%)", "diff_hdi_phdi", "1990-2023"),
    ("Carbon dioxide emissions per capita (production) (tonnes)", "co2_prod", "1990-2023"),
    ("Material footprint per capita (tonnes)", "mf", "1990-2023"),
    ("Additional Indicator", "", ""),
    ("Population, total (millions)", "pop_total", "1990-2023"),
)
CITATION = (
    "\u201cSource: UNDP (United Nations Development Programme). 2025. Human Development Report 2025 - A matter "
    "of choice: People and possibilities in the age of AI. New York.\u201d"
)

# Columns the parser does not publish, for planted rows: a plausible value from a published measure.
_DERIVED = {
    "hdi_f": ("hdi", 0.99), "hdi_m": ("hdi", 1.0), "le_f": ("le", 1.05), "le_m": ("le", 0.95),
    "eys_f": ("eys", 1.02), "eys_m": ("eys", 0.98), "mys_f": ("mys", 0.98), "mys_m": ("mys", 1.02),
    "gni_pc_f": ("gnipc", 0.7), "gni_pc_m": ("gnipc", 1.3), "phdi": ("hdi", 0.95),
}
_CONSTANT = {
    "coef_ineq": 10.5, "loss": 10.2, "ineq_le": 9.1, "ineq_edu": 3.4, "ineq_inc": 18.7, "mmr": 13.0,
    "abr": 20.4, "se_f": 99.1, "se_m": 99.4, "pr_f": 19.6, "pr_m": 80.4, "lfpr_f": 62.1, "lfpr_m": 75.3,
    "diff_hdi_phdi": 5.1, "co2_prod": 12.3, "mf": 19.8, "pop_total": 20.3,
}


def hdicode(hdi: float) -> str:
    """The HDR's thresholds of the four human development groups."""
    if hdi >= 0.8:
        return "Very High"
    if hdi >= 0.7:
        return "High"
    return "Medium" if hdi >= 0.55 else "Low"


def interpolate(points: dict[int, float], years: Sequence[int], decimals: int) -> dict[int, float]:
    """Straight lines between the known points, rounded as the publisher rounds."""
    known = sorted(points)
    series = {}
    for year in years:
        if year < known[0]:
            continue
        left = max(y for y in known if y <= year)
        right = min((y for y in known if y >= year), default=left)
        share = 0.0 if right == left else (year - left) / (right - left)
        series[year] = round(points[left] + (points[right] - points[left]) * share, decimals)
    return series


def planted_series(iso3: str, country: Planted) -> dict[str, dict[int, float]]:
    """Every published measure of a planted country, year by year (missing years left out)."""
    if iso3 == "KAZ":
        hdi = dict(KAZAKHSTAN_HDI)
    else:
        start = {1990: country.hdi_1990} if country.hdi_1990 is not None else {2000: round(country.hdi_2008 - 0.03, 3)}
        hdi = interpolate({**start, 2008: country.hdi_2008, 2023: country.hdi_2023}, YEARS, 3)
    series = {
        "hdi": hdi,
        "le": backwards(country.le, lambda v, n: v - 0.15 * n, 3),
        "eys": backwards(country.eys, lambda v, n: v - 0.05 * n, 7),
        "mys": backwards(country.mys, lambda v, n: v - 0.05 * n, 8),
        "gnipc": backwards(country.gnipc, lambda v, n: v * 0.98**n, 5),
    }
    if country.ihdi is not None:
        series["ihdi"] = {y: round(country.ihdi - 0.003 * (LATEST_YEAR - y), 3) for y in range(2010, LATEST_YEAR + 1)}
    if country.gdi is not None:
        series["gdi"] = {y: country.gdi for y in YEARS}
    if country.gii is not None:
        series["gii"] = {y: round(min(1.0, country.gii + 0.005 * (LATEST_YEAR - y)), 3) for y in YEARS}
    return series


def backwards(latest: float, earlier: Callable[[float, int], float], decimals: int) -> dict[int, float]:
    """A series that ends exactly on the published 2023 value; ``earlier(value, n)`` is n years before."""
    return {y: latest if y == LATEST_YEAR else round(earlier(latest, LATEST_YEAR - y), decimals) for y in YEARS}


def number(value: float | int) -> str:
    """A number in its shortest form, as the HDR file writes it (``0.81``, ``60``)."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def planted_cells(iso3: str, country: Planted) -> dict[str, str]:
    series = planted_series(iso3, country)
    cells = {f"{name}_{year}": number(v) for name, values in series.items() for year, v in values.items()}
    for column in HEADER[5:]:
        name, _, year_text = column.rpartition("_")
        year = int(year_text)
        if column in cells or name in series:
            continue
        if name in _DERIVED:
            base, factor = _DERIVED[name]
            if year in series[base]:
                cells[column] = number(round(series[base][year] * factor, 3))
        elif name in _CONSTANT and (name != "ineq_inc" or country.ihdi is not None):
            cells[column] = number(_CONSTANT[name])
    cells["hdi_rank_2023"] = str(country.rank)
    if country.gdi is not None:
        cells["gdi_group_2023"] = "1" if abs(country.gdi - 1) <= 0.025 else "2"
    if country.gii_rank is not None:
        cells["gii_rank_2023"] = str(country.gii_rank)
    cells["rankdiff_hdi_phdi_2023"] = "-3"
    return {"country": country.name, "hdicode": hdicode(country.hdi_2023), "region": country.region, **cells}


def country_rows() -> dict[str, dict[str, str]]:
    """The 195 country rows by ISO3 (cells by column name; absent cells are blank)."""
    names = {**UN_NAMES, **NON_MEMBERS, **WITHOUT_HDI, **{iso3: c.name for iso3, c in PLANTED.items()}}
    anchors = {iso3: (c.hdi_2023, c.rank) for iso3, c in PLANTED.items()}
    fillers = sorted(set(names) - set(anchors) - set(WITHOUT_HDI))
    random.Random(f"{SOURCE_ID}-strength").shuffle(fillers)
    ranked = ranked_values(anchors, fillers, top=0.972, bottom=0.38, decimals=3)
    rows = {}
    for index, iso3 in enumerate(sorted(names, key=lambda code: names[code])):
        if iso3 in PLANTED:
            rows[iso3] = planted_cells(iso3, PLANTED[iso3])
        elif iso3 in WITHOUT_HDI:
            life = {f"le_{y}": number(round(70.0 + 0.1 * (y - FIRST_YEAR), 3)) for y in YEARS}
            rows[iso3] = {"country": names[iso3], "hdicode": "Other Countries or Territories", **life}
        else:
            hdi, rank = ranked[iso3]
            rows[iso3] = {
                "country": names[iso3], "hdicode": hdicode(hdi), "region": REGIONS[index % len(REGIONS)],
                "hdi_rank_2023": str(rank), "hdi_2022": number(round(hdi - 0.002, 3)), "hdi_2023": number(hdi),
                "le_2023": number(round(50 + 35 * hdi, 3)), "gnipc_2023": number(round(60000 * hdi**4, 2)),
            }
    return rows


def aggregate_rows() -> dict[str, dict[str, str]]:
    """The 11 ``ZZ`` rows: names and an HDI series, no rank, group or region."""
    rows = {}
    for index, (code, name) in enumerate(AGGREGATES.items()):
        start = 0.35 + 0.04 * index
        hdi = {f"hdi_{y}": number(round(start + 0.004 * (y - FIRST_YEAR), 3)) for y in YEARS}
        rows[code] = {"country": name, **hdi}
    return rows


def time_series_text(rows: dict[str, dict[str, str]] | None = None, columns: Sequence[str] = HEADER) -> str:
    """The CSV's text: CRLF after every line, fields quoted only where they hold a comma."""
    if rows is None:
        rows = {**country_rows(), **aggregate_rows()}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for code, cells in rows.items():
        writer.writerow([code, *(cells.get(column, "") for column in columns[1:])])
    return buffer.getvalue()


# --- The earlier editions -------------------------------------------------------------------------


@dataclass(frozen=True)
class EarlierEdition:
    """An earlier edition's file: what differs from HDR 2025, in one place."""

    name: str
    file: str
    latest_year: int
    encoding: str
    population: bool
    #: Kazakhstan's HDI at a few years (the edition's own values); the years between interpolated.
    kazakhstan_hdi: dict[int, float]
    #: Countries with an HDI in HDR 2025 that the edition has none for (no rank, empty ``hdicode``).
    without_hdi: tuple[str, ...] = ()
    #: Names the edition prints differently from HDR 2025.
    names: dict[str, str] | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return header(self.latest_year, population=self.population)


EARLIER: dict[str, EarlierEdition] = {
    edition.name: edition
    for edition in (
        EarlierEdition(
            "HDR 2021/2022", "HDR21-22_Composite_indices_complete_time_series.csv", 2021, "utf-8", False,
            {1990: 0.673, 2008: 0.758, 2021: 0.811}, without_hdi=("NRU", "SOM"), names={"TUR": "Turkey"},
        ),
        EarlierEdition(
            "HDR 2023/2024", "HDR23-24_Composite_indices_complete_time_series.csv", 2022, "cp1252", True,
            {1990: 0.672, 2008: 0.757, 2021: 0.801, 2022: 0.802},
        ),
    )
}
#: How much an earlier edition revises the other planted countries' HDI (every year).
PLANTED_REVISION = -0.004
#: The rank and group columns, suffixed with the edition's latest year.
LATEST_ONLY = ("hdi_rank", "gdi_group", "gii_rank", "rankdiff_hdi_phdi")


def edition_kazakhstan_hdi(edition: EarlierEdition) -> dict[int, float]:
    """Kazakhstan's HDI, 1990 to the edition's latest year, as the edition's file has it."""
    return interpolate(edition.kazakhstan_hdi, range(FIRST_YEAR, edition.latest_year + 1), 3)


def edition_rows(edition: EarlierEdition) -> dict[str, dict[str, str]]:
    """The edition's 195 country rows, from HDR 2025's (see the module's docstring)."""
    latest, shift = edition.latest_year, LATEST_YEAR - edition.latest_year
    rows = {}
    for iso3, current in country_rows().items():
        cells = {key: current[key] for key in ("country", "hdicode", "region") if key in current}
        moved = iso3 not in PLANTED and iso3 not in WITHOUT_HDI
        for column, value in current.items():
            name, _, year_text = column.rpartition("_")
            if not year_text.isdigit():
                continue
            year = int(year_text) - shift if moved or name in LATEST_ONLY else int(year_text)
            if name == "hdi" and iso3 in PLANTED:
                value = number(round(float(value) + PLANTED_REVISION, 3))
            if year <= latest:
                cells[f"{name}_{year}"] = value
        if iso3 == "KAZ":
            cells.update({f"hdi_{year}": number(v) for year, v in edition_kazakhstan_hdi(edition).items()})
        if iso3 in edition.without_hdi:
            cells = {key: v for key, v in cells.items() if key.rpartition("_")[0] not in ("hdi", *LATEST_ONLY)}
        if edition.names and iso3 in edition.names:
            cells["country"] = edition.names[iso3]
        if f"hdi_{latest}" in cells:
            cells["hdicode"] = hdicode(float(cells[f"hdi_{latest}"]))
        else:
            cells["hdicode"] = ""
        rows[iso3] = cells
    ranked = {iso3: float(cells[f"hdi_{latest}"]) for iso3, cells in rows.items() if f"hdi_{latest}" in cells}
    for iso3, value in ranked.items():  # competition ranks: ties share a rank
        rows[iso3][f"hdi_rank_{latest}"] = str(1 + sum(other > value for other in ranked.values()))
    return rows


def edition_text(edition: EarlierEdition) -> str:
    """The edition's CSV text (its header, its country rows, HDR 2025's aggregate rows cut to its years)."""
    aggregates = {code: {key: v for key, v in cells.items() if not key.startswith("hdi_")
                         or int(key.rpartition("_")[2]) <= edition.latest_year}
                  for code, cells in aggregate_rows().items()}
    return time_series_text({**edition_rows(edition), **aggregates}, edition.header)


def write_metadata(
    path: Path, codebook: Sequence[Sequence[str | float]] = CODEBOOK, *, sheet: str = "codebook"
) -> Path:
    """The metadata workbook (a real xlsx), with a fixed creation date so that its bytes never change."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": dt.datetime(2025, 5, 5, 22, 37, 21), "author": "kzegov_data tests"})
    codebook_sheet = workbook.add_worksheet(sheet)
    for row, cells in enumerate(codebook):
        for column, cell in enumerate(cells):
            if cell != "":
                codebook_sheet.write(row, column, cell)
    citation = workbook.add_worksheet("recommended_citation")
    citation.write(0, 0, "Recommended citation:")
    citation.write(1, 0, CITATION)
    workbook.close()
    return path


def write(root: Path) -> dict[str, Path]:
    """Write both HDR 2025 files and each earlier edition's time series under ``root/undp_hdr/``.

    Returns ``{file name: path}``.
    """
    folder = root / SOURCE_ID
    folder.mkdir(parents=True, exist_ok=True)
    time_series = folder / TIME_SERIES
    time_series.write_bytes(time_series_text().encode("cp1252"))
    paths = {TIME_SERIES: time_series, METADATA: write_metadata(folder / METADATA)}
    for edition in EARLIER.values():
        paths[edition.file] = folder / edition.file
        paths[edition.file].write_bytes(edition_text(edition).encode(edition.encoding))
    return paths
