"""World Bank classification -> ``countries``, on a synthetic metadata CSV in the WDI layout (no mirror).

The file comes from ``synthetic/wb_classification.py``; bad inputs are altered copies in ``tmp_path``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pycountry
import pytest

from conftest import parse_source, validate_table
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from kzegov_data.registry import get_source
from synthetic import wb_classification as synthetic

SOURCE_ID = "wb_classification"
FILE_NAME = synthetic.FILE_NAME
INCOME_GROUPS = {"Low income", "Lower middle income", "Upper middle income", "High income"}


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return synthetic.write(tmp_path_factory.mktemp("wb_classification_mirror"))


@pytest.fixture(scope="module")
def countries(paths: dict[str, Path]) -> pd.DataFrame:
    return parse_source(SOURCE_ID, paths)["countries"]


def country(countries: pd.DataFrame, iso3: str) -> pd.Series:
    found = countries[countries["iso3"].eq(iso3)]
    assert len(found) == 1, iso3
    return found.iloc[0]


# --- helpers that alter the synthetic file --------------------------------------------------------


def altered(paths: dict[str, Path], tmp_path: Path, data: bytes) -> dict[str, Path]:
    """The synthetic paths, with the metadata CSV replaced by ``data`` (written under tmp_path)."""
    copy = tmp_path / FILE_NAME
    copy.write_bytes(data)
    return {**paths, FILE_NAME: copy}


def with_rows(*extra: tuple[str, str, str, str, str]) -> bytes:
    """The synthetic file with ``extra`` rows appended, in the publisher's encoding."""
    return synthetic.file_text((*synthetic.ROWS, *extra)).encode("utf-8-sig")


def with_text(edit: str, new: str) -> bytes:
    text = synthetic.file_text()
    assert edit in text
    return text.replace(edit, new, 1).encode("utf-8-sig")


# --- the layout the synthetic file reproduces -----------------------------------------------------


def test_synthetic_files_are_the_ones_the_source_declares(paths: dict[str, Path]) -> None:
    declared = [raw_file.name for raw_file in get_source(SOURCE_ID).files]
    assert list(paths) == declared == [FILE_NAME, synthetic.HISTORY_FILE]
    assert {path.parent.name for path in paths.values()} == {SOURCE_ID}


def test_file_has_bom_quoted_fields_trailing_commas_and_crlf(paths: dict[str, Path]) -> None:
    data = paths[FILE_NAME].read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"Country Code","Region","IncomeGroup","SpecialNotes","TableName",\r\n')
    assert b'\r\n"KAZ","Europe & Central Asia","Upper middle income","","Kazakhstan",\r\n' in data
    assert data.count(b"\r\n") == len(synthetic.ROWS) + 1
    # Line breaks inside a quoted note are bare LF, as in the World Bank's file.
    assert b"March 20).\n\nIn addition" in data


def test_synthetic_file_is_deterministic(paths: dict[str, Path], tmp_path: Path) -> None:
    assert synthetic.write(tmp_path)[FILE_NAME].read_bytes() == paths[FILE_NAME].read_bytes()


# --- known values ---------------------------------------------------------------------------------


def test_kazakhstan_is_europe_central_asia_upper_middle_income(countries: pd.DataFrame) -> None:
    kazakhstan = country(countries, "KAZ")
    assert kazakhstan["wb_region"] == "Europe & Central Asia"
    assert kazakhstan["wb_income_group"] == "Upper middle income"
    assert kazakhstan["iso_numeric"] == "398"
    assert kazakhstan["name"] == "Kazakhstan"
    assert kazakhstan[["central_asia", "eaeu", "post_soviet"]].all()
    assert not kazakhstan["paper_comparators"]


def test_every_economy_comes_out_with_its_planted_region_and_income_group(countries: pd.DataFrame) -> None:
    classified = countries[countries["wb_region"].notna()].set_index("iso3")
    found = {
        iso3: (row["wb_region"], None if pd.isna(row["wb_income_group"]) else row["wb_income_group"])
        for iso3, row in classified.iterrows()
    }
    assert found == synthetic.EXPECTED


