"""The UN E-Government Survey parser on synthetic files in the Data Center's layout (no mirror needed).

The files come from ``synthetic/un_egov.py``; bad inputs are altered copies written into ``tmp_path``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from conftest import parse_source, validate_table
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from kzegov_data.registry import get_source
from synthetic import un_egov as synthetic

SOURCE_ID = "un_egov"
INDICES = ["egdi", "osi", "hci", "tii", "epi"]


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return synthetic.write(tmp_path_factory.mktemp("un_egov_mirror"))


@pytest.fixture(scope="module")
def egov(paths: dict[str, Path]) -> pd.DataFrame:
    return parse_source(SOURCE_ID, paths)["un_egov"]


def value(egov: pd.DataFrame, iso3: str, year: int, column: str) -> object:
    return egov.loc[egov["iso3"].eq(iso3) & egov["survey_year"].eq(year), column].item()


# --- helpers that alter one synthetic file --------------------------------------------------------


def altered(paths: dict[str, Path], tmp_path: Path, name: str, data: bytes) -> dict[str, Path]:
    """The synthetic paths, with file ``name`` replaced by ``data`` (written under tmp_path)."""
    copy = tmp_path / name
    copy.write_bytes(data)
    return {**paths, name: copy}


def altered_text(
    paths: dict[str, Path], tmp_path: Path, year: int, edit: Callable[[str], str]
) -> dict[str, Path]:
    name = synthetic.FILE_NAMES[year]
    text = paths[name].read_bytes().decode("utf-8")
    return altered(paths, tmp_path, name, edit(text).encode("utf-8"))


def edit_row(name: str, old: str, new: str) -> Callable[[str], str]:
    """An edit that replaces ``old`` by ``new`` once, on the row of country ``name``."""

    def edit(text: str) -> str:
        lines = text.split("\n")
        index = next(i for i, line in enumerate(lines) if f",{synthetic.format_name(name)}," in line)
        assert old in lines[index], (old, lines[index])
        lines[index] = lines[index].replace(old, new, 1)
        return "\n".join(lines)

    return edit


def drop_column(position: int) -> Callable[[str], str]:
    """An edit that removes one column (0-based) from every line; every name here is comma-free."""

    def edit(text: str) -> str:
        lines = text.split("\n")
        kept = [",".join(c for i, c in enumerate(line.split(",")) if i != position) if line else line for line in lines]
        return "\n".join(kept)

    return edit


# --- the layout the synthetic files reproduce -----------------------------------------------------


def test_synthetic_files_are_the_twelve_the_source_declares(paths: dict[str, Path]) -> None:
    declared = [raw_file.name for raw_file in get_source(SOURCE_ID).files]
    assert sorted(paths) == sorted(declared)
    for name, path in paths.items():
        assert path.parent.name == SOURCE_ID
        assert path.name == name


def test_synthetic_files_are_deterministic(paths: dict[str, Path], tmp_path: Path) -> None:
    again = synthetic.write(tmp_path)
    assert all(again[name].read_bytes() == path.read_bytes() for name, path in paths.items())


def test_names_are_quoted_with_a_trailing_space_except_the_eighteen(paths: dict[str, Path]) -> None:
    raw = paths["EGOV_DATA_2024.csv"].read_text(encoding="utf-8")
    assert '2024,"Kazakhstan ",24,0.90093,0.84930,0.93903,0.84029,0.92353\n' in raw
    assert "\n2024,South Sudan," in raw
    assert raw.count(' ",') == 193 - 18


def test_2022_file_is_crlf_the_others_lf(paths: dict[str, Path]) -> None:
    assert paths["EGOV_DATA_2022.csv"].read_bytes().count(b"\r\n") == 194
    assert b"\r" not in paths["EGOV_DATA_2024.csv"].read_bytes()


# --- known values ---------------------------------------------------------------------------------


def test_kazakhstan_egdi_2024_is_0_90093_rank_24(egov: pd.DataFrame) -> None:
    row = egov[egov["iso3"].eq("KAZ") & egov["survey_year"].eq(2024)].iloc[0]
    indices = (row["egdi"], row["osi"], row["hci"], row["tii"], row["epi"])
    assert indices == (0.90093, 0.93903, 0.84029, 0.92353, 0.84930)
    assert row["egdi_rank"] == 24
    assert row["country"] == "Kazakhstan"
    assert row["status"] == "assessed"


def test_kazakhstan_egdi_2003_is_0_38661_rank_83(egov: pd.DataFrame) -> None:
    assert value(egov, "KAZ", 2003, "egdi") == 0.38661
    assert value(egov, "KAZ", 2003, "egdi_rank") == 83


@pytest.mark.parametrize("year", synthetic.SURVEY_YEARS)
def test_kazakhstan_every_survey_comes_out_as_planted(egov: pd.DataFrame, year: int) -> None:
    planted = synthetic.KAZAKHSTAN[year]
    for column in INDICES:
        assert value(egov, "KAZ", year, column) == getattr(planted, column), column
    assert value(egov, "KAZ", year, "egdi_rank") == planted.rank


def test_peers_are_present_in_every_survey_with_their_planted_egdi(egov: pd.DataFrame) -> None:
    for (iso3, year), planted in synthetic.PLANTED.items():
        if planted.egdi > 0:
            assert value(egov, iso3, year, "egdi") == planted.egdi, (iso3, year)
            assert value(egov, iso3, year, "egdi_rank") == planted.rank, (iso3, year)
    peers = egov[egov["iso3"].isin(synthetic.PEERS)]
    assert peers.groupby("iso3").size().to_dict() == dict.fromkeys(synthetic.PEERS, 12)


def test_korea_keeps_the_un_name_republic_of_korea(egov: pd.DataFrame) -> None:
    assert value(egov, "KOR", 2024, "country") == "Republic of Korea"
    assert value(egov, "PRK", 2024, "country") == "Democratic People's Republic of Korea"


def test_every_un_name_maps_to_its_iso3_and_loses_its_trailing_space(egov: pd.DataFrame) -> None:
    pairs = dict(zip(egov["country"], egov["iso3"], strict=True))
    assert pairs == {name: iso3 for iso3, name in synthetic.COUNTRIES}
    assert not egov["country"].str.endswith(" ").any()


def test_non_ascii_names_are_decoded(egov: pd.DataFrame) -> None:
    assert value(egov, "CIV", 2024, "country") == "Côte d'Ivoire"
    assert value(egov, "TUR", 2024, "country") == "Türkiye"


def test_193_countries_in_each_of_the_12_surveys_and_unique_keys(egov: pd.DataFrame) -> None:
    assert len(egov) == 193 * 12
    counts = egov.groupby("survey_year").size()
    assert list(counts.index) == list(synthetic.SURVEY_YEARS)
    assert set(counts) == {193}
    assert not egov.duplicated(["iso3", "survey_year"]).any()


def test_published_columns_come_in_the_schemas_order(egov: pd.DataFrame) -> None:
    egov = validate_table("un_egov", egov)
    assert list(egov.columns) == [
        "iso3", "country", "survey_year", "egdi", "osi", "hci", "tii", "epi", "egdi_rank", "status"
    ]
    assert egov.equals(egov.sort_values(["iso3", "survey_year"], ignore_index=True))


def test_south_sudan_before_2011_is_not_yet_member_with_every_value_missing(egov: pd.DataFrame) -> None:
    not_members = egov[egov["status"].eq("not_yet_member")]
    assert set(zip(not_members["iso3"], not_members["survey_year"], strict=True)) == synthetic.NOT_YET_MEMBER
    assert not_members[[*INDICES, "egdi_rank"]].isna().all().all()
    assert value(egov, "SSD", 2012, "status") == "assessed"


def test_iraq_2003_not_assessed_keeps_measured_hci_but_loses_zero_egdi_and_rank(egov: pd.DataFrame) -> None:
    not_assessed = egov[egov["status"].eq("not_assessed")]
    assert set(zip(not_assessed["iso3"], not_assessed["survey_year"], strict=True)) == synthetic.NOT_ASSESSED
    assert not_assessed[["egdi", "osi", "epi", "egdi_rank"]].isna().all().all()
    assert value(egov, "IRQ", 2003, "hci") == 0.93
    assert value(egov, "IRQ", 2003, "tii") == 0.01578


def test_tajikistan_2005_epi_zero_of_an_assessed_country_stays_zero(egov: pd.DataFrame) -> None:
    assert value(egov, "TJK", 2005, "status") == "assessed"
    assert value(egov, "TJK", 2005, "epi") == 0.0


def test_somalia_hci_zero_from_2014_is_a_real_zero(egov: pd.DataFrame) -> None:
    for year in synthetic.SOMALIA_ZERO_HCI_YEARS:
        assert value(egov, "SOM", year, "hci") == 0.0
        assert value(egov, "SOM", year, "status") == "assessed"


def test_iceland_and_sweden_2022_share_rank_5(egov: pd.DataFrame) -> None:
    assert value(egov, "ISL", 2022, "egdi_rank") == value(egov, "SWE", 2022, "egdi_rank") == 5
    assert value(egov, "ISL", 2022, "egdi") == value(egov, "SWE", 2022, "egdi") == 0.941
    # Competition ranking: after the shared 5th place comes the 7th.
    assert (egov.loc[egov["survey_year"].eq(2022), "egdi_rank"] == 6).sum() == 0


def test_ranks_agree_with_egdi_order_in_every_survey(egov: pd.DataFrame) -> None:
    ranked = egov[egov["status"].eq("assessed")]
    for _, survey in ranked.groupby("survey_year"):
        expected = survey["egdi"].rank(method="min", ascending=False).astype(int)
        assert (survey["egdi_rank"].astype(int) == expected).all()


def test_table_passes_its_schema_with_the_reviewed_2003_hci_anomalies(egov: pd.DataFrame) -> None:
    validated = validate_table(SOURCE_ID, egov)
    above_one = validated[validated["hci"] > 1]
    assert set(zip(above_one["iso3"], above_one["survey_year"], above_one["hci"], strict=True)) == {
        ("FSM", 2003, 1.422), ("TUV", 2003, 1.03)
    }


# --- bad input: every ParseError and CountryError the parser can raise ----------------------------


def test_empty_file_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=r"EGOV_DATA_2010\.csv: the file is empty"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, "EGOV_DATA_2010.csv", b"\n"))


def test_binary_file_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    junk = b"PK\x03\x04\x00\x00" + bytes(100)
    with pytest.raises(ParseError, match=r"EGOV_DATA_2010\.csv: binary content"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, "EGOV_DATA_2010.csv", junk))


def test_windows_1252_copy_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    legacy = paths["EGOV_DATA_2024.csv"].read_bytes().decode("utf-8").encode("cp1252")
    with pytest.raises(ParseError, match=r"EGOV_DATA_2024\.csv: not valid utf-8 at byte \d+"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, "EGOV_DATA_2024.csv", legacy))


def test_utf8_bom_copy_is_read_like_the_original(paths: dict[str, Path], tmp_path: Path) -> None:
    """A copy re-saved with a BOM by an editor still parses: pandas drops the BOM before the header."""
    with_bom = b"\xef\xbb\xbf" + paths["EGOV_DATA_2024.csv"].read_bytes()
    frame = parse_source(SOURCE_ID, altered(paths, tmp_path, "EGOV_DATA_2024.csv", with_bom))["un_egov"]
    assert value(frame, "KAZ", 2024, "egdi") == 0.90093


def test_row_with_an_extra_field_is_not_a_readable_csv(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", ",0.92353", ",0.92353,1"))
    with pytest.raises(ParseError, match=r"EGOV_DATA_2024\.csv: not a readable CSV table"):
        parse_source(SOURCE_ID, bad)


def test_renamed_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, lambda t: t.replace("E-Government Rank", "EGDI Rank", 1))
    with pytest.raises(
        ParseError, match=r"EGOV_DATA_2024\.csv: .*missing \['E-Government Rank'\]; unexpected \['EGDI Rank'\]"
    ):
        parse_source(SOURCE_ID, bad)


def test_missing_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2018, drop_column(4))
    with pytest.raises(ParseError, match=r"EGOV_DATA_2018\.csv: .*missing \['E-Participation Index'\]"):
        parse_source(SOURCE_ID, bad)


def test_extra_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def add_region(text: str) -> str:
        lines = text.split("\n")
        return "\n".join([lines[0] + ",Region", *(line + ",Asia" if line else line for line in lines[1:])])

    with pytest.raises(ParseError, match=r"EGOV_DATA_2018\.csv: .*unexpected \['Region'\]"):
        parse_source(SOURCE_ID, altered_text(paths, tmp_path, 2018, add_region))


def test_reordered_columns_are_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def swap_osi_hci(text: str) -> str:
        return text.replace("Online Service Index,Human Capital Index", "Human Capital Index,Online Service Index", 1)

    with pytest.raises(ParseError, match=r"order changed: column 6 is 'Human Capital Index'"):
        parse_source(SOURCE_ID, altered_text(paths, tmp_path, 2016, swap_osi_hci))


def test_header_only_file_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered(paths, tmp_path, "EGOV_DATA_2012.csv", (synthetic.HEADER + "\n").encode("utf-8"))
    with pytest.raises(ParseError, match=r"EGOV_DATA_2012\.csv: header only, no country rows"):
        parse_source(SOURCE_ID, bad)


def test_survey_year_of_another_edition_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", "2024,", "2023,"))
    with pytest.raises(ParseError, match=r"EGOV_DATA_2024\.csv: 'Survey Year' should be 2024 .*'2023'"):
        parse_source(SOURCE_ID, bad)


def test_blank_survey_year_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", "2024,", ","))
    with pytest.raises(ParseError, match=r"EGOV_DATA_2024\.csv: 'Survey Year' should be 2024 on every row"):
        parse_source(SOURCE_ID, bad)


def test_survey_year_written_as_a_decimal_with_spaces_is_still_the_year(paths: dict[str, Path], tmp_path: Path) -> None:
    spelled = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", "2024,", " 2024.0 ,"))
    table = parse_source(SOURCE_ID, spelled)["un_egov"]
    assert (table.loc[table["iso3"] == "KAZ", "survey_year"] == 2024).any()


def test_text_in_survey_year_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", "2024,", "Y2024,"))
    with pytest.raises(ParseError, match=r"column 'Survey Year' holds text .*'Y2024'"):
        parse_source(SOURCE_ID, bad)


def test_text_in_an_index_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", ",0.84029,", ",n/a,"))
    with pytest.raises(ParseError, match=r"EGOV_DATA_2024\.csv: column 'hci' holds text .*'n/a'"):
        parse_source(SOURCE_ID, bad)


def test_decimal_comma_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", ",0.90093,", ',"0,90093",'))
    with pytest.raises(ParseError, match=r"column 'egdi' holds text .*'0,90093'"):
        parse_source(SOURCE_ID, bad)


def test_text_in_rank_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", ",24,", ",24th,"))
    with pytest.raises(ParseError, match=r"column 'E-Government Rank' holds text .*'24th'"):
        parse_source(SOURCE_ID, bad)


def test_fractional_rank_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", ",24,", ",24.5,"))
    with pytest.raises(ParseError, match=r"EGOV_DATA_2024\.csv: 'E-Government Rank' holds non-integer values"):
        parse_source(SOURCE_ID, bad)


def test_unknown_country_name_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", '"Kazakhstan "', '"Kazakstan Republic "'))
    with pytest.raises(CountryError, match=r"EGOV_DATA_2024\.csv: 1 country name\(s\) match no .*'Kazakstan Republic'"):
        parse_source(SOURCE_ID, bad)


def test_two_names_for_one_country_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    # An older export's name for Türkiye next to a row with the current name.
    def add_turkey(text: str) -> str:
        return text.replace('\n2020,"Uganda "', '\n2020,"Turkey ",90,0.5,0.5,0.5,0.5,0.5\n2020,"Uganda "', 1)

    with pytest.raises(CountryError, match=r"EGOV_DATA_2020\.csv: different names map .*TUR <- Turkey / Türkiye"):
        parse_source(SOURCE_ID, altered_text(paths, tmp_path, 2020, add_turkey))


def test_duplicate_country_row_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def repeat_kazakhstan(text: str) -> str:
        line = next(line for line in text.split("\n") if '"Kazakhstan "' in line)
        return text + line + "\n"

    with pytest.raises(ParseError, match=r"EGOV_DATA_2024\.csv: countries listed more than once: \['Kazakhstan'\]"):
        parse_source(SOURCE_ID, altered_text(paths, tmp_path, 2024, repeat_kazakhstan))


# --- schema checks the synthetic data can trigger -------------------------------------------------


def broken(egov: pd.DataFrame, iso3: str, year: int, **changes: object) -> pd.DataFrame:
    frame = egov.copy()
    row = frame.index[frame["iso3"].eq(iso3) & frame["survey_year"].eq(year)][0]
    for column, new in changes.items():
        frame.loc[row, column] = new
    return frame


def test_rank_contradicting_egdi_fails_validation(egov: pd.DataFrame) -> None:
    with pytest.raises(SchemaValidationError, match="rank consistent with EGDI"):
        validate_table(SOURCE_ID, broken(egov, "KAZ", 2024, egdi_rank=1))


def test_rank_contradicting_egdi_in_the_file_fails_validation(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", ",24,", ",25,"))
    frame = parse_source(SOURCE_ID, bad)["un_egov"]
    with pytest.raises(SchemaValidationError, match="rank consistent with EGDI"):
        validate_table(SOURCE_ID, frame)


def test_hci_above_one_outside_the_reviewed_anomalies_fails_validation(egov: pd.DataFrame) -> None:
    with pytest.raises(SchemaValidationError, match="hci <= 1"):
        validate_table(SOURCE_ID, broken(egov, "KAZ", 2003, hci=1.2))


def test_egdi_above_one_fails_validation(egov: pd.DataFrame) -> None:
    with pytest.raises(SchemaValidationError, match="egdi"):
        validate_table(SOURCE_ID, broken(egov, "KOR", 2024, egdi=1.5))


def test_blank_rank_of_an_assessed_country_fails_validation(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", ",24,", ",,"))
    frame = parse_source(SOURCE_ID, bad)["un_egov"]
    assert pd.isna(value(frame, "KAZ", 2024, "egdi_rank"))
    assert value(frame, "KAZ", 2024, "status") == "assessed"
    with pytest.raises(SchemaValidationError, match="assessed rows, and only they, have EGDI and rank"):
        validate_table(SOURCE_ID, frame)


def test_survey_missing_a_country_fails_validation(paths: dict[str, Path], tmp_path: Path) -> None:
    def drop_kazakhstan(text: str) -> str:
        return "\n".join(line for line in text.split("\n") if '"Kazakhstan "' not in line)

    frame = parse_source(SOURCE_ID, altered_text(paths, tmp_path, 2024, drop_kazakhstan))["un_egov"]
    with pytest.raises(SchemaValidationError, match="193 countries in every survey"):
        validate_table(SOURCE_ID, frame)


def test_text_in_a_later_survey_names_that_file_and_its_own_row(paths: dict[str, Path], tmp_path: Path) -> None:
    """The twelve surveys' numbers are converted together; a bad cell is still reported by its file and
    its row in that file, not its place among all the surveys' rows."""
    name = synthetic.FILE_NAMES[2024]
    lines = paths[name].read_bytes().decode("utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if f",{synthetic.format_name('Kazakhstan')}," in line)
    bad = altered_text(paths, tmp_path, 2024, edit_row("Kazakhstan", ",24,", ",24th,"))
    with pytest.raises(ParseError, match=rf"EGOV_DATA_2024\.csv: column 'E-Government Rank' .*data row {row}\)"):
        parse_source(SOURCE_ID, bad)
