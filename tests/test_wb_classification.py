"""World Bank historical classification (``OGHIST.xlsx``, FY89-FY23): known values, invariants, bad input.

Expected values were read from the publisher's workbook (sheet ``Country Analytical History``, cells
named in each test) and its description in the mirror's ``wb_classification/PROVENANCE.md``, not from
this parser. Bad input is made by editing the XML inside a copy of the real workbook in tmp_path.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from conftest import source_paths, validate_table
from kzegov_data.countries import INCOME_GROUPS, known_iso3
from kzegov_data.errors import CountryError, ParseError
from kzegov_data.sources.wb_classification import parse as wb_classification

SOURCE_ID = "wb_classification"
FILE = "OGHIST.xlsx"
SHEET_XML = "xl/worksheets/sheet3.xml"  # Country Analytical History
STRINGS_XML = "xl/sharedStrings.xml"
LOW, LOWER_MIDDLE, UPPER_MIDDLE, HIGH = INCOME_GROUPS.values()


@pytest.fixture(scope="module")
def tables(mirror: Path) -> dict[str, pd.DataFrame]:
    return wb_classification.parse(source_paths(mirror, SOURCE_ID))


@pytest.fixture(scope="module")
def history(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["income_history"]


def group(history: pd.DataFrame, iso3: str, fiscal_year: str) -> str | None:
    row = history[history["iso3"].eq(iso3) & history["fiscal_year"].eq(fiscal_year)]
    assert len(row) <= 1
    return None if row.empty else str(row["wb_income_group"].iloc[0])


# --- known values: Kazakhstan is row 112 of the sheet ---------------------------------------------------


@pytest.mark.mirror
def test_kazakhstan_fy94_is_lower_middle_income_cell_h112(history: pd.DataFrame) -> None:
    assert group(history, "KAZ", "FY94") == LOWER_MIDDLE


@pytest.mark.mirror
def test_kazakhstan_fy23_is_upper_middle_income_cell_ak112(history: pd.DataFrame) -> None:
    assert group(history, "KAZ", "FY23") == UPPER_MIDDLE


@pytest.mark.mirror
def test_kazakhstan_moved_up_in_fy08_on_2006_income_cells_u112_v112(history: pd.DataFrame) -> None:
    assert group(history, "KAZ", "FY07") == LOWER_MIDDLE
    assert group(history, "KAZ", "FY08") == UPPER_MIDDLE
    kazakhstan = history[history["iso3"].eq("KAZ")].set_index("year")["wb_income_group"]
    assert (kazakhstan[2005], kazakhstan[2006]) == (LOWER_MIDDLE, UPPER_MIDDLE)


@pytest.mark.mirror
def test_kazakhstan_unclassified_fy89_to_fy92_then_31_years_cells_c112_to_ak112(history: pd.DataFrame) -> None:
    kazakhstan = history[history["iso3"].eq("KAZ")]
    assert (kazakhstan["fiscal_year"].iloc[0], kazakhstan["year"].iloc[0]) == ("FY93", 1991)
    assert kazakhstan["year"].tolist() == list(range(1991, 2022))
    assert kazakhstan["wb_income_group"].value_counts().to_dict() == {UPPER_MIDDLE: 16, LOWER_MIDDLE: 15}


@pytest.mark.mirror
def test_yemen_lm_star_fy89_fy90_cells_c227_d227_is_lower_middle_income(history: pd.DataFrame) -> None:
    assert group(history, "YEM", "FY89") == group(history, "YEM", "FY90") == LOWER_MIDDLE
    assert group(history, "YEM", "FY92") == LOWER_MIDDLE
    assert group(history, "YEM", "FY93") == LOW


@pytest.mark.mirror
def test_venezuela_empty_in_fy22_fy23_cells_aj223_ak223(history: pd.DataFrame) -> None:
    assert group(history, "VEN", "FY21") == UPPER_MIDDLE
    assert group(history, "VEN", "FY22") is None
    assert group(history, "VEN", "FY23") is None


@pytest.mark.mirror
def test_kosovo_keeps_xkx_lower_middle_from_fy10_cell_x117(history: pd.DataFrame) -> None:
    kosovo = history[history["iso3"].eq("XKX")]
    assert kosovo["fiscal_year"].iloc[0] == "FY10"
    assert group(history, "XKX", "FY10") == LOWER_MIDDLE
    assert group(history, "XKX", "FY23") == UPPER_MIDDLE


# --- coverage: first and last fiscal year, economies per year -----------------------------------------


@pytest.mark.mirror
def test_fiscal_years_fy89_c5_to_fy23_ak5_are_years_1987_c6_to_2021_ak6(history: pd.DataFrame) -> None:
    years = history.groupby("fiscal_year")["year"].unique().map(list).to_dict()
    assert sorted(history["year"].unique()) == list(range(1987, 2022))  # contiguous, all 35
    assert len(years) == 35
    assert (years["FY89"], years["FY99"], years["FY00"], years["FY23"]) == ([1987], [1997], [1998], [2021])


@pytest.mark.mirror
def test_fy23_has_216_economies_the_217_classified_less_the_channel_islands(history: pd.DataFrame) -> None:
    # Column AK: H 81 (one is CHI), UM 54, LM 54, L 28; VEN and the six former economies are empty.
    fy23 = history[history["fiscal_year"].eq("FY23")]["wb_income_group"].value_counts().to_dict()
    assert fy23 == {HIGH: 80, UPPER_MIDDLE: 54, LOWER_MIDDLE: 54, LOW: 28}


@pytest.mark.mirror
def test_fy89_has_164_economies_the_166_classified_less_chi_and_yugoslavia(history: pd.DataFrame) -> None:
    # Column C: L 49, LM 45 + LM* 1 (Yemen), UM 30 (one is YUGf), H 41 (one is CHI).
    fy89 = history[history["fiscal_year"].eq("FY89")]["wb_income_group"].value_counts().to_dict()
    assert fy89 == {LOW: 49, LOWER_MIDDLE: 46, UPPER_MIDDLE: 29, HIGH: 40}


@pytest.mark.mirror
def test_7170_rows_219_economies(history: pd.DataFrame) -> None:
    # 7,227 classified cells in C12:AK238, less CHI's 35 and the 22 of CSK, SUN, YUG and YUGf.
    assert len(history) == 7170
    # 224 economy rows, less CHI, CSK, SUN, YUG and YUGf; MYT and ANT (former) are kept.
    assert history["iso3"].nunique() == 219
    assert {"MYT", "ANT", "TWN"} <= set(history["iso3"])
    assert not {"CHI", "CSK", "SUN", "YUG", "YUGf"} & set(history["iso3"])


# --- whole-table invariants -----------------------------------------------------------------------------


@pytest.mark.mirror
def test_table_validates_against_its_schema(history: pd.DataFrame) -> None:
    assert len(validate_table("income_history", history)) == len(history)


@pytest.mark.mirror
def test_one_row_per_economy_and_year(history: pd.DataFrame) -> None:
    assert not history.duplicated(["iso3", "year"]).any()
    assert not history.duplicated(["iso3", "fiscal_year"]).any()


@pytest.mark.mirror
def test_groups_are_the_four_of_the_countries_table(tables: dict[str, pd.DataFrame]) -> None:
    assert set(tables["income_history"]["wb_income_group"]) == set(INCOME_GROUPS.values())
    assert set(tables["income_history"]["wb_income_group"]) == set(tables["countries"]["wb_income_group"].dropna())


@pytest.mark.mirror
def test_every_economy_is_a_row_of_the_countries_table(tables: dict[str, pd.DataFrame]) -> None:
    assert set(tables["income_history"]["iso3"]) <= set(tables["countries"]["iso3"])
    assert set(tables["income_history"]["iso3"]) <= known_iso3()


@pytest.mark.mirror
def test_every_fiscal_year_is_the_year_plus_two(history: pd.DataFrame) -> None:
    assert (history["fiscal_year"] == "FY" + ((history["year"] + 2) % 100).map("{:02d}".format)).all()


# --- bad input: altered copies of the real workbook ------------------------------------------------------

Edits = dict[str, Callable[[str], str]]


def altered(mirror: Path, tmp_path: Path, edits: Edits) -> dict[str, Path]:
    """The source's paths, with a copy of the real workbook whose XML parts ``edits`` rewrote."""
    paths = source_paths(mirror, SOURCE_ID)
    copy = tmp_path / FILE
    with zipfile.ZipFile(paths[FILE]) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename in edits:
                text = data.decode("utf-8")
                changed = edits[item.filename](text)
                assert changed != text, f"the edit of {item.filename} changed nothing"
                data = changed.encode("utf-8")
            target.writestr(item, data)
    return {**paths, FILE: copy}


