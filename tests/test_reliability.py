"""The build holds up against interruptions, concurrent runs, damaged files and a hostile file system.

Every case runs the real command line in a subprocess on a project built from the synthetic mirror,
and asserts the exit status, a single clear line, and that ``processed/`` and the lock are as they
were (or, for a kill, either the old or the new tables, complete). Each case's time and peak memory
are recorded; with ``KZEGOV_FAULT_REPORT=FILE`` set they are written there as JSON lines, which
``scripts/fault_report.py`` prints as a table.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import kzegov_data
from kzegov_data.pipeline import Project, build

REPO = Path(__file__).resolve().parents[1]
LEFTOVER = re.compile(r"(\.tmp-\d+|\.old-\d+|\.part)$")


@dataclass
class Run:
    status: int
    out: str
    err: str
    seconds: float
    peak_mb: float


def run(*arguments: str, env: dict[str, str] | None = None, shell_prefix: str = "", case: str = "") -> Run:
    """``kzegov-data ARGUMENTS`` in a fresh process, with its time and peak RSS."""
    peak_file = HOOKS_DIR / f"peak-{os.getpid()}-{time.monotonic_ns()}"
    # The hooks, then the folder this process imports kzegov_data from: the child runs the same code.
    importable = os.pathsep.join([str(HOOKS_DIR), str(Path(kzegov_data.__file__).resolve().parents[1])])
    environment = {**os.environ, "PYTHONPATH": importable, "KZEGOV_PEAK_FILE": str(peak_file), **(env or {})}
    environment.pop("KZEGOV_MIRROR", None)
    command = [sys.executable, "-m", "kzegov_data", *arguments]
    if shell_prefix:
        command = ["bash", "-c", f"{shell_prefix} {' '.join(map(quote, command))}"]
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=environment)
        timer = threading.Timer(120, process.kill)
        timer.start()
        try:
            _, wait_status = os.waitpid(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        out.seek(0)
        err.seek(0)
        peak_mb = int(peak_file.read_text()) / 1024 if peak_file.is_file() else float("nan")  # none when killed
        peak_file.unlink(missing_ok=True)
        result = Run(process.returncode, out.read(), err.read(), time.monotonic() - started, peak_mb)
    report = os.environ.get("KZEGOV_FAULT_REPORT")
    if report and case:
        with open(report, "a", encoding="utf-8") as handle:
            last = (result.err or result.out).strip().splitlines()
            handle.write(json.dumps({"case": case, "status": result.status, "seconds": round(result.seconds, 2),
                                     "peak_mb": None if result.peak_mb != result.peak_mb else round(result.peak_mb),
                                     "says": last[-1] if last else ""}) + "\n")
    return result


def quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if LEFTOVER.search(p.name))


def one_error_line(result: Run) -> str:
    """The run failed with status 1 and said so in one line, without a traceback."""
    assert result.status == 1, (result.status, result.err)
    assert "Traceback" not in result.err, result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, result.err
    return errors[0]


@pytest.fixture(scope="module")
def original(synthetic_mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("original"))
    build(project, mirror=synthetic_mirror, progress=False, echo=lambda line: None)
    return project


@pytest.fixture
def project(original: Project, tmp_path: Path) -> Project:
    copy = Project(tmp_path / "project")
    shutil.copytree(original.root, copy.root)
    return copy


def revise(mirror: Path, tmp_path: Path, changes: dict[str, tuple[str, str]]) -> Path:
    """A copy of the mirror with ``{relative file: (old text, new text)}`` changed."""
    revised = Path(shutil.copytree(mirror, tmp_path / "revised"))
    for name, (old, new) in changes.items():
        path = revised / name
        text = path.read_text("utf-8-sig" if name.startswith("itu/") else "utf-8")
        assert old in text, (name, old)
        data = text.replace(old, new, 1).encode("utf-8")
        path.write_bytes((b"\xef\xbb\xbf" if name.startswith("itu/") else b"") + data)
    return revised


EGDI_2024 = ("un_egov/EGOV_DATA_2024.csv", ("0.90093", "0.90193"))
INTERNET_2024 = ("itu/individuals_using_internet.csv", ('"93.3917"', '"93.4917"'))


def settled(victim: Project, old: dict[str, bytes], new: dict[str, bytes], label: str) -> None:
    """After an interrupted build: ``validate`` repairs, finds the old or the new tables complete, and
    leaves no leftover. The old tables were built from the file the lock pinned before ``fetch
    --update``, so for them ``validate`` rightly says to rebuild."""
    checked = run("--root", str(victim.root), "validate", case=f"validate after {label}")
    tables = snapshot(victim.processed_dir)
    assert tables in (old, new), f"{label}: processed/ holds neither the old nor the new tables"
    if tables == new:
        assert checked.status == 0, (label, checked.err)
    else:
        assert "which the lock no longer pins; rebuild it" in one_error_line(checked)
    assert leftovers(victim.root) == [], label


# --- kill -9 at every point where the build renames a file or folder ---------------------------------

#: Loaded by every process these tests start (``sitecustomize`` on PYTHONPATH): it records the
#: process's own peak RSS (``VmHWM``, which, unlike wait4's figure, does not count the pages of the
#: forking pytest process) and, when asked, kills the process at its Nth ``os.replace``.
HOOKS = """
import atexit, os, signal

