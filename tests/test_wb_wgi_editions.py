"""WGI's earlier editions (2019 and 2021 Updates, old wide layout): parser and edition schemas.

The truth tests read the mirror's files; the layout tests write a small workbook in the wide
layout (``Introduction`` + six indicator sheets, years in row 14, headers in row 15) with the
synthetic mirror's writer (``tests/synthetic/wb_wgi.py``), then break one thing at a time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from kzegov_data.errors import ParseError, SchemaValidationError
from kzegov_data.schemas import validate
from kzegov_data.sources._read import cells_to_number, cells_to_text
from kzegov_data.sources.wb_wgi import DIMENSIONS, EDITION, FILE_NAME
from kzegov_data.sources.wb_wgi import editions_layout as wide
from kzegov_data.sources.wb_wgi.parse import check_one_name_per_code, number_cells, parse, parse_edition, text_by_value
from kzegov_data.sources.wb_wgi.schema import WbWgiSchema, edition_model
from synthetic import wb_wgi as synthetic

EDITIONS = ("2019 Update", "2021 Update")


@pytest.fixture(scope="module")
def editions(mirror: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in EDITIONS:
        file = wide.WIDE_EDITIONS[name].file
        tables[name] = parse_edition(name, {file: mirror / "wb_wgi" / file})["wb_wgi"]
    return tables


@pytest.fixture(scope="module")
def current(mirror: Path) -> pd.DataFrame:
    return parse({FILE_NAME: mirror / "wb_wgi" / FILE_NAME})["wb_wgi"]


def kaz(table: pd.DataFrame, year: int, indicator: str = "control_of_corruption") -> pd.Series:
    rows = table[(table["iso3"] == "KAZ") & (table["year"] == year) & (table["indicator"] == indicator)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.mirror
def test_kazakhstan_control_of_corruption_2018_is_minus_0_50173_in_2019_and_minus_0_49539_in_2021(
    editions: dict[str, pd.DataFrame],
) -> None:
    assert kaz(editions["2019 Update"], 2018)["estimate"] == -0.5017262101173401
    assert kaz(editions["2021 Update"], 2018)["estimate"] == -0.49538955092430115


@pytest.mark.mirror
@pytest.mark.parametrize("edition", EDITIONS)
def test_kazakhstan_control_of_corruption_2008_is_minus_0_97829(
    editions: dict[str, pd.DataFrame], edition: str
) -> None:
    assert kaz(editions[edition], 2008)["estimate"] == -0.9782890677452087


@pytest.mark.mirror
def test_kazakhstan_control_of_corruption_2020_in_2021_update_has_its_error_sources_and_rank(
    editions: dict[str, pd.DataFrame],
) -> None:
    row = kaz(editions["2021 Update"], 2020)
    assert round(row["standard_error"], 5) == 0.14087
    assert row["n_sources"] == 11
    assert (round(row["percentile_rank"], 2), round(row["percentile_rank_lower"], 2),
            round(row["percentile_rank_upper"], 2)) == (39.90, 28.37, 48.08)


@pytest.mark.mirror
def test_kazakhstan_control_of_corruption_2018_in_2019_update_has_its_error_sources_and_rank(
    editions: dict[str, pd.DataFrame],
) -> None:
    row = kaz(editions["2019 Update"], 2018)
    assert round(row["standard_error"], 5) == 0.12676
    assert row["n_sources"] == 13
    assert (round(row["percentile_rank"], 2), round(row["percentile_rank_lower"], 2),
            round(row["percentile_rank_upper"], 2)) == (36.06, 26.44, 44.71)


@pytest.mark.mirror
def test_kazakhstan_other_2018_estimates_of_the_2019_update(editions: dict[str, pd.DataFrame]) -> None:
    table = editions["2019 Update"]
    found = {
        code: round(kaz(table, 2018, DIMENSIONS[code][0])["estimate"], 5) for code in ("va", "pv", "ge", "rq", "rl")
    }
    assert found == {"va": -1.17187, "pv": 0.00041, "ge": 0.02172, "rq": 0.14064, "rl": -0.43161}


@pytest.mark.mirror
@pytest.mark.parametrize(("edition", "years"), [("2019 Update", 20), ("2021 Update", 22)])
def test_each_edition_has_214_economies_in_every_year_and_indicator(
    editions: dict[str, pd.DataFrame], edition: str, years: int
) -> None:
    table = editions[edition]
    found = sorted(table["year"].unique())
    assert found[:4] == [1996, 1998, 2000, 2002]
    assert found == [1996, 1998, 2000, *range(2002, found[-1] + 1)]
    assert len(found) == years
    assert table["iso3"].nunique() == 214
    assert len(table) == 214 * years * 6
    assert not table.duplicated(["iso3", "year", "indicator"]).any()
    assert (table["edition"] == edition).all()


@pytest.mark.mirror
def test_na_text_cells_of_the_2021_control_of_corruption_sheet_become_missing_values(
    mirror: Path, editions: dict[str, pd.DataFrame]
) -> None:
    # Counted with calamine directly: every "#N/A" cell of the sheet, against the missing values.
    sheet = CalamineWorkbook.from_path(mirror / "wb_wgi" / "2021_update" / "wgidataset.xlsx").get_sheet_by_name(
        "ControlofCorruption"
    )
    na_cells = sum(cell == "#N/A" for row in sheet.to_python()[15:] for cell in row)
    cc = editions["2021 Update"].query("indicator == 'control_of_corruption'")
    measures = ["estimate", "standard_error", "n_sources", "percentile_rank", "percentile_rank_lower",
                "percentile_rank_upper"]
    assert na_cells == 1068
    assert int(cc[measures].isna().sum().sum()) == na_cells


@pytest.mark.mirror
@pytest.mark.parametrize("edition", EDITIONS)
def test_edition_has_the_current_tables_columns_dtypes_and_order(
    editions: dict[str, pd.DataFrame], current: pd.DataFrame, edition: str
) -> None:
    table = editions[edition]
    assert list(table.columns) == list(current.columns)
    assert table.dtypes.to_dict() == current.dtypes.to_dict()
    assert table.equals(table.sort_values(["iso3", "year", "indicator"], ignore_index=True))


@pytest.mark.mirror
def test_names_are_the_editions_own(editions: dict[str, pd.DataFrame]) -> None:
    names_2019 = dict(zip(editions["2019 Update"]["iso3"], editions["2019 Update"]["country"], strict=True))
    names_2021 = dict(zip(editions["2021 Update"]["iso3"], editions["2021 Update"]["country"], strict=True))
    assert (names_2019["MKD"], names_2019["SWZ"], names_2019["TUR"]) == ("Macedonia, FYR", "Swaziland", "Turkey")
    assert (names_2021["MKD"], names_2021["SWZ"], names_2021["TUR"]) == ("North Macedonia", "Eswatini", "Turkey")
    # Legacy WGI codes map as in the current file.
    assert {"ROU", "COD", "AND", "TLS", "XKX", "PSE", "ANT", "JEY"} <= set(names_2019)


@pytest.mark.mirror
@pytest.mark.parametrize("edition", EDITIONS)
def test_each_edition_passes_its_own_schema(editions: dict[str, pd.DataFrame], edition: str) -> None:
    validate(edition_model("wb_wgi", edition), editions[edition])


@pytest.mark.mirror
def test_a_year_outside_the_2019_update_fails_its_schema(editions: dict[str, pd.DataFrame]) -> None:
    table = editions["2019 Update"].copy()
    table.loc[table["year"] == 2018, "year"] = 2020
    with pytest.raises(SchemaValidationError, match=r"isin\(\[1996, .*2018\]\)"):
        validate(edition_model("wb_wgi", "2019 Update"), table)


@pytest.mark.mirror
def test_the_2021_update_fails_the_2019_updates_schema(editions: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(SchemaValidationError, match="2019 at"):
        validate(edition_model("wb_wgi", "2019 Update"), editions["2021 Update"])


def test_current_edition_model_is_the_current_schema() -> None:
    assert edition_model("wb_wgi", EDITION) is WbWgiSchema


def test_edition_model_keeps_the_current_checks_and_adds_the_economy_count() -> None:
    current = {check.name for check in WbWgiSchema.to_schema().checks}
    edition = {check.name for check in edition_model("wb_wgi", "2021 Update").to_schema().checks}
    assert edition == current | {"the edition's 214 economies"}
    assert edition_model("wb_wgi", "2021 Update").to_schema().name == "wb_wgi"


def test_an_unknown_edition_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"2019 Update.*2021 Update.*2024 Update"):
        parse_edition("2020 Update", {})
    with pytest.raises(ValueError, match="2019 Update"):
        edition_model("wb_wgi", "2020 Update")


# --- the wide layout, on a small synthetic workbook -------------------------------------------------

LAYOUT = wide.WIDE_EDITIONS["2019 Update"]
ECONOMIES = (("Kazakhstan", "KAZ", -0.5), ("Romania", "ROM", 0.1), ("Aruba", "ABW", None))


def wide_sheets(layout: wide.WideEdition = LAYOUT) -> dict[str, list[list[object]]]:
    """Sheet name -> rows (from row 1) in the old wide layout; Aruba is ``#N/A`` throughout."""
    levels = {code: level for _, code, level in ECONOMIES}

    def values(code: str, year: int, indicator: str) -> tuple[float, ...] | None:
        level = levels[code]
        return None if level is None else (level, 0.2, 10.0, 40.0, 30.0, 50.0)

    return synthetic.wide_sheets(layout.name, layout.years, [(name, code) for name, code, _ in ECONOMIES], values)


