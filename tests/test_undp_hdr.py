"""UNDP HDR 2025 composite indices -> ``undp_hdi``, on the real publisher files.

Bad inputs are altered copies of the real files written into ``tmp_path``; the mirror is only read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from conftest import source_paths, validate_table
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from kzegov_data.sources.undp_hdr import SOURCE
from kzegov_data.sources.undp_hdr import parse as undp_hdr
from kzegov_data.sources.undp_hdr.schema import UndpHdiSchema

#: Every test here reads the publishers' real files.
pytestmark = pytest.mark.mirror

pytestmark = pytest.mark.mirror

TIME_SERIES = undp_hdr.TIME_SERIES
METADATA = undp_hdr.METADATA


@pytest.fixture(scope="module")
def paths(mirror: Path) -> dict[str, Path]:
    return source_paths(mirror, "undp_hdr")


@pytest.fixture(scope="module")
def hdi(paths: dict[str, Path]) -> pd.DataFrame:
    return undp_hdr.parse(paths)["undp_hdi"]


def row(hdi: pd.DataFrame, iso3: str, year: int) -> pd.Series:
    found = hdi[(hdi["iso3"] == iso3) & (hdi["year"] == year)]
    assert len(found) == 1
    return found.iloc[0]


# --- known values -------------------------------------------------------------------------------


def test_kazakhstan_hdi_2008_is_0_771(hdi: pd.DataFrame) -> None:
    assert row(hdi, "KAZ", 2008)["hdi"] == 0.771


def test_kazakhstan_hdi_2023_is_0_837_rank_60(hdi: pd.DataFrame) -> None:
    kazakhstan = row(hdi, "KAZ", 2023)
    assert kazakhstan["hdi"] == 0.837
    assert kazakhstan["hdi_rank"] == 60
    assert kazakhstan["country"] == "Kazakhstan"


def test_kazakhstan_hdi_1990_is_0_689(hdi: pd.DataFrame) -> None:
    assert row(hdi, "KAZ", 1990)["hdi"] == 0.689


def test_hdi_covers_195_countries_193_with_a_2023_value(hdi: pd.DataFrame) -> None:
    assert hdi["iso3"].nunique() == 195
    latest = hdi[hdi["year"] == 2023]
    assert latest["hdi"].notna().sum() == 193
    assert set(latest.loc[latest["hdi"].isna(), "iso3"]) == {"MCO", "PRK"}
    assert hdi.loc[hdi["year"] == 1990, "hdi"].notna().sum() == 141


def test_every_country_has_every_year_1990_2023(hdi: pd.DataFrame) -> None:
    per_year = hdi.groupby("year")["iso3"].nunique()
    assert list(per_year.index) == list(range(1990, 2024))
    assert (per_year == 195).all()
    assert len(hdi) == 195 * 34


def test_ihdi_starts_in_2010(hdi: pd.DataFrame) -> None:
    assert hdi.loc[hdi["year"] < 2010, "ihdi"].isna().all()
    assert hdi.loc[hdi["year"] == 2010, "ihdi"].notna().any()


def test_rank_published_for_2023_only(hdi: pd.DataFrame) -> None:
    assert hdi.loc[hdi["year"] != 2023, "hdi_rank"].isna().all()
    assert hdi.loc[hdi["year"] == 2023, "hdi_rank"].notna().sum() == 193


def test_every_row_carries_the_edition(hdi: pd.DataFrame) -> None:
    assert set(hdi["edition"]) == {"HDR 2025"}


def test_aggregates_are_dropped_and_are_the_eleven_zz_rows(
    paths: dict[str, Path], hdi: pd.DataFrame
) -> None:
    with paths[TIME_SERIES].open(encoding="cp1252", newline="") as handle:
        codes = [r["iso3"] for r in csv.DictReader(handle)]
    aggregates = {c for c in codes if c.startswith("ZZ")}
    assert len(codes) == 206
    assert len(aggregates) == 11
    assert "ZZK.WORLD" in aggregates
    assert set(hdi["iso3"]) == set(codes) - aggregates


def test_non_ascii_names_are_decoded_not_mojibake(hdi: pd.DataFrame) -> None:
    names = hdi.drop_duplicates("iso3").set_index("iso3")["country"]
    assert names["CIV"] == "Côte d'Ivoire"
    assert names["TUR"] == "Türkiye"
    assert not names.str.contains("Ã|Â|\u00d9|\ufffd", regex=True).any()


def test_values_equal_the_publisher_file(paths: dict[str, Path], hdi: pd.DataFrame) -> None:
    """Every published number parses back from its own cell: no rounding, rescaling or shifting."""
    published = hdi.set_index(["iso3", "year"])
    checked = 0
    with paths[TIME_SERIES].open(encoding="cp1252", newline="") as handle:
        for record in csv.DictReader(handle):
            if record["iso3"].startswith("ZZ"):
                continue
            for short_name, column in undp_hdr.MEASURES.items():
                for year in range(1990, 2024):
                    text = record.get(f"{short_name}_{year}")
                    value = published.loc[(record["iso3"], year), column]
                    if not text:
                        assert pd.isna(value), (record["iso3"], year, column)
                    else:
                        assert value == float(text), (record["iso3"], year, column)
                        checked += 1
    assert checked > 40_000


def test_table_passes_its_schema(hdi: pd.DataFrame) -> None:
    validated = validate_table("undp_hdi", hdi)
    assert list(validated.columns) == list(UndpHdiSchema.to_schema().columns)
    assert not validated.duplicated(["iso3", "year"]).any()


def test_output_is_sorted_by_country_and_year(hdi: pd.DataFrame) -> None:
    assert hdi.equals(hdi.sort_values(["iso3", "year"], ignore_index=True))


# --- the metadata workbook ----------------------------------------------------------------------


def codebook_rows(path: Path) -> dict[str, str]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("codebook").to_python()
    described = {str(r[1]).strip(): str(r[0]).strip() for r in rows[1:] if len(r) > 1}
    described.pop("", None)  # section titles
    return described


def test_published_columns_are_described_in_the_codebook(paths: dict[str, Path]) -> None:
    described = codebook_rows(paths[METADATA])
    fields = UndpHdiSchema.to_schema().columns
    for short_name, column in {**undp_hdr.MEASURES, "hdi_rank": "hdi_rank"}.items():
        assert described[short_name] == fields[column].title, short_name
        in_brackets = re.search(r"\(([^()]*)\)$", described[short_name])
        unit = fields[column].metadata["unit"]
        if in_brackets is None:
            assert unit == "rank"
        elif in_brackets.group(1) == "value":
            assert unit in {"index 0-1", "ratio"}
        else:
            assert unit == in_brackets.group(1), short_name
    assert fields["gni_per_capita"].metadata["unit"] == "2021 PPP$"


def test_citation_is_the_recommended_one(paths: dict[str, Path]) -> None:
    workbook = CalamineWorkbook.from_path(str(paths[METADATA]))
    recommended = str(workbook.get_sheet_by_name("recommended_citation").to_python()[1][0])
    assert SOURCE.citation in recommended


# --- schema guards ------------------------------------------------------------------------------


def test_mixing_editions_fails_validation(hdi: pd.DataFrame) -> None:
    previous = hdi.assign(edition="HDR 2023-24")
    mixed = pd.concat(
        [hdi[hdi["year"] < 2000], previous[previous["year"] >= 2000]], ignore_index=True
    )
    with pytest.raises(SchemaValidationError, match="one edition per table"):
        validate_table("undp_hdi", mixed)


def test_hdi_above_one_fails_validation(hdi: pd.DataFrame) -> None:
    broken = hdi.copy()
    broken.loc[0, "hdi"] = 1.5
    with pytest.raises(SchemaValidationError, match="hdi"):
        validate_table("undp_hdi", broken)


def test_schooling_above_25_fails_validation(hdi: pd.DataFrame) -> None:
    broken = hdi.copy()
    broken.loc[0, "expected_schooling"] = 26.0
    with pytest.raises(SchemaValidationError, match="expected_schooling"):
        validate_table("undp_hdi", broken)


# --- bad input ----------------------------------------------------------------------------------


def altered(paths: dict[str, Path], tmp_path: Path, name: str, data: bytes) -> dict[str, Path]:
    """The real paths, with file ``name`` replaced by ``data`` written under tmp_path."""
    copy = tmp_path / name
    copy.write_bytes(data)
    return {**paths, name: copy}


def altered_csv(
    paths: dict[str, Path], tmp_path: Path, edit: Callable[[str], str]
) -> dict[str, Path]:
    text = paths[TIME_SERIES].read_bytes().decode("cp1252")
    return altered(paths, tmp_path, TIME_SERIES, edit(text).encode("cp1252"))


def kaz_line_edit(text: str, old: str, new: str) -> str:
    lines = text.split("\r\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("KAZ,"))
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    return "\r\n".join(lines)


def test_renamed_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, lambda t: t.replace(",hdi_2008,", ",HDI_2008,", 1))
    with pytest.raises(ParseError, match=r"missing \['hdi_2008'\]; unexpected \['HDI_2008'\]"):
        undp_hdr.parse(bad)


def test_missing_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def drop_gnipc_2023(text: str) -> str:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        return table.drop(columns="gnipc_2023").to_csv(index=False, lineterminator="\r\n")

    with pytest.raises(ParseError, match=r"missing \['gnipc_2023'\]"):
        undp_hdr.parse(altered_csv(paths, tmp_path, drop_gnipc_2023))


def test_extra_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def add_column(text: str) -> str:
        return "\r\n".join(line + ",x" if line else line for line in text.split("\r\n"))

    with pytest.raises(ParseError, match="unexpected"):
        undp_hdr.parse(altered_csv(paths, tmp_path, add_column))


def test_header_row_moved_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, lambda t: "Human Development Report 2025\r\n" + t)
    with pytest.raises(ParseError, match="header is not the one the parser knows"):
        undp_hdr.parse(bad)


def test_text_in_numeric_column_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, lambda t: kaz_line_edit(t, ",0.771,", ",n/a,"))
    with pytest.raises(ParseError, match=r"'hdi_2008' holds text .*'n/a'"):
        undp_hdr.parse(bad)


def test_fractional_rank_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, lambda t: kaz_line_edit(t, "ECA,60,", "ECA,60.5,"))
    with pytest.raises(ParseError, match="hdi_rank_2023"):
        undp_hdr.parse(bad)


def test_unknown_country_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, lambda t: kaz_line_edit(t, "KAZ,", "KZX,"))
    with pytest.raises(CountryError, match="KZX"):
        undp_hdr.parse(bad)


def test_aggregates_only_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def aggregates_only(text: str) -> str:
        lines = text.split("\r\n")
        return "\r\n".join([lines[0], *(line for line in lines[1:] if line.startswith("ZZ"))])

    with pytest.raises(ParseError, match="no country rows"):
        undp_hdr.parse(altered_csv(paths, tmp_path, aggregates_only))


def test_empty_file_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="empty"):
        undp_hdr.parse(altered(paths, tmp_path, TIME_SERIES, b""))


def test_binary_junk_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    # The workbook saved under the CSV's name: a ZIP archive, not text.
    junk = paths[METADATA].read_bytes()
    with pytest.raises(ParseError, match="binary"):
        undp_hdr.parse(altered(paths, tmp_path, TIME_SERIES, junk))


def test_utf8_copy_is_an_error_not_mojibake(paths: dict[str, Path], tmp_path: Path) -> None:
    utf8 = paths[TIME_SERIES].read_bytes().decode("cp1252").encode("utf-8")
    with pytest.raises(ParseError, match="UTF-8"):
        undp_hdr.parse(altered(paths, tmp_path, TIME_SERIES, utf8))


def test_utf8_copy_with_bom_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    utf8 = paths[TIME_SERIES].read_bytes().decode("cp1252").encode("utf-8-sig")
    with pytest.raises(ParseError, match="UTF-8"):
        undp_hdr.parse(altered(paths, tmp_path, TIME_SERIES, utf8))


def test_mac_roman_resaved_copy_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    # The damage seen in a public copy: read as Mac Roman, saved as UTF-8 ("CÙte d'Ivoire").
    resaved = paths[TIME_SERIES].read_bytes().decode("mac_roman").encode("utf-8")
    with pytest.raises(ParseError, match="UTF-8"):
        undp_hdr.parse(altered(paths, tmp_path, TIME_SERIES, resaved))


def rezip(path: Path, member: str, old: bytes, new: bytes) -> bytes:
    """A copy of the workbook with one replacement inside one of its XML members."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                assert old in data
                data = data.replace(old, new)
            target.writestr(info, data)
    return buffer.getvalue()


