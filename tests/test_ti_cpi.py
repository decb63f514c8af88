"""Transparency International CPI on the real files of the source mirror.

Expected values come from TI's published tables as recorded in the mirror's PROVENANCE.md, not
from this parser. Bad-input cases alter copies of the real files in tmp_path.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import source_paths, validate_table
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from kzegov_data.sources.ti_cpi import parse as ti_cpi
from kzegov_data.sources.ti_cpi.schema import TiCpiSchema

#: Every test here reads the publishers' real files.
pytestmark = pytest.mark.mirror

pytestmark = pytest.mark.mirror

#: Countries per edition, as TI published them (1995: 41 entries, one is Belgium/Luxembourg).
EDITION_SIZES = {
    1995: 40, 1996: 54, 1997: 52, 1998: 85, 1999: 99, 2000: 90, 2001: 91, 2002: 102,
    2003: 133, 2004: 146, 2005: 159, 2006: 163, 2007: 180, 2008: 180, 2009: 180, 2010: 178,
    2011: 183, 2012: 176, 2013: 177, 2014: 175, 2015: 168, 2016: 176, 2017: 180, 2018: 180,
    2019: 180, 2020: 180, 2021: 180, 2022: 180, 2023: 180, 2024: 180, 2025: 182,
}


@pytest.fixture(scope="module")
def paths(mirror: Path) -> dict[str, Path]:
    return source_paths(mirror, "ti_cpi")


@pytest.fixture(scope="module")
def tables(paths: dict[str, Path]) -> dict[str, pd.DataFrame]:
    return ti_cpi.parse(paths)


@pytest.fixture(scope="module")
def cpi(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["ti_cpi"]


def row(cpi: pd.DataFrame, iso3: str, year: int) -> pd.Series:
    found = cpi[(cpi["iso3"] == iso3) & (cpi["year"] == year)]
    assert len(found) == 1, f"{iso3} {year}: {len(found)} rows"
    return found.iloc[0]


# --- known values ----------------------------------------------------------------------------


def assert_kazakhstan(cpi: pd.DataFrame, year: int, score: float, rank: int) -> None:
    kaz = row(cpi, "KAZ", year)
    assert kaz["score"] == score
    assert kaz["rank"] == rank
    assert kaz["country"] == "Kazakhstan"


def test_kazakhstan_cpi_1999_is_2_3_rank_84(cpi: pd.DataFrame) -> None:
    assert_kazakhstan(cpi, 1999, 2.3, 84)  # a tie: the transcription leaves the rank blank


def test_kazakhstan_cpi_2010_is_2_9_rank_105(cpi: pd.DataFrame) -> None:
    assert_kazakhstan(cpi, 2010, 2.9, 105)


def test_kazakhstan_cpi_2011_is_2_7_rank_120(cpi: pd.DataFrame) -> None:
    assert_kazakhstan(cpi, 2011, 2.7, 120)  # stored unrounded as 2.693975


def test_kazakhstan_cpi_2012_is_28_rank_133(cpi: pd.DataFrame) -> None:
    assert_kazakhstan(cpi, 2012, 28, 133)


def test_kazakhstan_cpi_2022_is_36_rank_101(cpi: pd.DataFrame) -> None:
    assert_kazakhstan(cpi, 2022, 36, 101)


def test_kazakhstan_cpi_2023_is_39_rank_93(cpi: pd.DataFrame) -> None:
    assert_kazakhstan(cpi, 2023, 39, 93)


def test_kazakhstan_cpi_2024_is_40_rank_88(cpi: pd.DataFrame) -> None:
    assert_kazakhstan(cpi, 2024, 40, 88)


def test_kazakhstan_cpi_2025_is_38_rank_96(cpi: pd.DataFrame) -> None:
    assert_kazakhstan(cpi, 2025, 38, 96)


def test_kazakhstan_2025_details_as_published(cpi: pd.DataFrame) -> None:
    kaz = row(cpi, "KAZ", 2025)
    assert kaz["standard_error"] == 3.533891
    assert kaz["n_sources"] == 9
    assert (kaz["ci_lower"], kaz["ci_upper"]) == (32.20442, 43.79558)
    assert kaz["origin"] == "publisher: CPI2025_Results.xlsx [CPI Historical]"


def test_kazakhstan_2008_confidence_range_from_the_transcription(cpi: pd.DataFrame) -> None:
    kaz = row(cpi, "KAZ", 2008)
    assert (kaz["score"], kaz["rank"], kaz["n_sources"]) == (2.2, 145, 6)
    assert (kaz["ci_lower"], kaz["ci_upper"]) == (1.8, 2.7)
    assert kaz["origin"] == "transcription: open-numbers_etl_source/2008.csv"


def test_kazakhstan_is_not_in_the_1995_to_1998_editions(cpi: pd.DataFrame) -> None:
    years = set(cpi.loc[cpi["iso3"] == "KAZ", "year"])
    assert years == set(range(1999, 2026))


def test_decimal_commas_of_1996_are_read(cpi: pd.DataFrame) -> None:
    assert row(cpi, "NZL", 1996)["score"] == 9.43


def test_tied_rank_left_blank_is_one_plus_countries_above(cpi: pd.DataFrame) -> None:
    # 2002: Finland 9.7 (1), Denmark and New Zealand 9.5; New Zealand's rank is blank in the file.
    assert row(cpi, "DNK", 2002)["rank"] == 2
    assert row(cpi, "NZL", 2002)["rank"] == 2


def test_1995_ranks_count_belgium_luxembourg(cpi: pd.DataFrame) -> None:
    # Belgium/Luxembourg (6.85) is not published but TI ranked it 19th: Japan (6.72) is 20th.
    assert row(cpi, "JPN", 1995)["rank"] == 20
    assert not cpi[(cpi["year"] == 1995) & cpi["iso3"].isin(["BEL", "LUX"])].shape[0]


def test_serbia_and_montenegro_is_published_as_serbia(cpi: pd.DataFrame) -> None:
    assert row(cpi, "SRB", 2004)["country"] == "Serbia and Montenegro"
    assert row(cpi, "SRB", 1999)["country"] == "Yugoslavia"
    assert "MNE" not in set(cpi.loc[cpi["year"] <= 2006, "iso3"])


def test_kosovo_is_xkx(cpi: pd.DataFrame) -> None:
    assert row(cpi, "XKX", 2025)["country"] == "Kosovo"


def test_kazakhstan_source_scores_2025(tables: dict[str, pd.DataFrame]) -> None:
    sources = tables["ti_cpi_sources"]
    kaz = sources[(sources["iso3"] == "KAZ") & (sources["year"] == 2025)]
    assert len(kaz) == 9
    by_name = dict(zip(kaz["source"], kaz["score"], strict=True))
    assert by_name["World Justice Project Rule of Law Index"] == 38.38599
    assert by_name["Global Insight Country Risk Ratings"] == 45.51793  # "Insights" in the file


# --- whole-table invariants ------------------------------------------------------------------


def test_tables_pass_their_schemas(tables: dict[str, pd.DataFrame]) -> None:
    for name, frame in tables.items():
        validate_table(name, frame)


def test_countries_per_edition_match_the_editions(cpi: pd.DataFrame) -> None:
    assert cpi.groupby("year").size().to_dict() == EDITION_SIZES


def test_scale_breaks_in_2012(cpi: pd.DataFrame) -> None:
    assert set(cpi.loc[cpi["year"] <= 2011, "scale"]) == {"0-10"}
    assert set(cpi.loc[cpi["year"] >= 2012, "scale"]) == {"0-100"}
    assert cpi.loc[cpi["scale"] == "0-10", "score"].max() <= 10
    assert cpi.loc[cpi["scale"] == "0-100", "score"].max() > 10


def test_origin_separates_publisher_files_from_transcriptions(cpi: pd.DataFrame) -> None:
    transcribed = cpi["origin"].str.startswith("transcription: ")
    assert set(cpi.loc[transcribed, "year"]) == set(range(1995, 2010))
    assert set(cpi.loc[~transcribed, "year"]) == set(range(2010, 2026))


def test_sources_count_matches_n_sources(tables: dict[str, pd.DataFrame]) -> None:
    counted = tables["ti_cpi_sources"].groupby(["iso3", "year"]).size()
    recent = tables["ti_cpi"].query("year >= 2012").set_index(["iso3", "year"])["n_sources"]
    assert counted.sort_index().tolist() == recent.sort_index().tolist()


def test_published_table_is_sorted_with_the_schemas_columns(tables: dict[str, pd.DataFrame]) -> None:
    cpi = validate_table("ti_cpi", tables["ti_cpi"])
    assert list(cpi.columns) == list(TiCpiSchema.to_schema().columns)
    assert cpi.equals(cpi.sort_values(["iso3", "year"], ignore_index=True))


# --- the schema catches what it should -------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("score", 28.0),  # a 0-100 score on the 0-10 scale (year 2011)
        ("scale", "0-100"),  # the 0-100 scale before 2012
        ("rank", 1),  # rank no longer follows the score
        ("ci_upper", 2.0),  # score above the upper bound
        ("n_sources", 2),  # too few sources
        ("iso3", "SCG"),  # a historic code that is not ISO 3166-1
    ],
)
def test_schema_rejects(cpi: pd.DataFrame, column: str, value: object) -> None:
    broken = cpi.copy()
    index = broken.index[(broken["iso3"] == "KAZ") & (broken["year"] == 2011)][0]
    broken[column] = broken[column].astype(object)
    broken.loc[index, column] = value
    with pytest.raises(SchemaValidationError):
        validate_table("ti_cpi", broken)


# --- bad input -------------------------------------------------------------------------------


def parse_with(paths: dict[str, Path], name: str, altered: Path) -> None:
    ti_cpi.parse({**paths, name: altered})


def altered_text(paths: dict[str, Path], tmp_path: Path, year: int, change) -> tuple[str, Path]:
    name = ti_cpi.transcription_file(year)
    target = tmp_path / f"{year}.csv"
    target.write_bytes(change(paths[name].read_bytes()))
    return name, target


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.replace(b"CPI 2003 Score", b"CPI 2003 Index"), "missing"),  # renamed
        (lambda b: b.replace(b",Surveys Used,", b",", 1), "missing"),  # header cell gone
        (lambda b: b.replace(b"High-Low Range", b"High-Low Range,Region", 1), "unexpected"),
        (lambda b: b.replace(b"Finland,9.7", b"Finland,n/a", 1), "text where numbers"),
        (lambda b: b"", "empty"),
        (lambda b: bytes(range(256)) * 8, "binary"),
        (lambda b: b.replace(b"Finland", "Finl\u00e4nd".encode("latin-1")), "not valid utf-8"),
    ],
    ids=["renamed", "missing", "extra", "text", "empty", "binary", "encoding"],
)
def test_bad_transcription_fails_loudly(paths, tmp_path, change, message) -> None:
    name, target = altered_text(paths, tmp_path, 2003, change)
    with pytest.raises(ParseError, match=message):
        parse_with(paths, name, target)


def test_unknown_country_name_stops_the_build(paths, tmp_path) -> None:
    rename = lambda b: b.replace(b"Kazakhstan", b"Atlantis")  # noqa: E731
    name, target = altered_text(paths, tmp_path, 2005, rename)
    with pytest.raises(CountryError, match="Atlantis"):
        parse_with(paths, name, target)


def test_unreviewed_confidence_range_typo_fails(paths, tmp_path) -> None:
    mistype = lambda b: b.replace(b"1.7 - 2.5", b"1.7 / 2.5")  # noqa: E731
    name, target = altered_text(paths, tmp_path, 2007, mistype)
    with pytest.raises(ParseError, match="Confidence Range"):
        parse_with(paths, name, target)


def rewrite_xlsx(source: Path, target: Path, member: str, change) -> Path:
    """Copy an .xlsx with one XML member changed (the workbook is a ZIP of XML parts)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(item, data)
    return target