def _record_peak():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["KZEGOV_PEAK_FILE"], "w") as handle:
        handle.write(peak)

if os.environ.get("KZEGOV_PEAK_FILE"):
    atexit.register(_record_peak)

if os.environ.get("KILL_AT_REPLACE"):
    _replace = os.replace
    _count = {"n": 0}

    def _counting_replace(*arguments, **options):
        _count["n"] += 1
        if _count["n"] == int(os.environ["KILL_AT_REPLACE"]):
            os.kill(os.getpid(), signal.SIGKILL)
        result = _replace(*arguments, **options)
        if os.environ.get("COUNT_REPLACES"):
            with open(os.environ["COUNT_REPLACES"], "w") as handle:
                handle.write(str(_count["n"]))
        return result

    os.replace = _counting_replace
"""
HOOKS_DIR = Path(tempfile.mkdtemp(prefix="kzegov-hooks-"))
(HOOKS_DIR / "sitecustomize.py").write_text(HOOKS, "utf-8")


def test_a_build_killed_at_any_rename_leaves_old_or_new_tables_and_recovers(
    project: Project, synthetic_mirror: Path, tmp_path: Path
) -> None:
    revised = revise(synthetic_mirror, tmp_path, dict([EGDI_2024]))
    assert run("--root", str(project.root), "fetch", "--update", "un_egov", "--mirror", str(revised)).status == 0
    old = snapshot(project.processed_dir)
    counted = tmp_path / "count"
    reference = Project(tmp_path / "reference")
    shutil.copytree(project.root, reference.root)
    env = {"KILL_AT_REPLACE": "-1", "COUNT_REPLACES": str(counted)}
    assert run("--root", str(reference.root), "build", "un_egov", "--mirror", str(revised), env=env).status == 0
    new = snapshot(reference.processed_dir)
    assert new != old
    renames = int(counted.read_text())
    assert renames >= 4, "the fetch, the publish (write + two renames), the state and the lock"
    for kill_at in range(1, renames + 1):
        victim = Project(tmp_path / f"killed-{kill_at}")
        shutil.copytree(project.root, victim.root)
        killed = run("--root", str(victim.root), "build", "un_egov", "--mirror", str(revised),
                     env={"KILL_AT_REPLACE": str(kill_at)},
                     case=f"kill -9 at rename {kill_at}")
        assert killed.status == -9, killed.err
        shown = run("show", "un_egov", "--country", "KAZ", "--years", "2024", "--csv", "--columns", "egdi",
                    "--data-dir", str(victim.processed_dir))
        assert shown.status == 0, shown.err
        assert shown.out.splitlines()[1] in {"0.90093", "0.90193"}
        settled(victim, old, new, f"kill -9 at rename {kill_at}")
        again = run("--root", str(victim.root), "build", "--mirror", str(revised))
        assert again.status == 0, (kill_at, again.err)
        assert snapshot(victim.processed_dir) == new, kill_at


def test_a_build_killed_at_random_moments_recovers(project: Project, synthetic_mirror: Path, tmp_path: Path) -> None:
    revised = revise(synthetic_mirror, tmp_path, dict([EGDI_2024]))
    assert run("--root", str(project.root), "fetch", "--update", "un_egov", "--mirror", str(revised)).status == 0
    old = snapshot(project.processed_dir)
    reference = Project(tmp_path / "reference")
    shutil.copytree(project.root, reference.root)
    assert run("--root", str(reference.root), "build", "--force", "--mirror", str(revised)).status == 0
    new = snapshot(reference.processed_dir)
    for delay in (0.4, 0.9, 1.4, 2.0):
        victim = Project(tmp_path / f"killed-{delay}")
        shutil.copytree(project.root, victim.root)
        environment = {k: v for k, v in os.environ.items() if k != "KZEGOV_MIRROR"}
        with subprocess.Popen([sys.executable, "-m", "kzegov_data", "--root", str(victim.root), "build", "--force",
                               "--mirror", str(revised)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=environment) as process:
            time.sleep(delay)
            process.kill()
        settled(victim, old, new, f"kill -9 after {delay} s")
        assert run("--root", str(victim.root), "build", "--mirror", str(revised)).status == 0
        egdi = run("show", "un_egov", "--country", "KAZ", "--years", "2024", "--csv", "--columns", "egdi",
                   "--data-dir", str(victim.processed_dir))
        assert egdi.out.splitlines()[1] == "0.90193"


def test_a_missing_processed_with_a_retired_copy_is_read_and_then_restored(project: Project) -> None:
    folder = project.processed_dir
    before = snapshot(folder)
    folder.rename(folder.with_name(f"{folder.name}.old-4242"))
    (folder.parent / f"{folder.name}.tmp-4242").mkdir()
    shown = run("show", "un_egov", "--country", "KAZ", "--years", "2024", "--csv", "--data-dir", str(folder))
    assert shown.status == 0, shown.err
    checked = run("--root", str(project.root), "validate", case="processed/ missing between the two renames")
    assert checked.status == 0, checked.err
    assert "restored processed/ from processed.old-4242" in checked.err
    assert snapshot(folder) == before
    assert leftovers(project.root) == []


def test_temporary_files_of_a_killed_fetch_are_removed_under_the_lock(project: Project) -> None:
    leftover = project.raw_dir / "un_egov" / ".EGOV_DATA_2024.csv.k1ll3d.part"
    leftover.write_bytes(b"half a download")
    checked = run("--root", str(project.root), "validate", case="validate with a killed fetch's .part file")
    assert checked.status == 0, checked.err
    assert "removed raw/un_egov/.EGOV_DATA_2024.csv.k1ll3d.part" in checked.err
    assert leftovers(project.root) == []


# --- two runs at once ---------------------------------------------------------------------------------


def test_two_updates_and_two_builds_at_once_lose_nothing(project: Project, synthetic_mirror: Path,
                                                         tmp_path: Path) -> None:
    revised = revise(synthetic_mirror, tmp_path, dict([EGDI_2024, INTERNET_2024]))
    root = str(project.root)
    environment = {k: v for k, v in os.environ.items() if k != "KZEGOV_MIRROR"}

    def both(*commands: list[str]) -> list[tuple[int, str]]:
        """Start both while the test holds the lock, so that they really meet; then let them go."""
        from filelock import FileLock

        with FileLock(project.lock_file):
            processes = [subprocess.Popen([sys.executable, "-m", "kzegov_data", "--root", root, *command],
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
                         for command in commands]
            time.sleep(1.0)
        results = []
        for process in processes:
            _, err = process.communicate(timeout=120)
            results.append((process.returncode, err))
        return results

    fetched = both(["fetch", "--update", "un_egov", "--mirror", str(revised)],
                   ["fetch", "--update", "itu", "--mirror", str(revised)])
    assert [status for status, _ in fetched] == [0, 0], fetched
    lock = json.loads(project.lock_path.read_text("utf-8"))["sources"]
    revised_hash = {name: hashlib.sha256((revised / name).read_bytes()).hexdigest()
                    for name, _ in (EGDI_2024, INTERNET_2024)}
    assert lock["un_egov"]["EGOV_DATA_2024.csv"]["sha256"] == revised_hash[EGDI_2024[0]]
    assert lock["itu"]["individuals_using_internet.csv"]["sha256"] == revised_hash[INTERNET_2024[0]]
    built = both(["build", "un_egov", "--mirror", str(revised)], ["build", "itu", "--mirror", str(revised)])
    assert [status for status, _ in built] == [0, 0], built
    assert all("waiting for another kzegov-data run" in err for _, err in fetched + built)
    egdi = run("show", "un_egov", "--country", "KAZ", "--years", "2024", "--csv", "--columns", "egdi",
               "--data-dir", str(project.processed_dir))
    internet = run("show", "itu_ict", "--country", "KAZ", "--years", "2024", "--csv", "--columns", "indicator,value",
                   "--data-dir", str(project.processed_dir))
    assert egdi.out.splitlines()[1] == "0.90193"
    assert "internet_users_pct,93.4917" in internet.out.splitlines()
    assert run("--root", root, "validate").status == 0


def test_no_wait_fails_at_once_while_another_run_holds_the_lock(project: Project) -> None:
    from filelock import FileLock

    before = snapshot(project.root)
    with FileLock(project.lock_file):
        busy = run("--root", str(project.root), "build", "--offline", "--no-wait", case="build --no-wait while busy")
    assert "another kzegov-data run is changing" in one_error_line(busy)
    assert busy.seconds < 10
    assert snapshot(project.root) == before


# --- damaged published files ------------------------------------------------------------------------------


def test_a_truncated_table_is_one_line_in_show_and_load(project: Project) -> None:
    table = project.processed_dir / "un_egov.parquet"
    table.write_bytes(table.read_bytes()[:1000])
    shown = run("show", "un_egov", "--data-dir", str(project.processed_dir), case="show a truncated Parquet file")
    assert "published table 'un_egov' is damaged" in one_error_line(shown)
    checked = run("--root", str(project.root), "validate", case="validate a truncated Parquet file")
    assert "does not match datapackage.json" in one_error_line(checked)


@pytest.mark.parametrize("command", ["validate", "build", "show"])
def test_a_truncated_datapackage_is_one_line(project: Project, command: str) -> None:
    descriptor = project.processed_dir / "datapackage.json"
    descriptor.write_bytes(descriptor.read_bytes()[:500])
    before = snapshot(project.root)
    arguments = {"validate": ["--root", str(project.root), "validate"],
                 "build": ["--root", str(project.root), "build", "--offline"],
                 "show": ["show", "un_egov", "--data-dir", str(project.processed_dir)]}[command]
    result = run(*arguments, case=f"{command} with a truncated datapackage.json")
    assert "is not a readable Data Package descriptor" in one_error_line(result)
    assert snapshot(project.root) == before


def test_a_truncated_lock_is_one_line(project: Project, synthetic_mirror: Path) -> None:
    project.lock_path.write_bytes(project.lock_path.read_bytes()[:300])
    before = snapshot(project.root)
    result = run("--root", str(project.root), "build", "--mirror", str(synthetic_mirror), case="truncated lock")
    assert "not a readable lock file" in one_error_line(result)
    assert snapshot(project.root) == before


# --- a hostile file system ----------------------------------------------------------------------------------


def test_a_file_size_limit_is_one_line_and_changes_nothing(project: Project, synthetic_mirror: Path) -> None:
    before = snapshot(project.root)
    result = run("--root", str(project.root), "build", "--force", "--mirror", str(synthetic_mirror),
                 shell_prefix="ulimit -f 64;", case="build with ulimit -f 64 (a full disk)")
    assert "File too large" in one_error_line(result)
    after = {name: data for name, data in snapshot(project.root).items() if not name.startswith("build/validation")}
    assert after == {name: data for name, data in before.items() if not name.startswith("build/validation")}
    assert leftovers(project.root) == []


def test_a_read_only_raw_folder_is_one_line_and_changes_nothing(project: Project, synthetic_mirror: Path) -> None:
    shutil.rmtree(project.raw_dir / "un_egov")
    before = snapshot(project.root)
    raw = quote(str(project.raw_dir))
    # A private mount namespace in which raw/ is mounted read-only (the tests run as root, whom
    # file permissions do not stop); the command line follows as "$0" "$@".
    read_only = f'unshare --mount bash -c "mount --bind -o ro {raw} {raw} && exec \\"\\$0\\" \\"\\$@\\""'
    result = run("--root", str(project.root), "build", "un_egov", "--mirror", str(synthetic_mirror),
                 shell_prefix=read_only, case="build with a read-only raw/")
    line = one_error_line(result)
    assert "Read-only file system" in line or "read-only" in line
    assert snapshot(project.root) == before


def test_a_50_mb_input_is_refused_in_one_short_line_and_under_1_gb(
    project: Project, synthetic_mirror: Path, tmp_path: Path
) -> None:
    revised = Path(shutil.copytree(synthetic_mirror, tmp_path / "inflated"))
    survey = revised / "un_egov" / "EGOV_DATA_2024.csv"
    header, *rows = survey.read_text("utf-8").splitlines()
    with survey.open("w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        copy = 0
        while handle.tell() < 50_000_000:
            handle.writelines(row.replace('"Kazakhstan "', f'"Kazakhstan {copy} "') + "\n" for row in rows)
            copy += 1
    assert run("--root", str(project.root), "fetch", "--update", "un_egov", "--mirror", str(revised)).status == 0
    before = snapshot(project.processed_dir)
    result = run("--root", str(project.root), "build", "--mirror", str(revised), case="build from a 50 MB survey CSV")
    line = one_error_line(result)
    assert "match no ISO 3166-1 code" in line
    assert len(line) < 1000
    assert result.peak_mb < 1024
    assert snapshot(project.processed_dir) == before
