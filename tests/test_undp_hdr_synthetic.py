"""UNDP HDR 2025 -> ``undp_hdi``, on synthetic files in the HDRO's layout (no mirror needed).

The files come from ``synthetic/undp_hdr.py``; bad inputs are altered copies written into ``tmp_path``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from conftest import parse_source, validate_table
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from kzegov_data.registry import get_source
from synthetic import undp_hdr as synthetic

SOURCE_ID = "undp_hdr"
TIME_SERIES = synthetic.TIME_SERIES
METADATA = synthetic.METADATA


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return synthetic.write(tmp_path_factory.mktemp("undp_hdr_mirror"))


@pytest.fixture(scope="module")
def hdi(paths: dict[str, Path]) -> pd.DataFrame:
    return parse_source(SOURCE_ID, paths)["undp_hdi"]


def row(hdi: pd.DataFrame, iso3: str, year: int) -> pd.Series:
    found = hdi[hdi["iso3"].eq(iso3) & hdi["year"].eq(year)]
    assert len(found) == 1, (iso3, year)
    return found.iloc[0]


# --- helpers that alter one synthetic file --------------------------------------------------------


def altered(paths: dict[str, Path], tmp_path: Path, name: str, data: bytes) -> dict[str, Path]:
    """The synthetic paths, with file ``name`` replaced by ``data`` (written under tmp_path)."""
    copy = tmp_path / name
    copy.write_bytes(data)
    return {**paths, name: copy}


def altered_csv(paths: dict[str, Path], tmp_path: Path, edit: Callable[[str], str]) -> dict[str, Path]:
    text = paths[TIME_SERIES].read_bytes().decode("cp1252")
    return altered(paths, tmp_path, TIME_SERIES, edit(text).encode("cp1252"))


def kaz_line_edit(old: str, new: str) -> Callable[[str], str]:
    """An edit that replaces ``old`` by ``new`` once on Kazakhstan's line."""

    def edit(text: str) -> str:
        lines = text.split("\r\n")
        index = next(i for i, line in enumerate(lines) if line.startswith("KAZ,"))
        assert old in lines[index], old
        lines[index] = lines[index].replace(old, new, 1)
        return "\r\n".join(lines)

    return edit


def keep_lines(keep: Callable[[str], bool]) -> Callable[[str], str]:
    """An edit that keeps the header and the data lines for which ``keep`` is true."""

    def edit(text: str) -> str:
        header, *body = text.split("\r\n")
        return "\r\n".join([header, *(line for line in body if line and keep(line))]) + "\r\n"

    return edit


def altered_codebook(
    paths: dict[str, Path], tmp_path: Path, edit: Callable[[list[tuple[str, str, str | float]]], list], **options: str
) -> dict[str, Path]:
    """The synthetic paths with a metadata workbook written from an edited copy of the codebook."""
    copy = synthetic.write_metadata(tmp_path / METADATA, edit(list(synthetic.CODEBOOK)), **options)
    return {**paths, METADATA: copy}


def describe(short_name: str, full_name: str) -> Callable[[list], list]:
    return lambda rows: [(full_name, s, t) if s == short_name else (f, s, t) for f, s, t in rows]


# --- the layout the synthetic files reproduce -----------------------------------------------------


def test_synthetic_files_are_the_two_the_source_declares(paths: dict[str, Path]) -> None:
    declared = [raw_file.name for raw_file in get_source(SOURCE_ID).files]
    assert sorted(paths) == sorted(declared)
    assert {path.parent.name for path in paths.values()} == {SOURCE_ID}


def test_synthetic_files_are_deterministic(paths: dict[str, Path], tmp_path: Path) -> None:
    again = synthetic.write(tmp_path)
    assert all(again[name].read_bytes() == path.read_bytes() for name, path in paths.items())


