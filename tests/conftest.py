"""Shared fixtures: the source mirror (real publisher files), synthetic mirrors, scratch projects.

Tests that need the publishers' real files carry the ``mirror`` marker (and request the ``mirror``
fixture). Without ``KZEGOV_MIRROR`` they are skipped, reported in one summary line; with ``CI`` set
a missing mirror fails them instead, because CI must test the real files. Tests that drive the
system's headless Chromium carry the ``browser`` marker (and request the ``chromium`` fixture) and
are skipped or failed the same way when it is missing (``tests/browser.py``).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from browser import browser_problem

NO_MIRROR = "needs the real publisher files: set KZEGOV_MIRROR (e.g. ../shared/sources)"


def mirror_dir() -> Path | None:
    value = os.environ.get("KZEGOV_MIRROR")
    return Path(value).resolve() if value else None


def mirror_problem() -> str | None:
    path = mirror_dir()
    if path is None:
        return "KZEGOV_MIRROR is not set (point it at the source mirror, e.g. ../shared/sources)"
    if not path.is_dir():
        return f"KZEGOV_MIRROR={path} is not a folder"
    return None


#: What a marker needs from the machine: the fixture that hands it over, what CI needs it for, and
#: why it is missing here (None when it is not).
NEEDS: dict[str, tuple[str, str, Callable[[], str | None]]] = {
    "mirror": ("mirror", "the source mirror", mirror_problem),
    "browser": ("chromium", "headless Chromium", browser_problem),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The marker and the fixture go together: a test that reads the mirror (or drives the browser) says so."""
    for marker, (fixture, _, _) in NEEDS.items():
        unmarked = [item.nodeid for item in items
                    if fixture in getattr(item, "fixturenames", ()) and item.get_closest_marker(marker) is None]
        if unmarked:
            msg = f"tests that use the {fixture} fixture need @pytest.mark.{marker}: {unmarked[:5]}"
            raise pytest.UsageError(msg)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, (_, what, find_problem) in NEEDS.items():
        if item.get_closest_marker(marker) is None:
            continue
        problem = find_problem()
        if problem is None:
            continue
        if os.environ.get("CI"):
            pytest.fail(f"CI needs {what}: {problem}")
        if marker == "mirror":
            item.config.stash.setdefault(SKIPPED_KEY, []).append(item.nodeid)
            pytest.skip(NO_MIRROR)
        pytest.skip(f"needs {what}: {problem}")


SKIPPED_KEY = pytest.StashKey[list[str]]()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """One line per reason for skipping, instead of a line per skipped test."""
    mirror_skips = len(config.stash.get(SKIPPED_KEY, []))
    if mirror_skips:
        terminalreporter.write_line(
            f"{mirror_skips} test(s) marked 'mirror' were skipped: {mirror_problem()}. "
            "They check the published values against the publishers' real files."
        )
    for reason, count in sorted(skip_reasons(terminalreporter.stats.get("skipped", [])).items()):
        if reason != NO_MIRROR:
            terminalreporter.write_line(f"{count} test(s) skipped: {reason}")


def skip_reasons(reports: list[Any]) -> dict[str, int]:
    """How many skipped test reports give each reason (pytest keeps it as ``(path, line, reason)``)."""
    counts: dict[str, int] = {}
    for report in reports:
        longrepr = getattr(report, "longrepr", None)
        reason = str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        counts[reason] = counts.get(reason, 0) + 1
    return counts


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The source mirror (the marker's hook has already skipped or failed without one)."""
    path = mirror_dir()
    assert path is not None
    return path


def source_paths(mirror: Path, source_id: str) -> dict[str, Path]:
    """``{file name: mirror path}`` for every raw file a source declares."""
    from kzegov_data.registry import get_source

    return {raw_file.name: mirror / source_id / raw_file.name for raw_file in get_source(source_id).files}


def parse_source(source_id: str, paths: dict[str, Path]) -> dict[str, Any]:
    """The source's pure ``parse(paths)``: ``{table name: frame}``."""
    from kzegov_data.registry import parser

    return dict(parser(source_id)(paths))


def validate_table(table: str, frame: Any) -> Any:
    """The table's pandera schema applied as the build applies it (raises SchemaValidationError)."""
    from kzegov_data.pipeline import validate_table as validate

    return validate(table, frame)


def write_synthetic_mirror(root: Path) -> Path:
    """Every source's synthetic raw files under ``root`` in the mirror's layout (``tests/synthetic``)."""
    import synthetic

    for info in pkgutil.iter_modules(synthetic.__path__):
        importlib.import_module(f"synthetic.{info.name}").write(root)
    return root


@pytest.fixture(scope="session")
def synthetic_mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A read-only-by-convention mirror of synthetic files for every source (made once per run)."""
    return write_synthetic_mirror(tmp_path_factory.mktemp("synthetic-mirror"))


# The release bundle and the download site of the committed processed/, made once per test run: the
# bundle's workbooks take about a minute, and four test modules read the same files.
PROCESSED = Path(__file__).resolve().parents[1] / "processed"


@pytest.fixture(scope="session")
def release_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``build/release/kzegov_data.zip`` as ``make data`` writes it (``ensure_bundle``), in a scratch folder.

    Written by a child process: the workbooks take hundreds of MB, and a test process that grew so
    large would hand its peak to every child it starts (the bounded-reading tests measure theirs)."""
    import subprocess
    import sys

    from kzegov_data.bundle import BUNDLE

    target = tmp_path_factory.mktemp("release") / BUNDLE
    code = ("import sys; from pathlib import Path; from kzegov_data.bundle import ensure_bundle; "
            "sys.exit(0 if ensure_bundle(Path(sys.argv[1]), Path(sys.argv[2])) else 1)")
    subprocess.run([sys.executable, "-c", code, str(PROCESSED), str(target)], check=True)
    return target


@pytest.fixture(scope="session")
def release_members(release_zip: Path) -> dict[str, bytes]:
    """The bundle's members by their name inside its ``kzegov_data/`` folder."""
    import zipfile

    from kzegov_data.bundle import FOLDER

    with zipfile.ZipFile(release_zip) as archive:
        return {name.removeprefix(f"{FOLDER}/"): archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="session")
def release_site(tmp_path_factory: pytest.TempPathFactory, release_members: dict[str, bytes]) -> Path:
    """The download site of those members (``write_site``)."""
    from kzegov_data.site import write_site

    output = tmp_path_factory.mktemp("release-site") / "site"
    write_site(PROCESSED, output, members=release_members)
    return output
