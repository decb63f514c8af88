"""UNDP HDR's earlier editions (HDR 2021/22 and 2023/24): parser and edition schemas.

The truth tests read the mirror's files and compare the parsed tables with the files as the
standard library's ``csv`` module reads them (encodings named here from PROVENANCE.md, not taken
from the parser). The layout tests write small CSVs in an edition's layout into ``tmp_path`` and
break one thing at a time; they need no mirror.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from conftest import source_paths
from kzegov_data.errors import ParseError, SchemaValidationError
from kzegov_data.schemas import validate
from kzegov_data.sources.undp_hdr import EDITION
from kzegov_data.sources.undp_hdr.editions_layout import EARLIER_EDITIONS, HDR21_22, HDR23_24, TimeSeriesLayout
from kzegov_data.sources.undp_hdr.parse import MEASURES, parse, parse_edition
from kzegov_data.sources.undp_hdr.schema import UndpHdiSchema, edition_model

EDITIONS = ("HDR 2021/2022", "HDR 2023/2024")
#: The encodings PROVENANCE.md §4 records, read from the bytes: HDR 2021/22 alone is UTF-8.
ENCODINGS = {"HDR 2021/2022": "utf-8", "HDR 2023/2024": "cp1252"}


def edition_file(mirror: Path, edition: str) -> Path:
    return mirror / "undp_hdr" / EARLIER_EDITIONS[edition].file


@pytest.fixture(scope="module")
def editions(mirror: Path) -> dict[str, pd.DataFrame]:
    return {
        name: parse_edition(name, {EARLIER_EDITIONS[name].file: edition_file(mirror, name)})["undp_hdi"]
        for name in EDITIONS
    }


@pytest.fixture(scope="module")
def current(mirror: Path) -> pd.DataFrame:
    return parse(source_paths(mirror, "undp_hdr"))["undp_hdi"]


@pytest.fixture(scope="module")
def raw_rows(mirror: Path) -> dict[str, list[dict[str, str]]]:
    """Each edition's file as ``csv.DictReader`` rows, decoded with the encoding PROVENANCE.md gives."""
    rows = {}
    for name in EDITIONS:
        text = edition_file(mirror, name).read_bytes().decode(ENCODINGS[name])
        rows[name] = list(csv.DictReader(io.StringIO(text, newline="")))
    return rows


def kaz(table: pd.DataFrame, year: int) -> pd.Series:
    found = table[(table["iso3"] == "KAZ") & (table["year"] == year)]
    assert len(found) == 1
    return found.iloc[0]


# --- Kazakhstan across editions (issue 14) ----------------------------------------------------------


@pytest.mark.mirror
def test_kazakhstan_hdi_2021_is_0_811_in_hdr21_22_and_0_801_in_hdr23_24(editions: dict[str, pd.DataFrame]) -> None:
    assert kaz(editions["HDR 2021/2022"], 2021)["hdi"] == 0.811
    assert kaz(editions["HDR 2023/2024"], 2021)["hdi"] == 0.801


@pytest.mark.mirror
def test_kazakhstan_hdi_2008_is_0_758_in_hdr21_22_and_0_757_in_hdr23_24(editions: dict[str, pd.DataFrame]) -> None:
    assert kaz(editions["HDR 2021/2022"], 2008)["hdi"] == 0.758
    assert kaz(editions["HDR 2023/2024"], 2008)["hdi"] == 0.757


@pytest.mark.mirror
def test_kazakhstan_hdi_1990_is_0_673_in_hdr21_22_and_0_672_in_hdr23_24(editions: dict[str, pd.DataFrame]) -> None:
    assert kaz(editions["HDR 2021/2022"], 1990)["hdi"] == 0.673
    assert kaz(editions["HDR 2023/2024"], 1990)["hdi"] == 0.672


@pytest.mark.mirror
def test_kazakhstan_hdi_rank_is_56_in_2021_of_hdr21_22_and_67_in_2022_of_hdr23_24(
    editions: dict[str, pd.DataFrame],
) -> None:
    assert kaz(editions["HDR 2021/2022"], 2021)["hdi_rank"] == 56
    assert kaz(editions["HDR 2023/2024"], 2022)["hdi_rank"] == 67
    # Only the edition's latest year is ranked: HDR 2023/24 gives no rank for 2021.
    assert pd.isna(kaz(editions["HDR 2023/2024"], 2021)["hdi_rank"])