def write_wide(path: Path, sheets: dict[str, list[list[object]]]) -> dict[str, Path]:
    return {LAYOUT.file: synthetic.write_wide_workbook(path, sheets)}


def test_synthetic_wide_workbook_parses_into_long_rows(tmp_path: Path) -> None:
    table = parse_edition(LAYOUT.name, write_wide(tmp_path / LAYOUT.file, wide_sheets()))["wb_wgi"]
    assert len(table) == len(ECONOMIES) * len(LAYOUT.years) * 6
    assert set(table["iso3"]) == {"KAZ", "ROU", "ABW"}
    assert table.loc[table["iso3"] == "ABW", "estimate"].isna().all()
    assert (table.loc[table["iso3"] == "KAZ", "estimate"] == -0.5).all()
    assert table["n_sources"].dtype == "Int64"


def parse_error(tmp_path: Path, sheets: dict[str, list[list[object]]], match: str) -> None:
    with pytest.raises(ParseError, match=match):
        parse_edition(LAYOUT.name, write_wide(tmp_path / LAYOUT.file, sheets))


def test_a_missing_indicator_sheet_fails(tmp_path: Path) -> None:
    sheets = wide_sheets()
    del sheets["Political StabilityNoViolence"]
    parse_error(tmp_path, sheets, "no sheet 'Political StabilityNoViolence'")


