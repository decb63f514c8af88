"""ITU's June 2019 Excel release, the earlier edition of ``itu_ict``: parser and edition schema.

Expected values are read from the mirror's files with python-calamine directly (an independent
reader: column A holds the name, B-T the first block of 2000-2018, V-AN the per-100 block), not
from the parser.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from kzegov_data.errors import SchemaValidationError
from kzegov_data.registry import get_source
from kzegov_data.schemas import validate
from kzegov_data.sources.itu import editions_layout as layout
from kzegov_data.sources.itu.parse import parse, parse_edition
from kzegov_data.sources.itu.schema import ItuIctSchema, edition_model

FILES = {spec.name: spec for spec in layout.JUNE_2019_FILES}
INTERNET, MOBILE, BROADBAND, TELEPHONE = (spec.name for spec in layout.JUNE_2019_FILES)


@pytest.fixture(scope="module")
def june(mirror: Path) -> pd.DataFrame:
    return parse_edition("June 2019", {name: mirror / "itu" / name for name in FILES})["itu_ict"]


@pytest.fixture(scope="module")
def current(mirror: Path) -> pd.DataFrame:
    return parse({raw.name: mirror / "itu" / raw.name for raw in get_source("itu").files})["itu_ict"]


def sheet_rows(mirror: Path, file: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(mirror / "itu" / file).get_sheet_by_name("Final").to_python()


def file_value(mirror: Path, file: str, economy: str, column: int) -> object:
    """The cell of ``economy``'s row in column ``column`` (from 0), read by calamine alone."""
    (row,) = [row for row in sheet_rows(mirror, file) if row[0] == economy]
    return row[column]


def value(table: pd.DataFrame, iso3: str, year: int, indicator: str) -> float:
    rows = table[(table["iso3"] == iso3) & (table["year"] == year) & (table["indicator"] == indicator)]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


# Column of a year in the first block (B = 1 for 2000) and in the per-100 block (V = 21 for 2000).
def first_block(year: int) -> int:
    return 1 + year - 2000


def rate_block(year: int) -> int:
    return 21 + year - 2000


@pytest.mark.mirror
def test_kazakhstan_internet_users_2018_is_78_904_as_the_file_stores_it(june: pd.DataFrame, mirror: Path) -> None:
    stored = file_value(mirror, INTERNET, "Kazakhstan", first_block(2018))
    assert round(float(stored), 4) == 78.9039
    assert value(june, "KAZ", 2018, "internet_users_pct") == stored


@pytest.mark.mirror
def test_kazakhstan_internet_users_2008_is_11(june: pd.DataFrame, mirror: Path) -> None:
    stored = file_value(mirror, INTERNET, "Kazakhstan", first_block(2008))
    assert stored == 11.0
    assert value(june, "KAZ", 2008, "internet_users_pct") == stored


@pytest.mark.mirror
def test_kazakhstan_mobile_cellular_per100_2018_is_141_968_and_2008_is_94_001(
    june: pd.DataFrame, mirror: Path
) -> None:
    for year, rounded in ((2018, 141.968), (2008, 94.001)):
        stored = file_value(mirror, MOBILE, "Kazakhstan", rate_block(year))
        assert round(float(stored), 3) == rounded
        assert value(june, "KAZ", year, "mobile_cellular_per100") == stored
    assert value(june, "KAZ", 2018, "mobile_cellular_subscriptions") == 26_008_000


@pytest.mark.mirror
def test_kazakhstan_fixed_broadband_per100_2018_is_13_444_and_subscriptions_2008_are_337_300(
    june: pd.DataFrame, mirror: Path
) -> None:
    stored = file_value(mirror, BROADBAND, "Kazakhstan", rate_block(2018))
    assert round(float(stored), 3) == 13.444
    assert value(june, "KAZ", 2018, "fixed_broadband_per100") == stored
    assert value(june, "KAZ", 2008, "fixed_broadband_subscriptions") == 337_300


