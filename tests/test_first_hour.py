"""A user's first hour (issue 12), scripted: the examples that failed, each with its clear outcome now;
the release files (LICENSE, CITATION.cff, the data card) where a user looks for them; complete
citations; and the built wheel, installed into a scratch folder and used from an empty folder.

Not timed: speed belongs in scripts/bench.py.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import kzegov_data as kz
from kzegov_data.cli import main
from kzegov_data.fetch import Lock
from kzegov_data.pipeline import Project, build

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "processed"
DATA = ["--data-dir", str(PROCESSED)]
#: What a citation must never hold: an unfilled field ({year}, {retrieved}) or a stand-in (<date>).
PLACEHOLDER = re.compile(r"[{}<>]")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


# --- the examples of issue 12 through the CLI ---------------------------------------------------------------


def test_build_accepts_the_table_name_undp_hdi(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KZEGOV_MIRROR", raising=False)
    status, said = cli(capsys, "--root", str(tmp_path), "build", "undp_hdi", "--offline")
    assert status == 0, said
    assert "could not refresh undp_hdr" in said
    assert "unknown source" not in said


def test_show_indicators_prints_40_not_4_000000e01(capsys: pytest.CaptureFixture[str]) -> None:
    status, said = cli(capsys, "show", "indicators", "--country", "KAZ", "--years", "2024", *DATA)
    assert status == 0
    assert "e+01" not in said
    assert re.search(r"cpi_score\s+40\s", said)


def test_compare_prints_no_all_missing_group_weighted_column(capsys: pytest.CaptureFixture[str]) -> None:
    status, said = cli(capsys, "compare", "KAZ", "--peers", "central_asia", "--indicator", "egdi", *DATA)
    assert status == 0
    assert "NaN" not in said
    assert "group_weighted: not shown" in said


def test_compare_needs_no_peers_for_kazakhstan(capsys: pytest.CaptureFixture[str]) -> None:
    status, said = cli(capsys, "compare", "KAZ", "--indicator", "egdi", "--years", "2024", *DATA)
    assert status == 0
    assert "group central_asia" in said


def test_a_non_survey_year_fails_instead_of_printing_no_rows(capsys: pytest.CaptureFixture[str]) -> None:
    status, said = cli(capsys, "show", "un_egov", "--years", "2023", *DATA)
    assert status == 1
    assert "(no rows)" not in said


def test_plot_is_no_longer_fixed_to_kazakhstan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib", reason="plotting needs the plot extra (matplotlib)")
    status, said = cli(capsys, "plot", "--indicator", "egdi", "--country", "KGZ", "--peers", "eaeu",
                       "--output", str(tmp_path / "kgz.png"), *DATA)
    assert status == 0, said
    assert (tmp_path / "kgz.png").is_file()


def test_a_result_can_be_written_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, said = cli(capsys, "panel", "egdi", "cpi_score", "--peers", "central_asia",
                       "--output", str(tmp_path / "panel.csv"), *DATA)
    assert status == 0, said
    assert (tmp_path / "panel.csv").read_text("utf-8").startswith("iso3,year,egdi,cpi_score\n")


def test_load_from_an_empty_folder_names_the_folder_and_not_make(tmp_path: Path) -> None:
    with pytest.raises(kz.NoPublishedTablesError) as raised:
        kz.load("un_egov", data_dir=tmp_path)
    assert str(tmp_path) in str(raised.value)
    assert "make" not in str(raised.value)


def messages_of(path: Path) -> list[str]:
    """The string literals of a module that are not docstrings (comments and docstrings are for developers)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_message_tells_a_pip_user_to_run_make() -> None:
    # datacard.py's only mention is the card's note to its editors ("edit docs/datacard/ and run make").
    sources = [path for path in (REPO / "src" / "kzegov_data").rglob("*.py") if path.name != "datacard.py"]
    offending = [f"{path.name}: {text}" for path in sources for text in messages_of(path)
                 if re.search(r"\bmake (data|test|setup)\b", text)]
    assert offending == []


# --- licence, citation, data card: where a user looks -----------------------------------------------------


