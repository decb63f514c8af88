"""The speed and memory goals of issue 11, each measured as a ratio side by side in one run.

Run with ``make bench`` (needs KZEGOV_MIRROR or ../shared/sources). The machine is noisy, so only
ratios count: every goal compares two things measured in the same rounds, alternating, each in a
fresh process (medians; ``BENCH_ROUNDS`` rounds, default 5). Each child's wall time and peak RSS
come from ``os.wait4`` (its own ``ru_maxrss``, nothing of this script). Nothing here is a test:
the numbers go into the closing notes.

What is measured, all from the source checkout this script sits in (``PYTHONPATH=src``):

* the floor (``scripts/floor.py``): every declared raw file read once, one Parquet file written;
* a full build from the mirror into an empty root (fetch from the mirror, parse, validate,
  publish), through ``pipeline.build(..., bundle=False)``; the release bundle and the data card are
  separate steps with their own numbers (the default ``kzegov-data build`` writes the bundle too:
  it is timed as well, as ``build + bundle``);
* a no-op rebuild (``kzegov-data build`` on that root, nothing changed): the median of the three
  runs after the first one, which hashes the raw files and remembers them (the first is shown too);
* warm, in one process: ``kz.load("ti_cpi")`` against ``pd.read_excel`` of TI's workbook sheet,
  and every table's ``kz.load`` against a bare ``pd.read_parquet`` of the same file. Both sides the
  same way: one untimed call each, then single calls alternating (each one right after the other
  side's, so neither runs with caches the other has not disturbed), medians. ``kz.load`` keeps a
  small file's Arrow table per file version; the line after the goal shows it with that emptied;
* cold processes: ``kz.load``, ``kz.panel``, ``kz.compare`` against a bare cold ``pd.read_parquet``,
  and ``kzegov-data tables``/``peers``/``indicators`` (whose imports are also checked for pandas
  with ``-X importtime``);
* peak RSS of the full build, and of a build on inputs 10 times larger (``scripts/scale.py``,
  when ``BENCH_SCALE`` is not ``0``).

``make bench SCALE=10`` (or ``make bench-scale``) runs only the scale mode, for N = 1, 10, 50 (and
any other factor given): see ``scripts/scale.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SCRIPTS = REPO / "scripts"
CPI_WORKBOOK = "ti_cpi/CPI2025_Results.xlsx"
CPI_SHEET = "CPI Historical"


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    # As an installed package runs: from bytecode compiled once, not from source every time (a
    # session that sets PYTHONDONTWRITEBYTECODE would otherwise charge every kzegov_data process,
    # and no bare pandas one, 50 ms of compiling).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env.update(extra)
    return env


def output_of(arguments: Sequence[str], *, env: dict[str, str] | None = None) -> str:
    """The stdout of one fresh process (which must succeed)."""
    child = subprocess.run(list(arguments), cwd=REPO, env=env or environment(), capture_output=True, text=True)
    if child.returncode != 0:
        sys.stderr.write(child.stderr)
        msg = f"failed ({child.returncode}): {' '.join(arguments)}"
        raise SystemExit(msg)
    return child.stdout


def run_with_rusage(arguments: Sequence[str], *, env: dict[str, str] | None = None) -> Run:
    """One fresh process: wall time and its own peak RSS (reaped with ``os.wait4``)."""
    start = time.perf_counter()
    child = subprocess.Popen(list(arguments), cwd=REPO, env=env or environment(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.stderr.write(errors.decode(errors="replace"))
        msg = f"failed ({child.returncode}): {' '.join(arguments)}"
        raise SystemExit(msg)
    return Run(seconds, usage.ru_maxrss / 1024)


def median(runs: Sequence[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


class Report:
    """The goal lines: measured value, goal, PASS/FAIL; and plain information lines."""

    def __init__(self) -> None:
        self.failed = 0

    def goal(self, what: str, ratio: float, limit: float, *, at_least: bool = False, detail: str = "") -> None:
        passed = ratio >= limit if at_least else ratio <= limit
        self.failed += not passed
        sign = ">=" if at_least else "<="
        extra = f"  {detail}" if detail else ""
        print(f"{'PASS' if passed else 'FAIL'}  {what}: {ratio:.3g}x (goal {sign} {limit:g}x){extra}", flush=True)

    def memory(self, what: str, megabytes: float, limit: float) -> None:
        passed = megabytes <= limit
        self.failed += not passed
        print(f"{'PASS' if passed else 'FAIL'}  {what}: {megabytes:.0f} MB (goal <= {limit:g} MB)", flush=True)

    @staticmethod
    def info(line: str) -> None:
        print(f"      {line}", flush=True)


def python(code: str) -> list[str]:
    return [PYTHON, "-c", code]


BUILD = (
    "import sys; from pathlib import Path; from kzegov_data.pipeline import Project, build; "
    "build(Project(Path(sys.argv[1])), mirror=Path(sys.argv[2]), progress=False, echo=lambda line: None, "
    "bundle=False)"
)
BUNDLE = (
    "import sys; from pathlib import Path; from kzegov_data.bundle import write_bundle; "
    "write_bundle(Path(sys.argv[1]) / 'processed', Path(sys.argv[2]), only_open=sys.argv[3:] == ['open'])"
)
SITE = (
    "import sys; from pathlib import Path; from kzegov_data.site import write_site; "
    "write_site(Path(sys.argv[1]) / 'processed', Path(sys.argv[2]))"
)
DATACARD = (
    "import sys; from pathlib import Path; from kzegov_data.datacard import write_datacard; "
    "out = Path(sys.argv[2]); write_datacard(Path(sys.argv[1]) / 'processed', out / 'DATACARD.md', "
    "out / 'figures', Path(sys.argv[3]))"
)


def measure_build(report: Report, mirror: Path, scratch: Path, rounds: int) -> float:
    """Floor, full build, bundle, data card, default build and no-op rebuild, side by side."""
    root = scratch / "root"
    floors, builds, bundles, cards, defaults, firsts, noops = [], [], [], [], [], [], []
    cli = [PYTHON, "-m", "kzegov_data", "--root", str(root), "build", "--mirror", str(mirror)]
    for _ in range(rounds):
        floors.append(run_with_rusage([PYTHON, str(SCRIPTS / "floor.py"), str(mirror), str(scratch / "floor.parquet")]))
        shutil.rmtree(root, ignore_errors=True)
        builds.append(run_with_rusage([*python(BUILD), str(root), str(mirror)]))
        shutil.rmtree(scratch / "card", ignore_errors=True)
        prose = REPO / "docs" / "datacard"
        cards.append(run_with_rusage([*python(DATACARD), str(root), str(scratch / "card"), str(prose)]))
        if not bundles:  # a minute each (the workbooks): measured once, after the first build
            bundles.append(run_with_rusage([*python(BUNDLE), str(root), str(scratch / "bundle.zip")]))
            opens = run_with_rusage([*python(BUNDLE), str(root), str(scratch / "open.zip"), "open"])
            site = run_with_rusage([*python(SITE), str(root), str(scratch / "site")])
        shutil.rmtree(root, ignore_errors=True)
        defaults.append(run_with_rusage(cli))
        # As after any build: the first no-op run hashes the raw files (and remembers them in
        # build/state.json), the next ones find them unchanged.
        firsts.append(run_with_rusage(cli))
        noops.extend(run_with_rusage(cli) for _ in range(3))
    floor, full, bundle, card, default, first, noop = map(median, (floors, builds, bundles, cards, defaults,
                                                                   firsts, noops))
    report.info(f"floor (scripts/floor.py): {floor.seconds:.2f} s, {floor.peak_mb:.0f} MB (median of {rounds})")
    report.goal("full build from the mirror (fetch+parse+validate+publish) / floor", full.seconds / floor.seconds,
                2.0, detail=f"{full.seconds:.2f} s")
    report.info(f"release bundle (separate step, write_bundle; measured once): {bundle.seconds:.2f} s = "
                f"{bundle.seconds / floor.seconds:.2f}x floor, {bundle.peak_mb:.0f} MB; open bundle "
                f"{opens.seconds:.2f} s, {opens.peak_mb:.0f} MB")
    report.info(f"download site (separate step, write_site, its bundle members included; measured once): "
                f"{site.seconds:.2f} s, {site.peak_mb:.0f} MB")
    report.info(f"data card + figures (separate step, write_datacard): {card.seconds:.2f} s = "
                f"{card.seconds / floor.seconds:.2f}x floor")
    report.info(f"default `kzegov-data build` (build + bundle) from empty: {default.seconds:.2f} s = "
                f"{default.seconds / floor.seconds:.2f}x floor")
    report.goal("no-op rebuild / full build", noop.seconds / full.seconds, 0.05,
                detail=f"{noop.seconds:.3f} s (median of 3 after each build)")
    report.info(f"first no-op right after a build (hashes every raw file): {first.seconds:.3f} s = "
                f"{first.seconds / full.seconds:.3f}x a full build")
    report.memory("peak RSS of a full build", full.peak_mb, 400)
    report.info(f"peak RSS: default build {default.peak_mb:.0f} MB, bundle {bundle.peak_mb:.0f} MB, "
                f"floor {floor.peak_mb:.0f} MB")
    return full.seconds


WARM = """
import json, statistics, sys, time
from pathlib import Path
import pandas as pd
import kzegov_data as kz
from kzegov_data.api import small_table