@pytest.mark.mirror
@pytest.mark.parametrize("file", list(FILES))
def test_every_value_cell_of_the_file_is_one_row(june: pd.DataFrame, mirror: Path, file: str) -> None:
    # Ascension has no ISO code of its own and is left out (see NOT_ISO_ENTITIES).
    rows = [row for row in sheet_rows(mirror, file)[2:] if str(row[0]).strip() not in ("", "Ascension")]
    blocks = [first_block(2000) + number * 20 for number in range(len(FILES[file].blocks))]
    cells = sum(
        isinstance(row[start + offset], int | float) for row in rows for start in blocks for offset in range(19)
    )
    assert (june["origin"].str.startswith(file + " (")).sum() == cells


@pytest.mark.mirror
def test_stray_numbers_of_the_separator_columns_are_not_published(june: pd.DataFrame) -> None:
    # Column U holds 10.5957264186601 on 228 rows of the Internet file, stray numbers on 45 of
    # the fixed-broadband file (Austria 2.375...); Vatican's Internet row holds nothing else.
    assert not (june["value"] == 10.5957264186601).any()
    assert not ((june["iso3"] == "VAT") & (june["indicator"] == "internet_users_pct")).any()


@pytest.mark.mirror
def test_fixed_telephone_rows_are_the_current_tables(june: pd.DataFrame, current: pd.DataFrame) -> None:
    def telephone(table: pd.DataFrame) -> pd.DataFrame:
        rows = table[table["indicator"].astype(str).str.startswith("fixed_telephone")]
        return rows.astype({"iso3": "string", "indicator": str, "unit": str}).reset_index(drop=True)

    pd.testing.assert_frame_equal(telephone(june), telephone(current), check_categorical=False)


@pytest.mark.mirror
def test_edition_covers_2000_to_2018_its_seven_indicators_and_names_its_files(june: pd.DataFrame) -> None:
    assert (june["year"].min(), june["year"].max()) == (2000, 2018)
    assert set(june["indicator"]) == set(layout.JUNE_2019_INDICATORS)
    assert set(june["origin"].str.split(" ").str[0]) == set(FILES)
    assert not june.duplicated(["iso3", "year", "indicator"]).any()
    assert june.loc[june["iso3"] == "TUR", "country"].unique().tolist() == ["Turkey"]


@pytest.mark.mirror
def test_edition_has_the_current_tables_columns_dtypes_and_order(june: pd.DataFrame, current: pd.DataFrame) -> None:
    assert list(june.columns) == list(current.columns)
    assert june.dtypes.to_dict() == current.dtypes.to_dict()
    assert june.equals(june.sort_values(["iso3", "year", "indicator"], ignore_index=True))


@pytest.mark.mirror
def test_june_2019_passes_its_own_schema(june: pd.DataFrame) -> None:
    validate(edition_model("itu_ict", "June 2019"), june)


@pytest.mark.mirror
def test_a_year_outside_the_june_2019_release_fails_its_schema(june: pd.DataFrame) -> None:
    table = june.copy()
    table.loc[table["year"] == 2018, "year"] = 2019
    with pytest.raises(SchemaValidationError, match=r"less_than_or_equal_to\(2018\)"):
        validate(edition_model("itu_ict", "June 2019"), table)


@pytest.mark.mirror
def test_the_current_table_fails_the_june_2019_schema(current: pd.DataFrame) -> None:
    with pytest.raises(SchemaValidationError, match="households_internet_pct"):
        validate(edition_model("itu_ict", "June 2019"), current)


def test_current_edition_model_is_the_current_schema() -> None:
    assert edition_model("itu_ict", layout.CURRENT_EDITION) is ItuIctSchema
    current = {check.name for check in ItuIctSchema.to_schema().checks}
    assert {check.name for check in edition_model("itu_ict", "June 2019").to_schema().checks} == current


def test_an_unknown_edition_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"'June 2019', 'DataHub 2025'"):
        parse_edition("June 2018", {})
    with pytest.raises(ValueError, match="June 2019"):
        edition_model("itu_ict", "June 2018")
