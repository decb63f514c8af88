"""The public surface: cheap import, load/tables/peers on the shipped tables, every CLI command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kzegov_data as kz
from kzegov_data.cli import COMMANDS, main, parser
from kzegov_data.errors import CountryError, UnknownPeerGroupError, UnknownTableError

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
