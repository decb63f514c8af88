"""World Bank WGI parser on a synthetic ``wgidataset.xlsx``: runs anywhere, no mirror needed.

The synthetic workbook (``tests/synthetic/wb_wgi.py``) has the publisher's layout: 19 economies
x 25 years x 6 indicators = 2,850 rows, legacy codes, ``..`` for missing values, Kazakhstan's and
Somalia's published doubles. Expected numbers below follow from that layout, not from the parser.
Bad input is an altered copy of the synthetic sheet, written again with xlsxwriter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from conftest import parse_source, validate_table
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from kzegov_data.registry import get_source
from synthetic import wb_wgi as synthetic

FILE = synthetic.FILE_NAME
Cells = list[list[object]]


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return synthetic.write(tmp_path_factory.mktemp("mirror"))


@pytest.fixture(scope="module")
def wgi(paths: dict[str, Path]) -> pd.DataFrame:
    return parse_source("wb_wgi", paths)["wb_wgi"]


def value(table: pd.DataFrame, iso3: str, year: int, indicator: str, column: str) -> object:
    row = table[(table["iso3"] == iso3) & (table["year"] == year) & (table["indicator"] == indicator)]
    assert len(row) == 1, f"{iso3} {year} {indicator}: {len(row)} rows"
    return row[column].iloc[0]


def altered(tmp_path: Path, change: Callable[[Cells], object], *, sheet: str = synthetic.SHEET) -> dict[str, Path]:
    """The synthetic sheet after ``change`` (which edits the rows in place), as a new workbook."""
    cells = synthetic.rows()
    change(cells)
    assert cells != synthetic.rows() or sheet != synthetic.SHEET, "the change changed nothing"
    return {FILE: synthetic.write_workbook(tmp_path / FILE, cells, sheet=sheet)}


def parse_error(paths: dict[str, Path], match: str) -> str:
    """The ParseError's message; it must name the file and match ``match``."""
    with pytest.raises(ParseError, match=match) as error:
        parse_source("wb_wgi", paths)
    assert FILE in str(error.value)
    return str(error.value)


def row_index(cells: Cells, key: str) -> int:
    """Position in the sheet of the row whose ``codeindyr`` is ``key``."""
    return next(i for i, row in enumerate(cells) if row[0] == key)


# --- The synthetic file is what the source declares ------------------------------------------


def test_write_produces_every_declared_file_in_the_mirror_layout(paths: dict[str, Path]) -> None:
    declared = [raw_file.name for raw_file in get_source("wb_wgi").files]
    assert sorted(paths) == sorted(declared) == [
        "2019_update/wgidataset.xlsx", "2021_update/wgidataset.xlsx", "wgidataset.xlsx"]
    root = paths[FILE].parent
    assert root.name == "wb_wgi"
    assert all(path == root / name for name, path in paths.items())


def test_written_bytes_are_deterministic(paths: dict[str, Path], tmp_path: Path) -> None:
    again = synthetic.write(tmp_path)
    assert again[FILE].read_bytes() == paths[FILE].read_bytes()


# --- Kazakhstan's published values come out exactly ------------------------------------------


def test_kazakhstan_control_of_corruption_2023_is_minus_0_266593(wgi: pd.DataFrame) -> None:
    estimate = value(wgi, "KAZ", 2023, "control_of_corruption", "estimate")
    assert round(estimate, 6) == -0.266593
    assert estimate == -0.2665930688381195  # the stored double, unrounded


def test_kazakhstan_control_of_corruption_2008_is_minus_0_980641(wgi: pd.DataFrame) -> None:
    estimate = value(wgi, "KAZ", 2008, "control_of_corruption", "estimate")
    assert round(estimate, 6) == -0.980641
    assert estimate == -0.9806414842605591


def test_kazakhstan_government_effectiveness_2008_is_minus_0_524132(wgi: pd.DataFrame) -> None:
    assert round(value(wgi, "KAZ", 2008, "government_effectiveness", "estimate"), 6) == -0.524132


