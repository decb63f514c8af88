"""Synthetic raw files of Transparency International's CPI, in the publisher's exact layouts.

Three kinds of input, as in the mirror (``ti_cpi/PROVENANCE.md``):

* ``CPI2025_Results.xlsx``: sheet ``CPI Historical`` (banner rows 1-3, header in row 4, one row per
  country and year 2012-2025, the 14 source columns), plus a ``CPI2025`` sheet the parser must ignore.
* ``CPI2011_Results.xls`` (sheet ``Global``, two header rows, copyright in AC2, unrounded scores, the
  rank in columns A and D) and ``CPI+2010+results_pls_standardized_data.xls`` (sheet ``CPI table``,
  note in row 1, header rows 2-3, machine names in row 4), both real BIFF written with xlwt.
* ``open-numbers_etl_source/1995.csv`` ... ``2009.csv``: the transcriptions, each with its own header,
  CRLF line ends and no final newline, decimal commas in 1996-1997, trailing spaces, trailing empty
  columns, the rank written only on the first country of a tie, 1995 without ranks.

Headers are written here as the publisher writes them, not imported from the parser: the files stand
in for the publisher, so a parser that drifts from the real layout fails on them.

How ranks stay consistent with scores without 180 countries: the schema only asks that ties share
a rank, a higher score has a better rank, and a rank is at least 1 + the countries scoring higher,
so ranks may have gaps (the countries left out). Kazakhstan carries its published rank; every other
country is placed on a steep line through Kazakhstan's (score, rank) (:func:`curve_rank`), which keeps
ranks strictly ordered by score. Where a file leaves a tied rank blank, the parser recomputes it as
1 + the countries above, so blanks are only written where that recovers the rank: at the top of an
edition, and in 1999, whose edition is generated in full above Kazakhstan (83 countries, so that its
blank tied rank comes out as the published 84).

>>> import tempfile
>>> paths = write(Path(tempfile.mkdtemp()))
>>> paths["CPI2025_Results.xlsx"].relative_to(paths["CPI2025_Results.xlsx"].parents[1]).as_posix()
'ti_cpi/CPI2025_Results.xlsx'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

SOURCE_ID = "ti_cpi"
HISTORICAL_FILE = "CPI2025_Results.xlsx"
FILE_2011 = "CPI2011_Results.xls"
FILE_2010 = "CPI+2010+results_pls_standardized_data.xls"
TRANSCRIPTION_YEARS = tuple(range(1995, 2010))
HISTORICAL_YEARS = tuple(range(2012, 2026))


def transcription_file(year: int) -> str:
    return f"open-numbers_etl_source/{year}.csv"


# --- planted values (published by TI; the tests pin them) ------------------------------------

#: Kazakhstan's published score and rank per edition (PROVENANCE section 4).
KAZAKHSTAN: dict[int, tuple[float, int]] = {
    1999: (2.3, 84), 2000: (3.0, 65), 2001: (2.7, 71), 2002: (2.3, 88), 2003: (2.4, 100),
    2004: (2.2, 122), 2005: (2.6, 107), 2006: (2.6, 111), 2007: (2.1, 150), 2008: (2.2, 145),
    2009: (2.7, 120), 2010: (2.9, 105), 2011: (2.7, 120),
    2012: (28, 133), 2013: (26, 140), 2014: (29, 126), 2015: (28, 123), 2016: (29, 131),
    2017: (31, 122), 2018: (31, 124), 2019: (34, 113), 2020: (38, 94), 2021: (37, 102),
    2022: (36, 101), 2023: (39, 93), 2024: (40, 88), 2025: (38, 96),
}
KAZAKHSTAN_SURVEYS: dict[int, int] = {
    1999: 5, 2000: 4, 2001: 3, 2002: 4, 2003: 7, 2004: 7, 2005: 6, 2006: 6, 2007: 6, 2008: 6,
    2009: 7, 2010: 8, 2011: 9, **{year: 8 for year in range(2012, 2016)}, **{year: 9 for year in range(2016, 2026)},
}
#: The 2011 file stores TI's unrounded computation; TI published (and ranked) 2.7.
KAZAKHSTAN_2011_STORED_SCORE = 2.693975
KAZAKHSTAN_CONFIDENCE: dict[int, tuple[float, float]] = {
    2004: (1.8, 2.7), 2005: (2.2, 3.2), 2006: (2.3, 2.8), 2007: (1.7, 2.5), 2008: (1.8, 2.7),
    2009: (2.1, 3.3), 2010: (2.2, 3.7), 2011: (2.128261, 3.33662), 2025: (32.20442, 43.79558),
}
KAZAKHSTAN_STANDARD_ERROR_2025 = 3.533891
#: Kazakhstan's nine 2025 source scores, under the sheet's headers ("Insights" is TI's typo).
KAZAKHSTAN_SOURCES_2025: dict[str, float] = {
    "Bertelsmann Foundation Transformation Index": 34.24139,
    "Economist Intelligence Unit Country Ratings": 18.37966,
    "Freedom House Nations in Transit": 18.22144,
    "Global Insights Country Risk Ratings": 45.51793,
    "IMD World Competitiveness Yearbook": 63.19517,
    "PRS International Country Risk Guide": 69.06866,
    "Varieties of Democracy Project": 26.52331,
    "World Economic Forum EOS": 27.09202,
    "World Justice Project Rule of Law Index": 38.38599,
}
#: The 2011 top of the table as stored: Denmark and Finland share rank 2 only once rounded (9.4).
TOP_2011_STORED: tuple[tuple[str, float, int], ...] = (
    ("New Zealand", 9.462681, 1), ("Denmark", 9.39208, 2), ("Finland", 9.403927, 2), ("Sweden", 9.298488, 4),
)
#: Kazakhstan in the 2011 draft sheet ``take1``, which the parser must not read.
DRAFT_2011_KAZAKHSTAN_SCORE = 2.62
#: Shares Kazakhstan's 2011 rank 120: stored 2.70486, above Kazakhstan's 2.693975, both published 2.7.
MONGOLIA_2011_STORED_SCORE = 2.70486
#: The transcriber's reviewed typo (the parser corrects it to "2.5 - 4.0" and refuses the file without it).
MONTENEGRO_2008_TYPO = "2-5 - 4.0"
MONTENEGRO: dict[int, float] = {2007: 3.3, 2008: 3.4, 2009: 3.9, 2010: 3.7, 2011: 4.0}
#: 1995: no rank column; "Belgium/Luxembourg" is one entry for two countries, ranked but not published.
ENTRIES_1995: tuple[tuple[str, float, int], ...] = (
    ("New Zealand", 9.55, 4), ("Denmark", 9.32, 4), ("Singapore", 9.26, 7), ("Finland", 9.12, 4),
    ("Belgium/Luxembourg", 6.85, 4), ("Japan", 6.72, 7), ("Argentina", 5.24, 2), ("South Korea", 4.29, 7),
    ("Colombia", 3.44, 2), ("India", 2.78, 4), ("China", 2.16, 4), ("Indonesia", 1.94, 7),
)
#: The top of each 0-10 edition 1996-2010 (ranked 1 + the countries above, so blank ties are recoverable).
TOP_0_10: dict[int, tuple[tuple[str, float], ...]] = {
    1996: (("New Zealand", 9.43), ("Denmark", 9.33), ("Sweden", 9.08), ("Finland", 9.05)),
    1997: (("Denmark", 9.94), ("Finland", 9.48), ("Sweden", 9.35), ("New Zealand", 9.23)),
    1998: (("Denmark", 10.0), ("Finland", 9.6), ("Sweden", 9.5), ("New Zealand", 9.4)),
    1999: (("Denmark", 10.0), ("Finland", 9.8), ("New Zealand", 9.4), ("Sweden", 9.4)),
    2000: (("Finland", 10.0), ("Denmark", 9.8), ("New Zealand", 9.4), ("Sweden", 9.4)),
    2001: (("Finland", 9.9), ("Denmark", 9.5), ("New Zealand", 9.4), ("Iceland", 9.2)),
    # Finland 1, Denmark 2 and New Zealand blank (tied, so also 2), Iceland 4.
    2002: (("Finland", 9.7), ("Denmark", 9.5), ("New Zealand", 9.5), ("Iceland", 9.4)),
    2003: (("Finland", 9.7), ("Iceland", 9.6), ("Denmark", 9.5), ("New Zealand", 9.5)),
    2004: (("Finland", 9.7), ("New Zealand", 9.6), ("Denmark", 9.5), ("Iceland", 9.5)),
    2005: (("Iceland", 9.7), ("Finland", 9.6), ("New Zealand", 9.6), ("Denmark", 9.5)),
    2006: (("Finland", 9.6), ("Iceland", 9.6), ("New Zealand", 9.6), ("Denmark", 9.5)),
    2007: (("Denmark", 9.4), ("Finland", 9.4), ("New Zealand", 9.4), ("Singapore", 9.3)),
    2008: (("Denmark", 9.3), ("New Zealand", 9.3), ("Sweden", 9.3), ("Singapore", 9.2)),
    2009: (("New Zealand", 9.4), ("Denmark", 9.3), ("Singapore", 9.2), ("Sweden", 9.2)),
    2010: (("Denmark", 9.3), ("New Zealand", 9.3), ("Singapore", 9.3), ("Finland", 9.2)),
}


@dataclass(frozen=True)
class Peer:
    """A country of the study's peer groups, with a plausible linear path between two editions."""

    iso3: str
    region: str
    names: tuple[tuple[int, str], ...]  # (first year of the spelling, name), oldest first
    first_year: int  # first 0-10 edition
    score_first: float  # 0-10, at first_year
    score_2011: float
    score_2012: int  # 0-100
    score_2025: int
    n_sources: int

    def name(self, year: int) -> str:
        return [name for since, name in self.names if since <= year][-1]


