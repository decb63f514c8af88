"""Transparency International CPI on synthetic raw files: runs anywhere, no mirror needed.

The files come from ``tests/synthetic/ti_cpi.py`` in TI's layouts. Expected values are the published
ones the generator plants (Kazakhstan) or follow from the layout (a blank tied rank is 1 + the
countries above; 1995 counts Belgium/Luxembourg), never the parser's output. Bad-input cases write a
changed copy of one synthetic file and check that the parser names the file and the problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from conftest import parse_source, validate_table
from kzegov_data.countries import peers
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from kzegov_data.registry import get_source
from synthetic import ti_cpi as synthetic

Paths = dict[str, Path]
Sheets = dict[str, synthetic.Grid]

HISTORICAL = "CPI2025_Results.xlsx"
HISTORICAL_SHEET = "CPI2025_Results.xlsx [CPI Historical]"
FILE_2011 = "CPI2011_Results.xls"
FILE_2010 = "CPI+2010+results_pls_standardized_data.xls"


def csv_name(year: int) -> str:
    return f"open-numbers_etl_source/{year}.csv"


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    return synthetic.write(tmp_path_factory.mktemp("mirror"))


@pytest.fixture(scope="module")
def tables(raw: Paths) -> dict[str, pd.DataFrame]:
    return parse_source("ti_cpi", raw)


@pytest.fixture(scope="module")
def cpi(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["ti_cpi"]


@pytest.fixture(scope="module")
def sources(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["ti_cpi_sources"]


def row(cpi: pd.DataFrame, iso3: str, year: int) -> pd.Series:
    found = cpi[(cpi["iso3"] == iso3) & (cpi["year"] == year)]
    assert len(found) == 1, f"{iso3} {year}: {len(found)} rows"
    return found.iloc[0]


# --- the synthetic files themselves ----------------------------------------------------------


def test_write_puts_every_declared_file_in_the_mirror_layout_with_the_same_bytes(raw: Paths, tmp_path: Path) -> None:
    again = synthetic.write(tmp_path)
    declared = {raw_file.name for raw_file in get_source("ti_cpi").files}
    assert set(again) == declared
    assert len(declared) == 18  # the 2025 workbook, the 2010 and 2011 .xls, 15 transcriptions
    assert all(path == tmp_path / "ti_cpi" / name for name, path in again.items())
    # Deterministic: a second run writes the very same bytes.
    assert {name: path.read_bytes() for name, path in again.items()} == {
        name: path.read_bytes() for name, path in raw.items()
    }


# --- planted values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "score", "rank"),
    [
        (1999, 2.3, 84), (2010, 2.9, 105), (2011, 2.7, 120), (2012, 28, 133),
        (2022, 36, 101), (2023, 39, 93), (2024, 40, 88), (2025, 38, 96),
    ],
)
def test_kazakhstan_cpi_score_and_rank_are_the_published_ones(
    cpi: pd.DataFrame, year: int, score: float, rank: int
) -> None:
    kaz = row(cpi, "KAZ", year)
    assert (kaz["score"], kaz["rank"], kaz["country"]) == (score, rank, "Kazakhstan")


def test_kazakhstan_cpi_2011_is_published_rounded_to_2_7(raw: Paths, cpi: pd.DataFrame) -> None:
    from python_calamine import CalamineWorkbook

    stored = CalamineWorkbook.from_path(str(raw[FILE_2011])).get_sheet_by_name("Global").to_python()
    kaz_cells = next(cells for cells in stored if cells[1] == "Kazakhstan")
    assert kaz_cells[2] == 2.693975  # the file keeps TI's unrounded computation
    kaz = row(cpi, "KAZ", 2011)
    assert kaz["score"] == 2.7
    assert (kaz["ci_lower"], kaz["ci_upper"], kaz["n_sources"]) == (2.128261, 3.33662, 9)


def test_2011_denmark_and_finland_share_rank_2_as_9_4(cpi: pd.DataFrame) -> None:
    # Stored 9.39208 and 9.403927: different numbers, one published score, one rank.
    assert (row(cpi, "DNK", 2011)["score"], row(cpi, "DNK", 2011)["rank"]) == (9.4, 2)
    assert (row(cpi, "FIN", 2011)["score"], row(cpi, "FIN", 2011)["rank"]) == (9.4, 2)
    assert row(cpi, "SWE", 2011)["rank"] == 4


def test_2011_unrounded_scores_would_contradict_ties_ranked_by_ti(cpi: pd.DataFrame) -> None:
    # Why the parser rounds 2011: on the stored values Finland beats Denmark and Mongolia beats
    # Kazakhstan, yet they share a rank, which the rank check refuses.
    unrounded = cpi.copy()
    for iso3, stored in (("FIN", 9.403927), ("DNK", 9.39208), ("MNG", 2.70486), ("KAZ", 2.693975)):
        unrounded.loc[(unrounded["iso3"] == iso3) & (unrounded["year"] == 2011), "score"] = stored
    with pytest.raises(SchemaValidationError, match="ranks follow scores"):
        validate_table("ti_cpi", unrounded)


def test_2011_is_read_from_global_not_the_draft_sheet_before_it(raw: Paths, cpi: pd.DataFrame) -> None:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(raw[FILE_2011]))
    assert workbook.sheet_names[:2] == ["take1", "Global"]
    draft = workbook.get_sheet_by_name("take1").to_python()
    assert next(cells for cells in draft if cells[1] == "Kazakhstan")[2] == 2.62  # would publish 2.6
    assert row(cpi, "KAZ", 2011)["score"] == 2.7


def test_kazakhstan_1999_tied_rank_left_blank_is_1_plus_83_countries_above(
    raw: Paths, cpi: pd.DataFrame
) -> None:
    lines = raw[csv_name(1999)].read_bytes().decode("utf-8").split("\r\n")
    # The rank cell is blank, and the name has a trailing space.
    assert sum(line.startswith(",Kazakhstan ,2.3,") for line in lines) == 1
    tied = cpi[(cpi["year"] == 1999) & (cpi["score"] == 2.3)]
    assert len(tied) == 3
    assert set(tied["rank"]) == {84}
    assert (cpi[cpi["year"] == 1999]["score"] > 2.3).sum() == 83


def test_2002_new_zealand_left_blank_shares_denmarks_rank_2(raw: Paths, cpi: pd.DataFrame) -> None:
    assert ",New Zealand,9.5," in raw[csv_name(2002)].read_bytes().decode("utf-8")
    assert row(cpi, "FIN", 2002)["rank"] == 1
    assert row(cpi, "DNK", 2002)["rank"] == 2
    assert row(cpi, "NZL", 2002)["rank"] == 2
    assert row(cpi, "ISL", 2002)["rank"] == 4


def test_1999_rows_out_of_rank_order_and_the_separator_line_are_handled(raw: Paths, cpi: pd.DataFrame) -> None:
    text = raw[csv_name(1999)].read_bytes().decode("utf-8")
    assert text.endswith("\r\n,,,,")
    moved = text.split("\r\n")[-2]  # the last country: a blank tied rank below lower scores
    name, score = moved.split(",")[1].strip(), float(moved.split(",")[2])
    assert moved.startswith(",")
    assert score > 2.3
    edition = cpi[cpi["year"] == 1999]
    assert edition.loc[edition["country"] == name, "rank"].item() == 1 + (edition["score"] > score).sum()


def test_decimal_commas_of_1996_and_1997_are_read(raw: Paths, cpi: pd.DataFrame) -> None:
    assert '1,New Zealand,"9,43"' in raw[csv_name(1996)].read_bytes().decode("utf-8")
    assert row(cpi, "NZL", 1996)["score"] == 9.43
    assert '1,Denmark,"9,94"' in raw[csv_name(1997)].read_bytes().decode("utf-8")
    assert row(cpi, "DNK", 1997)["score"] == 9.94


def test_1995_has_no_ranks_and_japan_is_6th_counting_belgium_luxembourg(cpi: pd.DataFrame) -> None:
    # Above Japan (6.72): New Zealand, Denmark, Singapore, Finland and Belgium/Luxembourg (6.85).
    assert row(cpi, "JPN", 1995)["rank"] == 6
    assert row(cpi, "NZL", 1995)["rank"] == 1


def test_1995_composite_belgium_luxembourg_is_dropped(cpi: pd.DataFrame) -> None:
    edition = cpi[cpi["year"] == 1995]
    assert len(edition) == len(synthetic.ENTRIES_1995) - 1
    assert not edition["iso3"].isin(["BEL", "LUX"]).any()
    assert not edition["country"].str.contains("/").any()


def test_1995_argentina_and_colombia_keep_their_two_surveys(cpi: pd.DataFrame) -> None:
    assert row(cpi, "ARG", 1995)["n_sources"] == 2  # reviewed anomalies of the schema
    assert row(cpi, "COL", 1995)["n_sources"] == 2


def test_montenegro_2008_reviewed_typo_is_corrected(raw: Paths, cpi: pd.DataFrame) -> None:
    assert ",Montenegro,3.4,5,2-5 - 4.0" in raw[csv_name(2008)].read_bytes().decode("utf-8")
    montenegro = row(cpi, "MNE", 2008)
    assert (montenegro["ci_lower"], montenegro["ci_upper"]) == (2.5, 4.0)


def test_kazakhstan_2008_confidence_range_from_the_transcription(cpi: pd.DataFrame) -> None:
    kaz = row(cpi, "KAZ", 2008)
    assert (kaz["score"], kaz["rank"], kaz["n_sources"]) == (2.2, 145, 6)
    assert (kaz["ci_lower"], kaz["ci_upper"]) == (1.8, 2.7)
    assert kaz["origin"] == "transcription: open-numbers_etl_source/2008.csv"


def test_transcriptions_before_2004_publish_no_confidence_range(cpi: pd.DataFrame) -> None:
    early = cpi[cpi["year"] <= 2003]
    assert early["ci_lower"].isna().all()
    assert early["ci_upper"].isna().all()
    assert cpi.loc[cpi["year"].between(2004, 2011), "ci_lower"].notna().all()


def test_trailing_spaces_of_1998_to_2000_names_are_stripped(raw: Paths, cpi: pd.DataFrame) -> None:
    assert "Kazakhstan ," in raw[csv_name(2000)].read_bytes().decode("utf-8")
    assert row(cpi, "KAZ", 2000)["country"] == "Kazakhstan"
    assert row(cpi, "DNK", 1998)["country"] == "Denmark"


def test_kazakhstan_2025_details_as_published(cpi: pd.DataFrame) -> None:
    kaz = row(cpi, "KAZ", 2025)
    assert kaz["standard_error"] == 3.533891
    assert kaz["n_sources"] == 9
    assert (kaz["ci_lower"], kaz["ci_upper"]) == (32.20442, 43.79558)
    assert kaz["origin"] == "publisher: CPI2025_Results.xlsx [CPI Historical]"


def test_kazakhstan_2025_source_scores_under_normalised_names(sources: pd.DataFrame) -> None:
    kaz = sources[(sources["iso3"] == "KAZ") & (sources["year"] == 2025)]
    by_name = dict(zip(kaz["source"], kaz["score"], strict=True))
    assert len(by_name) == 9
    assert by_name["World Justice Project Rule of Law Index"] == 38.38599
    assert by_name["Global Insight Country Risk Ratings"] == 45.51793  # "Insights" in the sheet


def test_source_names_fix_typos_and_spell_out_abbreviations(sources: pd.DataFrame) -> None:
    names = set(sources["source"])
    assert {"Global Insight Country Risk Ratings", "World Bank Country Policy and Institutional Assessment",
            "African Development Bank Country Policy and Institutional Assessment",
            "World Economic Forum Executive Opinion Survey"} <= names
    assert not names & {"Global Insights Country Risk Ratings", "World Bank CPIA", "African Development Bank CPIA",
                        "World Economic Forum EOS"}


def test_one_source_row_per_filled_source_cell(sources: pd.DataFrame, cpi: pd.DataFrame) -> None:
    # The sheet fills exactly "Number of sources" source cells on every row.
    assert len(sources) == sum(r.n_sources for r in synthetic.historical_rows())
    counted = sources.groupby(["iso3", "year"]).size().sort_index()
    recent = cpi[cpi["year"] >= 2012].set_index(["iso3", "year"])["n_sources"].sort_index()
    assert counted.tolist() == recent.tolist()
    assert set(sources["year"]) == set(range(2012, 2026))


def test_kosovo_written_ksv_is_published_as_xkx(cpi: pd.DataFrame) -> None:
    assert row(cpi, "XKX", 2025)["country"] == "Kosovo"
    assert "KSV" not in set(cpi["iso3"])


# --- whole tables ----------------------------------------------------------------------------


def test_tables_pass_their_schemas(tables: dict[str, pd.DataFrame]) -> None:
    for name, frame in tables.items():
        validate_table(name, frame)


def test_one_row_per_country_row_written_in_every_edition(cpi: pd.DataFrame) -> None:
    expected = synthetic.rows_written()
    expected[1995] -= 1  # Belgium/Luxembourg
    assert cpi.groupby("year").size().to_dict() == expected
    assert set(expected) == set(range(1995, 2026))


def test_keys_are_unique(tables: dict[str, pd.DataFrame]) -> None:
    assert not tables["ti_cpi"].duplicated(["iso3", "year"]).any()
    assert not tables["ti_cpi_sources"].duplicated(["iso3", "year", "source"]).any()


def test_scale_breaks_in_2012(cpi: pd.DataFrame) -> None:
    assert set(cpi.loc[cpi["year"] <= 2011, "scale"]) == {"0-10"}
    assert set(cpi.loc[cpi["year"] >= 2012, "scale"]) == {"0-100"}
    assert cpi.loc[cpi["scale"] == "0-10", "score"].max() == 10
    assert cpi.loc[cpi["scale"] == "0-100", "score"].max() == 90


def test_origin_names_the_file_of_each_edition(cpi: pd.DataFrame) -> None:
    origins = cpi.groupby("year")["origin"].unique().map(list).to_dict()
    for year in range(1995, 2010):
        assert origins[year] == [f"transcription: open-numbers_etl_source/{year}.csv"]
    assert origins[2010] == ["publisher: CPI+2010+results_pls_standardized_data.xls [CPI table]"]
    assert origins[2011] == ["publisher: CPI2011_Results.xls [Global]"]
    for year in range(2012, 2026):
        assert origins[year] == ["publisher: CPI2025_Results.xlsx [CPI Historical]"]


def test_standard_error_is_published_from_2012_only(cpi: pd.DataFrame) -> None:
    assert cpi.loc[cpi["year"] <= 2011, "standard_error"].isna().all()
    assert cpi.loc[cpi["year"] >= 2012, "standard_error"].notna().all()


def test_published_table_is_sorted_with_the_schemas_columns(cpi: pd.DataFrame) -> None:
    cpi = validate_table("ti_cpi", cpi)
    assert list(cpi.columns) == [
        "iso3", "country", "year", "score", "scale", "rank", "n_sources",
        "standard_error", "ci_lower", "ci_upper", "origin",
    ]
    assert cpi.equals(cpi.sort_values(["iso3", "year"], ignore_index=True))


def test_kazakhstan_is_in_every_edition_from_1999(cpi: pd.DataFrame) -> None:
    assert set(cpi.loc[cpi["iso3"] == "KAZ", "year"]) == set(range(1999, 2026))


@pytest.mark.parametrize("group", ["central_asia", "eaeu", "paper_comparators"])
def test_every_peer_has_a_score_in_every_edition_from_2012(cpi: pd.DataFrame, group: str) -> None:
    recent = cpi[cpi["year"] >= 2012]
    for iso3 in {*peers(group), "KAZ"}:
        assert set(recent.loc[recent["iso3"] == iso3, "year"]) == set(range(2012, 2026)), iso3


def test_korea_has_the_best_2024_cpi_of_kazakhstan_and_the_comparators(cpi: pd.DataFrame) -> None:
    edition = cpi[(cpi["year"] == 2024) & cpi["iso3"].isin(["BGD", "CHN", "IND", "KAZ", "KOR"])]
    assert len(edition) == 5
    assert edition.loc[edition["score"].idxmax(), "iso3"] == "KOR"
    assert edition.loc[edition["rank"].idxmin(), "iso3"] == "KOR"


# --- bad input: transcriptions ---------------------------------------------------------------


def changed_text(raw: Paths, tmp_path: Path, year: int, old: str, new: str) -> Paths:
    """``raw`` with ``<year>.csv`` replaced by a copy in which ``old`` (which must occur) reads ``new``."""
    name = csv_name(year)
    text = raw[name].read_bytes().decode("utf-8")
    assert old in text, f"{old!r} is not in {name}: the mutation would change nothing"
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.replace(old, new, 1).encode("utf-8"))
    return {**raw, name: target}


@pytest.mark.parametrize(
    ("year", "old", "new", "error", "message"),
    [
        (2008, "2-5 - 4.0", "2.5 - 4.0", ParseError,
         "the reviewed correction of Montenegro's 'Confidence Range' ('2-5 - 4.0' -> '2.5 - 4.0') no longer matches"),
        (2008, ",Montenegro,", ",Moldova,", ParseError, "correction of Montenegro's 'Confidence Range'"),
        (2007, "Kazakhstan,2.1,6,1.7 - 2.5", "Kazakhstan,2.1,6,1.7 / 2.5", ParseError,
         "'Confidence Range' must read like '2.1 - 3.3'; found '1.7 / 2.5'"),
        (2003, "CPI 2003 Score", "CPI 2003 Index", ParseError, "missing ['CPI 2003 Score']"),
        (2003, ",Surveys Used,", ",", ParseError, "missing ['Surveys Used']"),
        (2003, "High-Low Range", "High-Low Range,Region", ParseError, "unexpected ['Region']"),
        (2006, "Surveys Used,Confidence Range", "Confidence Range,Surveys Used", ParseError,
         "order changed: column 4 is 'Confidence Range', not 'Surveys Used'"),
        (1998, "Denmark ,10,0.5,8,,", "Denmark ,10,0.5,8,,note", ParseError, "unexpected ['Unnamed: 5', 'Unnamed: 6']"),
        (2002, "Kazakhstan,2.3,", "Kazakhstan,,", ParseError, "1 country row(s) have no score"),
        (2002, "Kazakhstan,2.3,", "Kazakhstan,n/a,", ParseError,
         "column 'score' holds text where numbers are expected"),
        (2002, "Kazakhstan,2.3,4,", "Kazakhstan,2.3,4.5,", ParseError,
         "column 'number of surveys' must hold whole numbers; found 4.5"),
        (2002, "88,Kazakhstan", "88.5,Kazakhstan", ParseError, "column 'rank' must hold whole numbers; found 88.5"),
        (2003, "Bangladesh", "Bangla,desh", ParseError, "not a readable CSV table"),
        (2005, "Kazakhstan", "Atlantis", CountryError, "1 country name(s) match no ISO 3166-1 code: 'Atlantis'"),
        (2005, "Belarus", "Russian Federation", CountryError,
         "different names map to the same ISO3 code: RUS <- Russia / Russian Federation"),
    ],
    ids=[
        "montenegro-fixed", "montenegro-gone", "confidence-range", "renamed", "missing", "extra", "order",
        "trailing-column-not-empty", "blank-score", "text-score", "fractional-surveys", "fractional-rank",
        "unreadable-csv", "unknown-country", "two-names-one-code",
    ],
)
def test_bad_transcription_names_file_and_problem(
    raw: Paths, tmp_path: Path, year: int, old: str, new: str, error: type[Exception], message: str
) -> None:
    paths = changed_text(raw, tmp_path, year, old, new)
    # Read errors name the file alone (2003.csv), parse errors its folder too (open-numbers_etl_source/2003.csv).
    with pytest.raises(error, match=re.escape(f"{year}.csv: ") + ".*" + re.escape(message)):
        parse_source("ti_cpi", paths)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "2003.csv: the file is empty"),
        (bytes(range(256)) * 8, "2003.csv: binary content (NUL bytes)"),
        ("Rank,Country/Territory\r\n1,Finl\u00e4nd".encode("latin-1"), "2003.csv: not valid utf-8 at byte"),
    ],
    ids=["empty", "binary", "latin-1"],
)
def test_unreadable_transcription_fails(raw: Paths, tmp_path: Path, content: bytes, message: str) -> None:
    target = tmp_path / csv_name(2003)
    target.parent.mkdir(parents=True)
    target.write_bytes(content)
    with pytest.raises(ParseError, match=re.escape(message)):
        parse_source("ti_cpi", {**raw, csv_name(2003): target})


def test_transcription_with_header_only_fails(raw: Paths, tmp_path: Path) -> None:
    header = raw[csv_name(2009)].read_bytes().decode("utf-8").split("\r\n")[0]
    target = tmp_path / csv_name(2009)
    target.parent.mkdir(parents=True)
    target.write_bytes(f"{header}\r\n,,,,".encode())
    with pytest.raises(ParseError, match=re.escape("open-numbers_etl_source/2009.csv: header only, no country rows")):
        parse_source("ti_cpi", {**raw, csv_name(2009): target})


# --- bad input: workbooks --------------------------------------------------------------------

WORKBOOKS: dict[str, tuple[Callable[[], Sheets], Callable[[Path, Sheets], Path]]] = {
    HISTORICAL: (synthetic.workbook_2025, synthetic.write_xlsx),
    FILE_2011: (synthetic.workbook_2011, synthetic.write_xls),
    FILE_2010: (synthetic.workbook_2010, synthetic.write_xls),
}
COLUMN = {header: i for i, header in enumerate(synthetic.HISTORICAL_HEADER)}


def changed_workbook(raw: Paths, tmp_path: Path, name: str, change: Callable[[Sheets], object]) -> Paths:
    """``raw`` with workbook ``name`` rebuilt after ``change`` edited its cell grids in place."""
    build, write = WORKBOOKS[name]
    sheets = build()
    before = repr(sheets)
    change(sheets)
    assert repr(sheets) != before, "the change left the workbook as it was"
    return {**raw, name: write(tmp_path / name, sheets)}


def historical_cells(sheets: Sheets, iso3: str, year: int) -> list[object]:
    return next(cells for cells in sheets["CPI Historical"][4:] if cells[1] == iso3 and cells[2] == year)


def country_cells(grid: synthetic.Grid, name: str) -> list[object]:
    return next(cells for cells in grid if len(cells) > 1 and cells[1] == name)


def set_historical(iso3: str, year: int, column: str, value: object) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        historical_cells(sheets, iso3, year)[COLUMN[column]] = value

    return change


def rename_sheet(old: str, new: str) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        sheets[new] = sheets.pop(old)

    return change


def insert_title_row(sheet: str) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        sheets[sheet].insert(0, ["a new title row"])

    return change


def keep_header_only(sheet: str, rows: int) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        del sheets[sheet][rows:]

    return change


def set_cell(sheet: str, name: str, column: int, value: object) -> Callable[[Sheets], None]:
    """Column ``column`` (0-based) of the row of country ``name`` (in column B)."""

    def change(sheets: Sheets) -> None:
        country_cells(sheets[sheet], name)[column] = value

    return change


def set_header(sheet: str, row: int, column: int, value: str) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        sheets[sheet][row][column] = value

    return change


def note_right_of_header(sheets: Sheets) -> None:
    historical_cells(sheets, "KAZ", 2024).append("see note")


def text_in_two_source_columns(sheets: Sheets) -> None:
    historical_cells(sheets, "KAZ", 2025)[COLUMN["World Justice Project Rule of Law Index"]] = "n/a"
    historical_cells(sheets, "KAZ", 2024)[COLUMN["Economist Intelligence Unit Country Ratings"]] = "n/a"


def swap_min_max_2010(sheets: Sheets) -> None:
    sheets["CPI table"][2][5:7] = ["Max", "Min"]


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (rename_sheet("CPI Historical", "Historical"), ParseError,
         "CPI2025_Results.xlsx: no sheet 'CPI Historical' (sheets: 'CPI2025', 'Historical')"),
        (insert_title_row("CPI Historical"), ParseError,
         "CPI2025_Results.xlsx: sheet 'CPI Historical' has its header in row 5, the parser expects it in row 4"),
        (set_header("CPI Historical", 3, COLUMN["CPI score"], "CPI Score 2025"), ParseError,
         f"{HISTORICAL_SHEET}: the header is not the one the parser knows (missing ['CPI score']"),
        (note_right_of_header, ParseError,
         "values right of the last header column 'Transparency International Bribe Payers Survey'"),
        (keep_header_only("CPI Historical", 4), ParseError, f"{HISTORICAL_SHEET}: header only, no country rows"),
        (set_historical("KAZ", 2025, "CPI score", "thirty-eight"), ParseError,
         f"{HISTORICAL_SHEET}: column 'CPI score' holds text where numbers are expected"),
        (set_historical("KAZ", 2025, "Rank", 96.5), ParseError,
         f"{HISTORICAL_SHEET}: column 'rank' must hold whole numbers; found 96.5"),
        (set_historical("KAZ", 2025, "Year", 2026.0), ParseError,
         f"{HISTORICAL_SHEET}: 'Year' must be one of 2012-2025 on every row, found [2026]"),
        (set_historical("KAZ", 2025, "Year", ""), ParseError, "found blank cells"),
        (set_historical("KAZ", 2025, "Number of sources", 8.0), ParseError,
         f"{HISTORICAL_SHEET}: 'Number of sources' differs from the number of source scores on 1 row(s)"),
        (set_historical("KAZ", 2025, "Country / Territory", 398.0), ParseError,
         f"{HISTORICAL_SHEET}: column 'Country / Territory' must hold text on every row; found 398.0"),
        (set_historical("KAZ", 2025, "ISO3", "SCG"), CountryError,
         "CPI2025_Results.xlsx: 1 country name(s) match no ISO 3166-1 code: 'SCG'"),
        (set_historical("KAZ", 2025, "ISO3", ""), ParseError,
         f"{HISTORICAL_SHEET}: column 'ISO3' must hold text on every row; found ''"),
        (set_historical("KAZ", 2025, "Year", 2025.5), ParseError,
         f"{HISTORICAL_SHEET}: column 'year' must hold whole numbers; found 2025.5"),
        (set_historical("KAZ", 2025, "World Economic Forum EOS", "n/a"), ParseError,
         f"{HISTORICAL_SHEET}: column 'World Economic Forum EOS' holds text where numbers are expected (1 cell(s), "
         "e.g. 'n/a'; first at data row"),
        (text_in_two_source_columns, ParseError,
         f"{HISTORICAL_SHEET}: column 'Economist Intelligence Unit Country Ratings' holds text where numbers"),
    ],
    ids=[
        "sheet-renamed", "header-moved", "score-renamed", "value-right-of-header", "no-rows", "text-score",
        "fractional-rank", "unknown-year", "blank-year", "sources-miscounted", "number-as-country", "unknown-iso3",
        "blank-iso3", "fractional-year", "text-source-score", "text-in-two-source-columns-names-the-left-one",
    ],
)
def test_bad_historical_sheet_names_file_and_problem(
    raw: Paths, tmp_path: Path, change: Callable[[Sheets], None], error: type[Exception], message: str
) -> None:
    paths = changed_workbook(raw, tmp_path, HISTORICAL, change)
    with pytest.raises(error, match=re.escape(message)):
        parse_source("ti_cpi", paths)


GLOBAL = "CPI2011_Results.xls [Global]"
CPI_TABLE = "CPI+2010+results_pls_standardized_data.xls [CPI table]"


@pytest.mark.parametrize(
    ("name", "change", "error", "message"),
    [
        (FILE_2011, set_cell("Global", "Kazakhstan", 3, 121.0), ParseError,
         f"{GLOBAL}: the two 'Country Rank' columns (A and D) disagree"),
        (FILE_2011, set_header("Global", 0, 2, "CPI 2011 Value"), ParseError,
         f"{GLOBAL} row 1: the header is not the one the parser knows (missing ['CPI 2011 Score']"),
        (FILE_2011, set_header("Global", 1, 28, "\u00a9 2012 Transparency International."), ParseError,
         f"{GLOBAL}: the header is not the one the parser knows"),
        (FILE_2011, rename_sheet("Global", "Global 2011"), ParseError, "CPI2011_Results.xls: no sheet 'Global'"),
        (FILE_2011, keep_header_only("Global", 2), ParseError, f"{GLOBAL}: header only, no country rows"),
        (FILE_2011, set_cell("Global", "Kazakhstan", 2, "2.7"), ParseError,
         f"{GLOBAL}: column 'CPI 2011 Score' holds text where numbers are expected"),
        (FILE_2011, set_cell("Global", "Kazakhstan", 4, 9.5), ParseError,
         f"{GLOBAL}: column 'n_sources' must hold whole numbers; found 9.5"),
        (FILE_2011, set_cell("Global", "Kazakhstan", 1, "Kazachstan"), CountryError,
         f"{GLOBAL}: 1 country name(s) match no ISO 3166-1 code: 'Kazachstan'"),
        (FILE_2010, set_header("CPI table", 3, 2, "cpi2011"), ParseError,
         f"{CPI_TABLE}: the header is not the one the parser knows (missing ['cpi2010']; unexpected ['cpi2011'])"),
        (FILE_2010, swap_min_max_2010, ParseError, f"{CPI_TABLE} row 3: the header is not the one the parser knows "
         "(order changed: column 6 is 'Max', not 'Min')"),
        (FILE_2010, set_header("CPI table", 1, 2, "CPI 2010 score"), ParseError,
         f"{CPI_TABLE} row 2: the header is not the one the parser knows (missing ['CPI 2010 Score']"),
        (FILE_2010, insert_title_row("CPI table"), ParseError, f"{CPI_TABLE} row 2: the header is not the one"),
        (FILE_2010, keep_header_only("CPI table", 4), ParseError, f"{CPI_TABLE}: header only, no country rows"),
        (FILE_2010, set_cell("CPI table", "Kazakhstan", 0, 105.5), ParseError,
         f"{CPI_TABLE}: column 'rank' must hold whole numbers; found 105.5"),
        (FILE_2010, set_cell("CPI table", "Kazakhstan", 1, "Atlantis"), CountryError,
         f"{CPI_TABLE}: 1 country name(s) match no ISO 3166-1 code: 'Atlantis'"),
        (FILE_2010, set_cell("CPI table", "Kazakhstan", 1, 398.0), ParseError,
         f"{CPI_TABLE}: column 'Country / Territory' must hold text on every row; found 398 "),
    ],
    ids=[
        "2011-ranks-disagree", "2011-header-renamed", "2011-copyright-changed", "2011-sheet-renamed",
        "2011-no-rows", "2011-text-score", "2011-fractional-surveys", "2011-unknown-country",
        "2010-machine-name-renamed", "2010-subheader-order", "2010-header-renamed", "2010-header-moved",
        "2010-no-rows", "2010-fractional-rank", "2010-unknown-country", "2010-number-as-country",
    ],
)
def test_bad_xls_names_file_and_problem(
    raw: Paths, tmp_path: Path, name: str, change: Callable[[Sheets], None], error: type[Exception], message: str
) -> None:
    paths = changed_workbook(raw, tmp_path, name, change)
    with pytest.raises(error, match=re.escape(message)):
        parse_source("ti_cpi", paths)


@pytest.mark.parametrize("name", [HISTORICAL, FILE_2011, FILE_2010])
@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b"<html>Not found</html>" * 50, "not a readable Excel workbook")],
    ids=["empty", "html"],
)
def test_empty_or_junk_workbook_fails(raw: Paths, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    target = tmp_path / name
    target.write_bytes(content)
    with pytest.raises(ParseError, match=re.escape(f"{name}: {message}")):
        parse_source("ti_cpi", {**raw, name: target})


# --- the schema catches what the parser lets through -----------------------------------------


def two_sources_for_kazakhstan_2025(sheets: Sheets) -> None:
    cells = historical_cells(sheets, "KAZ", 2025)
    kept = 0
    for header in synthetic.SOURCE_HEADERS:
        if cells[COLUMN[header]] != "":
            kept += 1
            if kept > 2:
                cells[COLUMN[header]] = ""
    cells[COLUMN["Number of sources"]] = 2.0


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (HISTORICAL, set_historical("KAZ", 2025, "Rank", 60.0), "ranks follow scores"),
        (HISTORICAL, two_sources_for_kazakhstan_2025, "n_sources 3-13 (0-100) or 3-16 surveys (0-10)"),
        (HISTORICAL, set_historical("KAZ", 2025, "Upper CI", 37.5), "ci_lower <= score <= ci_upper"),
        (FILE_2010, set_cell("CPI table", "Kazakhstan", 2, 29.0), "scale 0-10 up to 2011 and 0-100 from 2012"),
    ],
    ids=["rank-contradicts-score", "two-sources-from-2012", "score-above-upper-ci", "0-100-score-in-2010"],
)
def test_schema_rejects_changed_workbook(
    raw: Paths, tmp_path: Path, name: str, change: Callable[[Sheets], None], message: str
) -> None:
    tables = parse_source("ti_cpi", changed_workbook(raw, tmp_path, name, change))
    with pytest.raises(SchemaValidationError, match=re.escape(message)):
        validate_table("ti_cpi", tables["ti_cpi"])


@pytest.mark.parametrize(
    ("year", "old", "new", "message"),
    [
        (2009, "Kazakhstan,2.7,7,2.1 - 3.3", "Kazakhstan,2.7,7,2.8 - 3.3", "ci_lower <= score <= ci_upper"),
        (2006, "1,Iceland,", "2,Iceland,", "ranks follow scores: ties share a rank"),
        (1995, "China,2.16,4,", "China,2.16,2,",
         "n_sources 3-13 (0-100) or 3-16 surveys (0-10), or a reviewed anomaly"),
        (2007, "Denmark,9.4,8,", "Denmark,9.4,17,", "n_sources 3-13 (0-100) or 3-16 surveys (0-10)"),
    ],
    ids=["score-below-lower-bound", "tie-with-two-ranks", "unreviewed-two-surveys", "17-surveys"],
)
def test_schema_rejects_changed_transcription(
    raw: Paths, tmp_path: Path, year: int, old: str, new: str, message: str
) -> None:
    tables = parse_source("ti_cpi", changed_text(raw, tmp_path, year, old, new))
    with pytest.raises(SchemaValidationError, match=re.escape(message)):
        validate_table("ti_cpi", tables["ti_cpi"])


def test_schema_rejects_a_0_to_10_score_above_10(cpi: pd.DataFrame) -> None:
    broken = cpi.copy()
    broken.loc[(broken["iso3"] == "DNK") & (broken["year"] == 1998), "score"] = 10.5
    with pytest.raises(SchemaValidationError, match="scale 0-10 up to 2011"):
        validate_table("ti_cpi", broken)


def test_schema_rejects_a_0_to_10_confidence_bound_above_10(cpi: pd.DataFrame) -> None:
    broken = cpi.copy()
    broken.loc[(broken["iso3"] == "KAZ") & (broken["year"] == 2008), "ci_upper"] = 10.4
    with pytest.raises(SchemaValidationError, match=r"scale 0-10 up to 2011.*KAZ 2008"):
        validate_table("ti_cpi", broken)


# --- the transcriptions' number and range cells, by Python instead of pandas ------------------------


def test_plain_numbers_are_the_doubles_pandas_reads() -> None:
    import numpy as np

    from kzegov_data.sources._read import text_to_float
    from kzegov_data.sources.ti_cpi.parse import plain_numbers

    cells = [" 9.5", "", "10", ".5", "3.", "-0.1", "1e1", "2.35\t", "  "]
    expected, bad = text_to_float(pd.Series(cells, dtype="str"))
    found = plain_numbers(cells)
    assert found is not None
    assert not bad.any()
    np.testing.assert_array_equal(found, expected.to_numpy())


@pytest.mark.parametrize("cell", ["NaN", "inf", "1_000", "9,5", "\u0669", "9.5\n", "n/a"])
def test_plain_numbers_leave_anything_else_to_pandas(cell: str) -> None:
    """NaN and underscores read by float but not (as numbers) by pandas, non-ASCII digits, other white
    space: the edition goes through pandas, which converts it or says which cell is not a number."""
    from kzegov_data.sources.ti_cpi.parse import plain_numbers

    assert plain_numbers(["9.5", cell]) is None


def test_confidence_bounds_are_the_ones_confidence_range_reads() -> None:
    import numpy as np

    from kzegov_data.sources.ti_cpi.parse import confidence_bounds, confidence_range

    cells = ["9.5 - 9.8", "", "2-3", " 1.7 -2.5 "]
    found = confidence_bounds(cells)
    assert found is not None
    np.testing.assert_array_equal(found, confidence_range(pd.Series(cells, dtype="str"), file="f").to_numpy())


@pytest.mark.parametrize("cell", ["1.7 / 2.5", "\u0661.7 - 2.5", "9.5"])
def test_confidence_bounds_leave_anything_else_to_confidence_range(cell: str) -> None:
    from kzegov_data.sources.ti_cpi.parse import confidence_bounds

    assert confidence_bounds(["9.5 - 9.8", cell]) is None
