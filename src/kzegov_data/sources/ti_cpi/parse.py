"""Parse the CPI 1995-2025 files into ``ti_cpi`` and ``ti_cpi_sources``.

Three kinds of input, one per period (see the mirror's ``ti_cpi/PROVENANCE.md``):

* 2012-2025, 0-100 scale: sheet ``CPI Historical`` of ``CPI2025_Results.xlsx``, one row per country
  and year with ISO3, rank, standard error, 90% confidence interval and the score of each
  underlying source. The workbook is Strict Open XML (openpyxl sees no sheet); python-calamine
  reads it. Banner rows 1-3 sit above the header in row 4.
* 2010 and 2011, 0-10 scale: TI's own ``.xls`` files, with headers over two rows and no ISO3. The
  2011 score is stored unrounded (2.693975); TI published and ranked it rounded to one decimal
  (2.7), so the parser rounds it, and only it (see ``round_published_2011``).
* 1995-2009, 0-10 scale: third-party transcriptions of TI's press tables (open-numbers). Decimal
  commas in 1996-1997, trailing spaces, a different header every year, and the rank written only on
  the first country of a tie. A blank rank is filled in as 1 + the number of countries of that
  edition with a strictly higher score, which is how TI ranks ties; a rank that is written is kept.

The two scales are never converted into each other: ``scale`` says which one a row is on, and only
the 2012+ scores are comparable from year to year.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ...countries import to_iso3
from ...errors import ParseError
from .._read import (
    cells_to_number,
    cells_to_text,
    read_csv_text,
    read_excel_table,
    require_columns,
    text_to_float,
    to_number,
)
from . import (
    FILE_2010,
    FILE_2011,
    HISTORICAL_FILE,
    HISTORICAL_SHEET,
    HISTORICAL_YEARS,
    TRANSCRIPTION_YEARS,
    transcription_file,
)

# --- 2012-2025: CPI Historical ---------------------------------------------------------------

HISTORICAL_COLUMNS = {
    "Country / Territory": "country",
    "ISO3": "iso3",
    "Year": "year",
    "Region": "region",
    "CPI score": "score",
    "Rank": "rank",
    "Standard error": "standard_error",
    "Number of sources": "n_sources",
    "Lower CI": "ci_lower",
    "Upper CI": "ci_upper",
}
#: Source columns of the sheet -> the name published in ``ti_cpi_sources``. TI's headers vary
#: between editions; the published names fix typos and spell out abbreviations once.
SOURCE_NAMES = {
    "African Development Bank CPIA":
        "African Development Bank Country Policy and Institutional Assessment",
    "Bertelsmann Foundation Sustainable Governance Index":
        "Bertelsmann Foundation Sustainable Governance Index",
    "Bertelsmann Foundation Transformation Index": "Bertelsmann Foundation Transformation Index",
    "Economist Intelligence Unit Country Ratings": "Economist Intelligence Unit Country Ratings",
    "Freedom House Nations in Transit": "Freedom House Nations in Transit",
    # The publisher is (IHS, now S&P) Global Insight, singular.
    "Global Insights Country Risk Ratings": "Global Insight Country Risk Ratings",
    "IMD World Competitiveness Yearbook": "IMD World Competitiveness Yearbook",
    "PERC Asia Risk Guide": "PERC Asia Risk Guide",
    "PRS International Country Risk Guide": "PRS International Country Risk Guide",
    "Varieties of Democracy Project": "Varieties of Democracy Project",
    "World Bank CPIA": "World Bank Country Policy and Institutional Assessment",
    "World Economic Forum EOS": "World Economic Forum Executive Opinion Survey",
    "World Justice Project Rule of Law Index": "World Justice Project Rule of Law Index",
    "Transparency International Bribe Payers Survey":
        "Transparency International Bribe Payers Survey",
}


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """Raw files (by name) -> ``{"ti_cpi": ..., "ti_cpi_sources": ...}``, sorted by key."""
    historical, sources = parse_historical(paths[HISTORICAL_FILE])
    editions = [
        *(
            parse_transcription(paths[transcription_file(year)], year)
            for year in TRANSCRIPTION_YEARS
        ),
        parse_2010(paths[FILE_2010]),
        parse_2011(paths[FILE_2011]),
        historical,
    ]
    table = pd.concat(editions, ignore_index=True)
    table["rank"] = table["rank"].astype("Int64")
    table["n_sources"] = table["n_sources"].astype("Int64")
    table = table.sort_values(["iso3", "year"], ignore_index=True)
    sources = sources.sort_values(["iso3", "year", "source"], ignore_index=True)
    return {"ti_cpi": table, "ti_cpi_sources": sources}


def parse_historical(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``CPI Historical``: every 2012-2025 country-year, with the scores of the sources."""
    file = f"{path.name} [{HISTORICAL_SHEET}]"
    columns = [*HISTORICAL_COLUMNS, *SOURCE_NAMES]
    raw = read_excel_table(path, HISTORICAL_SHEET, columns=columns, header_row=3)
    if raw.empty:
        msg = f"{file}: header only, no country rows"
        raise ParseError(msg)
    country = cells_to_text(raw["Country / Territory"], file=file, column="Country / Territory")
    codes = cells_to_text(raw["ISO3"], file=file, column="ISO3")
    tidy: dict[str, pd.Series] = {"country": country, "iso3": to_iso3(codes, file=path.name)}
    for header, name in HISTORICAL_COLUMNS.items():
        if name not in {"country", "iso3", "region"}:
            tidy[name] = cells_to_number(raw[header], file=file, column=header)
    cpi = pd.DataFrame(tidy)
    for name in ("year", "rank", "n_sources"):
        require_whole_numbers(cpi[name], file=file, column=name)
    unknown_years = sorted(set(cpi["year"].dropna().astype(int)) - set(HISTORICAL_YEARS))
    if unknown_years or cpi["year"].isna().any():
        msg = (
            f"{file}: 'Year' must be one of {HISTORICAL_YEARS[0]}-{HISTORICAL_YEARS[-1]} on every "
            f"row, found {unknown_years or 'blank cells'}; a new edition needs a reviewed parser"
        )
        raise ParseError(msg)
    cpi["year"] = cpi["year"].astype(int)
    cpi["scale"] = "0-100"
    cpi["origin"] = f"publisher: {path.name} [{HISTORICAL_SHEET}]"

    scores = source_scores(raw[list(SOURCE_NAMES)], file=file)
    # The sheet's own consistency check: "Number of sources" counts the non-blank source cells.
    counted = (~np.isnan(scores)).sum(axis=1)
    wrong = cpi.index[counted != cpi["n_sources"].to_numpy()]
    if len(wrong) > 0:
        msg = (
            f"{file}: 'Number of sources' differs from the number of source scores on "
            f"{len(wrong)} row(s), first at data row {wrong[0] + 1}; the source columns may have "
            "moved"
        )
        raise ParseError(msg)
    # One row per country, year and source with a score, source by source (the order a melt gives).
    flat = scores.ravel(order="F")
    scored = ~np.isnan(flat)
    row_of = np.tile(np.arange(len(cpi)), len(SOURCE_NAMES))[scored]
    source_of = np.repeat(np.array(list(SOURCE_NAMES.values()), dtype=object), len(cpi))[scored]
    sources = pd.DataFrame({
        "iso3": cpi["iso3"].array.take(row_of),
        "year": cpi["year"].to_numpy()[row_of],
        "source": pd.array(source_of, dtype="str"),
        "score": flat[scored],
    })
    return cpi, sources