#: Central Asia, the EAEU and the paper's comparators. Korea has the best 2024 score of BGD, CHN,
#: IND, KAZ and KOR in 2024 (62 against 22, 43, 39 and 40).
PEERS: tuple[Peer, ...] = (
    Peer(
        "KOR", "AP", ((1995, "South Korea"), (2009, "Korea (South)"), (2012, "South Korea")),
        1996, 5.02, 5.4, 56, 63, 10,
    ),
    Peer("CHN", "AP", ((1995, "China"),), 1996, 2.43, 3.6, 39, 43, 9),
    Peer("IND", "AP", ((1995, "India"),), 1996, 2.63, 3.1, 36, 39, 10),
    Peer("BGD", "AP", ((1995, "Bangladesh"),), 2001, 0.4, 2.7, 26, 22, 8),
    Peer("RUS", "ECA", ((1995, "Russia"),), 1996, 2.58, 2.4, 28, 22, 10),
    Peer("BLR", "ECA", ((1995, "Belarus"),), 1998, 3.9, 2.4, 31, 33, 5),
    Peer("ARM", "ECA", ((1995, "Armenia"),), 1999, 2.5, 2.6, 34, 47, 7),
    Peer("KGZ", "ECA", ((1995, "Kyrgyz Republic"), (2004, "Kyrgyzstan")), 1999, 2.2, 2.1, 24, 26, 8),
    Peer("UZB", "ECA", ((1995, "Uzbekistan"),), 1999, 1.8, 1.6, 17, 31, 7),
    Peer("TJK", "ECA", ((1995, "Tajikistan"),), 2003, 1.8, 2.3, 22, 19, 6),
    Peer("TKM", "ECA", ((1995, "Turkmenistan"),), 2005, 1.8, 1.6, 17, 17, 4),
)