@pytest.mark.mirror
def test_kazakhstan_gni_per_capita_2021_is_23942_in_hdr21_22_and_22601_in_hdr23_24_2017_ppp(
    editions: dict[str, pd.DataFrame],
) -> None:
    assert kaz(editions["HDR 2021/2022"], 2021)["gni_per_capita"] == 23942.81837
    assert kaz(editions["HDR 2023/2024"], 2021)["gni_per_capita"] == 22601.71819
    for name in EDITIONS:
        assert edition_model("undp_hdi", name).to_schema().columns["gni_per_capita"].title == (
            "Gross National Income Per Capita (2017 PPP$)"
        )


# --- whole tables -----------------------------------------------------------------------------------


@pytest.mark.mirror
@pytest.mark.parametrize(("edition", "latest_year"), [("HDR 2021/2022", 2021), ("HDR 2023/2024", 2022)])
def test_each_edition_is_a_balanced_panel_of_195_countries_from_1990_to_its_latest_year(
    editions: dict[str, pd.DataFrame], edition: str, latest_year: int
) -> None:
    table = editions[edition]
    assert table["iso3"].nunique() == 195
    assert sorted(table["year"].unique()) == list(range(1990, latest_year + 1))
    assert len(table) == 195 * (latest_year - 1990 + 1)
    assert not table.duplicated(["iso3", "year"]).any()
    assert not table["iso3"].str.startswith("ZZ").any()
    assert (table["edition"] == edition).all()
    assert table["hdi_rank"].notna().sum() == table.loc[table["year"] == latest_year, "hdi"].notna().sum()
    assert (table.loc[table["hdi_rank"].notna(), "year"] == latest_year).all()


@pytest.mark.mirror
@pytest.mark.parametrize("edition", EDITIONS)
def test_edition_has_the_current_tables_columns_dtypes_and_order(
    editions: dict[str, pd.DataFrame], current: pd.DataFrame, edition: str
) -> None:
    table = editions[edition]
    assert list(table.columns) == list(current.columns)
    assert table.dtypes.to_dict() == current.dtypes.to_dict()
    assert table.equals(table.sort_values(["iso3", "year"], ignore_index=True))
    assert set(table["iso3"]) == set(current["iso3"])  # the same 195 countries and territories


@pytest.mark.mirror
@pytest.mark.parametrize("edition", EDITIONS)
def test_each_edition_passes_its_own_schema(editions: dict[str, pd.DataFrame], edition: str) -> None:
    validate(edition_model("undp_hdi", edition), editions[edition])


@pytest.mark.mirror
def test_current_edition_through_parse_edition_is_parse(mirror: Path, current: pd.DataFrame) -> None:
    assert parse_edition(EDITION, source_paths(mirror, "undp_hdr"))["undp_hdi"].equals(current)


# --- against the files read by the csv module --------------------------------------------------------


@pytest.mark.mirror
@pytest.mark.parametrize(("edition", "columns"), [("HDR 2021/2022", 1008), ("HDR 2023/2024", 1076)])
def test_layout_header_is_the_files_header(mirror: Path, edition: str, columns: int) -> None:
    text = edition_file(mirror, edition).read_bytes().decode(ENCODINGS[edition])
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert len(header) == columns
    assert EARLIER_EDITIONS[edition].header == tuple(header)


@pytest.mark.mirror
@pytest.mark.parametrize("edition", EDITIONS)
def test_kazakhstans_whole_hdi_series_is_the_files(
    editions: dict[str, pd.DataFrame], raw_rows: dict[str, list[dict[str, str]]], edition: str
) -> None:
    (row,) = [row for row in raw_rows[edition] if row["iso3"] == "KAZ"]
    in_file = {int(column[4:]): float(value) for column, value in row.items()
               if column.startswith("hdi_") and column[4:].isdigit()}
    table = editions[edition]
    parsed = dict(zip(table.loc[table["iso3"] == "KAZ", "year"], table.loc[table["iso3"] == "KAZ", "hdi"], strict=True))
    assert parsed == in_file
    assert len(in_file) == EARLIER_EDITIONS[edition].latest_year - 1990 + 1


