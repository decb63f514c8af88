"""Build end to end from the mirror: determinism, skipping, freshness, bad input, offline."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from kzegov_data.cli import main
from kzegov_data.pipeline import Project, build, build_key, code_digest
from kzegov_data.publish import read_datapackage
from kzegov_data.registry import SOURCE_MODULES, source_module

REPO = Path(__file__).resolve().parents[1]
SOURCES = SOURCE_MODULES


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A project built from the mirror with a fresh lock, in a scratch folder."""
    project = Project(tmp_path_factory.mktemp("built"))
    build(project, SOURCES, mirror=mirror, progress=False, echo=lambda line: None)
    return project


@pytest.fixture
def local_mirror(mirror: Path, tmp_path: Path) -> Path:
    """The mirror with a writable copy of un_egov (in tmp, never in the repo); the other sources
    are links to the read-only mirror."""
    copy = tmp_path / "mirror"
    copy.mkdir()
    for source_id in SOURCES:
        if source_id == "un_egov":
            shutil.copytree(mirror / source_id, copy / source_id)
        else:
            (copy / source_id).symlink_to(mirror / source_id)
    return copy


@pytest.fixture
def shipped(built: Project, tmp_path: Path) -> Project:
    """A project holding published tables and no raw files, like a fresh clone."""
    project = Project(tmp_path / "project")
    shutil.copytree(built.processed_dir, project.processed_dir)
    project.raw_dir.mkdir(parents=True)
    return project


def test_rebuilding_gives_byte_identical_processed(built: Project, mirror: Path, tmp_path: Path) -> None:
    again = Project(tmp_path / "again")
    build(again, SOURCES, mirror=mirror, progress=False, echo=lambda line: None)
    assert snapshot(again.processed_dir) == snapshot(built.processed_dir)
    assert again.lock_path.read_bytes() == built.lock_path.read_bytes()


def test_second_build_with_nothing_changed_is_skipped(built: Project, mirror: Path) -> None:
    before = snapshot(built.processed_dir)
    report = build(built, SOURCES, mirror=mirror, progress=False, echo=lambda line: None)
    assert report.skipped == list(SOURCES)
    assert report.built == []
    assert snapshot(built.processed_dir) == before


def test_committed_lock_pins_exactly_the_mirror_files(built: Project) -> None:
    committed = (REPO / "raw" / "sources.lock.json").read_text("utf-8")
    fresh = built.lock_path.read_text("utf-8")
    import json

    def hashes(text: str) -> dict[str, dict[str, tuple[int, str]]]:
        entries = json.loads(text)["sources"]
        return {s: {n: (e["bytes"], e["sha256"]) for n, e in files.items()} for s, files in entries.items()
                if s in SOURCES}

    assert hashes(committed) == hashes(fresh)


def test_committed_processed_is_fresh(built: Project) -> None:
    """processed/ in git equals a rebuild from the mirror; if not: run `make data`, commit processed/."""
    committed = REPO / "processed"
    tables = [r["name"] for r in read_datapackage(built.processed_dir)["resources"] if r["format"] == "csv"]
    assert tables == [r["name"] for r in read_datapackage(committed)["resources"] if r["format"] == "csv"]
    for table in tables:
        assert (committed / f"{table}.csv").read_bytes() == (built.processed_dir / f"{table}.csv").read_bytes()
        pd.testing.assert_frame_equal(
            pd.read_parquet(committed / f"{table}.parquet"), pd.read_parquet(built.processed_dir / f"{table}.parquet")
        )
    committed_keys = {r["name"]: r["kzegov:build_key"] for r in read_datapackage(committed)["resources"]}
    for source_id in SOURCES:
        from kzegov_data.fetch import Lock

        key = build_key(source_id, Lock.load(REPO / "raw" / "sources.lock.json"))
        for table in source_module(source_id).SOURCE.tables:
            assert committed_keys[table] == key, (
                f"processed/{table} was built by other code (digest {code_digest()[:12]}); run `make data` "
                "and commit processed/"
            )


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def kazakhstan_2024(mirror: Path) -> Path:
    return mirror / "un_egov" / "EGOV_DATA_2024.csv"