def test_the_code_is_mit_licensed_in_a_license_file() -> None:
    text = (REPO / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


def test_citation_cff_is_valid_cff_1_2_0() -> None:
    text = (REPO / "CITATION.cff").read_text("utf-8")
    try:
        import yaml
    except ImportError:  # PyYAML comes with the dev tools; without it, check the keys by their lines
        keys = {line.split(":", 1)[0] for line in text.splitlines() if re.match(r"^[a-z-]+:", line)}
        assert {"cff-version", "message", "title", "authors"} <= keys
        return
    citation = yaml.safe_load(text)
    assert citation["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(citation)
    assert all("name" in author or "family-names" in author for author in citation["authors"])
    assert citation["license"] == "MIT"


def test_the_release_bundle_holds_licence_card_and_every_file_its_readme_links(release_zip: Path) -> None:
    with zipfile.ZipFile(release_zip) as archive:
        names = {name.removeprefix("kzegov_data/") for name in archive.namelist()}
        readme = archive.read("kzegov_data/README.md").decode("utf-8")
        card = archive.read("kzegov_data/DATACARD.md").decode("utf-8")
    assert {"LICENSE", "DATACARD.md", "README.md", "datapackage.json"} <= names
    local_links = {link for link in re.findall(r"\]\(([^)]+)\)", readme + card)
                   if "://" not in link and not link.startswith("#")}
    assert local_links, "the README links the card and the licence"
    assert sorted(local_links - names) == []


def test_no_licence_or_source_link_points_to_the_package_index() -> None:
    # pypi.org/project/kzegov_data/ does not exist; the derived table's licence is the data card.
    from kzegov_data.derived import DERIVED

    assert "pypi.org" not in DERIVED.licence.url + DERIVED.landing_page


@pytest.fixture(scope="module")
def synthetic_build(synthetic_mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("first-hour-build"))
    build(project, mirror=synthetic_mirror, progress=False, echo=lambda line: None)
    return project


def test_every_published_citation_is_complete_text(synthetic_build: Project) -> None:
    descriptor = json.loads((synthetic_build.processed_dir / "datapackage.json").read_text("utf-8"))
    citations = {resource["name"]: resource["kzegov:citation"] for resource in descriptor["resources"]}
    assert {name: text for name, text in citations.items() if PLACEHOLDER.search(text)} == {}


def test_the_itu_access_date_is_the_retrieval_date_in_the_lock(synthetic_build: Project) -> None:
    lock = Lock.load(synthetic_build.lock_path)
    retrieved = max(entry["retrieved"] for entry in lock.entries["itu"].values())
    descriptor = json.loads((synthetic_build.processed_dir / "datapackage.json").read_text("utf-8"))
    (itu,) = (r for r in descriptor["resources"] if r["name"] == "itu_ict")
    assert f"(accessed {retrieved})" in itu["kzegov:citation"]


# --- from the built wheel, in an empty folder -----------------------------------------------------------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel built from this checkout (offline: hatchling from the dev tools, no build isolation),
    installed without dependencies into a scratch folder that the test's processes put first on sys.path."""
    try:
        import hatchling  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI needs hatchling (the dev extra) to build the wheel")
        pytest.skip("building the wheel offline needs hatchling: pip install -e '.[dev]'")
    wheels = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", str(wheels),
                    str(REPO)], check=True, capture_output=True)
    (wheel,) = wheels.glob("kzegov_data-*.whl")
    site = tmp_path_factory.mktemp("site")
    subprocess.run([*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    return wheel, site


@pytest.fixture(scope="module")
def user(installed: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {"site": installed[1], "home": tmp_path_factory.mktemp("home"), "empty": tmp_path_factory.mktemp("empty")}


def as_user(user: dict[str, Path], *argv: str) -> subprocess.CompletedProcess[str]:
    """A process of a pip user: the installed wheel first on sys.path, no project variables, an
    empty current folder and a scratch home (so the per-user data folder is scratch too)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KZEGOV_")}
    environment.update(PYTHONPATH=str(user["site"]), HOME=str(user["home"]),
                       XDG_DATA_HOME=str(user["home"] / "data"))
    return subprocess.run([sys.executable, *argv], cwd=user["empty"], env=environment, capture_output=True,
                          text=True)


def test_the_wheel_holds_the_licence_the_card_and_the_lock(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert any(re.fullmatch(r"kzegov_data-[^/]+\.dist-info/licenses/LICENSE", name) for name in names)
    assert {"kzegov_data/processed/DATACARD.md", "kzegov_data/processed/LICENSE",
            "kzegov_data/processed/datapackage.json", "kzegov_data/raw/sources.lock.json"} <= names
    card = re.findall(r"\]\((docs/figures/[^)]+)\)", archive_text(wheel, "DATACARD.md"))
    assert card, "the card shows its figures"
    assert {f"kzegov_data/processed/{link}" for link in card} <= names


def archive_text(wheel: Path, name: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(f"kzegov_data/processed/{name}").decode("utf-8")


def test_from_the_wheel_load_tables_info_validate_and_build_work_and_the_folder_stays_empty(
    user: dict[str, Path],
) -> None:
    loaded = as_user(user, "-c", "import kzegov_data as kz; print(kz.__file__); "
                     "print(kz.load('un_egov', countries='KAZ', years=2024)['egdi'].item())")
    assert loaded.returncode == 0, loaded.stderr
    where, egdi = loaded.stdout.split()
    assert Path(where).is_relative_to(user["site"]), "the test must run the installed wheel, not the checkout"
    assert egdi == "0.90093"

    tables = as_user(user, "-m", "kzegov_data", "tables")
    assert tables.returncode == 0, tables.stderr
    assert "un_egov" in tables.stdout

    info = as_user(user, "-m", "kzegov_data", "info", "un_egov")
    assert info.returncode == 0, info.stderr
    assert "licence: United Nations Terms of Use" in info.stdout
    assert "citation: UN DESA" in info.stdout

    validated = as_user(user, "-m", "kzegov_data", "validate")
    assert validated.returncode == 0, validated.stderr
    assert "un_egov: 2316 rows, schema and hashes ok" in validated.stdout

    built = as_user(user, "-m", "kzegov_data", "build", "--offline")
    assert built.returncode == 0, built.stderr
    assert "could not refresh" in built.stdout
    assert "run: kzegov-data build" not in built.stdout + built.stderr
    assert "make " not in built.stdout + built.stderr

    assert sorted(user["empty"].iterdir()) == []


def test_from_the_wheel_citation_and_the_tables_citation_column(user: dict[str, Path]) -> None:
    if not hasattr(kz, "citation"):
        pytest.skip("kz.citation and the citation column of kz.tables() come with the api change of issue 12")
    cited = as_user(user, "-c", "import kzegov_data as kz; print(kz.citation('un_egov')); "
                    "print(kz.citation('egdi', style='bibtex').startswith('@')); "
                    "print(kz.tables().set_index('name').loc['un_egov', 'citation'] == kz.citation('un_egov'))")
    assert cited.returncode == 0, cited.stderr
    text, bibtex, same = cited.stdout.strip().splitlines()
    assert text.startswith("UN DESA (2003-2024). United Nations E-Government Survey")
    assert bibtex == "True"
    assert same == "True"
    assert sorted(user["empty"].iterdir()) == []


# --- set-up that talks -------------------------------------------------------------------------------------------


def test_fetching_from_the_network_says_so_once_per_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kzegov_data.fetch import FetchSettings, announce_downloads
    from kzegov_data.registry import get_source

    itu = get_source("itu")
    announce_downloads(itu, FetchSettings(raw_dir=tmp_path))
    lines = capsys.readouterr().err.splitlines()
    downloadable = [raw_file for raw_file in itu.files if raw_file.url]
    assert len(lines) == 1, "one line for the source, not one per file"
    assert lines[0].startswith(f"itu: downloading {len(downloadable)} file(s) from api.datahub.itu.int")
    assert "--mirror DIR" in lines[0]
    announce_downloads(itu, FetchSettings(raw_dir=tmp_path, mirror=tmp_path))
    announce_downloads(itu, FetchSettings(raw_dir=tmp_path, offline=True))
    assert capsys.readouterr().err == ""


def test_the_makefile_says_it_installs_before_installing() -> None:
    recipe = (REPO / "Makefile").read_text("utf-8").split("$(STAMP): pyproject.toml constraints.txt\n", 1)[1]
    first, second = recipe.splitlines()[:2]
    assert first.startswith("\t@echo \"installing dependencies")
    assert "about a minute" in first
    assert "venv" in second


def test_an_installed_package_reads_the_user_build_before_its_shipped_tables(tmp_path, monkeypatch):
    """load()'s order for a pip user: argument, KZEGOV_DATA_DIR, the user build (when it holds
    tables), the shipped tables; a checkout reads its own processed/ (where its builds publish)."""
    from kzegov_data import api, locations

    wheel_package = tmp_path / "site-packages" / "kzegov_data"
    (wheel_package / "processed").mkdir(parents=True)
    (wheel_package / "processed" / "datapackage.json").write_text("{}")
    user_build = tmp_path / "user" / "processed"
    monkeypatch.delenv("KZEGOV_DATA_DIR", raising=False)
    monkeypatch.setattr(locations, "package_dir", lambda: wheel_package)
    monkeypatch.setattr(locations, "user_processed_dir", lambda: user_build)
    assert api.resolve_data_dir() == wheel_package / "processed"
    user_build.mkdir(parents=True)
    (user_build / "datapackage.json").write_text("{}")
    assert api.resolve_data_dir() == user_build
    monkeypatch.setenv("KZEGOV_DATA_DIR", str(wheel_package / "processed"))
    assert api.resolve_data_dir() == wheel_package / "processed"
    assert api.resolve_data_dir(user_build) == user_build