#: 2012-2025 rows besides Kazakhstan and the peers: the top and the bottom of the table, and
#: Kosovo, which TI codes KSV (the parser maps it to XKX). (name, ISO3 as TI writes it, region,
#: score, rank or None for "on the line through Kazakhstan", sources)
OTHERS_0_100: tuple[tuple[str, str, str, int, int | None, int], ...] = (
    ("Denmark", "DNK", "WE/EU", 90, 1, 8),
    ("New Zealand", "NZL", "AP", 87, 2, 8),
    ("Kosovo", "KSV", "ECA", 41, None, 6),
    ("Somalia", "SOM", "SSA", 9, 180, 3),
)

#: Real country names that no other row uses: the 1999 edition is filled with them down to
#: Kazakhstan, and two of them share its score.
FILLER_NAMES: tuple[str, ...] = (
    "Canada", "Iceland", "Singapore", "Netherlands", "Norway", "Switzerland", "Luxembourg", "Australia",
    "United Kingdom", "Ireland", "Germany", "Hong Kong", "Austria", "United States", "Chile", "Israel",
    "Portugal", "France", "Spain", "Botswana", "Japan", "Slovenia", "Estonia", "Taiwan", "Belgium",
    "Namibia", "Hungary", "Costa Rica", "Malaysia", "South Africa", "Tunisia", "Greece", "Mauritius",
    "Italy", "Czech Republic", "Peru", "Jordan", "Uruguay", "Mongolia", "Poland", "Brazil", "Malawi",
    "Morocco", "Zimbabwe", "El Salvador", "Jamaica", "Lithuania", "Turkey", "Ghana", "Mexico",
    "Senegal", "Bulgaria", "Egypt", "Burkina Faso", "Zambia", "Latvia", "Slovakia", "Philippines",
    "Romania", "Guatemala", "Thailand", "Nicaragua", "Argentina", "Colombia", "Croatia", "Ivory Coast",
    "Moldova", "Ukraine", "Venezuela", "Vietnam", "Ecuador", "Pakistan", "Albania", "Georgia",
    "Kenya", "Cameroon", "Nigeria", "Indonesia", "Azerbaijan", "Tanzania", "Honduras", "Mozambique",
    "Paraguay", "Yugoslavia", "Bolivia", "Uganda",
)


