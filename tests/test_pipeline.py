"""Build end to end: determinism, skipping, freshness of the committed tables, bad input, offline.

The mechanics run on the synthetic mirror (every source's raw files made by ``tests/synthetic``), so
they need no publisher file; the truth of the committed ``processed/`` is checked against a rebuild
from the real mirror (marker ``mirror``).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from kzegov_data.cli import main
from kzegov_data.pipeline import BuildState, Project, build
from kzegov_data.publish import read_datapackage, read_metadata
from kzegov_data.registry import source_ids

REPO = Path(__file__).resolve().parents[1]
COMMITTED_LOCK = REPO / "raw" / "sources.lock.json"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def quiet(line: str) -> None:
    """The build's progress lines are not what these tests look at."""


def built_project(folder: Path, mirror: Path, lock: Path | None = None) -> Project:
    project = Project(folder)
    if lock is not None:
        project.lock_path.parent.mkdir(parents=True)
        shutil.copy(lock, project.lock_path)
    build(project, mirror=mirror, progress=False, echo=quiet)
    return project


@pytest.fixture(scope="module")
def synthetic(synthetic_mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A project built from the synthetic mirror, with a fresh lock."""
    return built_project(tmp_path_factory.mktemp("synthetic-build"), synthetic_mirror)


@pytest.fixture
def synthetic_copy(synthetic_mirror: Path, tmp_path: Path) -> Path:
    """A writable copy of the synthetic mirror, for tests that damage a file."""
    return Path(shutil.copytree(synthetic_mirror, tmp_path / "mirror"))


@pytest.fixture
def shipped(synthetic: Project, tmp_path: Path) -> Project:
    """A project holding published tables and no raw files, like a fresh clone."""
    project = Project(tmp_path / "project")
    shutil.copytree(synthetic.processed_dir, project.processed_dir)
    project.raw_dir.mkdir(parents=True)
    return project


# --- the build's mechanics, on synthetic files ---------------------------------------------------------


def test_every_source_and_the_indicators_are_published(synthetic: Project) -> None:
    names = {r["name"] for r in read_datapackage(synthetic.processed_dir)["resources"]}
    current = {"countries", "income_history", "indicators", "itu_ict", "revisions", "ti_cpi", "ti_cpi_sources",
               "un_egov", "undp_hdi", "wb_wgi"}
    earlier = {"itu_ict.june-2019", "undp_hdi.hdr21-22", "undp_hdi.hdr23-24", "wb_wgi.2019", "wb_wgi.2021"}
    assert names == current | earlier
    assert sorted(p.name for p in synthetic.processed_dir.iterdir()) == sorted(
        [f"{name}.parquet" for name in current] + ["datapackage.json", "editions"]
    ), "processed/ holds Parquet and the descriptor only; CSV goes into the release bundle"
    assert sorted(p.relative_to(synthetic.processed_dir / "editions").as_posix()
                  for p in (synthetic.processed_dir / "editions").rglob("*.parquet")) == sorted(
        "{}/{}.parquet".format(*name.split(".")) for name in earlier)


def test_rebuilding_gives_byte_identical_processed(synthetic: Project, synthetic_mirror: Path, tmp_path: Path) -> None:
    again = built_project(tmp_path / "again", synthetic_mirror)
    assert snapshot(again.processed_dir) == snapshot(synthetic.processed_dir)
    assert again.lock_path.read_bytes() == synthetic.lock_path.read_bytes()
    assert again.bundle_path.read_bytes() == synthetic.bundle_path.read_bytes()


def test_published_files_say_nothing_about_the_code_that_wrote_them(synthetic: Project) -> None:
    descriptor = (synthetic.processed_dir / "datapackage.json").read_text("utf-8")
    from kzegov_data import __version__
    from kzegov_data.pipeline import code_digest

    for text in [descriptor, *(json.dumps(read_metadata(p)) for p in synthetic.processed_dir.glob("*.parquet"))]:
        assert "build_key" not in text
        assert code_digest() not in text
        assert f'"version": "{__version__}"' not in text
        assert "package_version" not in text


def test_second_build_with_nothing_changed_is_skipped(synthetic: Project, synthetic_mirror: Path) -> None:
    before = snapshot(synthetic.processed_dir)
    report = build(synthetic, mirror=synthetic_mirror, progress=False, echo=quiet)
    assert report.skipped == list(source_ids())
    assert report.built == []
    assert snapshot(synthetic.processed_dir) == before


def test_a_build_with_nothing_to_do_rewrites_neither_the_lock_nor_the_state(
    synthetic: Project, synthetic_mirror: Path, tmp_path: Path
) -> None:
    project = Project(tmp_path / "settled")
    shutil.copytree(synthetic.root, project.root)
    build(project, mirror=synthetic_mirror, progress=False, echo=quiet)
    # Files changed in the last 2 s are not remembered (their timestamps cannot prove them unchanged):
    # once they are older, one more build remembers every hash, and from then on nothing is written.
    time.sleep(2.1)
    build(project, mirror=synthetic_mirror, progress=False, echo=quiet)

    def written() -> list[tuple[int, int]]:
        return [(path.stat().st_ino, path.stat().st_mtime_ns) for path in (project.lock_path, project.state_path)]

    before = written()
    report = build(project, mirror=synthetic_mirror, progress=False, echo=quiet)
    assert report.skipped == list(source_ids())
    assert written() == before


def test_what_was_built_from_what_is_kept_outside_processed(synthetic: Project) -> None:
    state = BuildState.load(synthetic.state_path)
    assert set(state.records) == {*source_ids(), "indicators", "revisions"}
    assert synthetic.state_path.is_relative_to(synthetic.root / "build")
    assert "/build/" in (REPO / ".gitignore").read_text("utf-8").split()


def test_a_damaged_published_file_is_rebuilt_not_trusted(synthetic: Project, synthetic_mirror: Path,
                                                         tmp_path: Path) -> None:
    project = Project(tmp_path / "damaged")
    shutil.copytree(synthetic.root, project.root)
    table = project.processed_dir / "un_egov.parquet"
    intact = table.read_bytes()
    table.write_bytes(intact[: len(intact) // 2])
    report = build(project, mirror=synthetic_mirror, progress=False, echo=quiet)
    assert "un_egov" in report.built
    assert table.read_bytes() == intact


def test_building_one_source_keeps_the_other_tables(synthetic: Project, synthetic_mirror: Path,
                                                    tmp_path: Path) -> None:
    project = Project(tmp_path / "one")
    shutil.copytree(synthetic.root, project.root)
    before = snapshot(project.processed_dir)
    report = build(project, ["un_egov"], mirror=synthetic_mirror, force=True, progress=False, echo=quiet)
    assert report.built == ["un_egov", "indicators", "revisions"]
    assert snapshot(project.processed_dir) == before


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def survey_2024(mirror: Path) -> Path:
    return mirror / "un_egov" / "EGOV_DATA_2024.csv"


def drop_last_column(path: Path) -> None:
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in path.read_text("utf-8").splitlines()) + "\n",
                    "utf-8")


BAD_INPUTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "renamed column": (lambda m: replace_in(survey_2024(m), "E-Government Index", "EGDI"),
                       r"EGOV_DATA_2024.csv: the header .*missing \['E-Government Index'\]"),
    "missing column": (lambda m: drop_last_column(survey_2024(m)),
                       r"EGOV_DATA_2024.csv: the header .*missing \['Telecommunication Infrastructure Index'\]"),
    "extra column": (lambda m: survey_2024(m).write_text("\n".join(
        f"{line},x" for line in survey_2024(m).read_text("utf-8").splitlines()) + "\n", "utf-8"),
                     r"EGOV_DATA_2024.csv: the header .*unexpected"),
    "text in a numeric column": (lambda m: replace_in(survey_2024(m), "0.90093", "n/a"),
                                 r"EGOV_DATA_2024.csv: column 'egdi' holds text .*'n/a'"),
    "out-of-range value": (lambda m: replace_in(survey_2024(m), "0.93903", "1.93903"),
                           r"un_egov .*failed validation.*osi .*less_than_or_equal_to\(1\).*1\.93903"),
    "duplicate country": (lambda m: replace_in(survey_2024(m), '"Kyrgyzstan "', '"Kazakhstan "'),
                          r"EGOV_DATA_2024.csv: countries listed more than once: \['Kazakhstan'\]"),
    "unknown country name": (
        lambda m: replace_in(survey_2024(m), '"Kazakhstan "', '"Kazakstan Republic"'),
        r"EGOV_DATA_2024.csv: 1 country name\(s\) match no ISO 3166-1 code: 'Kazakstan Republic'",
    ),
    "empty file": (lambda m: survey_2024(m).write_bytes(b""),
                   r"EGOV_DATA_2024.csv: the (file|mirror copy) is empty"),
    "binary junk": (lambda m: survey_2024(m).write_bytes(bytes(range(256)) * 40),
                    r"EGOV_DATA_2024.csv: binary content"),
    "not utf-8": (lambda m: survey_2024(m).write_bytes(survey_2024(m).read_text("utf-8").encode("utf-16")),
                  r"EGOV_DATA_2024.csv: (binary content|not valid utf-8)"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_clearly_and_keeps_processed(
    case: str, shipped: Project, synthetic_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage, message = BAD_INPUTS[case]
    damage(synthetic_copy)
    before = snapshot(shipped.processed_dir)
    status = main(["--root", str(shipped.root), "build", "--mirror", str(synthetic_copy)])
    captured = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in captured.err
    assert re.search(message, captured.err, flags=re.DOTALL), captured.err
    assert snapshot(shipped.processed_dir) == before
    assert not shipped.lock_path.exists(), "a failed build must not pin the damaged file"


def test_changed_upstream_file_is_a_hash_mismatch(
    synthetic: Project, synthetic_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = Project(tmp_path / "pinned")
    shutil.copytree(synthetic.root, project.root)
    replace_in(survey_2024(synthetic_copy), "0.90093", "0.90094")
    before = snapshot(project.root)
    status = main(["--root", str(project.root), "build", "--mirror", str(synthetic_copy)])
    err = capsys.readouterr().err
    assert status == 1
    assert "EGOV_DATA_2024.csv" in err
    assert "differs from the lock" in err
    assert "kzegov-data fetch --update un_egov" in err
    assert snapshot(project.root) == before


def test_offline_without_sources_validates_the_shipped_tables(
    shipped: Project, synthetic: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KZEGOV_MIRROR", raising=False)
    shutil.copy(synthetic.lock_path, shipped.lock_path)
    before = snapshot(shipped.processed_dir)
    status = main(["--root", str(shipped.root), "build", "--offline", "--summary"])
    out = capsys.readouterr().out
    assert status == 0
    assert "validated shipped un_egov: 2316 rows" in out
    assert f"could not refresh {', '.join(source_ids())} (" in out
    assert re.search(r"egdi +0\.90093  \(2024, index 0-1\)", out), out
    assert snapshot(shipped.processed_dir) == before


def test_require_sources_makes_missing_sources_an_error(
    shipped: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KZEGOV_MIRROR", raising=False)
    status = main(["--root", str(shipped.root), "build", "--offline", "--require-sources"])
    assert status == 1
    assert "downloads are off" in capsys.readouterr().err


def test_validate_catches_a_tampered_published_file(shipped: Project, capsys: pytest.CaptureFixture[str]) -> None:
    table = shipped.processed_dir / "un_egov.parquet"
    table.write_bytes(table.read_bytes()[:-10] + b"0123456789")
    assert main(["--root", str(shipped.root), "validate"]) == 1
    assert "does not match datapackage.json" in capsys.readouterr().err


def test_unknown_source_names_the_known_sources_and_tables(
    shipped: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(shipped.root), "build", "undp_hdx", "--offline"]) == 1
    error = capsys.readouterr().err
    assert "unknown source or table 'undp_hdx'" in error
    assert "undp_hdr (tables: undp_hdi)" in error
    assert "wb_classification (tables: countries, income_history)" in error


def test_a_lock_of_another_format_version_is_refused(shipped: Project, capsys: pytest.CaptureFixture[str]) -> None:
    shipped.lock_path.write_text(json.dumps({"version": 99, "sources": {}}), "utf-8")
    assert main(["--root", str(shipped.root), "build", "--offline"]) == 1
    assert "lock format version 99" in capsys.readouterr().err


# --- the committed tables against the real files ----------------------------------------------------------


@pytest.fixture(scope="module")
def rebuilt(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A project rebuilt from the real mirror, from the committed lock (so pins and dates agree)."""
    return built_project(tmp_path_factory.mktemp("rebuilt"), mirror, lock=COMMITTED_LOCK)


def comparable(descriptor: dict[str, object]) -> dict[str, object]:
    """A descriptor without file sizes and hashes, which depend on the pyarrow version."""
    text = json.dumps(descriptor, sort_keys=True)
    return dict(json.loads(re.sub(r'"(bytes|hash)": ("[^"]*"|\d+)', r'"\1": null', text)))


@pytest.mark.mirror
def test_committed_processed_is_fresh(rebuilt: Project) -> None:
    """processed/ in git holds the data and metadata a rebuild from the real files gives.

    If not: run `make data` and commit processed/. Only data count: the same frames, the same
    metadata in every Parquet file and in datapackage.json (sizes and hashes aside, which depend on
    the pyarrow version pinned in constraints.txt).
    """
    committed = REPO / "processed"
    assert sorted(p.name for p in committed.iterdir()) == sorted(p.name for p in rebuilt.processed_dir.iterdir())
    assert comparable(read_datapackage(committed)) == comparable(read_datapackage(rebuilt.processed_dir))
    for parquet in sorted(rebuilt.processed_dir.glob("*.parquet")):
        pd.testing.assert_frame_equal(pd.read_parquet(committed / parquet.name), pd.read_parquet(parquet))
        assert read_metadata(committed / parquet.name) == read_metadata(parquet)


@pytest.mark.mirror
def test_committed_lock_pins_exactly_the_mirror_files(mirror: Path, tmp_path: Path) -> None:
    fresh = built_project(tmp_path, mirror)

    def hashes(path: Path) -> dict[str, dict[str, tuple[int, str]]]:
        entries = json.loads(path.read_text("utf-8"))["sources"]
        return {s: {n: (e["bytes"], e["sha256"]) for n, e in files.items()} for s, files in entries.items()}

    assert hashes(COMMITTED_LOCK) == hashes(fresh.lock_path)


@pytest.mark.mirror
def test_rebuilding_from_the_real_files_is_byte_identical(rebuilt: Project, mirror: Path, tmp_path: Path) -> None:
    again = built_project(tmp_path / "again", mirror, lock=COMMITTED_LOCK)
    assert snapshot(again.processed_dir) == snapshot(rebuilt.processed_dir)


def test_income_groups_come_from_the_countries_table_of_the_data_dir(synthetic: Project) -> None:
    import kzegov_data as kz

    folder = synthetic.processed_dir
    countries = kz.load("countries", data_dir=folder)
    expected = sorted(countries.loc[countries["wb_income_group"] == "High income", "iso3"].astype(str))
    assert kz.peers("income:high", data_dir=folder) == expected
    assert expected != kz.peers("income:high"), "the synthetic classification differs from the shipped one"
    loaded = kz.load("un_egov", countries="income:high", years=2024, data_dir=folder)
    assert 0 < len(loaded) <= len(expected)
    assert set(loaded["iso3"].astype(str)) <= set(expected)


def test_panel_and_compare_work_on_a_synthetic_build(synthetic: Project) -> None:
    import kzegov_data as kz

    folder = synthetic.processed_dir
    table = kz.compare("KAZ", peers="central_asia", indicator="egdi", years=2024, data_dir=folder)
    assert table.loc[0, "value"] == 0.90093
    assert table.loc[0, "group_size"] == 5
    wide = kz.panel(["egdi", "cpi_score", "internet_users_pct"], countries="KAZ", years=2024, data_dir=folder)
    assert wide.to_dict("records") == [{"iso3": "KAZ", "year": 2024, "egdi": 0.90093, "cpi_score": 40.0,
                                        "internet_users_pct": 93.3917}]
    broadband = kz.compare("KAZ", peers="eaeu", indicator="fixed_broadband_per100", years=2018, data_dir=folder)
    assert broadband["group_weighted"].notna().all()
    assert "load" in dir(kz)


# --- remembered file hashes (build/state.json) -------------------------------------------------------


def stat_key(path: Path) -> list[int]:
    facts = path.stat()
    return [facts.st_size, facts.st_ino, facts.st_mtime_ns, facts.st_ctime_ns]


def test_a_remembered_hash_is_used_only_while_size_inode_and_times_are_unchanged(tmp_path: Path) -> None:
    import hashlib

    raw = tmp_path / "EGOV_DATA_2024.csv"
    raw.write_bytes(b"Survey Year,Country Name\n")
    real = hashlib.sha256(raw.read_bytes()).hexdigest()
    state = BuildState(tmp_path / "state.json")
    state.hashes[str(raw)] = [*stat_key(raw), "remembered"]
    assert state.file_hash(raw) == "remembered"
    size, inode, mtime, ctime = stat_key(raw)
    # The same size, inode and modification time, but another change time: rewritten in place.
    state.hashes[str(raw)] = [size, inode, mtime, ctime - 1, "remembered"]
    assert state.file_hash(raw) == real


def test_a_file_hashed_just_after_it_changed_is_not_remembered(tmp_path: Path) -> None:
    raw = tmp_path / "wgidataset.xlsx"
    raw.write_bytes(b"PK")
    state = BuildState(tmp_path / "state.json")
    state.file_hash(raw)
    assert state.hashes == {}


def test_remembered_hashes_survive_saving_the_state(tmp_path: Path) -> None:
    raw = tmp_path / "OGHIST.xlsx"
    raw.write_bytes(b"PK")
    state = BuildState(tmp_path / "build" / "state.json")
    state.hashes[str(raw)] = [*stat_key(raw), "remembered"]
    state.save()
    assert BuildState.load(state.path).file_hash(raw) == "remembered"
