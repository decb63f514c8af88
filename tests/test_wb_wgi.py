"""World Bank WGI 2024 Update: known values, whole-table invariants and bad input, on the real file.

Expected values come from the publisher's file as recorded in the mirror's PROVENANCE.md, not from
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
from kzegov_data.countries import known_iso3
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from kzegov_data.sources.wb_wgi import parse as wb_wgi
from kzegov_data.sources.wb_wgi.schema import ANOMALIES

FILE = "wgidataset.xlsx"
SHEET_XML = "xl/worksheets/sheet1.xml"
STRINGS_XML = "xl/sharedStrings.xml"
WORKBOOK_XML = "xl/workbook.xml"


@pytest.fixture(scope="module")
def wgi(mirror: Path) -> pd.DataFrame:
    return wb_wgi.parse(source_paths(mirror, "wb_wgi"))["wb_wgi"]


def value(table: pd.DataFrame, iso3: str, year: int, indicator: str, column: str) -> float:
    key = (table["iso3"] == iso3) & (table["year"] == year) & (table["indicator"] == indicator)
    row = table[key]
    assert len(row) == 1
    return row[column].iloc[0]


# Known values (the issue gives 6 decimals; the full stored doubles are in PROVENANCE.md).


@pytest.mark.mirror
def test_kazakhstan_control_of_corruption_2008_is_minus_0_980641(wgi: pd.DataFrame) -> None:
    estimate = value(wgi, "KAZ", 2008, "control_of_corruption", "estimate")
    assert round(estimate, 6) == -0.980641
    assert estimate == -0.98064148426055908  # exactly the publisher's double, no rounding


@pytest.mark.mirror
def test_kazakhstan_control_of_corruption_2023_is_minus_0_266593(wgi: pd.DataFrame) -> None:
    estimate = value(wgi, "KAZ", 2023, "control_of_corruption", "estimate")
    assert round(estimate, 6) == -0.266593
    assert estimate == -0.26659306883811951


@pytest.mark.mirror
def test_kazakhstan_government_effectiveness_2008_is_minus_0_524132(wgi: pd.DataFrame) -> None:
    estimate = value(wgi, "KAZ", 2008, "government_effectiveness", "estimate")
    assert round(estimate, 6) == -0.524132
    assert estimate == -0.5241316556930542


@pytest.mark.mirror
def test_kazakhstan_government_effectiveness_2023_is_0_146815(wgi: pd.DataFrame) -> None:
    estimate = value(wgi, "KAZ", 2023, "government_effectiveness", "estimate")
    assert round(estimate, 6) == 0.146815
    assert estimate == 0.14681467413902283


@pytest.mark.mirror
def test_kazakhstan_control_of_corruption_2008_rank_16_0_from_13_sources(wgi: pd.DataFrame) -> None:
    def cc_2008(column: str) -> float:
        return value(wgi, "KAZ", 2008, "control_of_corruption", column)

    assert cc_2008("n_sources") == 13
    assert round(cc_2008("standard_error"), 3) == 0.128
    assert round(cc_2008("percentile_rank"), 1) == 16.0
    assert round(cc_2008("percentile_rank_lower"), 1) == 8.7
    assert round(cc_2008("percentile_rank_upper"), 1) == 24.3


@pytest.mark.mirror
def test_kazakhstan_2023_other_estimates(wgi: pd.DataFrame) -> None:
    expected = {
        "voice_accountability": -1.004,
        "political_stability": -0.273,
        "regulatory_quality": 0.066,
        "rule_of_law": -0.447,
    }
    found = {name: round(value(wgi, "KAZ", 2023, name, "estimate"), 3) for name in expected}
    assert found == expected


# Whole-table invariants.


@pytest.mark.mirror
def test_table_validates_against_its_schema(wgi: pd.DataFrame) -> None:
    validate_table("wb_wgi", wgi)


@pytest.mark.mirror
def test_214_economies_in_every_year(wgi: pd.DataFrame) -> None:
    per_year = wgi.groupby("year")["iso3"].nunique()
    assert wgi["iso3"].nunique() == 214
    assert (per_year == 214).all()


@pytest.mark.mirror
def test_years_1996_to_2023_without_1997_1999_2001(wgi: pd.DataFrame) -> None:
    years = sorted(wgi["year"].unique())
    assert years[0] == 1996
    assert years[-1] == 2023
    assert {1997, 1999, 2001}.isdisjoint(years)
    assert len(years) == 25


@pytest.mark.mirror
def test_32100_rows_one_per_economy_year_and_indicator(wgi: pd.DataFrame) -> None:
    assert len(wgi) == 32_100
    assert not wgi.duplicated(["iso3", "year", "indicator"]).any()
    assert wgi.groupby(["iso3", "year"]).size().eq(6).all()


@pytest.mark.mirror
def test_columns_in_published_order(wgi: pd.DataFrame) -> None:
    assert list(wgi.columns) == [
        "iso3", "country", "year", "indicator", "estimate", "standard_error", "n_sources",
        "percentile_rank", "percentile_rank_lower", "percentile_rank_upper", "edition",
    ]


@pytest.mark.mirror
def test_every_iso3_is_known(wgi: pd.DataFrame) -> None:
    assert set(wgi["iso3"]) <= known_iso3()


@pytest.mark.mirror
def test_legacy_world_bank_codes_resolve_to_iso(wgi: pd.DataFrame) -> None:
    names = wgi.drop_duplicates("iso3").set_index("iso3")["country"]
    assert names["ROU"] == "Romania"
    assert names["COD"] == "Congo, Dem. Rep."
    assert names["AND"] == "Andorra"
    assert names["TLS"] == "Timor-Leste"
    assert names["PSE"] == "West Bank and Gaza"
    assert names["XKX"] == "Kosovo"
    assert names["JEY"] == "Jersey, Channel Islands"
    assert {"ROM", "ZAR", "ADO", "TMP", "KSV", "WBG"}.isdisjoint(wgi["iso3"])


@pytest.mark.mirror
def test_netherlands_antilles_kept_with_values_only_2004_to_2013(wgi: pd.DataFrame) -> None:
    antilles = wgi[wgi["iso3"] == "ANT"]
    scored_years = sorted(antilles.loc[antilles["estimate"].notna(), "year"].unique())
    assert scored_years == list(range(2004, 2014))
    assert len(antilles) == 25 * 6


@pytest.mark.mirror
def test_missing_values_stay_missing(wgi: pd.DataFrame) -> None:
    missing = wgi[wgi["estimate"].isna()]
    assert len(missing) == 1126
    assert (missing["year"] == 1996).sum() == 138
    assert (missing["year"] == 2023).sum() == 15
    assert missing["percentile_rank"].isna().all()
    assert missing["n_sources"].isna().all()


@pytest.mark.mirror
def test_every_row_carries_the_edition(wgi: pd.DataFrame) -> None:
    assert (wgi["edition"] == "2024 Update").all()


@pytest.mark.mirror
def test_estimates_below_minus_3_are_only_the_reviewed_ones(wgi: pd.DataFrame) -> None:
    low = wgi[wgi["estimate"] < -3]
    found = set(zip(low["iso3"], low["year"], low["indicator"], strict=True))
    reviewed = {(anomaly.iso3, anomaly.year, anomaly.indicator) for anomaly in ANOMALIES}
    assert found == reviewed


# The schema catches what the parser would let through.


@pytest.mark.parametrize(
    ("column", "bad_value", "check"),
    [
        ("estimate", 3.5, "less_than_or_equal_to(3)"),
        ("estimate", -3.5, "estimate >= -3"),
        ("percentile_rank", 101.0, "less_than_or_equal_to(100)"),
        ("percentile_rank_lower", 99.0, "percentile_rank_lower <= percentile_rank"),
        ("iso3", "ROM", "ROM"),  # the legacy code is named among the failures
        ("standard_error", float("nan"), "all six measures or none"),
    ],
)
@pytest.mark.mirror
def test_schema_rejects(wgi: pd.DataFrame, column: str, bad_value: object, check: str) -> None:
    broken = wgi.copy()
    row = broken.index[(broken["iso3"] == "KAZ") & (broken["year"] == 2023)][0]
    broken.loc[row, column] = bad_value
    with pytest.raises(SchemaValidationError, match=re.escape(check)):
        validate_table("wb_wgi", broken)


@pytest.mark.mirror
def test_schema_rejects_a_duplicated_row(wgi: pd.DataFrame) -> None:
    with pytest.raises(SchemaValidationError):
        validate_table("wb_wgi", pd.concat([wgi, wgi.iloc[:1]], ignore_index=True))


# Bad input: altered copies of the real workbook.


Edits = dict[str, Callable[[str], str]]


def altered(mirror: Path, tmp_path: Path, edits: Edits) -> dict[str, Path]:
    """A copy of the real workbook in tmp_path with some of its XML parts rewritten."""
    original = source_paths(mirror, "wb_wgi")[FILE]
    copy = tmp_path / FILE
    with (
        zipfile.ZipFile(original) as source,
        zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename in edits:
                text = data.decode("utf-8")
                changed = edits[item.filename](text)
                assert changed != text, f"the edit of {item.filename} changed nothing"
                data = changed.encode("utf-8")
            target.writestr(item, data)
    return {FILE: copy}


def parse_error(paths: dict[str, Path]) -> str:
    with pytest.raises(ParseError) as error:
        wb_wgi.parse(paths)
    message = str(error.value)
    assert FILE in message
    return message


@pytest.mark.mirror
def test_renamed_column_is_a_parse_error(mirror: Path, tmp_path: Path) -> None:
    paths = altered(mirror, tmp_path, {
        STRINGS_XML: lambda xml: xml.replace("<t>stddev</t>", "<t>std_error</t>", 1),
    })
    message = parse_error(paths)
    assert "missing ['stddev']" in message
    assert "unexpected ['std_error']" in message


@pytest.mark.mirror
def test_missing_column_is_a_parse_error(mirror: Path, tmp_path: Path) -> None:
    paths = altered(mirror, tmp_path, {
        SHEET_XML: lambda xml: re.sub(r'<c r="K\d+"[^>]*?(?:/>|>.*?</c>)', "", xml),
    })
    assert "missing ['pctrankupper']" in parse_error(paths)


@pytest.mark.mirror
def test_text_in_numeric_column_is_a_parse_error(mirror: Path, tmp_path: Path) -> None:
    inline_text = '<c r="F2" t="inlineStr"><is><t>n/a</t></is></c>'
    paths = altered(mirror, tmp_path, {
        SHEET_XML: lambda xml: re.sub(r'<c r="F2"[^>]*>.*?</c>', inline_text, xml, count=1),
    })
    message = parse_error(paths)
    assert "'estimate' holds text" in message
    assert "'n/a'" in message


@pytest.mark.mirror
def test_unknown_country_code_is_a_country_error(mirror: Path, tmp_path: Path) -> None:
    # Both the code (KAZ) and the row keys (KAZcc2008...) change, so only the code is unknown.
    paths = altered(mirror, tmp_path, {STRINGS_XML: lambda xml: xml.replace("<t>KAZ", "<t>QQQ")})
    with pytest.raises(CountryError, match="'QQQ'") as error:
        wb_wgi.parse(paths)
    assert FILE in str(error.value)


@pytest.mark.mirror
def test_row_key_that_disagrees_with_its_columns_is_an_error(mirror: Path, tmp_path: Path) -> None:
    paths = altered(mirror, tmp_path, {
        STRINGS_XML: lambda xml: xml.replace("<t>KAZcc2008</t>", "<t>KAZcc2009</t>"),
    })
    assert "'KAZcc2009'" in parse_error(paths)


@pytest.mark.mirror
def test_a_year_of_a_new_edition_is_a_parse_error(mirror: Path, tmp_path: Path) -> None:
    paths = altered(mirror, tmp_path, {
        SHEET_XML: lambda xml: re.sub(r'(<c r="D\d+"[^>]*><v>)2023(</v>)', r"\g<1>2024\2", xml),
    })
    assert "update EDITION and YEARS" in parse_error(paths)


@pytest.mark.mirror
def test_renamed_sheet_is_a_parse_error(mirror: Path, tmp_path: Path) -> None:
    paths = altered(mirror, tmp_path, {
        WORKBOOK_XML: lambda xml: xml.replace('name="Sheet1"', 'name="WGI 2024"'),
    })
    message = parse_error(paths)
    assert "no sheet 'Sheet1' (sheets: 'WGI 2024')" in message
    assert "WGI 2024" in message


@pytest.mark.mirror
def test_moved_header_is_a_parse_error(mirror: Path, tmp_path: Path) -> None:
    def two_rows_down(xml: str) -> str:
        xml = re.sub(r'<row r="(\d+)"', lambda m: f'<row r="{int(m[1]) + 2}"', xml)
        xml = re.sub(r'<c r="([A-Z]+)(\d+)"', lambda m: f'<c r="{m[1]}{int(m[2]) + 2}"', xml)
        return xml.replace('<dimension ref="A1:K32101"/>', '<dimension ref="A3:K32103"/>')

    paths = altered(mirror, tmp_path, {SHEET_XML: two_rows_down})
    message = parse_error(paths)
    assert "header in row 3" in message
    assert "expects it in row 1" in message


def test_empty_file_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / FILE
    path.write_bytes(b"")
    assert "empty" in parse_error({FILE: path})


def test_binary_junk_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / FILE
    path.write_bytes(bytes(range(256)) * 64)
    assert "not a readable Excel workbook" in parse_error({FILE: path})


def test_html_error_page_is_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / FILE
    path.write_text("<html><body>404 Not Found</body></html>", encoding="utf-8")
    assert "not a readable Excel workbook" in parse_error({FILE: path})


@pytest.mark.mirror
def test_header_only_is_a_parse_error(mirror: Path, tmp_path: Path) -> None:
    paths = altered(mirror, tmp_path, {
        SHEET_XML: lambda xml: re.sub(r'<row r="([2-9]|\d{2,})".*?</row>', "", xml, flags=re.S),
    })
    assert "no data rows" in parse_error(paths)