def test_a_year_row_that_is_not_years_fails(tmp_path: Path) -> None:
    sheets = wide_sheets()
    sheets["RuleofLaw"][13][2] = "Basic"
    parse_error(tmp_path, sheets, r"RuleofLaw\]: row 14 must hold the year.*C14 reads 'Basic', expected '1996'")


def test_a_year_row_of_another_release_fails(tmp_path: Path) -> None:
    parse_error(tmp_path, wide_sheets(wide.WIDE_EDITIONS["2021 Update"]) | {
        wide.INTRODUCTION_SHEET: wide_sheets()[wide.INTRODUCTION_SHEET]}, r"row 14 must hold the year")


def test_a_changed_header_fails(tmp_path: Path) -> None:
    sheets = wide_sheets()
    sheets["ControlofCorruption"][14][3] = "StdDev"
    parse_error(tmp_path, sheets, r"ControlofCorruption\]: row 15 must hold the headers; cell D15 reads 'StdDev'")


def test_a_title_of_another_release_fails(tmp_path: Path) -> None:
    sheets = wide_sheets()
    sheets[wide.INTRODUCTION_SHEET][1][5] = wide.TITLE_PREFIX + "2021 Update"
    parse_error(tmp_path, sheets, "is not the 2019 Update")


def test_text_in_a_value_cell_names_the_cell(tmp_path: Path) -> None:
    sheets = wide_sheets()
    sheets["GovernmentEffectiveness"][15][2] = "n/a"
    parse_error(tmp_path, sheets, r"GovernmentEffectiveness\]: cell C16 holds 'n/a'")


def test_values_right_of_the_last_year_fail(tmp_path: Path) -> None:
    sheets = wide_sheets()
    sheets["RegulatoryQuality"][16].append(1.5)
    parse_error(tmp_path, sheets, r"values right of column DR")


def test_an_economy_named_differently_on_two_sheets_fails(tmp_path: Path) -> None:
    sheets = wide_sheets()
    sheets["VoiceandAccountability"][15][0] = "Kazakstan"
    parse_error(tmp_path, sheets, r"KAZ: 'Kazakhstan', 'Kazakstan'|KAZ: 'Kazakstan', 'Kazakhstan'")


