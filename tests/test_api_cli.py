"""The public surface: cheap import, load/tables/peers on the shipped tables, every CLI command."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kzegov_data as kz
from kzegov_data.cli import COMMANDS, main, parser
from kzegov_data.errors import (
    CountryError,
    DamagedTableError,
    InvalidArgumentError,
    UnknownPeerGroupError,
    UnknownTableError,
)

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "processed"


def test_import_is_cheap() -> None:
    code = (
        "import sys, kzegov_data; "
        "print(sorted(m for m in ('pandas', 'pandera', 'requests', 'pyarrow', 'numpy', 'pycountry') "
        "if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_load_un_egov_for_kazakhstan_2024() -> None:
    frame = kz.load("un_egov", countries="KAZ", years=2024, data_dir=PROCESSED)
    assert len(frame) == 1
    assert frame["egdi"].item() == 0.90093
    assert frame["egdi_rank"].item() == 24


def test_load_types_codes_as_categoricals_and_ranks_as_nullable_integers() -> None:
    frame = kz.load("un_egov", data_dir=PROCESSED)
    assert isinstance(frame["iso3"].dtype, pd.CategoricalDtype)
    assert frame["egdi_rank"].dtype == "Int64"
    assert frame["egdi"].dtype == "float64"
    assert len(frame) == 193 * 12


def test_load_by_peer_group_and_years() -> None:
    frame = kz.load("un_egov", countries="central_asia", years=range(2020, 2025), data_dir=PROCESSED)
    assert sorted(frame["iso3"].astype(str).unique()) == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert sorted(frame["survey_year"].unique()) == [2020, 2022, 2024]


def test_load_accepts_country_names() -> None:
    frame = kz.load("un_egov", countries=["Kazakhstan", "Republic of Korea"], years=2024, data_dir=PROCESSED)
    assert sorted(frame["iso3"].astype(str)) == ["KAZ", "KOR"]


def test_load_unknown_table_or_country_says_what_exists() -> None:
    with pytest.raises(UnknownTableError, match=r"published tables: .*un_egov"):
        kz.load("egov", data_dir=PROCESSED)
    with pytest.raises(CountryError, match="Atlantis"):
        kz.load("un_egov", countries=["Atlantis"], data_dir=PROCESSED)


def test_tables_lists_name_rows_and_years() -> None:
    overview = kz.tables(data_dir=PROCESSED).set_index("name")
    assert overview.loc["un_egov", "rows"] == 2316
    assert overview.loc["un_egov", "years"] == "2003-2024"
    assert overview.loc["countries", "rows"] == 251  # 249 ISO 3166-1 countries, Kosovo, former Netherlands Antilles


def test_default_data_dir_is_the_shipped_tables() -> None:
    frame = kz.load("un_egov", countries="KAZ", years=2003)
    assert frame["egdi"].item() == 0.38661


def test_peers() -> None:
    assert kz.peers("central_asia") == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert kz.peers("eaeu") == ["ARM", "BLR", "KAZ", "KGZ", "RUS"]
    assert len(kz.peers("post_soviet")) == 15
    with pytest.raises(UnknownPeerGroupError, match="known groups"):
        kz.peers("nordics")


def test_countries_table_has_kazakhstan_region_income_and_groups() -> None:
    countries = kz.load("countries", countries="KAZ", data_dir=PROCESSED).iloc[0]
    assert countries["iso_numeric"] == "398"
    assert countries["wb_region"] == "Europe & Central Asia"
    assert countries["wb_income_group"] == "Upper middle income"
    assert bool(countries["central_asia"])
    assert bool(countries["eaeu"])
    assert bool(countries["post_soviet"])


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: kzegov-data" in capsys.readouterr().out


def test_help_lists_every_command() -> None:
    text = parser().format_help()
    for command in COMMANDS:
        assert command in text


def test_cli_show_kazakhstan_against_central_asia(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["show", "un_egov", "--country", "KAZ", "--peers", "central_asia", "--years", "2024",
                   "--columns", "iso3,egdi,egdi_rank", "--csv", "--data-dir", str(PROCESSED)])
    assert status == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "iso3,egdi,egdi_rank"
    assert "KAZ,0.90093,24" in lines
    assert len(lines) == 6


def test_cli_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tables", "--data-dir", str(PROCESSED)]) == 0
    assert "un_egov" in capsys.readouterr().out


def test_cli_peers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["peers", "eaeu"]) == 0
    assert "ARM BLR KAZ KGZ RUS" in capsys.readouterr().out


def test_cli_validate_the_committed_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPO), "validate"]) == 0
    assert "un_egov: 2316 rows, schema and hashes ok" in capsys.readouterr().out


@pytest.mark.mirror
def test_cli_fetch_from_mirror_pins_files(mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path), "fetch", "un_egov", "--mirror", str(mirror)]) == 0
    assert "un_egov: 12 file(s) pinned" in capsys.readouterr().out
    assert (tmp_path / "raw" / "un_egov" / "EGOV_DATA_2024.csv").is_file()


def test_cli_expected_errors_are_one_line_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "nope", "--data-dir", str(PROCESSED)]) == 1
    assert main(["show", "un_egov", "--years", "last", "--data-dir", str(PROCESSED)]) == 1
    assert main(["build", "--mirror", "/nonexistent/mirror"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("error: ") == 3


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "kzegov_data", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("kzegov-data ")


# --- metadata: citations, licences, attrs, the public surface ---------------------------------------


def published_resources() -> dict[str, dict[str, object]]:
    """The published tables (an earlier edition's own resource, ``<table>.<slug>``, is not one)."""
    descriptor = json.loads((PROCESSED / "datapackage.json").read_text("utf-8"))
    return {resource["name"]: resource for resource in descriptor["resources"] if "edition_of" not in resource}


def test_tables_lists_each_tables_citation_and_licence_with_its_url() -> None:
    overview = kz.tables(data_dir=PROCESSED).set_index("name")
    for name, resource in published_resources().items():
        assert overview.loc[name, "citation"] == resource["kzegov:citation"]
        assert overview.loc[name, "licence"] == resource["licenses"][0]["name"]
        assert overview.loc[name, "licence_url"] == resource["licenses"][0]["path"]
    assert overview.loc["wb_wgi", "licence_url"] == "https://creativecommons.org/licenses/by/4.0/"


def test_citation_of_a_table_is_its_published_text_and_an_indicator_cites_its_table() -> None:
    resources = published_resources()
    for name, resource in resources.items():
        assert kz.citation(name, data_dir=PROCESSED) == resource["kzegov:citation"]
    assert kz.citation("egdi", data_dir=PROCESSED) == resources["un_egov"]["kzegov:citation"]
    assert kz.citation("cpi_score", data_dir=PROCESSED) == resources["ti_cpi"]["kzegov:citation"]


def test_citation_bibtex_holds_the_published_title_page_citation_and_licence() -> None:
    entry = kz.citation("un_egov", style="bibtex", data_dir=PROCESSED)
    resource = published_resources()["un_egov"]
    assert entry.startswith("@misc{kzegov_un_egov,\n")
    assert entry.endswith("}\n")
    assert f"title = {{{resource['sources'][0]['title']}}}" in entry  # type: ignore[index]
    assert f"\\url{{{resource['sources'][0]['path']}}}" in entry  # type: ignore[index]
    assert f"\\url{{{resource['licenses'][0]['path']}}}" in entry  # type: ignore[index]
    assert "UN DESA (2003-2024). United Nations E-Government Survey, country data." in entry
    assert entry.count("{") == entry.count("}")


def test_citation_of_an_unknown_name_or_style_says_what_exists() -> None:
    with pytest.raises(UnknownTableError, match=r"neither a published table nor an indicator.*kz\.indicators"):
        kz.citation("egov", data_dir=PROCESSED)
    with pytest.raises(InvalidArgumentError, match=r"style='apa'.*'bibtex'"):
        kz.citation("un_egov", style="apa", data_dir=PROCESSED)


def test_published_citations_hold_no_placeholder() -> None:
    # The code formats what is published and adds nothing, so a placeholder such as
    # "(accessed <date>)" or "{year}" left in a source's citation must show up here.
    for name, resource in published_resources().items():
        text = str(resource["kzegov:citation"])
        assert not re.search(r"<[^>]*>|\{[^}]*\}", text), (name, text)


def test_load_attrs_hold_the_tables_title_units_source_licence_and_citation() -> None:
    frame = kz.load("un_egov", countries="KAZ", data_dir=PROCESSED)
    resource = published_resources()["un_egov"]
    assert frame.attrs["title"] == resource["title"] == "UN E-Government Survey"
    assert frame.attrs["units"]["egdi"] == "index 0-1"
    assert frame.attrs["units"]["egdi_rank"] == "rank"
    assert frame.attrs["source"] == "un_egov"
    assert frame.attrs["licence"] == "United Nations Terms of Use (no open licence)"
    assert frame.attrs["licence_url"] == "https://www.un.org/en/about-us/terms-of-use"
    assert frame.attrs["citation"] == resource["kzegov:citation"]


def test_panel_attrs_hold_each_indicators_unit_table_licence_and_citation() -> None:
    wide = kz.panel(["egdi", "hdi"], countries="KAZ", data_dir=PROCESSED)
    resources = published_resources()
    assert wide.attrs["units"] == {"egdi": "index 0-1", "hdi": "index 0-1"}
    assert wide.attrs["source"] == {"egdi": "un_egov", "hdi": "undp_hdi"}
    assert wide.attrs["licence"]["hdi"] == "CC BY 3.0 IGO"
    assert wide.attrs["citation"]["egdi"] == resources["un_egov"]["kzegov:citation"]


def test_dir_lists_the_public_api() -> None:
    listed = dir(kz)
    public = {"load", "tables", "peers", "panel", "compare", "indicators", "citation", "YearNotPublishedError"}
    assert public <= set(listed)
    assert listed == sorted(kz.__all__)
    for name in listed:
        assert getattr(kz, name) is not None


# --- reading: equal to pandas, and the descriptor read once per version ------------------------------


@pytest.mark.parametrize("table", sorted(published_resources()))
def test_load_equals_pandas_read_parquet_for_every_table(table: str) -> None:
    path = PROCESSED / f"{table}.parquet"
    pd.testing.assert_frame_equal(kz.load(table, data_dir=PROCESSED), pd.read_parquet(path))
    filtered = kz.load(table, countries=["KAZ", "KGZ", "KOR"], data_dir=PROCESSED)
    pd.testing.assert_frame_equal(filtered, pd.read_parquet(path, filters=[("iso3", "in", ["KAZ", "KGZ", "KOR"])]))


def test_load_with_years_equals_pandas_read_parquet_with_the_same_filters() -> None:
    frame = kz.load("indicators", countries="central_asia", years="2010-2012", data_dir=PROCESSED)
    expected = pd.read_parquet(PROCESSED / "indicators.parquet", filters=[
        ("iso3", "in", ["KAZ", "KGZ", "TJK", "TKM", "UZB"]), ("year", "in", [2010, 2011, 2012])])
    pd.testing.assert_frame_equal(frame, expected)


def test_a_rebuilt_descriptor_is_read_afresh(tmp_path: Path) -> None:
    folder = tmp_path / "processed"
    shutil.copytree(PROCESSED, folder)
    assert kz.tables(data_dir=folder).set_index("name").loc["un_egov", "title"] == "UN E-Government Survey"
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "un_egov":
            resource["title"] = "UN E-Government Survey (renamed)"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    assert kz.tables(data_dir=folder).set_index("name").loc["un_egov", "title"] == "UN E-Government Survey (renamed)"


def test_a_damaged_table_is_reported_as_damaged(tmp_path: Path) -> None:
    folder = tmp_path / "processed"
    shutil.copytree(PROCESSED, folder)
    (folder / "un_egov.parquet").write_bytes(b"not parquet")
    with pytest.raises(DamagedTableError, match=r"published table 'un_egov' is damaged.*kzegov-data build --force"):
        kz.load("un_egov", data_dir=folder)
    (folder / "un_egov.parquet").unlink()
    with pytest.raises(DamagedTableError, match="the file is missing"):
        kz.load("un_egov", data_dir=folder)