# --- ranks -----------------------------------------------------------------------------------


def ti_rank(score: float, scores: Sequence[float]) -> int:
    """TI's rank: 1 + the number of entries with a strictly higher score (ties share)."""
    return 1 + sum(other > score for other in scores)


def curve_rank(score: float, year: int) -> int:
    """A rank on a steep line through Kazakhstan's published (score, rank) of ``year``.

    A step of one published unit (0.1 on the 0-10 scale, 1 on the 0-100 scale) moves the rank by
    1.5 or 2.4 places, more than one, so ranks stay strictly ordered by score and ties share.
    """
    kaz_score, kaz_rank = KAZAKHSTAN[year]
    steps, per_step = (round((kaz_score - score) * 10), 1.5) if year <= 2011 else (round(kaz_score - score), 2.4)
    return kaz_rank + math.floor(per_step * steps + 0.5)


def interpolate(first: float, last: float, year: int, first_year: int, last_year: int, digits: int) -> float:
    return round(first + (last - first) * (year - first_year) / (last_year - first_year), digits)


# --- the 0-10 editions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One country row of a 0-10 edition; ``rank_written`` False leaves the rank cell blank."""

    name: str
    score: float
    rank: int | None
    n_sources: int
    rank_written: bool = True
    ci: tuple[float, float] | None = None
    stored_score: float | None = None  # 2011: the unrounded value in the file


def peer_score_0_10(peer: Peer, year: int) -> float:
    digits = 2 if year <= 1997 else 1
    return interpolate(peer.score_first, peer.score_2011, year, peer.first_year, 2011, digits)


def spread(index: int) -> float:
    """A deterministic half-width of a confidence range, 0.3-0.6 points (0-10 scale)."""
    return (3, 5, 4, 6)[index % 4] / 10


def edition_0_10(year: int) -> list[Row]:
    """Rows of one 0-10 edition (1996-2011) in file order: by score, best first."""
    peers = [peer for peer in PEERS if peer.first_year <= year]
    rows: list[Row] = []
    fully_ranked = year <= 1999  # every entry above Kazakhstan is present: ranks are 1 + those above
    if year == 2011:
        rows += [Row(name, round(stored, 1), rank, 9, stored_score=stored) for name, stored, rank in TOP_2011_STORED]
    else:
        rows += [Row(name, score, None, 8) for name, score in TOP_0_10[year]]
    rows += [Row(peer.name(year), peer_score_0_10(peer, year), None, peer.n_sources) for peer in peers]
    if year in KAZAKHSTAN:
        rows.append(Row("Kazakhstan", KAZAKHSTAN[year][0], KAZAKHSTAN[year][1], KAZAKHSTAN_SURVEYS[year]))
    if year in MONTENEGRO:
        rows.append(Row("Montenegro", MONTENEGRO[year], None, 5))
    if year == 2011:
        rows.append(Row("Mongolia", 2.7, None, 6, stored_score=MONGOLIA_2011_STORED_SCORE))
    if year == 1999:
        rows += filler_1999(rows)
    # Best first; Kazakhstan last among equal scores, so that in 1999 its tied rank is a blank one.
    rows.sort(key=lambda row: (-row.score, row.name == "Kazakhstan"))
    scores = [row.score for row in rows]
    top = {name for name, *_ in (TOP_2011_STORED if year == 2011 else TOP_0_10[year])}
    ranked = []
    for row in rows:
        if row.rank is not None:
            rank = row.rank
        elif fully_ranked or row.name in top:
            rank = ti_rank(row.score, scores)
        else:
            rank = curve_rank(row.score, year)
        ranked.append(replace(row, rank=rank))
    if year >= 2004:
        ranked = [
            replace(row, ci=KAZAKHSTAN_CONFIDENCE.get(year) if row.name == "Kazakhstan" else
                    (round(row.score - spread(i), 1), min(round(row.score + spread(i + 1), 1), 10.0)))
            for i, row in enumerate(ranked)
        ]
    if year <= 2005:
        # The transcriber writes a tied rank on the first country of the tie only.
        seen: set[float] = set()
        blanked = []
        for row in ranked:
            recoverable = row.rank == ti_rank(row.score, scores)
            blanked.append(replace(row, rank_written=not (row.score in seen and recoverable)))
            seen.add(row.score)
        ranked = blanked
    return ranked