def source_scores(cells: pd.DataFrame, *, file: str) -> np.ndarray:
    """:func:`cells_to_number` of every source column (rows x sources), in one conversion.

    Should the conversion fail, the columns are converted one by one, so that the message names the
    first column, from the left, that holds something other than a number.
    """
    stacked = pd.Series(cells.to_numpy(dtype=object).ravel(order="F"), dtype=object)
    try:
        numbers = cells_to_number(stacked, file=file, column="source scores")
    except ParseError:
        for header in cells.columns:
            cells_to_number(cells[header], file=file, column=header)
        raise
    return numbers.to_numpy().reshape(cells.shape, order="F")


# --- 2010 and 2011: TI's .xls files ----------------------------------------------------------

HEADER_2011 = [
    "Country Rank", "Country / Territory", "CPI 2011 Score", "Country Rank", "Surveys Used",
    "Standard Deviation", "Minimun Maximum Range", "", "90 % Confidence Interval", "",
    "AFDB", "ADB", "BF_SGI", "BF_TI", "EIU_CRR", "FH_NIT", "GI_CRR", "IMD2010", "IMD2011",
    "PERC2010", "PERC2011", "PRS_ICRG", "TI_BPI", "WB_CPIA", "WEF2010", "WEF2011", "WJP_ROL",
]
COPYRIGHT_2011 = "© 2011 Transparency International. All rights reserved."
# Row 2 names the sub-columns; the copyright note sits at its right end, in column AC.
SUBHEADER_2011 = ["", "", "", "", "", "", "Max", "Min", "Lower bound", "Higher bound",
                  *[""] * 18, COPYRIGHT_2011]
