"""The command line a new user meets: info, panel, --output, plot, compare's default group, one
vocabulary for sources and tables, printing numbers as published, and where commands work."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kzegov_data as kz
from kzegov_data.cli import COMMANDS, main
from kzegov_data.countries import peer_group_names
from kzegov_data.locations import checkout_root, user_data_dir
from kzegov_data.pipeline import Project
from kzegov_data.registry import source_id_of, tables_by_source

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "processed"
DATA = ["--data-dir", str(PROCESSED)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- info, tables, indicators, peers: from datapackage.json, without pandas ----------------------------


def test_info_un_egov_gives_coverage_units_licence_and_citation(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "info", "un_egov", *DATA)
    assert status == 0
    assert "coverage: 2316 rows, 2003-2024 (survey_year)" in out
    assert any(line.split()[:3] == ["egdi", "number", "index"] for line in out.splitlines())
    assert "licence: United Nations Terms of Use" in out
    assert "citation: UN DESA (2003-2024). United Nations E-Government Survey" in out


def test_info_of_an_unknown_table_lists_the_published_ones(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "info", "egov", *DATA)
    assert status == 1
    assert "unknown table or indicator 'egov'; published tables:" in err
    assert "un_egov" in err


def test_info_of_the_indicator_egdi_describes_its_table_un_egov(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "info", "egdi", *DATA)
    assert status == 0
    assert out.startswith("indicator egdi: E-Government Development Index (index 0-1, 2003-2024), from table un_egov")
    assert "citation: UN DESA" in out


@pytest.mark.parametrize("argv", [["tables"], ["peers"], ["indicators"], ["info", "itu_ict"]])
def test_listing_commands_import_no_pandas(argv: list[str]) -> None:
    code = (
        "import sys; from kzegov_data.cli import main; status = main(sys.argv[1:]); "
        "print('pandas' in sys.modules, status)"
    )
    result = subprocess.run([sys.executable, "-c", code, *argv, *DATA], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "False 0"


def test_peers_lists_every_group_with_members(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "peers", *DATA)
    assert status == 0
    listed = [line.split(" ")[0] for line in out.splitlines()]
    assert listed == peer_group_names()
    assert "income:upper_middle (World Bank income group: Upper middle income" in out
    assert " KAZ " in out.splitlines()[listed.index("income:upper_middle")] + " "


@pytest.mark.parametrize("command", ["show", "compare", "panel"])
def test_peers_help_lists_every_group(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert [group for group in peer_group_names() if group not in text] == []


# --- numbers as published ------------------------------------------------------------------------


def test_show_indicators_prints_kazakhstan_cpi_2024_as_40_and_egdi_as_0_90093(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "show", "indicators", "--country", "KAZ", "--years", "2024", *DATA)
    assert status == 0
    rows = {line.split()[2]: line.split()[3] for line in out.splitlines()[1:]}
    assert rows["cpi_score"] == "40"
    assert rows["egdi"] == "0.90093"
    assert "e+01" not in out


def test_show_with_no_matching_year_fails_and_names_the_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "show", "un_egov", "--years", "2023", *DATA)
    assert status == 1
    assert "2003-2024" in err


def test_a_huge_year_range_is_clipped_to_the_tables_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    # 1-99999999 used to expand into a hundred million years (57 s, 19 GB); clipped to 2003-2024 it
    # selects exactly what no year filter selects.
    status, clipped, _ = run(capsys, "show", "un_egov", "--country", "KAZ", "--years", "1-99999999", *DATA)
    assert status == 0
    _, everything, _ = run(capsys, "show", "un_egov", "--country", "KAZ", *DATA)
    assert clipped == everything


def test_a_malformed_year_range_names_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "show", "un_egov", "--years", "2024-2020", *DATA)
    assert status == 1
    assert "--years" in err


# --- compare ---------------------------------------------------------------------------------------


def test_compare_without_peers_uses_kazakhstans_own_group(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "compare", "KAZ", "--indicator", "egdi", "--years", "2024", *DATA)
    assert status == 0
    assert "group central_asia (the default for this country" in out
    assert "KAZ KGZ TJK TKM UZB" in out


def test_compare_egdi_leaves_out_group_weighted_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "compare", "KAZ", "--peers", "eaeu", "--indicator", "egdi", *DATA)
    assert status == 0
    header = out.splitlines()[1]
    assert "group_weighted" not in header.split()
    assert "group_weighted: not shown" in out


def test_compare_fixed_broadband_shows_the_population_weighted_aggregate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "compare", "KAZ", "--peers", "eaeu", "--indicator", "fixed_broadband_per100", *DATA)
    assert status == 0
    assert "group_weighted" in out.splitlines()[1].split()
    assert "population-weighted" in out


def test_compare_a_country_in_no_study_group_says_which_to_pick(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "compare", "USA", "--indicator", "egdi", *DATA)
    assert status == 1
    assert "pick a group with --peers" in err
    assert "income:high" in err


# --- panel and --output ------------------------------------------------------------------------------


def test_panel_of_central_asia_2024_has_kazakhstan_egdi_and_cpi(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "panel", "egdi,cpi_score", "--peers", "central_asia", "--years", "2024", "--csv",
                         *DATA)
    assert status == 0
    assert out.splitlines()[0] == "iso3,year,egdi,cpi_score"
    assert "KAZ,2024,0.90093,40.0" in out.splitlines()


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_output_writes_the_panel_that_the_api_returns(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / f"panel{suffix}"
    status, out, _ = run(capsys, "panel", "egdi", "hdi", "--peers", "eaeu", "--years", "2012-2022",
                         "--output", str(target), *DATA)
    assert status == 0
    assert f"to {target}" in out
    expected = kz.panel(["egdi", "hdi"], countries="eaeu", years=range(2012, 2023), data_dir=PROCESSED)
    written = {".csv": pd.read_csv, ".parquet": pd.read_parquet,
               ".xlsx": lambda path: pd.read_excel(path, engine="calamine")}[suffix](target)
    pd.testing.assert_frame_equal(written.astype({"iso3": str}), expected.astype({"iso3": str}), check_dtype=False)


def test_show_and_compare_write_files_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "un_egov", "--country", "KAZ", "--output", str(tmp_path / "kaz.csv"), *DATA]) == 0
    assert main(["compare", "KAZ", "--indicator", "egdi", "--output", str(tmp_path / "kaz.parquet"), *DATA]) == 0
    assert len(pd.read_csv(tmp_path / "kaz.csv")) == 12
    assert pd.read_parquet(tmp_path / "kaz.parquet").query("year == 2024")["rank"].item() == 1


def test_excel_without_xlsxwriter_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    status, _, err = run(capsys, "panel", "egdi", "--output", str(tmp_path / "p.xlsx"), *DATA)
    assert status == 1
    assert "pip install 'kzegov_data[excel]'" in err
    assert not (tmp_path / "p.xlsx").exists()


def test_output_of_an_unknown_format_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "panel", "egdi", "--output", str(tmp_path / "p.txt"), *DATA)
    assert status == 1
    assert ".csv, .parquet or .xlsx" in err


# --- plot ----------------------------------------------------------------------------------------------


def test_plot_by_indicator_with_default_country_and_peers_is_the_data_card_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib", reason="plotting needs the plot extra (matplotlib)")
    status, _, _ = run(capsys, "plot", "--indicator", "egdi", "--output", str(tmp_path / "egdi.png"), *DATA)
    assert status == 0
    assert (tmp_path / "egdi.png").read_bytes() == (REPO / "docs" / "figures" / "un_egov_egdi.png").read_bytes()


def test_plot_uzbekistan_against_the_post_soviet_states(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib", reason="plotting needs the plot extra (matplotlib)")
    target = tmp_path / "uzb.png"
    status, out, _ = run(capsys, "plot", "--indicator", "cpi_score", "--country", "UZB", "--peers", "post_soviet",
                         "--output", str(target), *DATA)
    assert status == 0
    assert target.read_bytes()[1:4] == b"PNG"
    assert str(target) in out


def test_plot_needs_a_series_or_an_indicator(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "plot", "--output", str(tmp_path / "x.png"), *DATA)
    assert status == 1
    assert "--indicator ID" in err


# --- one vocabulary: table names stand for their sources ----------------------------------------------------


@pytest.mark.parametrize(("table", "source"), [("itu_ict", "itu"), ("undp_hdi", "undp_hdr"),
                                               ("ti_cpi_sources", "ti_cpi"), ("countries", "wb_classification")])
def test_a_table_name_stands_for_the_source_that_publishes_it(table: str, source: str) -> None:
    assert source_id_of(table) == source
    assert source_id_of(source) == source


def test_every_published_table_but_the_derived_ones_names_a_source() -> None:
    published = {resource["name"] for resource in json.loads((PROCESSED / "datapackage.json").read_text())["resources"]
                 if "edition_of" not in resource}  # an earlier edition's own resource is not a table
    declared = {table for tables in tables_by_source().values() for table in tables}
    assert published - declared == {"indicators", "revisions"}


# --- where the writing commands work ------------------------------------------------------------------------


def test_outside_a_checkout_the_project_is_the_per_user_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KZEGOV_ROOT", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.chdir(tmp_path)
    assert Project.locate().root == user_data_dir() == tmp_path / "data-home" / "kzegov_data"
    assert Project.locate(tmp_path / "mine").root == tmp_path / "mine"


def test_inside_a_checkout_the_project_is_its_root_even_from_a_subfolder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KZEGOV_ROOT", raising=False)
    monkeypatch.chdir(REPO / "docs")
    assert checkout_root() == REPO
    assert Project.locate().root == REPO


def test_the_readme_shows_every_command() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert [command for command in COMMANDS if f"kzegov-data {command}" not in readme] == []
