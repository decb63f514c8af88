"""World Bank historical classification -> ``income_history``, on a synthetic ``OGHIST.xlsx`` (no mirror).

The workbook comes from ``synthetic/wb_classification.py``: the publisher's layout with a subset of its
economy rows copied cell for cell. Bad inputs are altered copies of its cells, written under tmp_path.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from conftest import parse_source, validate_table
from kzegov_data.countries import INCOME_GROUPS
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from synthetic import wb_classification as synthetic

SOURCE_ID = "wb_classification"
HISTORY_FILE = synthetic.HISTORY_FILE
TABLE = "income_history"
#: Row and column (from 0) of the first fiscal-year cell, C5, and of the first economy row.
FIRST_FY_COLUMN = 2
HEADER_ROW, DATA_YEARS_ROW = 4, 5
FIRST_ECONOMY = synthetic.FIRST_ECONOMY_ROW - 1


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return synthetic.write(tmp_path_factory.mktemp("wb_classification_mirror"))


@pytest.fixture(scope="module")
def history(paths: dict[str, Path]) -> pd.DataFrame:
    return parse_source(SOURCE_ID, paths)[TABLE]


def groups_of(history: pd.DataFrame, iso3: str) -> dict[str, str]:
    """Fiscal year -> income group of one economy."""
    rows = history[history["iso3"].eq(iso3)]
    return dict(zip(rows["fiscal_year"], rows["wb_income_group"], strict=True))


def economy_row(code: str) -> int:
    """Row (from 0) of an economy in :func:`synthetic.history_rows`."""
    return next(i for i, row in enumerate(synthetic.history_rows()) if row[0] == code)


def fy_column(label: str) -> int:
    return FIRST_FY_COLUMN + synthetic.FISCAL_YEARS.index(label)


def with_cells(paths: dict[str, Path], tmp_path: Path, edit: Callable[[list[list[object]]], None]) -> dict[str, Path]:
    """The synthetic paths, with OGHIST.xlsx rewritten from its cells after ``edit`` changed them."""
    rows = [list(row) for row in synthetic.history_rows()]
    edit(rows)
    return {**paths, HISTORY_FILE: synthetic.write_history(tmp_path / HISTORY_FILE, rows)}


def set_cell(row: int, column: int, value: object) -> Callable[[list[list[object]]], None]:
    def edit(rows: list[list[object]]) -> None:
        rows[row][column] = value

    return edit


# --- the layout the synthetic workbook reproduces -----------------------------------------------------


def test_workbook_has_the_publishers_five_sheets_and_a_dimension_to_column_iu(paths: dict[str, Path]) -> None:
    with zipfile.ZipFile(paths[HISTORY_FILE]) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        sheet = archive.read("xl/worksheets/sheet3.xml").decode()
    assert re.findall(r'<sheet name="([^"]+)"', workbook) == list(synthetic.SHEETS)
    assert 'state="hidden"' in workbook  # Parameters, with its stale "FY21"
    assert '<dimension ref="A1:IU' in sheet


def test_synthetic_workbook_is_deterministic(paths: dict[str, Path], tmp_path: Path) -> None:
    assert synthetic.write(tmp_path)[HISTORY_FILE].read_bytes() == paths[HISTORY_FILE].read_bytes()


# --- known values -------------------------------------------------------------------------------------


def test_kazakhstan_is_lower_middle_income_fy93_to_fy07_and_upper_middle_from_fy08(history: pd.DataFrame) -> None:
    kazakhstan = groups_of(history, "KAZ")
    assert set(kazakhstan) == set(synthetic.FISCAL_YEARS[4:])  # ".." in FY89-FY92: no rows
    assert {kazakhstan[fy] for fy in synthetic.FISCAL_YEARS[4:19]} == {"Lower middle income"}
    assert kazakhstan["FY07"] == "Lower middle income"
    assert {kazakhstan[fy] for fy in synthetic.FISCAL_YEARS[19:]} == {"Upper middle income"}


def test_year_is_the_gni_year_two_before_the_fiscal_year(history: pd.DataFrame) -> None:
    kazakhstan = history[history["iso3"].eq("KAZ")].set_index("fiscal_year")["year"]
    assert kazakhstan["FY23"] == 2021
    assert kazakhstan["FY08"] == 2006  # the move to upper middle income: July 2007, on 2006 GNI
    assert kazakhstan["FY93"] == 1991
    pairs = set(zip(history["fiscal_year"], history["year"], strict=True))
    assert pairs == set(zip(synthetic.FISCAL_YEARS, synthetic.DATA_YEARS, strict=True))


def test_every_planted_classification_comes_out_and_nothing_else(history: pd.DataFrame) -> None:
    found = {(row.iso3, row.year): (row.fiscal_year, row.wb_income_group) for row in history.itertuples()}
    assert found == synthetic.expected_history()


def test_yemen_lm_star_of_fy89_and_fy90_is_lower_middle_income(history: pd.DataFrame) -> None:
    yemen = groups_of(history, "YEM")
    assert (yemen["FY89"], yemen["FY90"]) == ("Lower middle income", "Lower middle income")
    assert yemen["FY94"] == "Low income"


def test_unclassified_venezuela_has_no_rows_for_fy22_and_fy23(history: pd.DataFrame) -> None:
    venezuela = groups_of(history, "VEN")
    assert "FY21" in venezuela
    assert not {"FY22", "FY23"} & set(venezuela)


def test_a_gap_of_unclassified_years_stays_a_gap(history: pd.DataFrame) -> None:
    brunei = groups_of(history, "BRN")
    assert "FY89" in brunei
    assert not {"FY90", "FY91"} & set(brunei)
    assert brunei["FY92"] == "High income"


def test_channel_islands_and_the_dissolved_economies_are_left_out(history: pd.DataFrame) -> None:
    assert not set(history["iso3"]) & synthetic.NOT_PUBLISHED
    # No ISO 3166-1 successor takes the classification of a dissolved economy.
    assert "FY89" not in groups_of(history, "SRB")


def test_kosovo_mayotte_netherlands_antilles_and_taiwan_are_kept(history: pd.DataFrame) -> None:
    assert groups_of(history, "XKX")["FY23"] == "Upper middle income"
    assert groups_of(history, "MYT")["FY92"] == "High income"
    antilles = groups_of(history, "ANT")
    assert (min(antilles), antilles["FY11"]) == ("FY00", "High income")
    assert "FY12" not in antilles  # empty after its dissolution
    assert groups_of(history, "TWN")["FY23"] == "High income"


def test_income_groups_are_the_labels_of_the_countries_table(paths: dict[str, Path], history: pd.DataFrame) -> None:
    countries = parse_source(SOURCE_ID, paths)["countries"]
    assert set(history["wb_income_group"]) == set(INCOME_GROUPS.values())
    assert set(history["wb_income_group"]) == set(countries["wb_income_group"].dropna())


def test_one_row_per_economy_and_year_sorted(history: pd.DataFrame) -> None:
    assert not history.duplicated(["iso3", "year"]).any()
    assert history.equals(history.sort_values(["iso3", "year"], ignore_index=True))


def test_table_passes_its_schema(history: pd.DataFrame) -> None:
    validated = validate_table(TABLE, history)
    assert list(validated.columns) == ["iso3", "year", "fiscal_year", "wb_income_group"]
    assert len(validated) == len(synthetic.expected_history())


# --- bad input: every ParseError and CountryError the history parser can raise ------------------------


def test_renamed_fiscal_year_header_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_cells(paths, tmp_path, set_cell(HEADER_ROW, fy_column("FY23"), "FY 23"))
    with pytest.raises(ParseError, match=r"OGHIST\.xlsx \[Country Analytical History\]: the header .*"
                                         r"missing \['FY23'\]; unexpected \['FY 23'\]"):
        parse_source(SOURCE_ID, bad)


def test_a_new_vintage_with_fy24_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def add_fy24(rows: list[list[object]]) -> None:
        for row in rows:
            row.append("")
        rows[HEADER_ROW][-1] = "FY24"
        rows[DATA_YEARS_ROW][-1] = 2022.0

    with pytest.raises(ParseError, match=r"unexpected \['FY24'\]"):
        parse_source(SOURCE_ID, with_cells(paths, tmp_path, add_fy24))


def test_header_moved_down_by_a_new_title_row_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def insert_title(rows: list[list[object]]) -> None:
        rows.insert(0, ["", "New title", *[""] * (len(rows[0]) - 2)])

    with pytest.raises(ParseError, match=r"has its header in row 6, the parser expects it in row 5"):
        parse_source(SOURCE_ID, with_cells(paths, tmp_path, insert_title))


def test_renamed_sheet_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = {**paths, HISTORY_FILE: synthetic.write_history(tmp_path / HISTORY_FILE, sheet="Historical classifications")}
    with pytest.raises(ParseError, match=r"OGHIST\.xlsx: no sheet 'Country Analytical History' \(sheets: .*"
                                         r"'Historical classifications'"):
        parse_source(SOURCE_ID, bad)


def test_data_year_that_disagrees_with_the_mapping_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_cells(paths, tmp_path, set_cell(DATA_YEARS_ROW, fy_column("FY23"), 2022.0))
    with pytest.raises(ParseError, match=r"AK6 gives FY23 the data year 2022\.0; the parser publishes FY23 as year "
                                         r"2021"):
        parse_source(SOURCE_ID, bad)


def test_data_year_as_text_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_cells(paths, tmp_path, set_cell(DATA_YEARS_ROW, fy_column("FY89"), "1987"))
    with pytest.raises(ParseError, match=r"C6 gives FY89 the data year '1987'"):
        parse_source(SOURCE_ID, bad)


def test_renamed_data_year_label_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_cells(paths, tmp_path, set_cell(DATA_YEARS_ROW, 1, "GNI year:"))
    with pytest.raises(ParseError, match=r"B6 should read 'Data for calendar year :'.*found 'GNI year:'"):
        parse_source(SOURCE_ID, bad)


def test_renamed_group_code_in_the_threshold_labels_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_cells(paths, tmp_path, set_cell(DATA_YEARS_ROW + 2, 1, "Lower-middle income (LMC)"))
    with pytest.raises(ParseError, match=r"B8 should read 'Lower middle income \(LM\)'.*found "
                                         r"'Lower-middle income \(LMC\)'"):
        parse_source(SOURCE_ID, bad)


@pytest.mark.parametrize("mark", ["UM*", "LMC", "l"])
def test_unknown_classification_mark_is_an_error_naming_its_cell(
    mark: str, paths: dict[str, Path], tmp_path: Path
) -> None:
    row = economy_row("KAZ")
    bad = with_cells(paths, tmp_path, set_cell(row, fy_column("FY23"), mark))
    where = rf"{re.escape(repr(mark))} at AK{row + 1} \(KAZ FY23\)"
    with pytest.raises(ParseError, match=rf"1 cell\(s\) hold no known classification: {where}"):
        parse_source(SOURCE_ID, bad)


def test_number_in_a_classification_cell_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    row = economy_row("KAZ")
    bad = with_cells(paths, tmp_path, set_cell(row, fy_column("FY10"), 3.0))
    with pytest.raises(ParseError, match=rf"3\.0 at X{row + 1} \(KAZ FY10\)"):
        parse_source(SOURCE_ID, bad)


def test_classification_in_a_row_without_a_code_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    row = economy_row("KAZ")
    bad = with_cells(paths, tmp_path, set_cell(row, 0, ""))
    with pytest.raises(ParseError, match=rf"C{row + 1} holds '\.\.' in a row without an economy code in column A"):
        parse_source(SOURCE_ID, bad)


def test_code_as_a_number_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_cells(paths, tmp_path, set_cell(economy_row("KAZ"), 0, 398.0))
    with pytest.raises(ParseError, match=r"column 'A \(code\)' must hold text on every row; found 398\.0"):
        parse_source(SOURCE_ID, bad)


def test_economy_row_without_a_name_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_cells(paths, tmp_path, set_cell(economy_row("KAZ"), 1, ""))
    with pytest.raises(ParseError, match=r"column 'B \(economy\)' must hold text on every row"):
        parse_source(SOURCE_ID, bad)


def test_unknown_economy_code_is_a_country_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_cells(paths, tmp_path, set_cell(economy_row("KAZ"), 0, "KAZf"))
    with pytest.raises(CountryError, match=r"OGHIST\.xlsx \[Country Analytical History\]: World Bank economy codes "
                                           r"with no ISO 3166-1 equivalent: \['KAZf'\]"):
        parse_source(SOURCE_ID, bad)


def test_economy_listed_twice_is_a_country_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_cells(paths, tmp_path, set_cell(economy_row("KGZ"), 0, "KAZ"))
    with pytest.raises(CountryError, match=r"economies listed more than once: KAZ <- KAZ / KAZ"):
        parse_source(SOURCE_ID, bad)


def test_value_right_of_fy23_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def note_in_al(rows: list[list[object]]) -> None:
        for row in rows:
            row.append("")
        rows[economy_row("KAZ")][-1] = "UM"

    with pytest.raises(ParseError, match=r"values right of the last header column 'FY23'"):
        parse_source(SOURCE_ID, with_cells(paths, tmp_path, note_in_al))


def test_sheet_without_economies_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    empty = synthetic.history_rows(economies=(), former=())
    bad = {**paths, HISTORY_FILE: synthetic.write_history(tmp_path / HISTORY_FILE, empty)}
    with pytest.raises(ParseError, match=r"no economy rows below the thresholds \(none from row 11 on\)"):
        parse_source(SOURCE_ID, bad)


def test_empty_file_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    empty = tmp_path / HISTORY_FILE
    empty.write_bytes(b"")
    with pytest.raises(ParseError, match=r"OGHIST\.xlsx: the file is empty"):
        parse_source(SOURCE_ID, {**paths, HISTORY_FILE: empty})


def test_web_page_saved_as_the_workbook_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    page = tmp_path / HISTORY_FILE
    page.write_bytes(b"<!DOCTYPE html><html><body>Data Catalog</body></html>")
    with pytest.raises(ParseError, match=r"OGHIST\.xlsx: not a readable Excel workbook"):
        parse_source(SOURCE_ID, {**paths, HISTORY_FILE: page})


# --- schema checks the synthetic data can trigger -----------------------------------------------------


def test_fiscal_year_that_does_not_match_the_year_fails_validation(history: pd.DataFrame) -> None:
    broken = history.copy()
    broken.loc[broken["iso3"].eq("KAZ") & broken["year"].eq(2021), "fiscal_year"] = "FY22"
    with pytest.raises(SchemaValidationError, match=r"fiscal_year is FY\(year\+2\).*KAZ 2021"):
        validate_table(TABLE, broken)


def test_group_label_the_countries_table_does_not_use_fails_validation(history: pd.DataFrame) -> None:
    broken = history.copy()
    broken.loc[broken["iso3"].eq("KAZ"), "wb_income_group"] = "Upper-middle-income countries"
    with pytest.raises(SchemaValidationError, match="wb_income_group"):
        validate_table(TABLE, broken)


def test_repeated_economy_year_fails_validation(history: pd.DataFrame) -> None:
    broken = pd.concat([history, history[history["iso3"].eq("KAZ")].head(1)], ignore_index=True)
    with pytest.raises(SchemaValidationError, match=r"iso3.*multiple_fields_uniqueness"):
        validate_table(TABLE, broken)


def test_a_missing_year_fails_validation(history: pd.DataFrame) -> None:
    with pytest.raises(SchemaValidationError, match="every year of the vintage has classified economies"):
        validate_table(TABLE, history[history["year"].ne(2000)])


def test_year_outside_the_vintage_fails_validation(history: pd.DataFrame) -> None:
    broken = history.copy()
    broken.loc[broken["iso3"].eq("KAZ") & broken["year"].eq(2021), ["year", "fiscal_year"]] = [2022, "FY24"]
    with pytest.raises(SchemaValidationError, match=r"year.*isin.*2022 at KAZ 2022"):
        validate_table(TABLE, broken)