def test_kazakhstan_government_effectiveness_2023_is_0_146815(wgi: pd.DataFrame) -> None:
    assert round(value(wgi, "KAZ", 2023, "government_effectiveness", "estimate"), 6) == 0.146815


def test_kazakhstan_control_of_corruption_2008_rank_16_0_from_13_sources(wgi: pd.DataFrame) -> None:
    def cc_2008(column: str) -> object:
        return value(wgi, "KAZ", 2008, "control_of_corruption", column)

    assert cc_2008("n_sources") == 13
    assert round(cc_2008("standard_error"), 3) == 0.128
    assert (round(cc_2008("percentile_rank_lower"), 1), round(cc_2008("percentile_rank"), 1),
            round(cc_2008("percentile_rank_upper"), 1)) == (8.7, 16.0, 24.3)


def test_kazakhstan_2023_other_estimates(wgi: pd.DataFrame) -> None:
    expected = {"voice_accountability": -1.004, "political_stability": -0.273,
                "regulatory_quality": 0.066, "rule_of_law": -0.447}
    assert {name: round(value(wgi, "KAZ", 2023, name, "estimate"), 3) for name in expected} == expected


def test_kazakhstan_is_named_as_in_the_file(wgi: pd.DataFrame) -> None:
    assert value(wgi, "KAZ", 2008, "rule_of_law", "country") == "Kazakhstan"
    assert value(wgi, "CIV", 2008, "rule_of_law", "country") == "Côte d'Ivoire"  # UTF-8 survives


# --- Shape of the table -----------------------------------------------------------------------


def test_2850_rows_one_per_economy_year_and_indicator(wgi: pd.DataFrame) -> None:
    assert len(wgi) == 19 * 25 * 6 == 2850
    assert not wgi.duplicated(["iso3", "year", "indicator"]).any()
    assert wgi.groupby(["iso3", "year"]).size().eq(6).all()


def test_years_1996_to_2023_without_1997_1999_2001(wgi: pd.DataFrame) -> None:
    years = sorted(wgi["year"].unique())
    assert (years[0], years[-1], len(years)) == (1996, 2023, 25)
    assert {1997, 1999, 2001}.isdisjoint(years)


def test_columns_in_published_order_and_every_row_carries_the_edition(wgi: pd.DataFrame) -> None:
    assert list(wgi.columns) == [
        "iso3", "country", "year", "indicator", "estimate", "standard_error", "n_sources",
        "percentile_rank", "percentile_rank_lower", "percentile_rank_upper", "edition",
    ]
    assert (wgi["edition"] == "2024 Update").all()
    assert str(wgi["n_sources"].dtype) == "Int64"


def test_peers_of_central_asia_and_the_eaeu_are_all_present(wgi: pd.DataFrame) -> None:
    peers = {"KAZ", "KGZ", "TJK", "TKM", "UZB", "ARM", "BLR", "RUS", "KOR"}
    assert peers <= set(wgi["iso3"])
    complete = wgi[wgi["iso3"].isin(peers) & (wgi["year"] == 2023)]
    assert complete["estimate"].notna().sum() == 9 * 6


def test_legacy_world_bank_codes_resolve_to_iso(wgi: pd.DataFrame) -> None:
    names = wgi.drop_duplicates("iso3").set_index("iso3")["country"]
    assert names["ROU"] == "Romania"
    assert names["COD"] == "Congo, Dem. Rep."
    assert names["XKX"] == "Kosovo"
    assert names["AND"] == "Andorra"
    assert names["TLS"] == "Timor-Leste"
    assert names["PSE"] == "West Bank and Gaza"
    assert names["JEY"] == "Jersey, Channel Islands"
    assert {"ROM", "ZAR", "KSV", "ADO", "TMP", "WBG"}.isdisjoint(wgi["iso3"])


def test_netherlands_antilles_kept_with_values_only_2004_to_2013(wgi: pd.DataFrame) -> None:
    antilles = wgi[wgi["iso3"] == "ANT"]
    assert len(antilles) == 25 * 6
    assert sorted(antilles.loc[antilles["estimate"].notna(), "year"].unique()) == list(range(2004, 2014))