@pytest.mark.mirror
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_published_cell_is_the_files(
    editions: dict[str, pd.DataFrame], raw_rows: dict[str, list[dict[str, str]]], edition: str
) -> None:
    table = editions[edition].set_index(["iso3", "year"])
    compared = 0
    for row in raw_rows[edition]:
        if row["iso3"].startswith("ZZ"):
            continue
        for short_name, column in MEASURES.items():
            for name, value in row.items():
                prefix, _, year = name.rpartition("_")
                if prefix != short_name or not year.isdigit():
                    continue
                found = table.loc[(row["iso3"], int(year)), column]
                assert (pd.isna(found) if value == "" else found == float(value)), (row["iso3"], name, value, found)
                compared += 1
    years = EARLIER_EDITIONS[edition].latest_year - 1990 + 1
    assert compared == 195 * (7 * years + years - 20)  # seven measures from 1990, IHDI from 2010
    assert table.loc[table.index.get_level_values("year") < 2010, "ihdi"].isna().all()


@pytest.mark.mirror
@pytest.mark.parametrize("edition", EDITIONS)
def test_names_and_ranks_are_the_files(
    editions: dict[str, pd.DataFrame], raw_rows: dict[str, list[dict[str, str]]], edition: str
) -> None:
    latest = EARLIER_EDITIONS[edition].latest_year
    countries = [row for row in raw_rows[edition] if not row["iso3"].startswith("ZZ")]
    in_file = {row["iso3"]: (row["country"], int(row[f"hdi_rank_{latest}"]) if row[f"hdi_rank_{latest}"] else None)
               for row in countries}
    rows = editions[edition][editions[edition]["year"] == latest]
    parsed = {iso3: (name, None if pd.isna(rank) else int(rank))
              for iso3, name, rank in zip(rows["iso3"], rows["country"], rows["hdi_rank"], strict=True)}
    assert parsed == in_file


@pytest.mark.mirror
def test_hdr21_22_names_turkiye_turkey_and_reads_cote_divoire_as_utf8(editions: dict[str, pd.DataFrame]) -> None:
    names = {edition: dict(zip(table["iso3"], table["country"], strict=False)) for edition, table in editions.items()}
    assert names["HDR 2021/2022"]["TUR"] == "Turkey"
    assert names["HDR 2023/2024"]["TUR"] == "Türkiye"
    assert names["HDR 2021/2022"]["CIV"] == names["HDR 2023/2024"]["CIV"] == "Côte d'Ivoire"


@pytest.mark.mirror
def test_countries_without_an_hdi_in_the_latest_year_are_kept_unranked(editions: dict[str, pd.DataFrame]) -> None:
    def unranked(edition: str, year: int) -> set[str]:
        rows = editions[edition][editions[edition]["year"] == year]
        return set(rows.loc[rows["hdi"].isna() & rows["hdi_rank"].isna(), "iso3"])

    assert unranked("HDR 2021/2022", 2021) == {"MCO", "NRU", "PRK", "SOM"}
    assert unranked("HDR 2023/2024", 2022) == {"MCO", "PRK"}


@pytest.mark.mirror
def test_a_file_of_the_wrong_edition_is_a_parse_error_naming_it(mirror: Path) -> None:
    # The HDR 2023/24 file given as HDR 2021/22: valid UTF-8 it is not, so decoding already fails.
    with pytest.raises(ParseError, match=r"HDR23-24_Composite.*not valid utf-8"):
        parse_edition("HDR 2021/2022", {HDR21_22.file: edition_file(mirror, "HDR 2023/2024")})


@pytest.mark.mirror
def test_hdr21_22_file_resaved_as_cp1252_is_a_parse_error(mirror: Path, tmp_path: Path) -> None:
    resaved = tmp_path / HDR21_22.file
    resaved.write_bytes(edition_file(mirror, "HDR 2021/2022").read_bytes().decode("utf-8").encode("cp1252"))
    with pytest.raises(ParseError, match=r"HDR21-22_Composite.*not valid utf-8"):
        parse_edition("HDR 2021/2022", {HDR21_22.file: resaved})


@pytest.mark.mirror
def test_hdr23_24_file_resaved_as_utf8_is_a_parse_error_not_mojibake(mirror: Path, tmp_path: Path) -> None:
    resaved = tmp_path / HDR23_24.file
    resaved.write_bytes(edition_file(mirror, "HDR 2023/2024").read_bytes().decode("cp1252").encode("utf-8"))
    with pytest.raises(ParseError, match=r"HDR23-24_Composite.*UTF-8"):
        parse_edition("HDR 2023/2024", {HDR23_24.file: resaved})


# --- layout and schema, on synthetic files (no mirror) ---------------------------------------------