def test_time_series_is_cp1252_crlf_1112_columns_206_rows(paths: dict[str, Path]) -> None:
    data = paths[TIME_SERIES].read_bytes()
    assert b"C\xf4te d'Ivoire" in data
    assert b"T\xfcrkiye" in data
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    assert data.count(b"\r\n") == data.count(b"\n") == 1 + 206
    records = list(csv.reader(data.decode("cp1252").splitlines()))
    assert {len(record) for record in records} == {1112}
    assert records[0][:6] == ["iso3", "country", "hdicode", "region", "hdi_rank_2023", "hdi_1990"]
    assert sum(record[0].startswith("ZZ") for record in records[1:]) == 11


def test_numbers_are_written_in_shortest_form(paths: dict[str, Path]) -> None:
    text = paths[TIME_SERIES].read_bytes().decode("cp1252")
    kazakhstan = next(line for line in text.split("\r\n") if line.startswith("KAZ,"))
    assert kazakhstan.startswith("KAZ,Kazakhstan,Very High,ECA,60,0.689,0.683,0.68,")


def test_metadata_is_a_real_workbook_with_codebook_and_citation(paths: dict[str, Path]) -> None:
    workbook = CalamineWorkbook.from_path(str(paths[METADATA]))
    assert workbook.sheet_names == ["codebook", "recommended_citation"]
    rows = workbook.get_sheet_by_name("codebook").to_python()
    assert rows[0] == ["Full name", "Short name", "Time series"]
    assert ["HDI Rank", "hdi_rank", 2023.0] in rows
    assert len(rows) == 51


# --- known values ---------------------------------------------------------------------------------


def test_kazakhstan_hdi_2023_is_0_837_rank_60(hdi: pd.DataFrame) -> None:
    kazakhstan = row(hdi, "KAZ", 2023)
    assert kazakhstan["hdi"] == 0.837
    assert kazakhstan["hdi_rank"] == 60
    assert kazakhstan["country"] == "Kazakhstan"
    assert kazakhstan["edition"] == "HDR 2025"


def test_kazakhstan_hdi_2008_is_0_771(hdi: pd.DataFrame) -> None:
    assert row(hdi, "KAZ", 2008)["hdi"] == 0.771


def test_kazakhstan_whole_hdi_series_comes_out_as_planted(hdi: pd.DataFrame) -> None:
    series = hdi[hdi["iso3"].eq("KAZ")].set_index("year")["hdi"]
    assert series.to_dict() == synthetic.KAZAKHSTAN_HDI
    assert series[1990] == 0.689


def test_kazakhstan_2023_components_are_the_published_ones(hdi: pd.DataFrame) -> None:
    kazakhstan = row(hdi, "KAZ", 2023)
    assert kazakhstan["life_expectancy"] == 74.402
    assert kazakhstan["expected_schooling"] == 14.0086174
    assert kazakhstan["mean_schooling"] == 12.54717423
    assert kazakhstan["gni_per_capita"] == 30988.52844
    assert (kazakhstan["ihdi"], kazakhstan["gdi"], kazakhstan["gii"]) == (0.766, 1.004, 0.182)


@pytest.mark.parametrize("iso3", sorted(synthetic.PLANTED))
def test_planted_countries_keep_their_2023_values_and_rank(hdi: pd.DataFrame, iso3: str) -> None:
    planted = synthetic.PLANTED[iso3]
    published = row(hdi, iso3, 2023)
    assert published["country"] == planted.name
    assert published["hdi"] == planted.hdi_2023
    assert published["hdi_rank"] == planted.rank
    components = published[["life_expectancy", "expected_schooling", "mean_schooling", "gni_per_capita"]]
    assert components.tolist() == [planted.le, planted.eys, planted.mys, planted.gnipc]
    for column, planted_value in (("ihdi", planted.ihdi), ("gdi", planted.gdi), ("gii", planted.gii)):
        if planted_value is None:
            assert pd.isna(published[column]), column
        else:
            assert published[column] == planted_value, column


