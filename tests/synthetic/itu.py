"""Synthetic ITU files: the five DataHub CSV exports and the June 2019 fixed-telephone .xls.

Layouts, as in the mirror's ``itu/PROVENANCE.md`` and the files themselves:

* DataHub CSV: UTF-8 with BOM, LF line ends, no newline after the last row; 13 columns; strings
  double-quoted, ``seriesID``/``entityID``/``dataYear`` bare, ``seriesParent`` empty (``,,``).
  Rows are ordered by series id, entity id, year, and only years with a value appear. ``dataValue``
  is C ``%g`` text with 6 significant digits and a 3-digit exponent (``"2.61701e+007"``).
  ``seriesUnits`` is per indicator, so wrong on half the rows ("count" on the per-100 series of the
  mobile files, "per 100 people" on the fixed-broadband count). "ITU estimate" and the footnotes sit
  on the count row; the per-100 row of the same economy-year has empty ``dataNote``/``dataSource``.
  ``entityIso`` is ITU's code: KSO (Kosovo), AAA (Guernsey), GBJ (Jersey), ASC (Ascension), ANT.
* ``Fixed_tel_2000-2018_Jun2019_revised_27082019.xls``: BIFF8, one sheet ``Final``; row 1 the three
  block titles, row 2 the years as floats and ``Notes <year>``/``Source <year>``; then one row per
  economy named in column A (ITU names of 2019: "Turkey", "Korea (Rep. of)", "Neth. Antilles",
  "Vatican" with no value at all); B-T counts, U empty, V-AN per 100, AO empty, AP-CA notes and
  sources; missing is an empty cell. Counts are whole numbers, per-100 values full doubles. (xlwt
  stores every whole number as an RK integer, so python-calamine reads the year headers as ``2000``
  where ITU's file gives ``2000.0``; ITU's file itself mixes both kinds for its counts.)

* The other three files of the June 2019 Excel release (the edition ``June 2019`` of ``itu_ict``),
  ``Individuals_Internet_2000-2018_Jun2019.xls``, ``Mobile_cellular_2000-2018_Jun2019.xls`` and
  ``Fixed_broadband_2000-2018_Jun2019_revised27082019.xls``: the fixed-telephone file's layout with
  their own blocks (the Internet file has one, the percentage in B-T, then U, then notes and sources
  in V-BG), the same economies, and a stray number in a separator column, as ITU's Internet file has.

Kazakhstan's values are ITU's published ones (the June 2019 values of Internet use, mobile-cellular
and fixed-broadband are invented: an earlier vintage a little off the DataHub's); the peers (Central
Asia, the EAEU, Korea) are invented but plausible, and every count is per-100 x population / 100
with one population per economy and year, so population-weighted group aggregates can be computed
from any file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SOURCE_ID = "itu"
INTERNET = "individuals_using_internet.csv"
MOBILE = "mobile-cellular-subscriptions_1758627613877.csv"
FIXED_BROADBAND = "fixed_broadband_subscriptions.csv"
MOBILE_BROADBAND = "active_mobile_broadband_subscriptions.csv"
HOUSEHOLDS = "households_internet_access.csv"
FIXED_TELEPHONE = "Fixed_tel_2000-2018_Jun2019_revised_27082019.xls"
FIXED_TELEPHONE_SHEET = "Final"

HEADER: tuple[str, ...] = (
    "seriesID", "seriesCode", "seriesName", "seriesParent", "seriesUnits", "entityID", "entityIso",
    "entityName", "dataValue", "dataYear", "dataNote", "dataSource", "seriesDescription",
)
BOM = b"\xef\xbb\xbf"
ESTIMATE = "ITU estimate."


@dataclass(frozen=True)
class Series:
    """One DataHub series as its rows spell it (``units`` as published, even where wrong)."""

    series_id: str
    code: str
    name: str
    units: str
    description: str


_MOBILE_TEXT = (
    "Mobile-cellular subscriptions", "count",
    "Refers to the number of subscriptions to a public mobile-telephone service that provide access to the "
    "public switched telephone network (PSTN) using cellular technology. It includes the number of postpaid "
    "subscriptions and the number of active prepaid accounts",
)
_FIXED_BROADBAND_TEXT = (
    "Fixed-broadband subscriptions", "per 100 people",
    "Refers to fixed subscriptions to high-speed access to the public Internet (a TCP/IP connection), at "
    "downstream speeds equal to, or greater than, 256 kbit/s divided by population and multiplied by 100",
)
_MOBILE_BROADBAND_TEXT = (
    "Active mobile-broadband subscriptions", "count",
    "Refers to the sum of active handset-based and computer-based (USB/dongles) mobile-broadband "
    "subscriptions that allow access to the Internet",
)
#: File -> its series, count first (the count series has the lower id in every file).
SERIES: dict[str, tuple[Series, ...]] = {
    INTERNET: (
        Series("11624", "i99H", "Individuals using the Internet", "%",
               "Refers to the proportion of individuals who used the Internet from any location in the last "
               "three months. Access can be via a fixed or mobile network."),
    ),
    MOBILE: (Series("178", "i271", *_MOBILE_TEXT), Series("392", "i911", *_MOBILE_TEXT)),
    FIXED_BROADBAND: (
        Series("19257", "i4213tfbb", *_FIXED_BROADBAND_TEXT), Series("19303", "i992b", *_FIXED_BROADBAND_TEXT),
    ),
    MOBILE_BROADBAND: (
        Series("11632", "i271mw", *_MOBILE_BROADBAND_TEXT), Series("12066", "i911mw", *_MOBILE_BROADBAND_TEXT),
    ),
    HOUSEHOLDS: (
        Series("12047", "xHH6_IDI", "Households with Internet access at home", "%",
               "Refers to the proportion of households with Internet access at home. Access can be via a fixed "
               "or mobile network. If one member of the household has a mobile phone with connection to the "
               "Internet and makes it available for all members, then it should be considered that the "
               "household has access to the Internet."),
    ),
}
#: ITU entity code -> (entityID, entityName) as DataHub writes them.
ENTITIES: dict[str, tuple[int, str]] = {
    "ANT": (22, "Neth. Antilles"),
    "ARM": (17, "Armenia"),
    "BLR": (37, "Belarus"),
    "FJI": (79, "Fiji"),
    "KOR": (128, "Korea (Rep. of)"),
    "RUS": (202, "Russian Federation"),
    "UZB": (245, "Uzbekistan"),
    "KAZ": (277, "Kazakhstan"),
    "TJK": (278, "Tajikistan"),
    "TKM": (279, "Turkmenistan"),
    "KGZ": (280, "Kyrgyzstan"),
    "ASC": (288, "Ascension"),
    "GBJ": (292, "Jersey"),
    "AAA": (300, "Guernsey"),
    "KSO": (318, "Kosovo"),
}
#: ITU codes that are not ISO codes -> the ISO code the reviewed overrides give them (ASC: dropped).
ITU_CODES: dict[str, str] = {"KSO": "XKX", "AAA": "GGY", "GBJ": "JEY"}
DROPPED = "ASC"
YEARS: tuple[int, ...] = (2008, 2018, 2024)

#: Population (persons) by economy and year: the denominator of every per-100 value below.
POPULATION: dict[str, dict[int, float]] = {
    "KAZ": {2008: 16_426_600, 2018: 18_932_700, 2024: 20_592_600},
    "KGZ": {2008: 5_318_700, 2018: 6_322_800, 2024: 7_186_000},
    "TJK": {2008: 7_257_000, 2018: 9_307_400, 2024: 10_590_900},
    "TKM": {2008: 4_935_800, 2018: 5_850_900, 2024: 7_494_500},
    "UZB": {2008: 27_302_800, 2018: 32_476_200, 2024: 36_361_900},
    "ARM": {2008: 2_908_200, 2018: 2_951_800, 2024: 3_033_500},
    "BLR": {2008: 9_527_500, 2018: 9_483_800, 2024: 9_056_700},
    "RUS": {2008: 143_242_600, 2018: 145_734_000, 2024: 144_820_400},
    "KOR": {2008: 49_054_700, 2018: 51_640_000, 2024: 51_717_600},
    "FJI": {2024: 928_800},
    "ANT": {2008: 195_400},
    "GBJ": {2018: 105_500},
    "AAA": {2018: 62_600},
    "ASC": {2008: 900},
}

# (ITU code, year) -> value per 100 (or %), as the file's 6-digit text; invented unless noted.
MOBILE_PER100: dict[tuple[str, int], str] = {
    ("KAZ", 2008): "90.7713", ("KAZ", 2018): "137.675", ("KAZ", 2024): "127.085",  # ITU's
    ("KGZ", 2008): "64.2", ("KGZ", 2018): "137.742", ("KGZ", 2024): "107.492",
    ("TJK", 2008): "53.4", ("TJK", 2018): "107.442", ("TJK", 2024): "118.3",
    ("TKM", 2008): "22.9", ("TKM", 2018): "87.773", ("TKM", 2024): "101.6",
    ("UZB", 2008): "46.8", ("UZB", 2018): "71.7444", ("UZB", 2024): "110.492",
    ("ARM", 2008): "99.5", ("ARM", 2018): "123", ("ARM", 2024): "134.887",
    ("BLR", 2008): "84.3", ("BLR", 2018): "122.57", ("BLR", 2024): "131.123",
    ("RUS", 2008): "139.5", ("RUS", 2018): "156.683", ("RUS", 2024): "186.104",
    ("KOR", 2008): "93.8", ("KOR", 2018): "128.495", ("KOR", 2024): "172.52",
    ("FJI", 2024): "574.152",  # ITU's, a reviewed anomaly above the ceiling of 250
    ("ANT", 2008): "135.2", ("GBJ", 2018): "117.4",
}
FIXED_BROADBAND_PER100: dict[tuple[str, int], str] = {
    ("KAZ", 2008): "2.05339", ("KAZ", 2018): "13.0002", ("KAZ", 2024): "15.3162",  # ITU's
    ("KGZ", 2008): "0.05", ("KGZ", 2018): "4.2", ("KGZ", 2024): "8.1",
    ("TJK", 2008): "0.03", ("TJK", 2018): "0.07", ("TJK", 2024): "0.6",
    ("TKM", 2008): "0.02", ("TKM", 2018): "0.1", ("TKM", 2024): "0.5",
    ("UZB", 2008): "0.2", ("UZB", 2018): "8.9", ("UZB", 2024): "27.4",
    ("ARM", 2008): "0.8", ("ARM", 2018): "11.8", ("ARM", 2024): "20.5",
    ("BLR", 2008): "4.9", ("BLR", 2018): "33.9", ("BLR", 2024): "36.2",
    ("RUS", 2008): "6.5", ("RUS", 2018): "22.2", ("RUS", 2024): "25.4",
    ("KOR", 2008): "32.2", ("KOR", 2018): "41.6", ("KOR", 2024): "46",
    ("ASC", 2008): "4.38462", ("AAA", 2018): "38.5",
}
#: Kazakhstan has no mobile-broadband value before 2010, so no 2008 row (as in ITU's file).
MOBILE_BROADBAND_PER100: dict[tuple[str, int], str] = {
    ("KAZ", 2018): "71.1931", ("KAZ", 2024): "119.041",  # ITU's
    ("KGZ", 2018): "95.3", ("KGZ", 2024): "104.2",
    ("TJK", 2018): "22", ("TJK", 2024): "45.1",
    ("TKM", 2018): "18.4", ("TKM", 2024): "36",
    ("UZB", 2018): "61.7", ("UZB", 2024): "101.3",
    ("ARM", 2018): "84.6", ("ARM", 2024): "118.9",
    ("BLR", 2018): "87.5", ("BLR", 2024): "103.4",
    ("RUS", 2008): "13.4", ("RUS", 2018): "96.4", ("RUS", 2024): "112.7",
    ("KOR", 2008): "61.2", ("KOR", 2018): "113.5", ("KOR", 2024): "130.8",
}
#: ITU's own counts for Kazakhstan (6 significant digits, as in the files): they win over
#: per-100 x population.
PUBLISHED_COUNTS: dict[tuple[str, str, int], str] = {
    (MOBILE, "KAZ", 2008): "1.49106e+007",
    (MOBILE, "KAZ", 2018): "2.60656e+007",
    (MOBILE, "KAZ", 2024): "2.61701e+007",
    (MOBILE, "FJI", 2024): "5.33264e+006",
    (FIXED_BROADBAND, "KAZ", 2008): "337300",
    (FIXED_BROADBAND, "KAZ", 2018): "2.4613e+006",
    (FIXED_BROADBAND, "KAZ", 2024): "3.154e+006",
    (MOBILE_BROADBAND, "KAZ", 2018): "1.34788e+007",
    (MOBILE_BROADBAND, "KAZ", 2024): "2.45137e+007",
}
INTERNET_PCT: dict[tuple[str, int], str] = {
    ("KAZ", 2008): "11", ("KAZ", 2018): "78.9039", ("KAZ", 2024): "93.3917",  # ITU's
    ("KGZ", 2008): "15.7", ("KGZ", 2018): "38.2", ("KGZ", 2024): "87.3",
    ("TJK", 2008): "8.8", ("TJK", 2018): "21.96",
    ("TKM", 2008): "1.4", ("TKM", 2018): "21.3",
    ("UZB", 2008): "9.1", ("UZB", 2018): "55.2", ("UZB", 2024): "89",
    ("ARM", 2008): "6.2", ("ARM", 2018): "68.2", ("ARM", 2024): "82.3",
    ("BLR", 2008): "32.1", ("BLR", 2018): "79.1", ("BLR", 2024): "89.5",
    ("RUS", 2008): "26.8", ("RUS", 2018): "80.9", ("RUS", 2024): "92.2",
    ("KOR", 2008): "81", ("KOR", 2018): "96", ("KOR", 2024): "97.4",
    ("KSO", 2018): "89.443",  # ITU's
    ("AAA", 2018): "83", ("GBJ", 2008): "61.4", ("ASC", 2008): "41.2",
}
HOUSEHOLDS_PCT: dict[tuple[str, int], str] = {
    ("KAZ", 2008): "17", ("KAZ", 2018): "87.5881", ("KAZ", 2024): "97.0572",  # ITU's
    ("KGZ", 2008): "4", ("KGZ", 2018): "29.1", ("KGZ", 2024): "81.6",
    ("UZB", 2018): "76.5", ("ARM", 2018): "77.6", ("BLR", 2018): "76.1", ("BLR", 2024): "86.3",
    ("RUS", 2008): "25.3", ("RUS", 2018): "76.3", ("RUS", 2024): "88.2",
    ("KOR", 2008): "94.3", ("KOR", 2018): "99.5", ("KOR", 2024): "99.9",
    ("AAA", 2018): "88.4",
}

_KAZ_2024_NOTE = "according to the final data of the Office for National Statistics for {}"
_KAZ_2024_SOURCE = "Ministry of digital development, defense and aerospace industry of the Republic of Kazakhstan"
_KAZ_BNS = "Bureau of National statistics Agency for Strategic planning and reforms of the Republic of Kazakhstan"
_KAZ_MDDIAI = "Ministry of Digital Development Innovation and Aerospace Industry of the Republic of Kazakhstan"
_KAZ_STAT = "Committee on Statistics, Ministry of National Economy of the Republic of Kazakhstan"
#: (file, ITU code, year) -> (dataNote, dataSource) of the count row (or of the only row, for %).
#: Unlisted rows have both empty; per-100 rows are empty unless listed in RATE_NOTES.
NOTES: dict[tuple[str, str, int], tuple[str, str]] = {
    (MOBILE, "KAZ", 2008): ("", "Agency of Republic Kazakhstan for Informatization and Communication."),
    (MOBILE, "KAZ", 2018): ("", _KAZ_MDDIAI),
    (MOBILE, "KAZ", 2024): (_KAZ_2024_NOTE.format(2023), _KAZ_2024_SOURCE),
    (MOBILE, "TJK", 2018): ("", ESTIMATE),
    (MOBILE, "TKM", 2024): ("", "Ministry of Communication"),
    # Stray line break and double space, as ITU's notes have (folded by the parser).
    (MOBILE, "RUS", 2018): ("Including  M2M\r\nsubscriptions.", "Ministry of Digital Development"),
    (MOBILE, "ANT", 2008): ("", ESTIMATE),
    (MOBILE, "FJI", 2024): ("In Fiji, many people use multiple SIM cards.", ""),
    (FIXED_BROADBAND, "KAZ", 2008): ("", "Ministry for Communications and Informations"),
    (FIXED_BROADBAND, "KAZ", 2018): ("", _KAZ_MDDIAI),
    (FIXED_BROADBAND, "KAZ", 2024): (_KAZ_2024_NOTE.format(2024), _KAZ_2024_SOURCE),
    (FIXED_BROADBAND, "TKM", 2018): ("", ESTIMATE),
    (MOBILE_BROADBAND, "KAZ", 2018): ("", _KAZ_MDDIAI),
    (MOBILE_BROADBAND, "KAZ", 2024): (_KAZ_2024_NOTE.format(2024), _KAZ_2024_SOURCE),
    (MOBILE_BROADBAND, "UZB", 2018): ("", "ITU estimate based on GSMA"),
    (MOBILE_BROADBAND, "TJK", 2024): ("", "DEC estimate."),  # someone else's estimate, not ITU's
    (INTERNET, "KAZ", 2008): ("", "Ministry of the Republic of Kazakhstan for Communications and Information"),
    (INTERNET, "KAZ", 2018): ("", _KAZ_STAT),
    (INTERNET, "KAZ", 2024): ("", _KAZ_BNS),
    (INTERNET, "TJK", 2018): ("", ESTIMATE),
    (INTERNET, "TKM", 2018): ("", "ITU Estimate."),
    (INTERNET, "KSO", 2018): ("", "Eurostat"),
    (INTERNET, "KOR", 2024): ("Population age 3+.", "Ministry of Science and ICT"),
    (HOUSEHOLDS, "KAZ", 2008): ("", ESTIMATE),
    (HOUSEHOLDS, "KAZ", 2018): ("", _KAZ_STAT),
    (HOUSEHOLDS, "KAZ", 2024): ("", _KAZ_BNS),
    (HOUSEHOLDS, "KGZ", 2008): ("", ESTIMATE),
}
#: Per-100 rows that carry text of their own (ITU does this on a few rows): TKM 2024 marks the
#: rate as its estimate although the count row names the ministry.
RATE_NOTES: dict[tuple[str, str, int], tuple[str, str]] = {
    (MOBILE, "TKM", 2024): ("", ESTIMATE),
}

# Planted values the tests pin.
KAZ_INTERNET_USERS_2008 = 11.0
KAZ_INTERNET_USERS_2024 = 93.3917
KAZ_MOBILE_PER100_2024 = 127.085
KAZ_MOBILE_SUBSCRIPTIONS_2024 = 26_170_100.0  # "2.61701e+007"
KAZ_FIXED_BROADBAND_PER100_2024 = 15.3162
KAZ_HOUSEHOLDS_INTERNET_2024 = 97.0572
KAZ_FIXED_TELEPHONE_PER100_2018 = 18.2913202666125
KAZ_FIXED_TELEPHONE_SUBSCRIPTIONS_2008 = 3_458_440


def itu_g(value: float) -> str:
    """``value`` as ITU's exporter prints it: C ``%g`` with a 3-digit exponent (MSVC style)."""
    text = f"{value:g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{exponent[0]}{int(exponent[1:]):03d}"
    return text