NAMES_2011 = [
    "rank", "country", "score", "rank_again", "n_sources", "standard_deviation", "max", "min",
    "ci_lower", "ci_upper", *HEADER_2011[10:], "blank", "copyright",
]

HEADER_2010 = [
    "Country Rank", "Country / Territory", "CPI 2010 Score", "Surveys Used", "Standard Deviation",
    "Minimun Maximum Range", "", "90 % Confidence Interval", "", "ADB 2009", "AfDB 2009",
    "BF 2009", "EIU 2010", "FH 2010", "GI 2010", "IMD 2009", "IMD 2010", "PERC2009", "PERC2010",
    "WB 2009", "WEF 2009", "WEF 2010",
]
SUBHEADER_2010 = ["", "", "", "", "", "Min", "Max", "Lower bound", "Higher bound"]
#: Row 4 of the 2010 sheet holds machine names: the header the parser reads the data under.
MACHINE_NAMES_2010 = [
    "rank", "country", "cpi2010", "no_sources_a", "roundstd", "roundmin", "roundmax",
    "roundbs_btm90", "roundbs_top90", "roundstadb2009_beta_d1", "roundstafdb2009_beta_d1",
    "roundstbti2009_beta_d1", "roundsteiu2010_beta_d1", "roundstnit2010_beta_d1",
    "roundstgi2010_beta_d1", "roundstimd2009_beta_d1", "roundstimd2010_beta_d1",
    "roundstperc2009_beta_d1", "roundstperc2010_beta_d1", "roundstcpia2009_beta_d1",
    "roundstwef2009_beta_d1", "roundstwef2010_beta_d1",
]
COLUMNS_2010 = {
    "rank": "rank", "country": "country", "cpi2010": "score", "no_sources_a": "n_sources",
    "roundbs_btm90": "ci_lower", "roundbs_top90": "ci_upper",
}


def parse_2010(path: Path) -> pd.DataFrame:
    """Sheet ``CPI table``: a note in row 1, header rows 2-3, machine names in row 4, data below."""
    sheet = "CPI table"
    file = f"{path.name} [{sheet}]"
    raw = read_excel_table(
        path, sheet, columns=MACHINE_NAMES_2010, header_row=3, rows_above={1: HEADER_2010, 2: SUBHEADER_2010}
    )
    return tidy_edition(
        raw.rename(columns=COLUMNS_2010), year=2010, file=file, origin=f"publisher: {file}"
    )


def parse_2011(path: Path) -> pd.DataFrame:
    """Sheet ``Global``: header rows 1-2, data from row 3; the score is stored unrounded."""
    file = f"{path.name} [Global]"
    raw = read_excel_table(path, "Global", columns=SUBHEADER_2011, header_row=1, rows_above={0: HEADER_2011})
    raw.columns = NAMES_2011
    rank = cells_to_number(raw["rank"], file=file, column="Country Rank (column A)")
    rank_again = cells_to_number(raw["rank_again"], file=file, column="Country Rank (column D)")
    if not rank.equals(rank_again):
        msg = f"{file}: the two 'Country Rank' columns (A and D) disagree; check the file"
        raise ParseError(msg)
    score = cells_to_number(raw["score"], file=file, column="CPI 2011 Score")
    raw["score"] = round_published_2011(score)
    return tidy_edition(raw, year=2011, file=file, origin=f"publisher: {file}")


def round_published_2011(score: pd.Series) -> pd.Series:
    """The 2011 score as TI published and ranked it: rounded to one decimal.

    The file keeps TI's unrounded computation (Kazakhstan 2.693975), but the index, its press table
    and its ranks use one decimal (2.7; Denmark 9.39208 and Finland 9.403927 share rank 2 as 9.4).
    """
    return score.map(lambda value: round(value, 1) if pd.notna(value) else value)