def test_peers_have_a_2008_hdi_and_blank_early_years_stay_missing(hdi: pd.DataFrame) -> None:
    for iso3 in synthetic.PEERS:
        assert row(hdi, iso3, 2008)["hdi"] == synthetic.PLANTED[iso3].hdi_2008
    assert pd.isna(row(hdi, "TJK", 1990)["hdi"])
    assert row(hdi, "KGZ", 1990)["hdi"] == 0.649


def test_195_countries_every_year_1990_2023(hdi: pd.DataFrame) -> None:
    assert hdi["iso3"].nunique() == synthetic.N_COUNTRIES
    assert len(hdi) == synthetic.N_COUNTRIES * 34
    per_year = hdi.groupby("year")["iso3"].nunique()
    assert list(per_year.index) == list(range(1990, 2024))
    assert (per_year == 195).all()
    assert not hdi.duplicated(["iso3", "year"]).any()


def test_aggregates_are_dropped(hdi: pd.DataFrame) -> None:
    assert not hdi["iso3"].str.startswith("ZZ").any()
    assert "World" not in set(hdi["country"])


def test_prk_and_monaco_have_no_hdi_and_no_rank(hdi: pd.DataFrame) -> None:
    latest = hdi[hdi["year"].eq(2023)]
    assert set(latest.loc[latest["hdi"].isna(), "iso3"]) == set(synthetic.WITHOUT_HDI)
    assert latest["hdi_rank"].notna().sum() == synthetic.N_RANKED
    assert row(hdi, "MCO", 2023)["life_expectancy"] == 73.3


def test_rank_published_for_2023_only(hdi: pd.DataFrame) -> None:
    assert hdi.loc[hdi["year"].ne(2023), "hdi_rank"].isna().all()


def test_ranks_agree_with_hdi_order(hdi: pd.DataFrame) -> None:
    latest = hdi[hdi["year"].eq(2023) & hdi["hdi"].notna()]
    expected = latest["hdi"].rank(method="min", ascending=False).astype(int)
    assert (latest["hdi_rank"].astype(int) == expected).all()


def test_ihdi_starts_in_2010(hdi: pd.DataFrame) -> None:
    assert hdi.loc[hdi["year"].lt(2010), "ihdi"].isna().all()
    assert row(hdi, "KAZ", 2010)["ihdi"] == 0.727


def test_non_ascii_names_are_decoded_not_mojibake(hdi: pd.DataFrame) -> None:
    names = hdi.drop_duplicates("iso3").set_index("iso3")["country"]
    assert names["CIV"] == "Côte d'Ivoire"
    assert names["TUR"] == "Türkiye"
    assert names["HKG"] == "Hong Kong, China (SAR)"
    assert names["KOR"] == "Korea (Republic of)"


def test_table_passes_its_schema(hdi: pd.DataFrame) -> None:
    validated = validate_table("undp_hdi", hdi)
    assert list(validated.columns) == [
        "iso3", "country", "year", "hdi", "life_expectancy", "expected_schooling", "mean_schooling", "gni_per_capita",
        "ihdi", "gdi", "gii", "hdi_rank", "edition",
    ]


# --- bad input: the time-series CSV ---------------------------------------------------------------


def test_empty_file_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=rf"{TIME_SERIES}: the file is empty"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, TIME_SERIES, b"\r\n"))


def test_workbook_saved_under_the_csv_name_is_binary(paths: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=rf"{TIME_SERIES}: binary content"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, TIME_SERIES, paths[METADATA].read_bytes()))


def test_utf8_copy_is_an_error_not_mojibake(paths: dict[str, Path], tmp_path: Path) -> None:
    utf8 = paths[TIME_SERIES].read_bytes().decode("cp1252").encode("utf-8")
    with pytest.raises(ParseError, match=rf"{TIME_SERIES}: expected cp1252 text but the file is UTF-8"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, TIME_SERIES, utf8))