def count_text(file: str, iso: str, year: int, per100: str) -> str:
    """The count row's value: ITU's where known, else per-100 x population / 100 as a whole number, 6 digits."""
    published = PUBLISHED_COUNTS.get((file, iso, year))
    if published is not None:
        return published
    return itu_g(round(float(per100) * POPULATION[iso][year] / 100))


def datahub_records(file: str) -> list[tuple[Series, str, int, str, str, str]]:
    """(series, ITU code, year, dataValue, dataNote, dataSource) of one file, in ITU's row order."""
    values = {
        INTERNET: INTERNET_PCT, HOUSEHOLDS: HOUSEHOLDS_PCT, MOBILE: MOBILE_PER100,
        FIXED_BROADBAND: FIXED_BROADBAND_PER100, MOBILE_BROADBAND: MOBILE_BROADBAND_PER100,
    }[file]
    series = SERIES[file]
    records = []
    for (iso, year), rate in values.items():
        if len(series) == 2:
            note, source = NOTES.get((file, iso, year), ("", ""))
            records.append((series[0], iso, year, count_text(file, iso, year, rate), note, source))
            records.append((series[1], iso, year, rate, *RATE_NOTES.get((file, iso, year), ("", ""))))
        else:
            records.append((series[0], iso, year, rate, *NOTES.get((file, iso, year), ("", ""))))
    return sorted(records, key=lambda r: (int(r[0].series_id), ENTITIES[r[1]][0], r[2]))


def quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def datahub_text(file: str) -> str:
    """The CSV's text (without the BOM): quoted strings, bare numbers, LF, no final newline."""
    lines = [",".join(quote(name) for name in HEADER)]
    for series, iso, year, value, note, source in datahub_records(file):
        entity_id, entity_name = ENTITIES[iso]
        fields = [
            series.series_id, quote(series.code), quote(series.name), "", quote(series.units), str(entity_id),
            quote(iso), quote(entity_name), quote(value), str(year), quote(note), quote(source),
            quote(series.description),
        ]
        lines.append(",".join(fields))
    return "\n".join(lines)


def write_datahub(path: Path, text: str) -> Path:
    """Write DataHub CSV text as ITU does: UTF-8 with a BOM."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(BOM + text.encode("utf-8"))
    return path


# --- The June 2019 fixed-telephone workbook -----------------------------------------------------

FIXED_TELEPHONE_YEARS: tuple[int, ...] = tuple(range(2000, 2019))
COUNT_START, RATE_START, META_START = 1, 21, 41  # columns B, V and AP
WIDTH = META_START + 2 * len(FIXED_TELEPHONE_YEARS)  # 79 columns, A to CA

#: Kazakhstan's row of ITU's file: counts (int or float, as stored), per 100 (full doubles), sources.
KAZ_FIXED_COUNTS: tuple[float, ...] = (
    1834226, 1939628.0, 2081858, 2228400.0, 2550000.0, 2708000.0, 2928400.0, 3236900, 3458440.0, 3856500,
    4057600.0, 4265800, 4361400, 4392000.0, 4353400, 4147800.0, 3931100, 3686600.0, 3350900,
)
KAZ_FIXED_PER100: tuple[float, ...] = (
    12.2914999605635, 13.0087279148744, 13.9011208993904, 14.7575758238007, 16.7212950282344,
    17.5812110091362, 18.8306188279952, 20.6144348553544, 21.8031344228008, 24.0385109848796,
    24.9663447200236, 25.8679604891736, 26.035838528134, 25.7956643901836, 25.1603587087848,
    23.6045767315486, 22.0465583875991, 20.3904652976305, 18.2913202666125,
)
_KAZ_MTC = "Ministry of Transport and Communications of the Republic of Kazakhstan "  # trailing space: ITU's
_KAZ_COMMITTEE = (
    "The Committee for Communication, informatization and information of the Ministry for Investment and "
    "Development of the Republic of Kazakhstan"
)
_KAZ_MIC = "Ministry of Information and Communication of the Republic of Kazakhstan"
KAZ_FIXED_SOURCES: tuple[str, ...] = (
    *["Ministry of Transport and Communications."] * 8,
    "Agency of Republic Kazakhstan for Informatization and Communication.",
    "Ministry of the Republic of Kazakhstan for Communications and Information",
    "Ministry for Communications and Information of Republic of Kazakhstan ",
    _KAZ_MTC, _KAZ_MTC, _KAZ_COMMITTEE, _KAZ_COMMITTEE, _KAZ_MIC, _KAZ_MIC, _KAZ_MIC, _KAZ_2024_SOURCE,
)


@dataclass(frozen=True)
class FixedLine:
    """An invented economy row: per 100 and population move linearly from 2000 to ``last_year``."""

    name: str
    per100: tuple[float, float]
    population: tuple[float, float]
    last_year: int = 2018
    first_year: int = 2000


#: ITU names of 2019, in the file's alphabetical order (Kazakhstan is inserted from ITU's row).
FIXED_LINES: tuple[FixedLine, ...] = (
    FixedLine("Armenia", (17.38, 16.08), (3_070_000, 2_951_800)),
    FixedLine("Ascension", (46.12, 39.0), (1_288, 900)),
    FixedLine("Belarus", (27.88, 47.49), (10_005_000, 9_483_800)),
    FixedLine("Guernsey", (84.65, 60.0), (62_700, 62_600)),
    FixedLine("Jersey", (84.11, 55.0), (86_800, 105_500)),
    FixedLine("Korea (Rep. of)", (54.59, 50.63), (47_380_000, 51_640_000)),
    FixedLine("Kyrgyzstan", (7.64, 5.25), (4_920_000, 6_322_800)),
    FixedLine("Neth. Antilles", (44.5, 42.0), (180_000, 197_000), last_year=2009),
    FixedLine("Russian Federation", (21.9, 22.3), (146_400_000, 145_530_000), last_year=2017),
    FixedLine("Tajikistan", (3.52, 5.3), (6_216_000, 9_100_800), last_year=2017),
    FixedLine("Turkey", (28.2, 14.6), (64_110_000, 82_340_000)),
    FixedLine("Turkmenistan", (8.07, 11.6), (4_516_000, 5_757_700), last_year=2017),
    FixedLine("Uzbekistan", (6.68, 11.9), (24_650_000, 32_388_600), last_year=2017),
)
#: (economy name, year) -> (Notes, Source) cells of the invented rows.
FIXED_NOTES: dict[tuple[str, int], tuple[str, str]] = {
    ("Guernsey", 2000): ("Including ISDN channels.", "Cable & Wireless Guernsey."),
    ("Ascension", 2000): ("", "Cable & Wireless plc. (C&W)."),
    ("Neth. Antilles", 2000): ("", "TANA estimate."),
    **{("Turkmenistan", year): ("", ESTIMATE) for year in range(2008, 2018)},
    # A multi-line cell with stray spaces, as ITU's metadata columns hold.
    ("Tajikistan", 2017): ("", " ITU estimate.\nITU  estimate. "),
    ("Korea (Rep. of)", 2018): ("Break in comparability.", "Ministry of Science and ICT"),
}
#: An economy the file lists without a single value (ITU's own file has "Vatican" so).
EMPTY_ECONOMY = "Vatican"


def fixed_line_row(line: FixedLine) -> list[object]:
    """One invented economy row: count = round(per100 x population / 100), then the exact per 100."""
    row: list[object] = [line.name] + [""] * (WIDTH - 1)
    span = line.last_year - line.first_year
    for offset, year in enumerate(FIXED_TELEPHONE_YEARS):
        if not line.first_year <= year <= line.last_year:
            continue
        share = (year - line.first_year) / span
        per100 = line.per100[0] + (line.per100[1] - line.per100[0]) * share
        population = line.population[0] + (line.population[1] - line.population[0]) * share
        count = round(per100 * population / 100)
        row[COUNT_START + offset] = count
        row[RATE_START + offset] = count * 100 / population
        note, source = FIXED_NOTES.get((line.name, year), ("", ""))
        row[META_START + 2 * offset] = note
        row[META_START + 2 * offset + 1] = source
    return row


def fixed_telephone_cells() -> list[list[object]]:
    """The sheet ``Final`` cell by cell: two header rows, then one row per economy (A-CA)."""
    titles: list[object] = [""] * WIDTH
    titles[COUNT_START] = "Fixed-telephone subscriptions"
    titles[RATE_START] = "Fixed-telephone subscriptions per 100 inhabitants"
    titles[META_START] = "Metadata for fixed-telephone subscriptions"
    years: list[object] = [""] * WIDTH
    for offset, year in enumerate(FIXED_TELEPHONE_YEARS):
        years[COUNT_START + offset] = float(year)
        years[RATE_START + offset] = float(year)
        years[META_START + 2 * offset] = f"Notes {year}"
        years[META_START + 2 * offset + 1] = f"Source {year}"
    kazakhstan: list[object] = ["Kazakhstan"] + [""] * (WIDTH - 1)
    for offset in range(len(FIXED_TELEPHONE_YEARS)):
        kazakhstan[COUNT_START + offset] = KAZ_FIXED_COUNTS[offset]
        kazakhstan[RATE_START + offset] = KAZ_FIXED_PER100[offset]
        kazakhstan[META_START + 2 * offset + 1] = KAZ_FIXED_SOURCES[offset]
    economies = [fixed_line_row(line) for line in FIXED_LINES]
    economies.append(kazakhstan)
    economies.append([EMPTY_ECONOMY] + [""] * (WIDTH - 1))
    economies.sort(key=lambda row: str(row[0]))
    return [titles, years, *economies]


def write_workbook(path: Path, cells: Sequence[Sequence[object]], *, sheet: str = FIXED_TELEPHONE_SHEET) -> Path:
    """Write ``cells`` as a BIFF8 .xls with one sheet (``""`` is an empty cell: nothing written).

    Tests call it with altered copies of :func:`fixed_telephone_cells`.
    """
    import xlwt  # a dev extra, only needed where synthetic files are written

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet(sheet)
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if value != "":
                worksheet.write(r, c, value)
    workbook.save(str(path))
    return path


# --- The other files of the June 2019 release (the edition "June 2019") ----------------------------


@dataclass(frozen=True)
class ReleaseFile:
    """A file of the June 2019 release: block titles (one value block each) and the metadata title.

    ``per100`` gives, per economy, its per-100 value (or percentage) at a few years; the values in
    between are straight lines, none before the first year or after the last. A file with two
    blocks has counts first (per-100 x the economy's population / 100, whole numbers), then per 100.
    """

    name: str
    blocks: tuple[str, ...]
    metadata_title: str
    per100: dict[str, dict[int, float]]
    #: Economy -> (Notes, Source) of its last year.
    sources: dict[str, tuple[str, str]]
    #: A stray number in the first separator column of every economy row (ITU's Internet file has one).
    stray: float | None = None


#: Kazakhstan in the June 2019 release (invented, a little off the DataHub values of 2008 and 2018).
KAZ_JUNE_2019_INTERNET = {2000: 0.67, 2008: 11.0, 2018: 81.8816}
KAZ_JUNE_2019_MOBILE_PER100 = {2000: 1.26, 2008: 95.9226, 2018: 142.438}
KAZ_JUNE_2019_FIXED_BROADBAND_PER100 = {2003: 0.01, 2008: 2.05339, 2018: 13.5812}


def _economy_points(start: float, end: float, line: FixedLine) -> dict[int, float]:
    return {line.first_year: start, line.last_year: end}


def _per100(kazakhstan: dict[int, float], scale: float, offset: float) -> dict[str, dict[int, float]]:
    """Kazakhstan's points, and an invented line per economy of the fixed-telephone file."""
    points = {"Kazakhstan": kazakhstan}
    for index, line in enumerate(FIXED_LINES):
        start = round(offset + index * scale / 40, 3)
        points[line.name] = _economy_points(start, round(start + scale * (0.5 + index / 30), 3), line)
    return points


RELEASE_FILES: tuple[ReleaseFile, ...] = (
    ReleaseFile(
        "Individuals_Internet_2000-2018_Jun2019.xls",
        # ITU's title ends with a blank (the parser strips it).
        ("Percentage of Individuals using the Internet ",),
        "Metadata for Percentage of Individuals using the Internet",
        _per100(KAZ_JUNE_2019_INTERNET, 80.0, 0.5),
        {"Kazakhstan": ("", _KAZ_STAT), "Tajikistan": ("", ESTIMATE)},
        stray=1.0,
    ),
    ReleaseFile(
        "Mobile_cellular_2000-2018_Jun2019.xls",
        ("Mobile-cellular telephone subscriptions", "Mobile-cellular telephone subscriptions per 100 inhabitants"),
        "Metadata for Mobile-cellular telephone subscriptions",
        _per100(KAZ_JUNE_2019_MOBILE_PER100, 120.0, 1.0),
        {"Kazakhstan": ("", _KAZ_MIC), "Turkmenistan": ("", ESTIMATE),
         "Russian Federation": ("Including  M2M\nsubscriptions.", "Ministry of Digital Development")},
    ),
    ReleaseFile(
        "Fixed_broadband_2000-2018_Jun2019_revised27082019.xls",
        ("Fixed-broadband subscriptions", "Fixed-broadband subscriptions per 100 inhabitants"),
        "Metadata for fixed-broadband subscriptions",
        _per100(KAZ_JUNE_2019_FIXED_BROADBAND_PER100, 30.0, 0.01),
        {"Kazakhstan": ("", _KAZ_MIC), "Uzbekistan": ("", ESTIMATE)},
    ),
)
#: Kazakhstan's population by year in the release (for its counts): 14.9 million in 2000 to 18.3 in 2018.
KAZ_POPULATION = (14_900_000.0, 18_300_000.0)


def straight(points: dict[int, float], year: int) -> float | None:
    """The value at ``year`` on the straight lines between ``points`` (None outside them)."""
    known = sorted(points)
    if not known[0] <= year <= known[-1]:
        return None
    left = max(y for y in known if y <= year)
    right = min(y for y in known if y >= year)
    share = 0.0 if right == left else (year - left) / (right - left)
    return round(points[left] + (points[right] - points[left]) * share, 4)


def population(name: str, year: int) -> float:
    first, last = FIXED_TELEPHONE_YEARS[0], FIXED_TELEPHONE_YEARS[-1]
    if name == "Kazakhstan":
        start, end = KAZ_POPULATION
    else:
        start, end = next(line.population for line in FIXED_LINES if line.name == name)
    return start + (end - start) * (year - first) / (last - first)


def release_value(spec: ReleaseFile, name: str, year: int) -> tuple[int | None, float | None]:
    """(count, per 100) of one economy-year in ``spec``; the count is None in a one-block file."""
    rate = straight(spec.per100[name], year) if name in spec.per100 else None
    if rate is None:
        return None, None
    if len(spec.blocks) == 1:
        return None, rate
    count = round(rate * population(name, year) / 100)
    return count, count * 100 / population(name, year)


def release_cells(spec: ReleaseFile) -> list[list[object]]:
    """A file of the release cell by cell: two header rows, then one row per economy (name order)."""
    years = FIXED_TELEPHONE_YEARS
    starts = [1 + number * (len(years) + 1) for number in range(len(spec.blocks))]
    meta_start = 1 + len(spec.blocks) * (len(years) + 1)
    width = meta_start + 2 * len(years)
    titles: list[object] = [""] * width
    header: list[object] = [""] * width
    for start, title in zip(starts, spec.blocks, strict=True):
        titles[start] = title
        for offset, year in enumerate(years):
            header[start + offset] = float(year)
    titles[meta_start] = spec.metadata_title
    for offset, year in enumerate(years):
        header[meta_start + 2 * offset] = f"Notes {year}"
        header[meta_start + 2 * offset + 1] = f"Source {year}"
    names = sorted([*(line.name for line in FIXED_LINES), "Kazakhstan", EMPTY_ECONOMY])
    economies = []
    for name in names:
        row: list[object] = [name] + [""] * (width - 1)
        for offset, year in enumerate(years):
            count, rate = release_value(spec, name, year)
            if rate is None:
                continue
            values = [rate] if count is None else [count, rate]
            for start, value in zip(starts, values, strict=True):
                row[start + offset] = value
        last = max((y for y in years if release_value(spec, name, y)[1] is not None), default=None)
        if last is not None and name in spec.sources:
            note, source = spec.sources[name]
            row[meta_start + 2 * (last - years[0])] = note
            row[meta_start + 2 * (last - years[0]) + 1] = source
        if spec.stray is not None and name != EMPTY_ECONOMY:
            row[starts[0] + len(years)] = spec.stray
        economies.append(row)
    return [titles, header, *economies]


def write(root: Path) -> dict[str, Path]:
    """Write every raw file of source ``itu`` under ``root/itu/``; ``{file name: path}``."""
    folder = root / SOURCE_ID
    paths = {name: write_datahub(folder / name, datahub_text(name)) for name in SERIES}
    paths[FIXED_TELEPHONE] = write_workbook(folder / FIXED_TELEPHONE, fixed_telephone_cells())
    for spec in RELEASE_FILES:
        paths[spec.name] = write_workbook(folder / spec.name, release_cells(spec))
    return paths