folder, workbook, sheet, repeats = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])

def side_by_side(first, second, times):
    a, b = [], []
    first(); second()
    for _ in range(times):
        start = time.perf_counter(); first(); a.append(time.perf_counter() - start)
        start = time.perf_counter(); second(); b.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)

def uncached_load():
    # kz.load as on its first call for this file version: the small-table cache emptied first.
    small_table.cache_clear()
    return kz.load("ti_cpi", data_dir=folder)

results = {}
read_excel = lambda: pd.read_excel(workbook, sheet_name=sheet, engine="calamine")
excel, load = side_by_side(read_excel, lambda: kz.load("ti_cpi", data_dir=folder), repeats)
results["excel"] = [excel, load]
results["uncached"] = list(side_by_side(read_excel, uncached_load, repeats))
for name in sorted(kz.tables(data_dir=folder)["name"]):
    path = folder / f"{name}.parquet"
    bare, load = side_by_side(lambda: pd.read_parquet(path), lambda: kz.load(name, data_dir=folder), repeats * 3)
    results[name] = [bare, load]
print(json.dumps(results))
"""


def measure_warm(report: Report, mirror: Path, processed: Path, rounds: int) -> None:
    results = json.loads(output_of(
        [*python(WARM), str(processed), str(mirror / CPI_WORKBOOK), CPI_SHEET, str(4 * rounds + 1)]))
    excel, load = results.pop("excel")
    report.goal(f"warm kz.load('ti_cpi') speed-up over pd.read_excel(CPI Historical, calamine) "
                f"[{excel * 1e3:.1f} ms vs {load * 1e3:.2f} ms]", excel / load, 20, at_least=True)
    excel, uncached = results.pop("uncached")
    report.info(f"the same with kz.load's small-table cache emptied before each call (as its first call on a "
                f"file): {uncached * 1e3:.2f} ms = {excel / uncached:.1f}x")
    worst = max(results, key=lambda name: results[name][1] / results[name][0])
    for name, (bare, load) in sorted(results.items()):
        report.info(f"warm {name}: kz.load {load * 1e3:.2f} ms, bare read_parquet {bare * 1e3:.2f} ms "
                    f"= {load / bare:.2f}x")
    bare, load = results[worst]
    report.goal(f"warm kz.load / bare pd.read_parquet, every table (worst: {worst})", load / bare, 1.05)


def imports_pandas(arguments: Sequence[str], env: dict[str, str]) -> bool:
    """Whether a command imports pandas (read from ``-X importtime``)."""
    child = subprocess.run([arguments[0], "-X", "importtime", *arguments[1:]], cwd=REPO, env=env, capture_output=True,
                           check=True, text=True)
    return any(line.rsplit("|", 1)[-1].strip() == "pandas" for line in child.stderr.splitlines())


def measure_cold(report: Report, processed: Path, rounds: int) -> None:
    env = environment(KZEGOV_DATA_DIR=str(processed))
    runs = max(rounds, 9)
    commands: dict[str, list[str]] = {
        "bare un_egov": python(f"import pandas as pd; pd.read_parquet({str(processed / 'un_egov.parquet')!r})"),
        "bare indicators": python(f"import pandas as pd; pd.read_parquet({str(processed / 'indicators.parquet')!r})"),
        "load": python("import kzegov_data as kz; kz.load('un_egov')"),
        "load indicators": python("import kzegov_data as kz; kz.load('indicators')"),
        "panel": python("import kzegov_data as kz; kz.panel(['egdi', 'cpi_score', 'internet_users_pct', 'hdi'], "
                        "countries='central_asia')"),
        "compare": python("import kzegov_data as kz; kz.compare('KAZ', peers='central_asia', indicator='egdi')"),
        "tables": [PYTHON, "-m", "kzegov_data", "tables"],
        "peers": [PYTHON, "-m", "kzegov_data", "peers"],
        "indicators": [PYTHON, "-m", "kzegov_data", "indicators"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for turn in range(runs):
        # Each round starts one command later: none always runs right after the same neighbour.
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            times[name].append(run_with_rusage(commands[name], env=env).seconds)
    cold = {name: statistics.median(values) for name, values in times.items()}
    bare, bare_indicators = cold["bare un_egov"], cold["bare indicators"]
    report.info(f"cold bare pd.read_parquet: un_egov {bare:.3f} s, indicators {bare_indicators:.3f} s "
                f"(median of {runs} fresh processes)")
    report.goal("cold kz.load('un_egov') / bare read_parquet(un_egov)", cold["load"] / bare, 1.05,
                detail=f"{cold['load']:.3f} s")
    report.goal("cold kz.load('indicators') / bare read_parquet(indicators)", cold["load indicators"] / bare_indicators,
                1.05, detail=f"{cold['load indicators']:.3f} s")
    report.goal("cold kz.panel(4 indicators, central_asia) / bare read_parquet(indicators)",
                cold["panel"] / bare_indicators, 1.05, detail=f"{cold['panel']:.3f} s")
    report.goal("cold kz.compare('KAZ', 'central_asia', 'egdi') / bare read_parquet(indicators)",
                cold["compare"] / bare_indicators, 1.05, detail=f"{cold['compare']:.3f} s")
    for command in ("tables", "peers", "indicators"):
        pandas = imports_pandas(commands[command], env)
        report.goal(f"cold `kzegov-data {command}` / bare read_parquet(un_egov)", cold[command] / bare, 0.3,
                    detail=f"{cold[command]:.3f} s; imports pandas: {'yes' if pandas else 'no'}")


def measure_scale(report: Report, mirror: Path, factor: int) -> None:
    output = output_of([PYTHON, str(SCRIPTS / "scale.py"), "--json", str(factor)],
                       env=environment(KZEGOV_MIRROR=str(mirror)))
    result = json.loads(output)[0]
    report.memory(f"peak RSS of a build on inputs {factor}x larger (scripts/scale.py, {result['seconds']:.1f} s, "
                  f"{result['ratio']:.2f}x its floor)", result["peak_mb"], 1024)


def main(arguments: Sequence[str]) -> int:
    mirror = Path(os.environ.get("KZEGOV_MIRROR") or REPO.parent / "shared" / "sources").resolve()
    if not mirror.is_dir():
        print(f"no mirror at {mirror}: set KZEGOV_MIRROR", file=sys.stderr)
        return 1
    scale = os.environ.get("BENCH_SCALE", "10")
    if arguments:
        # `make bench SCALE=10`: the scale mode alone, for N = 1, 10, 50 and the factors given.
        factors = sorted({1, 10, 50, *(int(value) for value in " ".join(arguments).split())})
        return subprocess.call([PYTHON, str(SCRIPTS / "scale.py"), *map(str, factors)],
                               env=environment(KZEGOV_MIRROR=str(mirror)))
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    report = Report()
    print(f"issue 11 goals; {os.cpu_count()} cores; medians of {rounds} rounds of fresh processes; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kzegov-bench-") as folder:
        scratch = Path(folder)
        measure_build(report, mirror, scratch, rounds)
        processed = scratch / "root" / "processed"
        measure_warm(report, mirror, processed, rounds)
        measure_cold(report, processed, rounds)
    if scale != "0":
        measure_scale(report, mirror, int(scale))
    print(f"{report.failed} goal(s) not met" if report.failed else "every goal met",
          f"(load average now {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