def test_mac_roman_resaved_copy_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    # The damage seen in a public copy: read as Mac Roman, saved as UTF-8 with a BOM ("CÙte d'Ivoire").
    resaved = paths[TIME_SERIES].read_bytes().decode("mac_roman").encode("utf-8-sig")
    with pytest.raises(ParseError, match="the file is UTF-8"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, TIME_SERIES, resaved))


def test_byte_undefined_in_cp1252_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    damaged = paths[TIME_SERIES].read_bytes().replace(b"C\xf4te", b"C\x81te", 1)
    with pytest.raises(ParseError, match=rf"{TIME_SERIES}: not valid cp1252 at byte \d+"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, TIME_SERIES, damaged))


def test_row_with_an_extra_field_is_not_a_readable_csv(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, kaz_line_edit("KAZ,", "KAZ,x,"))
    with pytest.raises(ParseError, match=rf"{TIME_SERIES}: not a readable CSV table"):
        parse_source(SOURCE_ID, bad)


def test_renamed_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, lambda t: t.replace(",hdi_2008,", ",HDI_2008,", 1))
    with pytest.raises(ParseError, match=r"missing \['hdi_2008'\]; unexpected \['HDI_2008'\]"):
        parse_source(SOURCE_ID, bad)


def test_missing_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def drop_last_column(text: str) -> str:
        return "\r\n".join(line.rsplit(",", 1)[0] if line else line for line in text.split("\r\n"))

    with pytest.raises(ParseError, match=rf"{TIME_SERIES}: the header .*missing \['pop_total_2023'\]"):
        parse_source(SOURCE_ID, altered_csv(paths, tmp_path, drop_last_column))


def test_extra_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def add_column(text: str) -> str:
        header, rest = text.split("\r\n", 1)
        return header + ",hdi_2024\r\n" + rest.replace("\r\n", ",\r\n")

    with pytest.raises(ParseError, match=r"unexpected \['hdi_2024'\]"):
        parse_source(SOURCE_ID, altered_csv(paths, tmp_path, add_column))


def test_reordered_columns_are_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, lambda t: t.replace("hdicode,region", "region,hdicode", 1))
    with pytest.raises(ParseError, match=r"order changed: column 3 is 'region', not 'hdicode'"):
        parse_source(SOURCE_ID, bad)


def test_title_row_above_the_header_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, lambda t: "Human Development Report 2025" + "," * 1111 + "\r\n" + t)
    with pytest.raises(ParseError, match=rf"{TIME_SERIES}: the header is not the one the parser knows"):
        parse_source(SOURCE_ID, bad)


def test_header_only_file_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, keep_lines(lambda _: False))
    with pytest.raises(ParseError, match=rf"{TIME_SERIES}: no country rows"):
        parse_source(SOURCE_ID, bad)


def test_aggregates_only_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, keep_lines(lambda line: line.startswith("ZZ")))
    with pytest.raises(ParseError, match=r"no country rows \(header only, or aggregates only\)"):
        parse_source(SOURCE_ID, bad)


def test_text_in_numeric_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, kaz_line_edit(",0.771,", ",n/a,"))
    with pytest.raises(ParseError, match=rf"{TIME_SERIES}: column 'hdi_2008' holds text .*'n/a'"):
        parse_source(SOURCE_ID, bad)


def test_text_in_rank_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, kaz_line_edit("ECA,60,", "ECA,60th,"))
    with pytest.raises(ParseError, match=r"column 'hdi_rank_2023' holds text .*'60th'"):
        parse_source(SOURCE_ID, bad)


def test_fractional_rank_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, kaz_line_edit("ECA,60,", "ECA,60.5,"))
    with pytest.raises(ParseError, match=rf"{TIME_SERIES}: 'hdi_rank_2023' holds non-integer values"):
        parse_source(SOURCE_ID, bad)


def test_unknown_country_code_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, kaz_line_edit("KAZ,", "KZX,"))
    with pytest.raises(CountryError, match=rf"{TIME_SERIES}: 1 country name\(s\) match no .*'KZX'"):
        parse_source(SOURCE_ID, bad)