def tidy_edition(raw: pd.DataFrame, *, year: int, file: str, origin: str) -> pd.DataFrame:
    """Common tail of the 2010 and 2011 parsers: names -> ISO3, numbers checked, 0-10 scale."""
    if raw.empty:
        msg = f"{file}: header only, no country rows"
        raise ParseError(msg)
    # Columns gathered first and the frame built once: inserting them one by one cost more than the work.
    country = cells_to_text(raw["country"], file=file, column="Country / Territory")
    iso3 = to_iso3(country, file=file)
    numbers = {
        name: cells_to_number(raw[name], file=file, column=name)
        for name in ("score", "rank", "n_sources", "ci_lower", "ci_upper")
    }
    for name in ("rank", "n_sources"):
        require_whole_numbers(numbers[name], file=file, column=name)
    return pd.DataFrame(
        {"country": country, "iso3": iso3, "year": year, **numbers,
         "standard_error": float("nan"), "scale": "0-10", "origin": origin},
        index=raw.index,
    )


# --- 1995-2009: third-party transcriptions ---------------------------------------------------

#: Header of each transcription (cells stripped) and what each column is. ``None``: not published
#: (standard deviation, variance, high-low range of the sources, the previous year's score).
TRANSCRIPTION_HEADERS: dict[int, tuple[tuple[str, str | None], ...]] = {
    1995: (
        ("Country", "country"), ("Score", "score"), ("Surveys", "n_sources"), ("Variance", None),
    ),
    1996: (
        ("Rank", "rank"), ("Country", "country"), ("Score  \u030196", "score"),
        ("Score  \u030195", None), ("Variance", None), ("Number of Surveys", "n_sources"),
    ),
    1997: (
        ("rank", "rank"), ("country", "country"), ("score 1997", "score"), ("score 1996", None),
        ("number of surveys", "n_sources"), ("var 1997", None),
    ),
    **{
        year: (
            ("Rank", "rank"), ("Country/Territory", "country"), (f"CPI {year} Score", "score"),
            ("Standard Deviation", None), ("Surveys Used", "n_sources"),
        )
        for year in (1998, 1999)
    },
    **{
        year: (
            ("Rank", "rank"), ("Country/Territory", "country"), (f"CPI {year} Score", "score"),
            ("Surveys Used", "n_sources"), ("Standard Deviation", None), ("High-Low Range", None),
        )
        for year in (2000, 2001, 2002, 2003)
    },
    **{
        year: (
            ("Rank", "rank"), ("Country/Territory", "country"), (f"CPI {year} Score", "score"),
            ("Confidence Range", "ci"), ("Surveys Used", "n_sources"),
        )
        for year in (2004, 2005)
    },
    **{
        year: (
            ("Rank", "rank"), ("Country/Territory", "country"), (f"CPI {year} Score", "score"),
            ("Surveys Used", "n_sources"), ("Confidence Range", "ci"),
        )
        for year in (2006, 2007, 2008, 2009)
    },
}
DECIMAL_COMMA_YEARS = frozenset({1996, 1997})
#: Entries that are not one country, dropped after ranking (they were ranked among the others).
COMPOSITE_ENTRIES: dict[tuple[int, str], str] = {
    (1995, "Belgium/Luxembourg"): "one score for two countries; neither BEL nor LUX can carry it",
}
#: Reviewed typos of the transcriber: (year, country, column) -> (text in the file, corrected text).
TRANSCRIPTION_FIXES: dict[tuple[int, str, str], tuple[str, str]] = {
    # Montenegro 2008 (score 3.4): "2-5" is a mistyped "2.5"; the key next to "." on the pad.
    (2008, "Montenegro", "Confidence Range"): ("2-5 - 4.0", "2.5 - 4.0"),
}
CONFIDENCE_RANGE = re.compile(r"^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)$")