def filler_1999(rows: list[Row]) -> list[Row]:
    """Enough countries above Kazakhstan (2.3) for its blank tied rank to come out as 84."""
    kaz_score, kaz_rank = KAZAKHSTAN[1999]
    above = sum(row.score > kaz_score for row in rows)
    count = kaz_rank - 1 - above
    names = iter(FILLER_NAMES)
    # Scores from 9.0 down to 2.4: many ties, as in the real edition.
    fillers = [Row(next(names), interpolate(9.0, 2.4, i, 0, count - 1, 1), None, 6 + i % 5) for i in range(count)]
    # Kazakhstan is "tied, 3": one partner before it (the rank is written there), one after.
    fillers.insert(0, Row(next(names), kaz_score, None, 4))
    fillers.append(Row(next(names), kaz_score, None, 3))
    fillers += [Row(next(names), score, None, 4) for score in (2.0, 1.6)]
    return fillers


# --- the transcriptions (CSV) ----------------------------------------------------------------

#: Header lines exactly as the transcriber wrote them (stray spaces, accent, empty columns).
TRANSCRIPTION_HEADER_LINES: dict[int, str] = {
    1995: "Country,Score,Surveys,Variance",
    1996: "Rank,Country,Score  \u030196,Score  \u030195,Variance,Number of Surveys ",
    1997: "rank,country,score 1997,score 1996,number of surveys,var 1997",
    1998: "Rank ,Country/Territory ,CPI 1998 Score,Standard Deviation ,Surveys Used,,",
    1999: "Rank ,Country/Territory ,CPI 1999 Score,Standard Deviation ,Surveys Used",
    2000: "Rank ,Country/Territory ,CPI 2000 Score,Surveys Used ,Standard Deviation ,High-Low Range,",
    2001: "Rank,Country/Territory,CPI 2001 Score,Surveys Used,Standard Deviation,High-Low Range,",
    **{year: f"Rank,Country/Territory,CPI {year} Score,Surveys Used,Standard Deviation,High-Low Range"
       for year in (2002, 2003)},
    **{year: f"Rank,Country/Territory,CPI {year} Score,Confidence Range,Surveys Used" for year in (2004, 2005)},
    **{year: f"Rank,Country/Territory,CPI {year} Score,Surveys Used,Confidence Range"
       for year in (2006, 2007, 2008, 2009)},
}


def comma_decimal(value: float) -> str:
    """1996-1997 style: two decimals with a decimal comma, quoted because of the comma."""
    return f'"{value:.2f}"'.replace(".", ",")


def quoted(text: str) -> str:
    return f'"{text}"' if "," in text else text


def transcription_line(year: int, row: Row, index: int) -> str:
    rank = str(row.rank) if row.rank_written and row.rank is not None else ""
    name = quoted(row.name) + (" " if year in (1998, 1999, 2000) else "")
    score = f"{row.score:g}"
    surveys = str(row.n_sources)
    deviation = f"{(5 + index % 7) / 10:.1f}"
    high_low = f"{row.score - 1.1:.1f} - {row.score + 1.2:.1f}"
    ci = ""
    if row.ci is not None:
        ci = f"{row.ci[0]:.1f} - {row.ci[1]:.1f}"
        if year == 2008 and row.name == "Montenegro":
            ci = MONTENEGRO_2008_TYPO
    if year == 1996:
        cells = [rank, name, comma_decimal(row.score), comma_decimal(max(row.score - 0.2, 0)),
                 comma_decimal(0.3 + index % 5 / 10), surveys]
    elif year == 1997:
        cells = [rank, name, comma_decimal(row.score), comma_decimal(max(row.score + 0.1, 0)), surveys,
                 comma_decimal(0.2 + index % 4 / 10)]
    elif year in (1998, 1999):
        cells = [rank, name, score, deviation, surveys] + ([""] * 2 if year == 1998 else [])
    elif year in (2000, 2001, 2002, 2003):
        cells = [rank, name, score, surveys, deviation, high_low] + ([""] if year <= 2001 else [])
    elif year in (2004, 2005):
        cells = [rank, name, score, ci, surveys]
    else:
        cells = [rank, name, score, surveys, ci]
    return ",".join(cells)