BAD_INPUTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "renamed column": (lambda m: replace_in(kazakhstan_2024(m), "E-Government Index", "EGDI"),
                       r"EGOV_DATA_2024.csv: the header .*missing \['E-Government Index'\]"),
    "missing column": (lambda m: kazakhstan_2024(m).write_text("\n".join(
        line.rsplit(",", 1)[0] for line in kazakhstan_2024(m).read_text("utf-8").splitlines()) + "\n", "utf-8"),
                       r"EGOV_DATA_2024.csv: the header .*missing \['Telecommunication Infrastructure Index'\]"),
    "extra column": (lambda m: kazakhstan_2024(m).write_text("\n".join(
        f"{line},x" for line in kazakhstan_2024(m).read_text("utf-8").splitlines()) + "\n", "utf-8"),
                     r"EGOV_DATA_2024.csv: the header .*unexpected"),
    "text in a numeric column": (lambda m: replace_in(kazakhstan_2024(m), "0.90093", "n/a"),
                                 r"EGOV_DATA_2024.csv: column 'egdi' holds text .*'n/a'"),
    "out-of-range value": (lambda m: replace_in(kazakhstan_2024(m), "0.93903", "1.93903"),
                           r"un_egov .*failed validation.*osi .*less_than_or_equal_to\(1\).*1\.93903"),
    "duplicate country": (lambda m: replace_in(kazakhstan_2024(m), '"Kyrgyzstan "', '"Kazakhstan "'),
                          r"EGOV_DATA_2024.csv: countries listed more than once: \['Kazakhstan'\]"),
    "unknown country name": (
        lambda m: replace_in(kazakhstan_2024(m), '"Kazakhstan "', '"Kazakstan Republic"'),
        r"EGOV_DATA_2024.csv: 1 country name\(s\) match no ISO 3166-1 code: 'Kazakstan Republic'",
    ),
    "empty file": (lambda m: kazakhstan_2024(m).write_bytes(b""),
                   r"EGOV_DATA_2024.csv: the (file|mirror copy) is empty"),
    "binary junk": (lambda m: kazakhstan_2024(m).write_bytes(bytes(range(256)) * 40),
                    r"EGOV_DATA_2024.csv: binary content"),
    "not utf-8": (lambda m: kazakhstan_2024(m).write_bytes(kazakhstan_2024(m).read_text("utf-8").encode("utf-16")),
                  r"EGOV_DATA_2024.csv: (binary content|not valid utf-8)"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_clearly_and_keeps_processed(
    case: str, shipped: Project, local_mirror: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage, message = BAD_INPUTS[case]
    damage(local_mirror)
    before = snapshot(shipped.processed_dir)
    status = main(["--root", str(shipped.root), "build", "--mirror", str(local_mirror)])
    captured = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in captured.err
    assert pytest.importorskip("re").search(message, captured.err, flags=16), captured.err  # re.DOTALL
    assert snapshot(shipped.processed_dir) == before
    assert not shipped.lock_path.exists(), "a failed build must not pin the damaged file"


def test_changed_upstream_file_is_a_hash_mismatch(
    built: Project, local_mirror: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = Project(tmp_path / "pinned")
    shutil.copytree(built.root, project.root)
    replace_in(kazakhstan_2024(local_mirror), "0.90093", "0.90094")
    before = snapshot(project.root)
    status = main(["--root", str(project.root), "build", "--mirror", str(local_mirror)])
    err = capsys.readouterr().err
    assert status == 1
    assert "EGOV_DATA_2024.csv" in err
    assert "differs from the lock" in err
    assert "kzegov-data fetch --update un_egov" in err
    assert snapshot(project.root) == before


def test_offline_without_sources_validates_the_shipped_tables(
    shipped: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KZEGOV_MIRROR", raising=False)
    shutil.copy(REPO / "raw" / "sources.lock.json", shipped.lock_path)
    before = snapshot(shipped.processed_dir)
    status = main(["--root", str(shipped.root), "build", "--offline", "--summary"])
    out = capsys.readouterr().out
    assert status == 0
    assert "validated shipped un_egov: 2316 rows" in out
    assert f"could not refresh {', '.join(SOURCES)} (" in out
    assert "egdi                              0.90093  (2024, index 0-1)" in out
    assert snapshot(shipped.processed_dir) == before


def test_require_sources_makes_missing_sources_an_error(
    shipped: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KZEGOV_MIRROR", raising=False)
    status = main(["--root", str(shipped.root), "build", "--offline", "--require-sources"])
    assert status == 1
    assert "downloads are off" in capsys.readouterr().err


def test_validate_catches_a_tampered_published_file(shipped: Project, capsys: pytest.CaptureFixture[str]) -> None:
    csv = shipped.processed_dir / "un_egov.csv"
    csv.write_bytes(csv.read_bytes().replace(b"0.90093", b"0.99999"))
    assert main(["--root", str(shipped.root), "validate"]) == 1
    assert "does not match datapackage.json" in capsys.readouterr().err