def test_codebook_with_another_ppp_base_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    workbook = rezip(
        paths[METADATA],
        "xl/sharedStrings.xml",
        b"Gross National Income Per Capita (2021 PPP$)",
        b"Gross National Income Per Capita (2017 PPP$)",
    )
    with pytest.raises(ParseError, match=r"gnipc: codebook says .*2017 PPP\$"):
        undp_hdr.parse(altered(paths, tmp_path, METADATA, workbook))


def test_renamed_codebook_sheet_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    workbook = rezip(
        paths[METADATA], "xl/workbook.xml", b'name="codebook"', b'name="Codebook 2025"'
    )
    with pytest.raises(ParseError, match="no sheet 'codebook'"):
        undp_hdr.parse(altered(paths, tmp_path, METADATA, workbook))


def test_junk_workbook_is_an_error(paths: dict[str, Path], tmp_path: Path) -> None:
    junk = paths[TIME_SERIES].read_bytes()[:5000]
    with pytest.raises(ParseError, match="not a readable Excel workbook"):
        undp_hdr.parse(altered(paths, tmp_path, METADATA, junk))


def test_duplicate_country_year_fails_validation(hdi: pd.DataFrame) -> None:
    doubled = pd.concat([hdi, hdi.iloc[[0]]], ignore_index=True)
    with pytest.raises(SchemaValidationError, match=r"multiple_fields_uniqueness|unique"):
        validate_table("undp_hdi", doubled)