def transcription_1995() -> str:
    lines = [TRANSCRIPTION_HEADER_LINES[1995]]
    lines += [f"{name},{score:.2f},{surveys},{(i % 9 + 1) / 10:.2f}" for i, (name, score, surveys) in
              enumerate(ENTRIES_1995)]
    return "\r\n".join(lines)


def transcription_text(year: int) -> str:
    """The text of one ``<year>.csv``: CRLF line ends, no newline after the last line."""
    if year == 1995:
        return transcription_1995()
    rows = edition_0_10(year)
    lines = [transcription_line(year, row, i) for i, row in enumerate(rows)]
    if year == 1999:
        # Rows out of rank order: a blank tied rank at the very end, then a line of bare separators.
        last_blank = max(i for i, row in enumerate(rows) if not row.rank_written and row.score > 2.3)
        lines.append(lines.pop(last_blank))
        lines.append(",,,,")
    return "\r\n".join([TRANSCRIPTION_HEADER_LINES[year], *lines])


# --- 2010 and 2011: TI's .xls files ----------------------------------------------------------

HEADER_2011 = [
    "Country Rank", "Country / Territory", "CPI 2011 Score", "Country Rank", "Surveys Used",
    "Standard Deviation", "Minimun Maximum Range", "", "90 % Confidence Interval", "",
    "AFDB", "ADB", "BF_SGI", "BF_TI", "EIU_CRR", "FH_NIT", "GI_CRR", "IMD2010", "IMD2011",
    "PERC2010", "PERC2011", "PRS_ICRG", "TI_BPI", "WB_CPIA", "WEF2010", "WEF2011", "WJP_ROL",
]
COPYRIGHT_2011 = "\u00a9 2011 Transparency International. All rights reserved."
HEADER_2010 = [
    "Country Rank", "Country / Territory", "CPI 2010 Score", "Surveys Used", "Standard Deviation",
    "Minimun Maximum Range", "", "90 % Confidence Interval", "", "ADB 2009", "AfDB 2009",
    "BF 2009", "EIU 2010", "FH 2010", "GI 2010", "IMD 2009", "IMD 2010", "PERC2009", "PERC2010",
    "WB 2009", "WEF 2009", "WEF 2010",
]
MACHINE_NAMES_2010 = [
    "rank", "country", "cpi2010", "no_sources_a", "roundstd", "roundmin", "roundmax",
    "roundbs_btm90", "roundbs_top90", "roundstadb2009_beta_d1", "roundstafdb2009_beta_d1",
    "roundstbti2009_beta_d1", "roundsteiu2010_beta_d1", "roundstnit2010_beta_d1",
    "roundstgi2010_beta_d1", "roundstimd2009_beta_d1", "roundstimd2010_beta_d1",
    "roundstperc2009_beta_d1", "roundstperc2010_beta_d1", "roundstcpia2009_beta_d1",
    "roundstwef2009_beta_d1", "roundstwef2010_beta_d1",
]
NOTE_2010 = (
    "This Excel-sheet presents the Corruption Perceptions Index 2010 and additional background data. "
    "For information on data and methodology please consult the press release and the methodology "
    "documentation at www.transparency.org/cpi"
)
LEGEND_2010 = (
    "ADB: Country Performance Assessment Ratings by the Asian Development Bank \n"
    "AFDB: Country Policy and Institutional Assessment by the African Development Bank\n"
    "BF: Bertelsmann Transformation Index by the Bertelsmann Foundation"
)

Grid = list[list[object]]


def source_cells(score: float, count: int, width: int, *, offset: int, digits: int, ceiling: float) -> list[object]:
    """``count`` source scores around ``score`` in ``width`` columns (the others blank), rotated by country."""
    deltas = [0.0] if count % 2 else []
    for step in (4, 7, 2, 9, 5, 11, 3):
        deltas += [step * ceiling / 100, -step * ceiling / 100]
    cells: list[object] = [""] * width
    for i in range(count):
        cells[(offset + 3 * i) % width] = round(min(max(score + deltas[i], 0), ceiling), digits)
    assert sum(cell != "" for cell in cells) == count, "source columns collide"
    return cells