def parse_transcription(path: Path, year: int) -> pd.DataFrame:
    """One open-numbers ``<year>.csv`` -> the edition's rows on the 0-10 scale.

    An edition has ~100-200 rows, so the cells are handled as Python lists and numpy arrays and the
    frame is built once at the end: each pandas operation on so few rows costs more than its work.
    """
    file = f"{path.parent.name}/{path.name}"
    raw = read_csv_text(path, encoding="utf-8")
    header = [str(c).strip() for c in raw.columns]
    cells = raw.to_numpy(dtype=object)
    # 1998, 2000 and 2001 end every line with empty cells: empty, unnamed trailing columns.
    while header[-1].startswith("Unnamed:") and (cells[:, -1] == "").all():
        header, cells = header[:-1], cells[:, :-1]
    layout = TRANSCRIPTION_HEADERS[year]
    expected = [header for header, _ in layout]
    if header != expected:
        require_columns(header, expected, file=file)
    # A line of bare separators (1999 ends with ",,,,") is not a country.
    rows = [number for number, row in enumerate(cells.tolist()) if any(cell.strip() for cell in row)]
    if not rows:
        msg = f"{file}: header only, no country rows"
        raise ParseError(msg)
    # Columns by role, each a list of the kept rows' cells; the index keeps the file's data rows, for messages.
    texts = {role or header: [cells[row, position] for row in rows] for position, (header, role) in enumerate(layout)}
    index = pd.Index(rows)
    apply_fixes(texts, year, file=file, layout=layout)

    country = [name.strip() for name in texts["country"]]
    if year in DECIMAL_COMMA_YEARS:
        texts["score"] = [text.replace(",", ".") for text in texts["score"]]
    numbers = transcription_numbers(texts, index, file=file)
    score = numbers("score", "score")
    if np.isnan(score).any():
        msg = f"{file}: {int(np.isnan(score).sum())} country row(s) have no score"
        raise ParseError(msg)
    n_sources = numbers("n_sources", "number of surveys")
    require_whole_numbers(pd.Series(n_sources, index=index), file=file, column="number of surveys")
    rank = transcribed_rank(numbers("rank", "rank") if "rank" in texts else None, score, index, file=file)
    if "ci" in texts:
        bounds = confidence_bounds(texts["ci"])
        if bounds is None:  # a cell that is not a range: confidence_range says which
            bounds = confidence_range(pd.Series(texts["ci"], index=index, dtype="str"), file=file).to_numpy()
    else:
        bounds = np.full((len(rows), 2), np.nan)

    kept = np.array([(year, name) not in COMPOSITE_ENTRIES for name in country])
    country_kept = pd.Series(np.array(country, dtype=object)[kept], index=index[kept], dtype="str")
    return pd.DataFrame(
        {
            "country": country_kept,
            "score": score[kept],
            "n_sources": n_sources[kept],
            "rank": rank[kept],
            "ci_lower": bounds[kept, 0],
            "ci_upper": bounds[kept, 1],
            "iso3": to_iso3(country_kept, file=file),
            "year": np.full(int(kept.sum()), year, dtype="int64"),
            "standard_error": np.full(int(kept.sum()), np.nan),
            "scale": pd.array(["0-10"] * int(kept.sum()), dtype="str"),
            "origin": pd.array([f"transcription: {file}"] * int(kept.sum()), dtype="str"),
        },
        index=index[kept],
    )


def transcription_numbers(
    texts: Mapping[str, list[str]], index: pd.Index, *, file: str
) -> Callable[[str, str], np.ndarray]:
    """The numeric columns of an edition converted at once: ``numbers(role, label)`` gives one as floats.

    All the number cells go through one :func:`text_to_float`. Should any of them not be a number,
    each column is converted by :func:`to_number` when asked for, in the parser's order, so the
    first problem is reported with the message (and row) :func:`to_number` gives.
    """
    roles = [role for role in ("score", "n_sources", "rank") if role in texts]
    plain = plain_numbers([text for role in roles for text in texts[role]])
    if plain is not None:
        by_role = dict(zip(roles, np.split(plain, len(roles)), strict=True))
        return lambda role, _label: by_role[role]
    converted, bad = text_to_float(pd.Series([text for role in roles for text in texts[role]], dtype="str"))
    if bad.any():
        return lambda role, label: to_number(
            pd.Series(texts[role], index=index, dtype="str"), file=file, column=label
        ).to_numpy()
    by_role = dict(zip(roles, np.split(converted.to_numpy(), len(roles)), strict=True))
    return lambda role, _label: by_role[role]