# --- The column conversions that work on whole arrays agree with the shared cell-by-cell rules -------------

TRICKY_NUMBER_COLUMNS = [
    [1.5, 2, -0.25, 1e300, 2**70],  # floats and ints only
    [1.5, "#N/A", 3.0, "#N/A"],  # numbers and the exact marker
    ["#N/A", "#N/A"],  # markers only
    [1.5, " #N/A ", 2.0],  # the marker with spaces: accepted once stripped
    [1.0, True, 2.0],  # a boolean equal to a number beside it
    [True, 1.0],
    [1.5, "", 2.0],  # an empty cell where the missing marker is not ""
    [1.5, "2.5"],  # a number stored as text
    [1.5, datetime.date(2020, 1, 1)],
    [1.5, float("nan"), "#N/A"],
    [],
]


def outcome(convert: Callable[[], object]) -> object:
    """What a conversion gives: its values, or its error's message."""
    try:
        result = convert()
    except ParseError as error:
        return ("error", str(error))
    return ("values", np.asarray(result, dtype="float64").tolist())


@pytest.mark.parametrize("cells", TRICKY_NUMBER_COLUMNS)
def test_number_cells_gives_what_cells_to_number_gives(cells: list[object]) -> None:
    values = pd.Series(cells, index=range(10, 10 + len(cells)), dtype=object)
    expected = outcome(lambda: cells_to_number(values, file="f.xlsx", column="Estimate", missing=wide.MISSING))
    found = outcome(lambda: number_cells(values, file="f.xlsx", column="Estimate", missing=wide.MISSING))
    assert str(found) == str(expected)  # str: NaN equals NaN


@pytest.mark.parametrize(
    "cells",
    [
        ["KAZ", "KAZ", " ROM", "ROM", "KAZ "],  # repeated codes, spaces around some
        ["KAZ", 1.0, "KAZ"],  # a number among the codes
        ["KAZ", True, 1, "ROM"],
        ["KAZ", "  ", "ROM"],  # blank text
        ["KAZ", "", float("nan")],
        ["KAZ", None],
    ],
)
def test_text_by_value_gives_what_cells_to_text_gives(cells: list[object]) -> None:
    values = pd.Series(cells, index=range(5, 5 + len(cells)), dtype=object)

    def converted(convert: Callable[..., pd.Series]) -> object:
        try:
            return convert(values, file="f.xlsx", column="code").tolist()
        except ParseError as error:
            return str(error)

    expected = converted(cells_to_text)
    assert converted(text_by_value) == expected
    if isinstance(expected, list):
        assert text_by_value(values, file="f.xlsx", column="code").dtype == cells_to_text(
            values, file="f.xlsx", column="code").dtype


def test_value_cells_with_a_padded_marker_are_missing_and_a_number_as_text_is_named(tmp_path: Path) -> None:
    sheets = wide_sheets()
    sheets["RuleofLaw"][16][2] = " #N/A "  # Romania's 1996 estimate, the marker with spaces around it
    table = parse_edition(LAYOUT.name, write_wide(tmp_path / "padded" / LAYOUT.file, sheets))["wb_wgi"]
    romania = table[(table["iso3"] == "ROU") & (table["year"] == 1996) & (table["indicator"] == "rule_of_law")]
    assert romania["estimate"].isna().all()
    sheets["RuleofLaw"][16][2] = "1.5"
    parse_error(tmp_path, sheets, r"RuleofLaw\]: cell C17 holds '1.5'")


def test_every_economy_named_differently_is_listed_by_code_with_its_names_in_sheet_order() -> None:
    raw = pd.DataFrame({
        "code": ["ROM", "KAZ", "ABW", "KAZ", "ROM", "ABW", "AFG", "AFG"],
        "countryname": ["Romania", "Kazakhstan", "Aruba", "Kazakstan ", "Rumania", "Aruba ", "Af", "Afg"],
    })
    with pytest.raises(ParseError) as error:
        check_one_name_per_code(raw, "w.xlsx")
    assert str(error.value) == (
        "w.xlsx: 3 economy code(s) carry different names on different sheets "
        "(AFG: 'Af', 'Afg'; KAZ: 'Kazakhstan', 'Kazakstan'; ROM: 'Romania', 'Rumania')"
    )