def shift_rows_down(xml: str) -> str:
    """One empty row above everything: every row and cell reference moves down by one."""
    xml = re.sub(r'(<row [^>]*?r=")(\d+)"', lambda m: f'{m[1]}{int(m[2]) + 1}"', xml)
    return re.sub(r'(<c r="[A-Z]+)(\d+)"', lambda m: f'{m[1]}{int(m[2]) + 1}"', xml)


HISTORICAL_SHEET_XML = "xl/worksheets/sheet6.xml"  # "CPI Historical" (workbook.xml.rels: rId6)


@pytest.mark.parametrize(
    ("member", "change", "message"),
    [
        ("xl/workbook.xml", lambda x: x.replace('name="CPI Historical"', 'name="Historical"'),
         "no sheet 'CPI Historical'"),
        (HISTORICAL_SHEET_XML, shift_rows_down, "header in row 5"),
        ("xl/sharedStrings.xml", lambda x: x.replace("<t>CPI score</t>", "<t>CPI Score 2025</t>"),
         "missing \\['CPI score'\\]"),
        (HISTORICAL_SHEET_XML,
         lambda x: x.replace('<c r="E5" s="16"><v>8</v></c>',
                             '<c r="E5" s="16" t="inlineStr"><is><t>eight</t></is></c>'),
         "text where numbers"),
    ],
    ids=["sheet-renamed", "header-moved", "score-renamed", "text-in-score"],
)
def test_bad_workbook_fails_loudly(paths, tmp_path, member, change, message) -> None:
    name = ti_cpi.HISTORICAL_FILE
    target = rewrite_xlsx(paths[name], tmp_path / name, member, change)
    with pytest.raises(ParseError, match=message):
        parse_with(paths, name, target)


@pytest.mark.parametrize("name", [ti_cpi.HISTORICAL_FILE, ti_cpi.FILE_2011, ti_cpi.FILE_2010])
@pytest.mark.parametrize(
    ("content", "message"), [(b"", "empty"), (b"<html>Not found</html>" * 50, "not a readable")]
)
def test_empty_or_junk_workbook_fails(paths, tmp_path, name, content, message) -> None:
    target = tmp_path / name
    target.write_bytes(content)
    with pytest.raises(ParseError, match=message):
        parse_with(paths, name, target)


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (ti_cpi.FILE_2011, b"CPI 2011 Score", b"CPI 2011 Value", "CPI 2011 Score"),
        (ti_cpi.FILE_2010, b"cpi2010", b"cpi2011", "cpi2010"),
    ],
)
def test_renamed_column_in_xls_fails(paths, tmp_path, name, old, new, message) -> None:
    target = tmp_path / name
    target.write_bytes(paths[name].read_bytes().replace(old, new))
    with pytest.raises(ParseError, match=message):
        parse_with(paths, name, target)