@pytest.mark.mirror
def test_renamed_fiscal_year_header_is_a_parse_error(mirror: Path, tmp_path: Path) -> None:
    paths = altered(mirror, tmp_path, {STRINGS_XML: lambda xml: xml.replace("<t>FY23</t>", "<t>FY2023</t>", 1)})
    with pytest.raises(ParseError, match=r"OGHIST\.xlsx \[Country Analytical History\]: the header is not the one "
                                         r"the parser knows \(missing \['FY23'\]; unexpected \['FY2023'\]\)"):
        wb_classification.parse(paths)


@pytest.mark.mirror
def test_data_year_of_a_shifted_mapping_is_a_parse_error(mirror: Path, tmp_path: Path) -> None:
    paths = altered(mirror, tmp_path, {SHEET_XML: lambda xml: xml.replace('<c r="AK6" s="30"><v>2021</v>',
                                                                          '<c r="AK6" s="30"><v>2022</v>', 1)})
    with pytest.raises(ParseError, match=r"AK6 gives FY23 the data year 2022\.0"):
        wb_classification.parse(paths)


@pytest.mark.mirror
def test_unknown_mark_is_a_parse_error_naming_its_cell(mirror: Path, tmp_path: Path) -> None:
    paths = altered(mirror, tmp_path, {STRINGS_XML: lambda xml: xml.replace("<t>LM*</t>", "<t>LM**</t>", 1)})
    with pytest.raises(ParseError, match=r"2 cell\(s\) hold no known classification: 'LM\*\*' at C227 \(YEM FY89\), "
                                         r"'LM\*\*' at D227 \(YEM FY90\)"):
        wb_classification.parse(paths)


@pytest.mark.mirror
def test_unknown_economy_code_is_a_country_error(mirror: Path, tmp_path: Path) -> None:
    paths = altered(mirror, tmp_path, {STRINGS_XML: lambda xml: xml.replace("<t>KAZ</t>", "<t>QAZ</t>", 1)})
    with pytest.raises(CountryError, match=re.escape(f"{FILE} [Country Analytical History]: World Bank economy "
                                                     "codes with no ISO 3166-1 equivalent: ['QAZ']")):
        wb_classification.parse(paths)
