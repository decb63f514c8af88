"""The release bundle of the committed processed/: every format of every table, the workbook, the country-year
file and its codebook, a licence on every file, and the open-licensed bundle that says what it left out.

Every Stata and Excel file is read back with an independent reader (ReadStat, calamine) and compared value by
value to the Parquet file beside it. The full bundle and the open one are built once for the module (about
two minutes together); that two builds give the same bytes is pinned on the synthetic build
(test_pipeline.py::test_rebuilding_gives_byte_identical_processed) and per format in test_formats.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kzegov_data.bundle import ensure_bundle, is_current
from readback import sheet_differences, stata_differences, stata_labels, workbook_sheets

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "processed"
DESCRIPTOR = json.loads((PROCESSED / "datapackage.json").read_text("utf-8"))
RESOURCES = {resource["name"]: resource for resource in DESCRIPTOR["resources"]}
CURRENT = sorted(name for name, resource in RESOURCES.items() if "edition_of" not in resource)
CLOSED = sorted(name for name, resource in RESOURCES.items() if resource["licenses"][0]["kzegov:open"] is False)
OPEN_TABLES = {name for name, resource in RESOURCES.items() if resource["licenses"][0]["kzegov:open"] is True}
CATALOGUE = {entry["id"]: entry for entry in RESOURCES["indicators"]["kzegov:catalogue"]}


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name.removeprefix("kzegov_data/"): archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def full_zip(release_zip: Path) -> Path:
    """The full bundle (conftest writes it once per run)."""
    return release_zip


@pytest.fixture(scope="module")
def full(full_zip: Path) -> dict[str, bytes]:
    return unzip(full_zip)


@pytest.fixture(scope="module")
def workbook(full: dict[str, bytes]) -> dict[str, list[list[Any]]]:
    return workbook_sheets(full["kzegov_data.xlsx"])


@pytest.fixture(scope="module")
def open_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], list[str], Path]:
    """``kzegov-data bundle --only-open``: the members of the zip it wrote, and what it printed. A child
    process, as a user runs it (and the workbooks' memory does not stay with the test process)."""
    target = tmp_path_factory.mktemp("open-bundle") / "open.zip"
    done = subprocess.run([sys.executable, "-m", "kzegov_data", "bundle", "--only-open", "--output", str(target),
                           "--root", str(REPO)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return unzip(target), done.stdout.splitlines(), target


@pytest.fixture(scope="module")
def opened(open_run: tuple[dict[str, bytes], list[str], Path]) -> dict[str, bytes]:
    return open_run[0]


def descriptor_of(members: dict[str, bytes]) -> dict[str, Any]:
    return dict(json.loads(members["datapackage.json"]))


def parquet(members: dict[str, bytes], name: str) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(members[name]))


def stem(resource: dict[str, Any]) -> str:
    return str(resource["path"]).removesuffix(".parquet")


def on_disk(tmp_path: Path, members: dict[str, bytes], name: str) -> Path:
    path = tmp_path / name.replace("/", "__")
    path.write_bytes(members[name])
    return path


# --- the full bundle ---------------------------------------------------------------------------------------


def test_every_table_and_edition_comes_as_csv_parquet_and_stata_the_country_year_file_in_four_formats(
        full: dict[str, bytes]) -> None:
    card = (REPO / "DATACARD.md").read_text("utf-8")
    figures = {f"docs/figures/{path.name}" for path in (REPO / "docs" / "figures").glob("*.png") if path.name in card}
    expected = {f"{stem(resource)}.{suffix}" for resource in RESOURCES.values() for suffix in ("csv", "parquet", "dta")}
    expected |= {f"country_year.{suffix}" for suffix in ("csv", "parquet", "dta", "xlsx")}
    expected |= {"kzegov_data.xlsx", "codebook.md", "codebook.csv", "datapackage.json", "README.md", "LICENSE",
                 "DATACARD.md", *figures}
    assert sorted(set(full) ^ expected) == []
    assert "editions/undp_hdi/hdr21-22.dta" in full


def test_every_file_is_a_resource_with_its_size_hash_and_licence(full: dict[str, bytes]) -> None:
    resources = descriptor_of(full)["resources"]
    assert sorted(resource["path"] for resource in resources) == sorted(set(full) - {"datapackage.json"})
    for resource in resources:
        data = full[resource["path"]]
        assert resource["bytes"] == len(data), resource["path"]
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}", resource["path"]
        assert "kzegov:open" in resource["licenses"][0], resource["path"]
    by_path = {resource["path"]: resource for resource in resources}
    for published in RESOURCES.values():
        for suffix in ("csv", "parquet", "dta"):
            assert by_path[f"{stem(published)}.{suffix}"]["licenses"][0] == published["licenses"][0]
    assert by_path["un_egov.csv"]["schema"]["fields"][0]["name"] == "iso3", "a table's CSV is a tabular resource"
    assert by_path["un_egov.dta"]["type"] == "file"


def test_the_full_bundle_is_current_until_processed_changes(full_zip: Path, open_run: Any) -> None:
    assert is_current(PROCESSED, full_zip)
    assert not ensure_bundle(PROCESSED, full_zip), "an up-to-date bundle is not rewritten"
    assert not is_current(PROCESSED, open_run[2]), "the open bundle is not the full one"


def test_every_stata_file_reads_back_equal_to_its_parquet_table(full: dict[str, bytes], tmp_path: Path) -> None:
    for name, resource in sorted(RESOURCES.items()):
        frame = parquet(full, resource["path"])
        path = on_disk(tmp_path, full, f"{stem(resource)}.dta")
        assert stata_differences(frame, path) == [], name
        labels, data_label = stata_labels(path)
        assert data_label == resource["title"]
        titles = {field["name"]: field["title"] for field in resource["schema"]["fields"]}
        assert all(str(labels[column]).startswith(titles[column]) for column in frame.columns), name
        assert max(len(str(label)) for label in labels.values()) <= 80


def test_the_country_year_stata_file_uses_the_codebooks_names_and_reads_back_equal(
        full: dict[str, bytes], tmp_path: Path) -> None:
    book = pd.read_csv(io.BytesIO(full["codebook.csv"]))
    names = dict(zip(book["variable"], book["stata_name"], strict=True))
    frame = parquet(full, "country_year.parquet")
    assert list(frame.columns) == list(book["variable"])
    assert all(len(name) <= 32 for name in names.values())
    assert names["wgi_control_of_corruption_pctrank"] != "wgi_control_of_corruption_pctrank"  # 33 characters
    path = on_disk(tmp_path, full, "country_year.dta")
    assert stata_differences(frame, path, names=names) == []
    labels, _ = stata_labels(path)
    assert labels[names["egdi"]].startswith("E-Government Development Index")


def test_the_workbook_has_a_readme_a_codebook_and_every_current_table_read_back_equal(
        full: dict[str, bytes], workbook: dict[str, list[list[Any]]]) -> None:
    sheets = workbook
    assert list(sheets) == ["README", "codebook", *CURRENT]
    for name in CURRENT:
        assert sheet_differences(parquet(full, RESOURCES[name]["path"]), sheets[name]) == [], name
    book = pd.read_csv(io.BytesIO(full["codebook.csv"]), keep_default_na=False, na_values=[""])
    assert sheet_differences(book.astype({"countries": "Int64"}), sheets["codebook"]) == []
    readme = "\n".join(" | ".join(str(cell) for cell in row) for row in sheets["README"])
    for name in CURRENT:
        assert RESOURCES[name]["licenses"][0]["name"] in readme
        assert RESOURCES[name]["kzegov:citation"] in readme
        assert f"table {name}: all {RESOURCES[name]['kzegov:rows']:,} rows" in readme
    assert "1,048,575 rows and a header per sheet" in readme


def test_the_country_year_workbook_and_csv_read_back_equal_to_its_parquet(full: dict[str, bytes]) -> None:
    frame = parquet(full, "country_year.parquet")
    sheets = workbook_sheets(full["country_year.xlsx"])
    assert list(sheets) == ["README", "codebook", "country_year"]
    assert sheet_differences(frame, sheets["country_year"]) == []
    csv = pd.read_csv(io.BytesIO(full["country_year.csv"]), keep_default_na=False, na_values=[""])
    indicators = list(CATALOGUE)
    assert (csv[indicators].fillna(-1e300).to_numpy() == frame[indicators].fillna(-1e300).to_numpy()).all()


def test_a_changed_value_in_the_workbook_would_be_caught(full: dict[str, bytes],
                                                         workbook: dict[str, list[list[Any]]]) -> None:
    sheets = workbook
    frame = parquet(full, "un_egov.parquet")
    row = int(frame.index[(frame["iso3"] == "KAZ") & (frame["survey_year"] == 2024)][0])
    frame.loc[row, "egdi"] = 0.90094
    assert sheet_differences(frame, sheets["un_egov"]) == [f"egdi, row {row}: wrote 0.90094, read back 0.90093"]


# --- only open-licensed data -----------------------------------------------------------------------------


def test_the_open_bundle_leaves_out_exactly_the_tables_whose_licence_is_not_open(opened: dict[str, bytes]) -> None:
    assert CLOSED == ["itu_ict", "itu_ict.june-2019", "ti_cpi", "ti_cpi_sources", "un_egov"]
    present = {name.rpartition(".")[0] for name in opened}
    assert [name for name in CLOSED if stem(RESOURCES[name]) in present] == []
    assert {stem(RESOURCES[name]) for name in RESOURCES if name not in CLOSED} <= present
    left_out = descriptor_of(opened)["kzegov:left_out"]
    assert [record["table"] for record in left_out] == CLOSED
    for record in left_out:
        licence = RESOURCES[record["table"]]["licenses"][0]
        assert (record["licence"], record["reason"]) == (licence["name"], licence["kzegov:terms"])


def test_the_open_bundle_says_what_it_left_out_and_why(open_run: tuple[dict[str, bytes], list[str], Path]) -> None:
    members, printed, _ = open_run
    readme = members["README.md"].decode("utf-8")
    assert "## Left out: not open-licensed" in readme
    for name in CLOSED:
        licence = RESOURCES[name]["licenses"][0]
        assert f"- {name} ({licence['name']}): {licence['kzegov:terms']}" in readme
        assert any(line.startswith(f"left out {name} ({licence['name']})") for line in printed)
    assert printed[-1].startswith("wrote the open-licensed release bundle")
    assert "9,218 rows of indicators" in readme  # ti_cpi's two CPI scales and its ranks
    assert "columns egdi, osi, hci, tii, epi, egdi_rank of country_year" in readme
    assert "figure docs/figures/un_egov_egdi.png of DATACARD.md" in readme


def test_the_open_bundle_leaves_out_the_cards_figures_of_the_tables_it_leaves_out(
        full: dict[str, bytes], opened: dict[str, bytes]) -> None:
    figures = {name for name in full if name.startswith("docs/figures/")}
    kept = {name for name in opened if name.startswith("docs/figures/")}
    assert sorted(name.removeprefix("docs/figures/") for name in figures - kept) == [
        "itu_fixed_broadband.png", "itu_internet_users.png", "revisions_itu_ict.png", "ti_cpi_score.png",
        "un_egov_egdi.png"]
    assert "undp_hdi.png" in {name.removeprefix("docs/figures/") for name in kept}


def test_the_open_bundle_keeps_only_the_open_tables_rows_of_indicators_and_revisions(opened: dict[str, bytes]) -> None:
    for name in ("indicators", "revisions"):
        published = pd.read_parquet(PROCESSED / RESOURCES[name]["path"])
        expected = published[published["table"].astype(str).isin(OPEN_TABLES)].reset_index(drop=True)
        kept = parquet(opened, f"{name}.parquet")
        assert sorted(set(kept["table"].astype(str))) == sorted(OPEN_TABLES & set(published["table"].astype(str)))
        pd.testing.assert_frame_equal(kept, expected, check_categorical=False)
        resource = next(r for r in descriptor_of(opened)["resources"] if r["path"] == f"{name}.csv")
        assert resource["kzegov:rows"] == len(expected)
        assert resource["licenses"][0]["kzegov:open"] is True


def test_the_open_country_year_file_has_only_open_indicators_columns(full: dict[str, bytes],
                                                                    opened: dict[str, bytes]) -> None:
    whole, kept = parquet(full, "country_year.parquet"), parquet(opened, "country_year.parquet")
    open_indicators = [indicator for indicator, entry in CATALOGUE.items() if entry["table"] in OPEN_TABLES]
    identifiers = [column for column in whole.columns if column not in CATALOGUE]
    assert list(kept.columns) == [*identifiers, *open_indicators]
    expected = whole[whole[open_indicators].notna().any(axis=1)][kept.columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, expected)
    book = pd.read_csv(io.BytesIO(opened["codebook.csv"]))
    assert list(book["variable"]) == list(kept.columns)


def test_every_file_of_the_open_bundle_has_an_open_licence(opened: dict[str, bytes]) -> None:
    resources = descriptor_of(opened)["resources"]
    assert sorted(resource["path"] for resource in resources) == sorted(set(opened) - {"datapackage.json"})
    assert [resource["path"] for resource in resources if resource["licenses"][0]["kzegov:open"] is not True] == []
    assert not re.search(r"\bun_egov\b|\bitu_ict\b|\bti_cpi\b", " ".join(workbook_sheets(opened["kzegov_data.xlsx"])))


def test_a_current_bundle_gives_its_members_back_and_a_damaged_one_none(
    release_zip: Path, release_members: dict[str, bytes], tmp_path: Path,
) -> None:
    from kzegov_data.bundle import archive_bytes, current_members

    assert current_members(PROCESSED, release_zip) == release_members
    damaged = dict(release_members)
    damaged["un_egov.csv"] = damaged["un_egov.csv"].replace(b"0.90093", b"0.90094", 1)
    assert damaged["un_egov.csv"] != release_members["un_egov.csv"]
    (tmp_path / "damaged.zip").write_bytes(archive_bytes(damaged))
    assert current_members(PROCESSED, tmp_path / "damaged.zip") is None
    assert current_members(PROCESSED, tmp_path / "missing.zip") is None