def test_dot_dot_cells_become_missing_in_all_six_measures(wgi: pd.DataFrame) -> None:
    # ANT 15 years, KSV 2 years and TMP 3 years with all six indicators missing, plus TJK pv 1996.
    missing = wgi[wgi["estimate"].isna()]
    assert len(missing) == (15 + 2 + 3) * 6 + 1 == 121
    measures = ["standard_error", "n_sources", "percentile_rank", "percentile_rank_lower", "percentile_rank_upper"]
    assert missing[measures].isna().all().all()
    assert wgi.loc[wgi["estimate"].notna(), measures].notna().all().all()
    tajikistan_1996 = wgi[(wgi["iso3"] == "TJK") & (wgi["year"] == 1996)]
    assert tajikistan_1996.loc[tajikistan_1996["estimate"].isna(), "indicator"].tolist() == ["political_stability"]


def test_somalia_estimates_below_minus_3_are_kept(wgi: pd.DataFrame) -> None:
    low = wgi[wgi["estimate"] < -3]
    assert set(zip(low["iso3"], low["year"], low["indicator"], strict=True)) == {
        ("SOM", year, "political_stability") for year in range(2007, 2012)
    }
    assert value(wgi, "SOM", 2009, "political_stability", "estimate") == -3.31295108795166


def test_table_passes_its_schema_with_the_reviewed_anomalies(wgi: pd.DataFrame) -> None:
    validate_table("wb_wgi", wgi)


def test_rows_are_sorted_by_economy_year_indicator(wgi: pd.DataFrame) -> None:
    keys = wgi[["iso3", "year", "indicator"]]
    assert keys.equals(keys.sort_values(["iso3", "year", "indicator"], ignore_index=True))


# --- Bad input: ParseError and CountryError, each naming the file and the problem --------------


def test_renamed_column_is_a_parse_error(tmp_path: Path) -> None:
    def rename(cells: Cells) -> None:
        cells[0][6] = "std_error"

    message = parse_error(altered(tmp_path, rename), r"missing \['stddev'\]")
    assert "unexpected ['std_error']" in message
    assert "[Sheet1]" in message


def test_missing_column_is_a_parse_error(tmp_path: Path) -> None:
    def drop_last(cells: Cells) -> None:
        for row in cells:
            del row[-1]

    parse_error(altered(tmp_path, drop_last), r"missing \['pctrankupper'\]")


def test_extra_column_is_a_parse_error(tmp_path: Path) -> None:
    def add_column(cells: Cells) -> None:
        cells[0].append("pctrankmedian")
        for row in cells[1:]:
            row.append(50.0)

    parse_error(altered(tmp_path, add_column), r"unexpected \['pctrankmedian'\]")


def test_swapped_columns_are_a_parse_error(tmp_path: Path) -> None:
    def swap(cells: Cells) -> None:
        for row in cells:
            row[9], row[10] = row[10], row[9]

    parse_error(altered(tmp_path, swap), r"order changed: column 10 is 'pctrankupper', not 'pctranklower'")


def test_header_moved_down_two_rows_is_a_parse_error(tmp_path: Path) -> None:
    def title_rows(cells: Cells) -> None:
        cells[0:0] = [["Worldwide Governance Indicators, 2024 Update"], [""]]

    message = parse_error(altered(tmp_path, title_rows), "header in row 3")
    assert "expects it in row 1" in message


def test_renamed_sheet_is_a_parse_error(tmp_path: Path) -> None:
    paths = altered(tmp_path, lambda cells: None, sheet="WGI 2024")
    parse_error(paths, r"no sheet 'Sheet1' \(sheets: 'WGI 2024'\)")


def test_value_right_of_the_header_is_a_parse_error(tmp_path: Path) -> None:
    def stray(cells: Cells) -> None:
        cells[5].append("checked")

    parse_error(altered(tmp_path, stray), r"values right of the last header column 'pctrankupper' \(first in row 6\)")


def test_header_only_is_a_parse_error(tmp_path: Path) -> None:
    def header_only(cells: Cells) -> None:
        del cells[1:]

    parse_error(altered(tmp_path, header_only), "has a header but no data rows")