def workbook_2010() -> dict[str, Grid]:
    """``CPI table``: note and legend in row 1, header rows 2-3, machine names in row 4, data below."""
    grid: Grid = [
        [NOTE_2010, "", "", "", LEGEND_2010],
        list(HEADER_2010),
        ["", "", "", "", "", "Min", "Max", "Lower bound", "Higher bound"],
        list(MACHINE_NAMES_2010),
    ]
    for i, row in enumerate(edition_0_10(2010)):
        lower, upper = KAZAKHSTAN_CONFIDENCE[2010] if row.name == "Kazakhstan" else (
            round(row.score - spread(i), 1), min(round(row.score + spread(i + 1), 1), 10.0))
        sources = source_cells(row.score, min(row.n_sources, 13), 13, offset=i, digits=1, ceiling=10)
        numbers = [s for s in sources if s != ""]
        grid.append([float(row.rank or 0), row.name, row.score, float(row.n_sources), round(0.3 + i % 5 / 10, 1),
                     min(numbers), max(numbers), lower, upper, *sources])
    return {"CPI table": grid}


def workbook_2011() -> dict[str, Grid]:
    """``Global`` (header rows 1-2, copyright in AC2), behind a draft sheet ``take1`` the parser must skip."""
    header = [*HEADER_2011, "", ""]
    subheader = ["", "", "", "", "", "", "Max", "Min", "Lower bound", "Higher bound", *[""] * 18, COPYRIGHT_2011]
    grid: Grid = [header, subheader]
    for i, row in enumerate(edition_0_10(2011)):
        stored = row.stored_score if row.stored_score is not None else round(row.score + (i % 7 - 3) / 100, 6)
        if row.name == "Kazakhstan":
            stored = KAZAKHSTAN_2011_STORED_SCORE
            lower, upper = KAZAKHSTAN_CONFIDENCE[2011]
        else:
            lower, upper = round(stored - 0.3331, 6), round(stored + 0.2917, 6)
        sources = source_cells(stored, row.n_sources, 17, offset=i, digits=6, ceiling=10)
        numbers = [s for s in sources if s != ""]
        rank = float(row.rank or 0)
        grid.append([rank, row.name, stored, rank, float(row.n_sources), round(0.05 + i % 4 / 100, 4),
                     max(numbers), min(numbers), lower, upper, *sources, "", ""])
    # A working sheet of the same layout with a draft value (Kazakhstan 2.62, published 2.6): a
    # parser reading it instead of Global would pass every header check and publish the draft.
    draft = [list(cells) for cells in grid]
    country_row(draft, "Kazakhstan")[2] = DRAFT_2011_KAZAKHSTAN_SCORE
    return {"take1": draft, "Global": grid, "Sheet3": [["working sheet"]]}


def country_row(grid: Grid, name: str) -> list[object]:
    return next(cells for cells in grid if len(cells) > 1 and cells[1] == name)


# --- 2012-2025: CPI Historical ---------------------------------------------------------------

HISTORICAL_HEADER = [
    "Country / Territory", "ISO3", "Year", "Region", "CPI score", "Rank", "Standard error",
    "Number of sources", "Lower CI", "Upper CI", "African Development Bank CPIA",
    "Bertelsmann Foundation Sustainable Governance Index", "Bertelsmann Foundation Transformation Index",
    "Economist Intelligence Unit Country Ratings", "Freedom House Nations in Transit",
    "Global Insights Country Risk Ratings", "IMD World Competitiveness Yearbook", "PERC Asia Risk Guide",
    "PRS International Country Risk Guide", "Varieties of Democracy Project", "World Bank CPIA",
    "World Economic Forum EOS", "World Justice Project Rule of Law Index",
    "Transparency International Bribe Payers Survey",
]
SOURCE_HEADERS = HISTORICAL_HEADER[10:]
#: TI's banner (row 1 really says 2024 in the 2025 file), the embargo line, an empty row 3.
HISTORICAL_BANNER: Grid = [
    ["Corruption Perceptions Index 2024: Historical Results"], ["EMBARGOED UNTIL 10.02.2026"], [""],
]


@dataclass(frozen=True)
class HistoricalRow:
    name: str
    code: str
    region: str
    year: int
    score: int
    rank: int
    n_sources: int


def historical_rows() -> list[HistoricalRow]:
    """Every 2012-2025 country-year, sorted by country then year as TI sorts the sheet."""
    rows = []
    for year in HISTORICAL_YEARS:
        kaz_score, kaz_rank = KAZAKHSTAN[year]
        rows.append(HistoricalRow("Kazakhstan", "KAZ", "ECA", year, int(kaz_score), kaz_rank, KAZAKHSTAN_SURVEYS[year]))
        for peer in PEERS:
            score = round(interpolate(peer.score_2012, peer.score_2025, year, 2012, 2025, 3))
            rows.append(HistoricalRow(
                peer.name(year), peer.iso3, peer.region, year, score, curve_rank(score, year), peer.n_sources
            ))
        for name, code, region, score, rank, n_sources in OTHERS_0_100:
            rows.append(HistoricalRow(name, code, region, year, score, rank or curve_rank(score, year), n_sources))
    return sorted(rows, key=lambda row: (row.name, row.year))