def test_same_country_under_two_spellings_of_its_code_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def add_lowercase_copy(text: str) -> str:
        line = next(line for line in text.split("\r\n") if line.startswith("KAZ,"))
        return text + "kaz" + line[3:] + "\r\n"

    with pytest.raises(CountryError, match=r"different names map to the same ISO3 code: KAZ <- KAZ / kaz"):
        parse_source(SOURCE_ID, altered_csv(paths, tmp_path, add_lowercase_copy))


# --- bad input: the metadata workbook -------------------------------------------------------------


def test_empty_workbook_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=rf"{METADATA}: the file is empty"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, METADATA, b""))


def test_junk_workbook_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    junk = paths[TIME_SERIES].read_bytes()[:5000]
    with pytest.raises(ParseError, match=rf"{METADATA}: not a readable Excel workbook"):
        parse_source(SOURCE_ID, altered(paths, tmp_path, METADATA, junk))


def test_renamed_codebook_sheet_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_codebook(paths, tmp_path, list, sheet="Codebook 2025")
    with pytest.raises(ParseError, match=rf"{METADATA}: no sheet 'codebook' \(sheets: 'Codebook 2025'"):
        parse_source(SOURCE_ID, bad)


def test_changed_codebook_header_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_codebook(paths, tmp_path, lambda rows: [("Indicator", "Short name", "Time series"), *rows[1:]])
    with pytest.raises(ParseError, match=r"sheet 'codebook' should start with the header .*found \['Indicator'"):
        parse_source(SOURCE_ID, bad)


def test_codebook_without_its_third_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_codebook(paths, tmp_path, lambda rows: [r[:2] for r in rows])
    with pytest.raises(ParseError, match=r"should start with the header .*found \[\]"):
        parse_source(SOURCE_ID, bad)


def test_codebook_with_another_ppp_base_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_codebook(paths, tmp_path, describe("gnipc", "Gross National Income Per Capita (2017 PPP$)"))
    with pytest.raises(ParseError, match=rf"{METADATA}: .*gnipc: codebook says .*2017 PPP\$.*expects .*2021 PPP\$"):
        parse_source(SOURCE_ID, bad)


def test_codebook_without_a_published_measure_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_codebook(paths, tmp_path, lambda rows: [r for r in rows if r[1] != "ihdi"])
    with pytest.raises(ParseError, match=r"ihdi: codebook says None"):
        parse_source(SOURCE_ID, bad)


def test_codebook_renaming_the_rank_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_codebook(paths, tmp_path, describe("hdi_rank", "HDI Rank (2023)"))
    with pytest.raises(ParseError, match=r"hdi_rank: codebook says 'HDI Rank \(2023\)'"):
        parse_source(SOURCE_ID, bad)


def test_codebook_change_of_an_unpublished_column_is_not_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    """Only the columns the table publishes are checked; the rest of the codebook may change freely."""
    bad = altered_codebook(paths, tmp_path, describe("mmr", "Maternal Mortality Ratio (per 100,000)"))
    assert row(parse_source(SOURCE_ID, bad)["undp_hdi"], "KAZ", 2023)["hdi"] == 0.837


# --- schema checks the synthetic data can trigger -------------------------------------------------


def test_rank_contradicting_hdi_fails_validation(paths: dict[str, Path], tmp_path: Path) -> None:
    frame = parse_source(SOURCE_ID, altered_csv(paths, tmp_path, kaz_line_edit("ECA,60,", "ECA,59,")))["undp_hdi"]
    with pytest.raises(SchemaValidationError, match="rank consistent with HDI"):
        validate_table("undp_hdi", frame)


def test_hdi_above_one_fails_validation(paths: dict[str, Path], tmp_path: Path) -> None:
    frame = parse_source(SOURCE_ID, altered_csv(paths, tmp_path, kaz_line_edit(",0.771,", ",1.771,")))["undp_hdi"]
    with pytest.raises(SchemaValidationError, match="hdi"):
        validate_table("undp_hdi", frame)


