"""A synthetic ``wgidataset.xlsx`` (WGI 2024 Update) in the World Bank's exact layout.

What the publisher's file looks like (``wb_wgi/PROVENANCE.md`` of the mirror, and the file itself):
one sheet ``Sheet1``, no title rows, the header ``codeindyr .. pctrankupper`` in row 1, then one row
per year, indicator and economy, ordered by year, then indicator code (cc ge pv rl rq va), then
economy name. ``codeindyr`` repeats code + indicator + year (``KAZcc2008``); years are stored as
numbers (``2008.0``), ``nsource`` as a float; a missing estimate is the text ``..`` in all six value
columns at once; there are no years 1997, 1999, 2001; economies carry World Bank legacy codes (ROM,
ZAR, KSV, ADO, TMP, WBG) and ANT keeps values only for 2004-2013.

The panel is complete (19 economies x 25 years x 6 indicators), so it passes ``WbWgiSchema``.
Kazakhstan's 2008 and 2023 rows, and Somalia's reviewed political-stability estimates below -3,
are the publisher's stored doubles; every other number is invented but plausible (estimates within
[-2.8, 1.6], ranks within their intervals). The numbers use only + - * / on short decimals, so the
bytes are the same on every platform.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> paths = write(root)
>>> paths["wgidataset.xlsx"].relative_to(paths["wgidataset.xlsx"].parents[1]).as_posix()
'wb_wgi/wgidataset.xlsx'
>>> paths["2019_update/wgidataset.xlsx"].relative_to(root).as_posix()
'wb_wgi/2019_update/wgidataset.xlsx'

The earlier editions, the 2019 and 2021 Updates, are written in the old wide layout of those
releases (the mirror's ``wb_wgi/PROVENANCE.md``, addendum of 2026-12-01): a sheet ``Introduction``
whose F2 names the release, then one sheet per indicator (title in A1, years in row 14 over blocks
of six columns, headers in row 15, one economy per row from row 16, the text ``#N/A`` for missing).
Each edition re-estimates every year: the 19 economies of the current file carry the current
file's numbers moved by a small edition-specific revision (Kazakhstan's control of corruption in
2008 and 2018 is the publisher's, from each edition's own file), and 195 further economies (the
other UN members and some territories, invented numbers) make up the 214 of each release, the count
the edition schema checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from .un_egov import NAMES as UN_NAMES

SOURCE_ID = "wb_wgi"
FILE_NAME = "wgidataset.xlsx"
SHEET = "Sheet1"
HEADER: tuple[str, ...] = (
    "codeindyr", "code", "countryname", "year", "indicator",
    "estimate", "stddev", "nsource", "pctrank", "pctranklower", "pctrankupper",
)
#: The publisher's coverage: 25 years, none in 1997, 1999 or 2001.
YEARS: tuple[int, ...] = (1996, 1998, 2000, *range(2002, 2024))
#: Indicator codes in the order the file lists them within a year (alphabetical).
INDICATOR_CODES: tuple[str, ...] = ("cc", "ge", "pv", "rl", "rq", "va")
MISSING_MARK = ".."

#: Economy code as the file writes it -> (name as the file writes it, typical estimate level).
ECONOMIES: dict[str, tuple[str, float]] = {
    "ADO": ("Andorra", 1.25),
    "ARM": ("Armenia", -0.25),
    "BLR": ("Belarus", -0.95),
    "CIV": ("Côte d'Ivoire", -0.65),
    "JEY": ("Jersey, Channel Islands", 1.3),
    "KAZ": ("Kazakhstan", -0.55),
    "KGZ": ("Kyrgyz Republic", -0.8),
    "KOR": ("Korea, Rep.", 0.85),
    "KSV": ("Kosovo", -0.3),
    "ANT": ("Netherlands Antilles (former)", 0.6),
    "ROM": ("Romania", 0.15),
    "RUS": ("Russian Federation", -0.85),
    "SOM": ("Somalia", -2.2),
    "TJK": ("Tajikistan", -1.2),
    "TMP": ("Timor-Leste", -0.6),
    "TKM": ("Turkmenistan", -1.4),
    "UZB": ("Uzbekistan", -1.1),
    "WBG": ("West Bank and Gaza", -0.7),
    "ZAR": ("Congo, Dem. Rep.", -1.5),
}
#: World Bank legacy code -> the ISO 3166-1 code the reviewed overrides give it.
LEGACY_CODES: dict[str, str] = {
    "ADO": "AND", "KSV": "XKX", "ROM": "ROU", "TMP": "TLS", "WBG": "PSE", "ZAR": "COD",
}

#: Economy-years with ``..`` for all six indicators: ANT outside 2004-2013 (it was scored only
#: then), Kosovo before its first estimates, Timor-Leste before independence.
MISSING_YEARS: dict[str, tuple[int, ...]] = {
    "ANT": tuple(y for y in YEARS if not 2004 <= y <= 2013),
    "KSV": (1996, 1998),
    "TMP": (1996, 1998, 2000),
}
#: Single rows with ``..``: one indicator missing while the other five have values.
MISSING_ROWS: frozenset[tuple[str, int, str]] = frozenset({("TJK", 1996, "pv")})

Measures = tuple[float, float, float, float, float, float]

#: The publisher's stored doubles: (code, year, indicator) -> (estimate, stddev, nsource, pctrank,
#: pctranklower, pctrankupper).
PUBLISHED: dict[tuple[str, int, str], Measures] = {
    ("KAZ", 2008, "cc"): (-0.9806414842605591, 0.1280638873577118, 13.0, 16.01941680908203, 8.73786449432373, 24.2718448638916),  # noqa: E501
    ("KAZ", 2008, "ge"): (-0.5241316556930542, 0.2097175568342209, 10.0, 36.40776824951172, 20.388349533081055, 49.514564514160156),  # noqa: E501
    ("KAZ", 2008, "pv"): (0.6266384720802307, 0.24130794405937195, 8.0, 68.26923370361328, 52.88461685180664, 83.65384674072266),  # noqa: E501
    ("KAZ", 2008, "rl"): (-0.9263859987258911, 0.1399971842765808, 16.0, 19.711538314819336, 10.576923370361328, 27.884614944458008),  # noqa: E501
    ("KAZ", 2008, "rq"): (-0.29438069462776184, 0.18196776509284973, 11.0, 46.11650466918945, 29.611650466918945, 53.3980598449707),  # noqa: E501
    ("KAZ", 2008, "va"): (-1.0922603607177734, 0.12562882900238037, 16.0, 16.826923370361328, 12.5, 22.115385055541992),
    ("KAZ", 2023, "cc"): (-0.2665930688381195, 0.15446770191192627, 10.0, 47.1698112487793, 33.01886749267578, 53.77358627319336),  # noqa: E501
    ("KAZ", 2023, "ge"): (0.14681467413902283, 0.25837579369544983, 7.0, 57.075469970703125, 40.09434127807617, 69.3396224975586),  # noqa: E501
    ("KAZ", 2023, "pv"): (-0.2733460068702698, 0.20809811353683472, 8.0, 36.492889404296875, 22.748815536499023, 48.34123229980469),  # noqa: E501
    ("KAZ", 2023, "rl"): (-0.44678136706352234, 0.15361973643302917, 11.0, 36.79245376586914, 25.0, 43.39622497558594),
    ("KAZ", 2023, "rq"): (0.0659545287489891, 0.21512067317962646, 8.0, 53.30188751220703, 41.50943374633789, 65.5660400390625),  # noqa: E501
    ("KAZ", 2023, "va"): (-1.0038414001464844, 0.12118734419345856, 12.0, 21.568628311157227, 15.686274528503418, 25.980392456054688),  # noqa: E501
    # The reviewed anomalies of sources/wb_wgi/anomalies.csv: estimates below -3 that are real.
    ("SOM", 2007, "pv"): (-3.22849702835083, 0.29089096188545227, 4.0, 0.0, 0.0, 0.483091801404953),
    ("SOM", 2008, "pv"): (-3.280517339706421, 0.29207345843315125, 4.0, 0.0, 0.0, 0.0),
    ("SOM", 2009, "pv"): (-3.31295108795166, 0.2824442684650421, 4.0, 0.0, 0.0, 0.0),
    ("SOM", 2010, "pv"): (-3.1309714317321777, 0.2675762176513672, 5.0, 0.0, 0.0, 0.0),
    ("SOM", 2011, "pv"): (-3.0838465690612793, 0.26071763038635254, 5.0, 0.0, 0.0, 0.4739336371421814),
}

# Planted values the tests pin (the publisher's doubles, from the table above).
KAZ_CONTROL_OF_CORRUPTION_2008 = -0.9806414842605591
KAZ_CONTROL_OF_CORRUPTION_2023 = -0.2665930688381195
KAZ_GOVERNMENT_EFFECTIVENESS_2008 = -0.5241316556930542
KAZ_GOVERNMENT_EFFECTIVENESS_2023 = 0.14681467413902283

#: Fixed so that the workbook's bytes do not depend on when it was written.
CREATED = dt.datetime(2024, 9, 27, 20, 54, 47)


def measures(code: str, year: int, indicator: str) -> Measures | None:
    """The six values of one row, or ``None`` where the file has ``..``.

    Invented values vary by economy, indicator and year through integer arithmetic only, and the
    ranks are a linear map of the estimate kept inside [0, 100], lower <= rank <= upper.
    """
    if year in MISSING_YEARS.get(code, ()) or (code, year, indicator) in MISSING_ROWS:
        return None
    if (code, year, indicator) in PUBLISHED:
        return PUBLISHED[(code, year, indicator)]
    i = list(ECONOMIES).index(code)
    j = INDICATOR_CODES.index(indicator)
    level = ECONOMIES[code][1]
    if code == "SOM" and indicator == "pv":
        level = -2.6  # the worst of the panel, still above -3 outside the reviewed years
    estimate = level + ((7 * i + 13 * j + 3 * year) % 21 - 10) / 50
    stddev = 0.15 + ((5 * i + 3 * j + year) % 10) / 50
    n_sources = float(4 + (i + 2 * j + year) % 10)
    rank = min(max(50 + 30 * estimate, 0.0), 100.0)
    return (estimate, stddev, n_sources, rank, max(rank - 40 * stddev, 0.0), min(rank + 40 * stddev, 100.0))


def rows() -> list[list[object]]:
    """The sheet as the publisher lays it out: the header row, then one row per year, indicator, economy."""
    by_name = sorted(ECONOMIES, key=lambda code: ECONOMIES[code][0])
    sheet: list[list[object]] = [list(HEADER)]
    for year in YEARS:
        for indicator in INDICATOR_CODES:
            for code in by_name:
                values = measures(code, year, indicator)
                cells: list[object] = [MISSING_MARK] * 6 if values is None else list(values)
                sheet.append([f"{code}{indicator}{year}", code, ECONOMIES[code][0], float(year), indicator, *cells])
    return sheet


def write_workbook(path: Path, cells: Sequence[Sequence[object]], *, sheet: str = SHEET) -> Path:
    """Write ``cells`` (rows of str/float/bool; ``""`` is an empty cell) as one sheet of an .xlsx.

    Tests call it with altered copies of :func:`rows` to make the bad files a parser must refuse.
    """
    import xlsxwriter  # a dev extra, only needed where synthetic files are written

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    workbook.set_properties({"author": "Aart C. Kraay", "created": CREATED})
    worksheet = workbook.add_worksheet(sheet)
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if isinstance(value, bool):
                worksheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                worksheet.write_number(r, c, value)
            elif value != "":
                worksheet.write_string(r, c, str(value))
    workbook.close()
    return path


# --- The earlier editions: the old wide layout --------------------------------------------------------

#: Edition -> (raw file name as the source declares it, years), as each release covers them.
WIDE_EDITIONS: dict[str, tuple[str, tuple[int, ...]]] = {
    "2019 Update": ("2019_update/wgidataset.xlsx", tuple(y for y in YEARS if y <= 2018)),
    "2021 Update": ("2021_update/wgidataset.xlsx", tuple(y for y in YEARS if y <= 2020)),
}
INTRODUCTION_SHEET = "Introduction"
TITLE_PREFIX = "The Worldwide Governance Indicators, "
#: Indicator code -> (its sheet, the title in its A1); note the space in "Political StabilityNoViolence".
WIDE_SHEETS: dict[str, tuple[str, str]] = {
    "va": ("VoiceandAccountability", "Voice and Accountability"),
    "pv": ("Political StabilityNoViolence", "Political Stability and Absence of Violence/Terrorism"),
    "ge": ("GovernmentEffectiveness", "Government Effectiveness"),
    "rq": ("RegulatoryQuality", "Regulatory Quality"),
    "rl": ("RuleofLaw", "Rule of Law"),
    "cc": ("ControlofCorruption", "Control of Corruption"),
}
KEY_HEADERS = ("Country/Territory", "Code")
BLOCK_HEADERS = ("Estimate", "StdErr", "NumSrc", "Rank", "Lower", "Upper")
WIDE_MISSING_MARK = "#N/A"
YEAR_ROW, FIRST_DATA_ROW = 13, 15  # rows from 0: Excel's 14 and 16
#: Economies per release (the real files have 214; the edition schema checks the count).
WIDE_ECONOMIES = 214
#: Territories the WGI score beyond the UN members (code -> name), to reach 214 economies.
TERRITORIES: dict[str, str] = {
    "ABW": "Aruba", "AIA": "Anguilla", "ASM": "American Samoa", "BMU": "Bermuda", "COK": "Cook Islands",
    "CYM": "Cayman Islands", "GRL": "Greenland", "GUF": "French Guiana", "GUM": "Guam", "HKG": "Hong Kong SAR, China",
    "MAC": "Macao SAR, China", "MTQ": "Martinique", "NIU": "Niue", "PRI": "Puerto Rico", "REU": "Reunion",
    "TWN": "Taiwan, China", "VIR": "Virgin Islands (U.S.)", "PYF": "French Polynesia", "NCL": "New Caledonia",
}

#: The publisher's estimates of Kazakhstan's control of corruption in each earlier edition (each
#: edition's own file; the issue's table): 2008 unchanged between the two, 2018 revised.
EDITION_PUBLISHED: dict[tuple[str, str, int, str], float] = {
    ("2019 Update", "KAZ", 2008, "cc"): -0.9782890677452087,
    ("2019 Update", "KAZ", 2018, "cc"): -0.5017262101173401,
    ("2021 Update", "KAZ", 2008, "cc"): -0.9782890677452087,
    ("2021 Update", "KAZ", 2018, "cc"): -0.49538955092430115,
}


@cache
def wide_economies() -> dict[str, tuple[str, float]]:
    """The 214 economies of an earlier edition: the current file's 19, then UN members and territories.

    Code as the file writes it -> (name, typical estimate level); the added economies' levels are
    invented, spread over [-1.9, 1.6].
    """
    taken = set(ECONOMIES) | set(LEGACY_CODES.values())
    added = {code: name for code, name in sorted({**UN_NAMES, **TERRITORIES}.items()) if code not in taken}
    extra = list(added.items())[: WIDE_ECONOMIES - len(ECONOMIES)]
    economies = dict(ECONOMIES)
    for index, (code, name) in enumerate(extra):
        economies[code] = (name, round(-1.9 + 3.5 * ((37 * index) % len(extra)) / len(extra), 2))
    return economies


@cache
def economy_positions() -> dict[str, int]:
    return {code: position for position, code in enumerate(wide_economies())}


def edition_measures(edition: str, code: str, year: int, indicator: str) -> Measures | None:
    """The six values of one economy-year-indicator in ``edition`` (``None`` where it has ``#N/A``).

    The current file's economies carry :func:`measures` with the estimate revised by a small
    amount that depends on the edition, the economy, the indicator and the year (none for the
    reviewed estimates below -3, which keep their value); the added economies are invented alike.
    Ranks follow the revised estimate.
    """
    economies = wide_economies()
    position = economy_positions()[code]
    if code in ECONOMIES:
        base = measures(code, year, indicator)
        if base is None:
            return None
        estimate, stddev, n_sources = base[0], base[1], base[2]
    else:
        i, j = position, INDICATOR_CODES.index(indicator)
        estimate = economies[code][1] + ((7 * i + 13 * j + 3 * year) % 21 - 10) / 50
        stddev = 0.15 + ((5 * i + 3 * j + year) % 10) / 50
        n_sources = float(4 + (i + 2 * j + year) % 10)
    planted = EDITION_PUBLISHED.get((edition, code, year, indicator))
    if planted is not None:
        estimate = planted
    elif estimate >= -3:
        shift = list(WIDE_EDITIONS).index(edition) + 1
        estimate = estimate + ((3 * position + 5 * INDICATOR_CODES.index(indicator) + year
                                + shift) % 5 - 2) / 100
    rank = min(max(50 + 30 * estimate, 0.0), 100.0)
    return (estimate, stddev, n_sources, rank, max(rank - 40 * stddev, 0.0), min(rank + 40 * stddev, 100.0))


Sheets = dict[str, list[list[object]]]


def wide_sheets(
    edition: str, years: Sequence[int], economies: Sequence[tuple[str, str]],
    values: Callable[[str, int, str], Measures | None],
) -> Sheets:
    """An earlier edition's workbook as sheet name -> rows (from row 1), in the old wide layout.

    ``economies`` are (name, code) in file order; ``values(code, year, indicator)`` gives the six
    measures or ``None`` (six ``#N/A`` texts). Tests call it with small panels and break one cell.
    """
    sheets: Sheets = {INTRODUCTION_SHEET: [[], ["", "", "", "", "", TITLE_PREFIX + edition]]}
    for indicator, (sheet, title) in WIDE_SHEETS.items():
        rows: list[list[object]] = [[title], *[[] for _ in range(YEAR_ROW - 1)]]
        rows.append(["", "", *[float(year) for year in years for _ in BLOCK_HEADERS]])
        rows.append([*KEY_HEADERS, *list(BLOCK_HEADERS) * len(years)])
        for name, code in economies:
            row: list[object] = [name, code]
            for year in years:
                block = values(code, year, indicator)
                row.extend([WIDE_MISSING_MARK] * len(BLOCK_HEADERS) if block is None else block)
            rows.append(row)
        sheets[sheet] = rows
    return sheets


def edition_sheets(edition: str) -> Sheets:
    """The synthetic workbook of an earlier edition (214 economies, not sorted: the current file's first)."""
    _, years = WIDE_EDITIONS[edition]
    economies = [(name, code) for code, (name, _) in wide_economies().items()]
    return wide_sheets(edition, years, economies, lambda code, year, indicator: edition_measures(
        edition, code, year, indicator))


def write_wide_workbook(path: Path, sheets: Sheets) -> Path:
    """Write ``sheets`` (name -> rows; ``""`` is an empty cell) as an .xlsx with fixed properties."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    workbook.set_properties({"author": "Aart C. Kraay", "created": CREATED})
    for name, rows in sheets.items():
        worksheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, int | float):
                    worksheet.write_number(r, c, value)
                elif value != "":
                    worksheet.write_string(r, c, str(value))
    workbook.close()
    return path


def write(root: Path) -> dict[str, Path]:
    """Write ``root/wb_wgi/wgidataset.xlsx`` and each earlier edition's ``<update>/wgidataset.xlsx``.

    Returns ``{file name as the source declares it: path}``.
    """
    folder = root / SOURCE_ID
    paths = {FILE_NAME: write_workbook(folder / FILE_NAME, rows())}
    for edition, (file, _) in WIDE_EDITIONS.items():
        paths[file] = write_wide_workbook(folder / file, edition_sheets(edition))
    return paths