def historical_grid() -> Grid:
    """Sheet ``CPI Historical``: banner rows 1-3, header in row 4, one row per country and year."""
    grid = [list(row) for row in HISTORICAL_BANNER] + [list(HISTORICAL_HEADER)]
    for i, row in enumerate(historical_rows()):
        if row.code == "KAZ" and row.year == 2025:
            standard_error = KAZAKHSTAN_STANDARD_ERROR_2025
            lower, upper = KAZAKHSTAN_CONFIDENCE[2025]
            sources = [KAZAKHSTAN_SOURCES_2025.get(header, "") for header in SOURCE_HEADERS]
        else:
            standard_error = round(2.0 + (i % 5) * 0.4, 6)
            lower, upper = round(row.score - 1.645 * standard_error, 5), round(row.score + 1.645 * standard_error, 5)
            # 13 columns: the Bribe Payers Survey (the 14th) is blank on every row, as in TI's sheet.
            sources = [*source_cells(row.score, row.n_sources, 13, offset=i, digits=5, ceiling=100), ""]
        grid.append([row.name, row.code, float(row.year), row.region, float(row.score), float(row.rank),
                     standard_error, float(row.n_sources), lower, upper, *sources])
    return grid


def results_2025_grid(historical: Grid) -> Grid:
    """Sheet ``CPI2025`` (the edition's own table, which the parser does not read)."""
    header = ["Country / Territory", "ISO3", "Region", "CPI 2025 score", "Rank", "Standard error 2025",
              "Number of sources", "Lower CI", "Upper CI", *SOURCE_HEADERS[:-1]]
    body = [[r[0], r[1], r[3], *r[4:10], *r[10:23]] for r in historical[4:] if r[2] == 2025.0]
    return [["Corruption Perceptions Index 2025: Global scores"], ["EMBARGOED UNTIL 10.02.2026"], [""], header,
            *body]


def workbook_2025() -> dict[str, Grid]:
    historical = historical_grid()
    return {"CPI2025": results_2025_grid(historical), "CPI Historical": historical}


# --- writers ---------------------------------------------------------------------------------

#: Fixed document dates, so that the bytes do not depend on when the tests run.
CREATED = dt.datetime(2025, 11, 18, 9, 0, 0)


def write_xlsx(path: Path, sheets: dict[str, Grid]) -> Path:
    """A (transitional) xlsx; empty-string cells are left out, as Excel leaves empty cells out."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    workbook.set_properties({"created": CREATED, "author": "synthetic", "title": "synthetic CPI 2025"})
    for name, grid in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, cells in enumerate(grid):
            for c, value in enumerate(cells):
                if value != "":
                    sheet.write(r, c, value)
    workbook.close()
    return path


def write_xls(path: Path, sheets: dict[str, Grid]) -> Path:
    """A BIFF8 .xls, the format of TI's 2010 and 2011 files."""
    import xlwt

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlwt.Workbook(encoding="utf-8")
    for name, grid in sheets.items():
        sheet = workbook.add_sheet(name)
        for r, cells in enumerate(grid):
            for c, value in enumerate(cells):
                if value != "":
                    sheet.write(r, c, value)
    workbook.save(str(path))
    return path


def write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def write(root: Path) -> dict[str, Path]:
    """Write every raw file of ``ti_cpi`` under ``root/ti_cpi/`` and return ``{file name: path}``."""
    folder = root / SOURCE_ID
    paths = {
        HISTORICAL_FILE: write_xlsx(folder / HISTORICAL_FILE, workbook_2025()),
        FILE_2011: write_xls(folder / FILE_2011, workbook_2011()),
        FILE_2010: write_xls(folder / FILE_2010, workbook_2010()),
    }
    for year in TRANSCRIPTION_YEARS:
        name = transcription_file(year)
        paths[name] = write_text(folder / name, transcription_text(year))
    return paths


def rows_written() -> dict[int, int]:
    """Country rows written per edition (1995 counts Belgium/Luxembourg, which the parser drops)."""
    counts = {1995: len(ENTRIES_1995)}
    counts |= {year: len(edition_0_10(year)) for year in range(1996, 2012)}
    for row in historical_rows():
        counts[row.year] = counts.get(row.year, 0) + 1
    return counts