def test_rank_without_hdi_fails_validation(paths: dict[str, Path], tmp_path: Path) -> None:
    frame = parse_source(SOURCE_ID, altered_csv(paths, tmp_path, kaz_line_edit(",0.831,0.837,", ",0.831,,")))
    with pytest.raises(SchemaValidationError, match="HDI and rank both present or both missing"):
        validate_table("undp_hdi", frame["undp_hdi"])


def test_gdi_above_the_sanity_limit_of_2_fails_validation(hdi: pd.DataFrame) -> None:
    broken = hdi.copy()
    broken.loc[broken["iso3"].eq("KAZ") & broken["year"].eq(2023), "gdi"] = 2.5
    with pytest.raises(SchemaValidationError, match="gdi"):
        validate_table("undp_hdi", broken)


def test_gii_above_one_fails_validation(hdi: pd.DataFrame) -> None:
    broken = hdi.copy()
    broken.loc[broken["iso3"].eq("KAZ") & broken["year"].eq(2023), "gii"] = 1.2
    with pytest.raises(SchemaValidationError, match="gii"):
        validate_table("undp_hdi", broken)


def test_duplicate_country_row_fails_validation(paths: dict[str, Path], tmp_path: Path) -> None:
    """The parser does not reject a repeated row itself; the schema's unique key does."""

    def repeat_kazakhstan(text: str) -> str:
        return text + next(line for line in text.split("\r\n") if line.startswith("KAZ,")) + "\r\n"

    frame = parse_source(SOURCE_ID, altered_csv(paths, tmp_path, repeat_kazakhstan))["undp_hdi"]
    with pytest.raises(SchemaValidationError, match="unique"):
        validate_table("undp_hdi", frame)


def test_mixing_editions_fails_validation(hdi: pd.DataFrame) -> None:
    mixed = hdi.assign(edition=hdi["edition"].where(hdi["year"] < 2000, "HDR 2023-24"))
    with pytest.raises(SchemaValidationError, match="one edition per table"):
        validate_table("undp_hdi", mixed)


@pytest.mark.parametrize("aggregate", ["0.5", "junk in an aggregate row"])
def test_text_to_numbers_converts_as_to_numbers_does(aggregate: str) -> None:
    """The Arrow conversion of the time series gives the very doubles pandas' ``to_numbers`` gives,
    and text in a row that is not kept (an aggregate's) is no error."""
    import numpy as np

    from kzegov_data.sources._read import to_numbers
    from kzegov_data.sources.undp_hdr.parse import text_to_numbers

    frame = pd.DataFrame(
        {
            "hdi_1990": [" 0.81", "", "0.1", aggregate],
            "gnipc_1990": ["12345.6789", "1e3", "  ", "-0.0000000000000001"],
        }
    )
    rows = np.array([True, True, True, False])
    expected = to_numbers(frame, file="f.csv", rows=rows)
    found = text_to_numbers(frame, file="f.csv", rows=rows)
    pd.testing.assert_frame_equal(found, expected, check_exact=True)
    assert found.loc[0, "hdi_1990"] == 0.81
    assert np.isnan(found.loc[1, "hdi_1990"])


@pytest.mark.parametrize("text", ["NaN", "n/a", "0,81"])
def test_text_to_numbers_reports_text_as_to_numbers_does(text: str) -> None:
    """Text pyarrow refuses, or reads as NaN (pandas counts that as not a number), fails with the
    message ``to_numbers`` gives: the column and the text."""
    import numpy as np

    from kzegov_data.sources.undp_hdr.parse import text_to_numbers

    frame = pd.DataFrame({"hdi_1990": ["0.5", "0.6"], "hdi_1991": ["0.5", text]})
    expected = rf"f\.csv: column 'hdi_1991' holds text where numbers are expected .*{text!r}"
    with pytest.raises(ParseError, match=expected):
        text_to_numbers(frame, file="f.csv", rows=np.array([True, True]))