def test_text_in_numeric_column_is_a_parse_error(tmp_path: Path) -> None:
    def text(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2008")][5] = "n/a"

    message = parse_error(altered(tmp_path, text), r"column 'estimate' holds text where numbers are expected")
    assert "'n/a'" in message
    assert "['..']" in message  # the only accepted marker is named


def test_empty_estimate_cell_is_a_parse_error(tmp_path: Path) -> None:
    # An empty cell is not the publisher's missing marker (".."): the layout changed.
    def blank(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2008")][5] = ""

    parse_error(altered(tmp_path, blank), "column 'estimate' holds text where numbers are expected")


def test_number_in_the_code_column_is_a_parse_error(tmp_path: Path) -> None:
    def number(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2008")][1] = 398.0

    parse_error(altered(tmp_path, number), r"column 'code' must hold text on every row; found 398\.0")


def test_empty_row_inside_the_data_is_a_parse_error(tmp_path: Path) -> None:
    def gap(cells: Cells) -> None:
        cells.insert(10, [""] * len(synthetic.HEADER))

    parse_error(altered(tmp_path, gap), r"column 'code' must hold text on every row.*first at data row 10")


def test_codeindyr_that_disagrees_with_its_columns_is_a_parse_error(tmp_path: Path) -> None:
    def wrong_key(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2008")][0] = "KAZcc2009"

    message = parse_error(altered(tmp_path, wrong_key), "'codeindyr' disagrees with code/indicator/year on 1 row")
    assert "'KAZcc2009'" in message


def test_unknown_indicator_code_is_a_parse_error(tmp_path: Path) -> None:
    def new_indicator(cells: Cells) -> None:
        row = cells[row_index(cells, "KAZcc2008")]
        row[0], row[4] = "KAZdg2008", "dg"

    parse_error(altered(tmp_path, new_indicator), r"unknown indicator code\(s\) \['dg'\]")


def test_a_year_of_a_new_edition_is_a_parse_error(tmp_path: Path) -> None:
    def year_2024(cells: Cells) -> None:
        for row in cells[1:]:
            if row[3] == 2023.0:
                row[3], row[0] = 2024.0, str(row[0]).replace("2023", "2024")

    message = parse_error(altered(tmp_path, year_2024), r"unexpected \[2024\], missing \[2023\]")
    assert "update EDITION and YEARS" in message


def test_a_year_that_never_existed_is_a_parse_error(tmp_path: Path) -> None:
    def add_1997(cells: Cells) -> None:
        row = list(cells[row_index(cells, "KAZcc1998")])
        row[0], row[3] = "KAZcc1997", 1997.0
        cells.append(row)

    parse_error(altered(tmp_path, add_1997), r"unexpected \[1997\], missing \[\]")


def test_fractional_year_is_a_parse_error(tmp_path: Path) -> None:
    def half_year(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2008")][3] = 2008.5

    parse_error(altered(tmp_path, half_year), "'year' must be a whole number on every row")


def test_fractional_number_of_sources_is_a_parse_error(tmp_path: Path) -> None:
    def half_source(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2008")][7] = 13.5

    parse_error(altered(tmp_path, half_source), r"'nsource' \(number of sources\) holds non-integer values")


def test_unknown_economy_code_is_a_country_error(tmp_path: Path) -> None:
    # Code and row key change together, so only the code is unknown.
    def unknown(cells: Cells) -> None:
        for row in cells[1:]:
            if row[1] == "KAZ":
                row[0], row[1] = str(row[0]).replace("KAZ", "QQQ"), "QQQ"

    with pytest.raises(CountryError, match="'QQQ'") as error:
        parse_source("wb_wgi", altered(tmp_path, unknown))
    assert FILE in str(error.value)
    assert "country_overrides.csv" in str(error.value)


def test_two_codes_for_one_country_is_a_country_error(tmp_path: Path) -> None:
    # The World Bank's current code XKX next to the legacy KSV would give Kosovo two rows a year.
    def both_codes(cells: Cells) -> None:
        for row in cells[1:]:
            if row[1] == "KSV" and row[3] == 2023.0:
                row[0], row[1] = str(row[0]).replace("KSV", "XKX"), "XKX"

    with pytest.raises(CountryError, match=r"different names map to the same ISO3 code: XKX <- KSV / XKX"):
        parse_source("wb_wgi", altered(tmp_path, both_codes))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (bytes(range(256)) * 16, "not a readable Excel workbook"),
        (b"<html><body>404 Not Found</body></html>", "not a readable Excel workbook"),
    ],
    ids=["empty", "binary-junk", "error-page"],
)
def test_damaged_download_is_a_parse_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / FILE
    path.write_bytes(data)
    parse_error({FILE: path}, message)


# --- What the parser lets through and the schema catches ---------------------------------------


def schema_error(paths: dict[str, Path], match: str) -> None:
    table = parse_source("wb_wgi", paths)["wb_wgi"]  # the parser accepts the file...
    with pytest.raises(SchemaValidationError, match=match):  # ...the schema does not
        validate_table("wb_wgi", table)


def test_estimate_below_minus_3_that_is_not_reviewed_fails_the_schema(tmp_path: Path) -> None:
    def collapse(cells: Cells) -> None:
        row = cells[row_index(cells, "SOMpv2012")]
        row[5:11] = [-3.05, 0.27, 5.0, 0.0, 0.0, 0.5]

    schema_error(altered(tmp_path, collapse), r"estimate >= -3 except reviewed anomalies[\s\S]*SOM 2012")


def test_estimate_above_3_fails_the_schema(tmp_path: Path) -> None:
    def soar(cells: Cells) -> None:
        cells[row_index(cells, "KORge2020")][5] = 3.5

    schema_error(altered(tmp_path, soar), re.escape("less_than_or_equal_to(3)"))


def test_one_missing_measure_among_six_fails_the_schema(tmp_path: Path) -> None:
    def one_dot_dot(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2008")][6] = ".."

    schema_error(altered(tmp_path, one_dot_dot), r"a row has all six measures or none[\s\S]*KAZ 2008")


def test_rank_outside_its_interval_fails_the_schema(tmp_path: Path) -> None:
    def outside(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2023")][9] = 60.0  # lower bound above the rank of 47.2

    schema_error(altered(tmp_path, outside), "percentile_rank_lower <= percentile_rank <= percentile_rank_upper")


def test_percentile_rank_above_100_fails_the_schema(tmp_path: Path) -> None:
    def above(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2023")][10] = 101.0

    schema_error(altered(tmp_path, above), re.escape("less_than_or_equal_to(100)"))


def test_zero_sources_fails_the_schema(tmp_path: Path) -> None:
    def none(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2023")][7] = 0.0

    schema_error(altered(tmp_path, none), re.escape("greater_than_or_equal_to(1)"))


def test_a_missing_row_leaves_the_panel_incomplete(tmp_path: Path) -> None:
    def drop(cells: Cells) -> None:
        del cells[row_index(cells, "KAZcc2008")]

    schema_error(altered(tmp_path, drop), r"complete panel[\s\S]*2008")


def test_a_repeated_row_passes_the_parser_but_not_the_schema(tmp_path: Path) -> None:
    # The parser does not look for repeated keys (see the report); the schema's unique key does.
    def repeat(cells: Cells) -> None:
        cells.append(list(cells[row_index(cells, "KAZcc2008")]))

    schema_error(altered(tmp_path, repeat), r"iso3 +multiple_fields_uniqueness +KAZ")


def test_codeindyr_with_spaces_around_it_is_still_read_as_its_key(tmp_path: Path) -> None:
    # The keys are compared as they are first; one that differs only by white space is stripped, as before.
    def padded_key(cells: Cells) -> None:
        cells[row_index(cells, "KAZcc2008")][0] = " KAZcc2008 "

    table = parse_source("wb_wgi", altered(tmp_path, padded_key))["wb_wgi"]
    assert value(table, "KAZ", 2008, "control_of_corruption", "estimate") == pytest.approx(-0.980641)