#: A number as the transcriptions write it (``9.5``, ``10``, ``.5``): what Python's ``float`` and
#: pandas' ``to_numeric`` read alike. Anything else (``NaN``, ``1_000``, other white space) is left to pandas.
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def plain_numbers(cells: list[str]) -> np.ndarray | None:
    """``text_to_float`` of a few hundred cells by Python's ``float``, blanks missing; None if any cell is
    other than a plain number or blank (pandas then converts them, and says which is not a number).

    An edition's ~500 number cells cost less as Python floats than one pass of pandas' fixed costs.
    """
    numbers = np.empty(len(cells), dtype="float64")
    for position, cell in enumerate(cells):
        text = cell.strip(" \t")
        if text == "":
            numbers[position] = np.nan
        elif PLAIN_NUMBER.fullmatch(text):
            numbers[position] = float(text)
        else:
            return None
    return numbers


def apply_fixes(
    texts: dict[str, list[str]], year: int, *, file: str, layout: tuple[tuple[str, str | None], ...]
) -> None:
    """The reviewed corrections of :data:`TRANSCRIPTION_FIXES`, in place; a fix that no longer matches fails."""
    roles = {header: role for header, role in layout}
    for (fix_year, country, header), (typo, corrected) in TRANSCRIPTION_FIXES.items():
        if fix_year != year:
            continue
        column = texts[roles[header] or header]
        rows = [row for row, name in enumerate(texts["country"]) if name.strip() == country]
        if len(rows) != 1 or column[rows[0]].strip() != typo:
            msg = (
                f"{file}: the reviewed correction of {country}'s {header!r} ({typo!r} -> "
                f"{corrected!r}) no longer matches the file; the file changed: review it"
            )
            raise ParseError(msg)
        column[rows[0]] = corrected


def transcribed_rank(written: np.ndarray | None, score: np.ndarray, index: pd.Index, *, file: str) -> np.ndarray:
    """The written rank, or 1 + the number of countries with a higher score where it is blank.

    Transcriptions write the rank only on the first country of a tie, and 1995 has no rank at all.
    Entries dropped later (composites) count here: TI ranked them among the others.
    """
    computed = ((score[None, :] > score[:, None]).sum(axis=1) + 1).astype("float64")
    if written is None:
        return computed
    require_whole_numbers(pd.Series(written, index=index), file=file, column="rank")
    return np.where(np.isnan(written), computed, written)


def confidence_range(text: pd.Series, *, file: str) -> pd.DataFrame:
    """``"9.5 - 9.8"`` -> lower and upper bound of the 90% confidence range; blank stays missing."""
    stripped = text.str.strip()
    parts = stripped.str.extract(CONFIDENCE_RANGE)
    bad = stripped[(stripped != "") & parts[0].isna()]
    if not bad.empty:
        msg = (
            f"{file}: 'Confidence Range' must read like '2.1 - 3.3'; found {bad.iloc[0]!r} at "
            f"data row {bad.index[0] + 1} ({len(bad)} cell(s)). Fix the file or add a reviewed entry to "
            "TRANSCRIPTION_FIXES."
        )
        raise ParseError(msg)
    return pd.DataFrame({
        "ci_lower": pd.to_numeric(parts[0]).astype("float64"),
        "ci_upper": pd.to_numeric(parts[1]).astype("float64"),
    }, index=text.index)


def confidence_bounds(cells: list[str]) -> np.ndarray | None:
    """:func:`confidence_range` of an edition's cells by Python's ``re`` and ``float`` (rows x 2, blank
    missing); None if a cell is neither blank nor a range, for :func:`confidence_range` to report."""
    bounds = np.full((len(cells), 2), np.nan)
    for position, cell in enumerate(cells):
        text = cell.strip(" \t")
        if text == "":
            continue
        found = CONFIDENCE_RANGE.match(text)
        if found is None or not text.isascii():
            return None
        bounds[position] = float(found[1]), float(found[2])
    return bounds


def require_whole_numbers(values: pd.Series, *, file: str, column: str) -> None:
    """Every non-missing value is a whole number (an infinity is not); else name the first other."""
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    fractional = np.flatnonzero(~np.isnan(numbers) & (numbers % 1 != 0))
    if len(fractional):
        msg = (
            f"{file}: column {column!r} must hold whole numbers; found {values.iloc[fractional[0]]} "
            f"(data row {values.index[fractional[0]] + 1})"
        )
        raise ParseError(msg)