def test_every_income_group_is_represented(countries: pd.DataFrame) -> None:
    assert set(countries["wb_income_group"].dropna()) == INCOME_GROUPS


def test_one_row_per_iso_country_plus_kosovo_and_netherlands_antilles(countries: pd.DataFrame) -> None:
    assert len(countries) == len(pycountry.countries) + 2
    assert countries["iso3"].is_unique
    assert {"XKX", "ANT"} <= set(countries["iso3"])
    assert countries.equals(countries.sort_values("iso3", ignore_index=True))


def test_countries_the_file_does_not_list_have_no_classification(countries: pd.DataFrame) -> None:
    france = country(countries, "FRA")
    assert pd.isna(france["wb_region"])
    assert pd.isna(france["wb_income_group"])


def test_aggregates_with_an_empty_region_are_dropped(countries: pd.DataFrame) -> None:
    assert {"WLD", "ECS", "HIC", "AFE"} == synthetic.AGGREGATES
    assert not set(countries["iso3"]) & synthetic.AGGREGATES
    # "High income" is also an aggregate's TableName: it must not become a region.
    assert "High income" not in set(countries["wb_region"].dropna())


def test_channel_islands_are_dropped_not_given_to_jersey_or_guernsey(countries: pd.DataFrame) -> None:
    assert "CHI" not in set(countries["iso3"])
    assert pd.isna(country(countries, "JEY")["wb_region"])
    assert pd.isna(country(countries, "GGY")["wb_region"])


def test_legacy_code_rom_becomes_romania_rou(countries: pd.DataFrame) -> None:
    assert "ROM" not in set(countries["iso3"])
    romania = country(countries, "ROU")
    assert (romania["wb_region"], romania["wb_income_group"]) == ("Europe & Central Asia", "High income")


def test_kosovo_keeps_the_user_assigned_code_xkx(countries: pd.DataFrame) -> None:
    kosovo = country(countries, "XKX")
    assert kosovo["wb_income_group"] == "Upper middle income"
    assert pd.isna(kosovo["iso_numeric"])


def test_venezuela_unclassified_has_a_region_but_no_income_group(countries: pd.DataFrame) -> None:
    venezuela = country(countries, "VEN")
    assert venezuela["wb_region"] == "Latin America & Caribbean"
    assert pd.isna(venezuela["wb_income_group"])


def test_peer_groups_flag_the_planted_peers(countries: pd.DataFrame) -> None:
    flagged = {group: sorted(countries.loc[countries[group], "iso3"]) for group in ("central_asia", "eaeu")}
    assert flagged == {
        "central_asia": ["KAZ", "KGZ", "TJK", "TKM", "UZB"],
        "eaeu": ["ARM", "BLR", "KAZ", "KGZ", "RUS"],
    }
    assert sorted(countries.loc[countries["paper_comparators"], "iso3"]) == ["BGD", "CHN", "IND", "KOR"]


def test_table_passes_its_schema(countries: pd.DataFrame) -> None:
    validated = validate_table("countries", countries)
    assert len(validated) == len(countries)


def test_file_without_the_trailing_commas_is_read_too(paths: dict[str, Path], tmp_path: Path) -> None:
    text = synthetic.file_text().replace(",\r\n", "\r\n")
    parsed = parse_source(SOURCE_ID, altered(paths, tmp_path, text.encode("utf-8-sig")))["countries"]
    assert country(parsed, "KAZ")["wb_income_group"] == "Upper middle income"


# --- bad input: every ParseError and CountryError the parser can raise ----------------------------


def test_empty_file_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=rf"{FILE_NAME}: the file is empty"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, b""))


def test_binary_file_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    # The ZIP that the World Bank serves, saved under the CSV's name without unpacking it.
    with pytest.raises(ParseError, match=rf"{FILE_NAME}: binary content"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, b"PK\x03\x04\x14\x00\x00\x00" + bytes(64)))