def synthetic_file(folder: Path, layout: TimeSeriesLayout, header: tuple[str, ...] | None = None) -> Path:
    """Kazakhstan (HDI 0.8 in every year, rank 1 in the latest) and one aggregate, in ``layout``."""
    header = layout.header if header is None else header
    kazakhstan = {"iso3": "KAZ", "country": "Kazakhstan", "hdicode": "Very High", "region": "ECA",
                  layout.rank_column: "1", **{f"hdi_{year}": "0.8" for year in layout.years}}
    world = {"iso3": "ZZK.WORLD", "country": "World", **{f"hdi_{year}": "0.7" for year in layout.years}}
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in (kazakhstan, world):
        writer.writerow([row.get(column, "") for column in header])
    path = folder / layout.file
    path.write_bytes(buffer.getvalue().encode(layout.encoding))
    return path


@pytest.mark.parametrize("edition", EDITIONS)
def test_synthetic_file_in_the_editions_layout_parses(tmp_path: Path, edition: str) -> None:
    layout = EARLIER_EDITIONS[edition]
    table = parse_edition(edition, {layout.file: synthetic_file(tmp_path, layout)})["undp_hdi"]
    assert list(table["iso3"].unique()) == ["KAZ"]
    assert list(table["year"]) == list(range(1990, layout.latest_year + 1))
    assert (table["hdi"] == 0.8).all()
    assert table["hdi_rank"].dropna().to_dict() == {len(table) - 1: 1}
    assert (table["edition"] == edition).all()


@pytest.mark.parametrize("edition", EDITIONS)
def test_renamed_column_is_a_parse_error_naming_the_file_and_column(tmp_path: Path, edition: str) -> None:
    layout = EARLIER_EDITIONS[edition]
    renamed = tuple("HDI_2010" if column == "hdi_2010" else column for column in layout.header)
    path = synthetic_file(tmp_path, layout, renamed)
    with pytest.raises(ParseError, match=rf"{layout.file}: the header .*missing \['hdi_2010'\]"):
        parse_edition(edition, {layout.file: path})


def test_hdr21_22_with_a_population_block_is_a_parse_error(tmp_path: Path) -> None:
    # HDR 2021/22 has no pop_total block; a file that has one is not the edition the parser knows.
    path = synthetic_file(tmp_path, HDR21_22, (*HDR21_22.header, "pop_total_2021"))
    with pytest.raises(ParseError, match=r"unexpected \['pop_total_2021'\]"):
        parse_edition("HDR 2021/2022", {HDR21_22.file: path})


def test_hdr23_24_file_given_as_hdr21_22_is_a_parse_error(tmp_path: Path) -> None:
    # Saved in UTF-8, so that only the header (a year more, and pop_total) tells the editions apart.
    path = synthetic_file(tmp_path, HDR23_24)
    path.write_bytes(path.read_bytes().decode("cp1252").encode("utf-8"))
    with pytest.raises(ParseError, match=r"missing \['hdi_rank_2021'.*unexpected \['hdi_rank_2022', 'hdi_2022'"):
        parse_edition("HDR 2021/2022", {HDR21_22.file: path})


def test_unknown_edition_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"HDR 2021/2022.*HDR 2023/2024.*HDR 2025"):
        parse_edition("HDR 2019", {})
    with pytest.raises(ValueError, match=r"HDR 2021/2022.*HDR 2023/2024.*HDR 2025"):
        edition_model("undp_hdi", "HDR21-22")
    with pytest.raises(ValueError, match="undp_hdi"):
        edition_model("wb_wgi", "HDR 2021/2022")


def test_current_edition_model_is_the_current_schema() -> None:
    assert edition_model("undp_hdi", EDITION) is UndpHdiSchema


def test_hdr21_22_schema_rejects_a_year_after_2021_and_another_editions_name(tmp_path: Path) -> None:
    table = parse_edition("HDR 2021/2022", {HDR21_22.file: synthetic_file(tmp_path, HDR21_22)})["undp_hdi"]
    model = edition_model("undp_hdi", "HDR 2021/2022")
    later = table.assign(year=table["year"] + 1)
    with pytest.raises(SchemaValidationError, match=r"year.*less_than_or_equal_to\(2021\)"):
        validate(model, later)
    with pytest.raises(SchemaValidationError, match=r"edition.*isin"):
        validate(model, table.assign(edition="HDR 2023/2024"))


@pytest.mark.parametrize("edition", [*EDITIONS, EDITION])
def test_edition_names_pass_the_current_edition_pattern(edition: str) -> None:
    frame = pd.DataFrame({"edition": [edition]})
    UndpHdiSchema.to_schema().columns["edition"].validate(frame)