def test_windows_1252_copy_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    legacy = synthetic.file_text().encode("cp1252")  # "Curaçao" as the single byte 0xE7
    with pytest.raises(ParseError, match=rf"{FILE_NAME}: not valid utf-8-sig at byte \d+"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, legacy))


def test_unclosed_quote_is_not_a_readable_csv(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_text('"Kazakhstan",\r\n', '"Kazakhstan,\r\n')
    with pytest.raises(ParseError, match=rf"{FILE_NAME}: not a readable CSV table"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, bad))


def test_renamed_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_text('"IncomeGroup"', '"Income Group"')
    with pytest.raises(ParseError, match=r"missing \['IncomeGroup'\]; unexpected \['Income Group'\]"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, bad))


def test_missing_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    rows = tuple(row[:3] + row[4:] for row in synthetic.ROWS)
    text = synthetic.file_text(rows).replace('"SpecialNotes",', "", 1)
    with pytest.raises(ParseError, match=rf"{FILE_NAME}: the header .*missing \['SpecialNotes'\]"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, text.encode("utf-8-sig")))


def test_new_named_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    text = synthetic.file_text().replace(',\r\n', ',"",\r\n').replace('"TableName","",', '"TableName","Lending",', 1)
    with pytest.raises(ParseError, match=r"unexpected \['Lending'\]"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, text.encode("utf-8-sig")))


def test_values_in_the_trailing_empty_column_are_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_text('"Kazakhstan",\r\n', '"Kazakhstan","IBRD"\r\n')
    with pytest.raises(ParseError, match=r"unexpected \['Unnamed: 5'\]"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, bad))


def test_unknown_economy_code_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_rows(("XQZ", "Europe & Central Asia", "High income", "", "Atlantis"))
    with pytest.raises(CountryError, match=rf"{FILE_NAME}: World Bank economy codes with no ISO .*\['XQZ'\]"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, bad))


def test_unknown_aggregate_code_is_not_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    """A new aggregate (empty Region) is no country: it is dropped, whatever its code."""
    bad = with_rows(("XQZ", "", "", "New aggregate.", "Atlantis group"))
    parsed = parse_source(SOURCE_ID, altered(paths, tmp_path, bad))["countries"]
    assert "XQZ" not in set(parsed["iso3"])


# --- schema checks the synthetic data can trigger -------------------------------------------------


def test_income_group_the_schema_does_not_know_fails_validation(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = with_text('"KAZ","Europe & Central Asia","Upper middle income"', '"KAZ","Europe & Central Asia","UMC"')
    parsed = parse_source(SOURCE_ID, altered(paths, tmp_path, bad))["countries"]
    with pytest.raises(SchemaValidationError, match="wb_income_group"):
        validate_table("countries", parsed)


def test_malformed_numeric_code_fails_validation(countries: pd.DataFrame) -> None:
    broken = countries.copy()
    broken.loc[broken["iso3"].eq("KAZ"), "iso_numeric"] = "398.0"
    with pytest.raises(SchemaValidationError, match="iso_numeric"):
        validate_table("countries", broken)


def test_economy_listed_twice_is_a_country_error(paths: dict[str, Path], tmp_path: Path) -> None:
    # ROM (legacy) and ROU (current) both present: two rows for Romania after the override.
    bad = with_rows(("ROU", "Europe & Central Asia", "High income", "", "Romania"))
    listed_twice = rf"{re.escape(FILE_NAME)}: economies listed more than once: ROU <- ROM / ROU"
    with pytest.raises(CountryError, match=listed_twice):
        parse_source(SOURCE_ID, altered(paths, tmp_path, bad))


def test_header_only_file_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    header_only = synthetic.file_text(()).encode("utf-8-sig")
    with pytest.raises(ParseError, match=rf"{re.escape(FILE_NAME)}: no economy rows"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, header_only))
