"""Benchmark from fresh processes: full build, no-change rebuild, per-source builds, cold load().

Run with `make bench` (needs KZEGOV_MIRROR or ../shared/sources). Prints medians of several runs;
the numbers go into the closing notes, not into timed tests.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def timed(arguments: list[str], *, cwd: Path = REPO) -> float:
    start = time.perf_counter()
    subprocess.run(arguments, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_of(runs: int, arguments: list[str]) -> float:
    return statistics.median(timed(arguments) for _ in range(runs))


def main() -> int:
    mirror = Path(os.environ.get("KZEGOV_MIRROR") or REPO.parent / "shared" / "sources").resolve()
    if not mirror.is_dir():
        print(f"no mirror at {mirror}: set KZEGOV_MIRROR", file=sys.stderr)
        return 1
    cli = [PYTHON, "-m", "kzegov_data"]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        full = []
        for _ in range(3):
            for folder in ("raw", "processed"):
                subprocess.run(["rm", "-rf", str(root / folder)], check=True)
            full.append(timed([*cli, "--root", str(root), "build", "--mirror", str(mirror)]))
        unchanged = [timed([*cli, "--root", str(root), "build", "--mirror", str(mirror)]) for _ in range(5)]
        print(f"full build from the mirror (fetch+parse+validate+publish, all sources): "
              f"{statistics.median(full):.2f} s (median of 3)")
        print(f"second build, nothing changed (skipped by content hash): {statistics.median(unchanged):.2f} s "
              f"= {100 * statistics.median(unchanged) / statistics.median(full):.0f} % of a full build (median of 5)")
        from kzegov_data.registry import source_ids

        for source_id in source_ids():
            seconds = statistics.median(
                timed([*cli, "--root", str(root), "build", source_id, "--force", "--mirror", str(mirror)])
                for _ in range(3)
            )
            print(f"  build {source_id} --force: {seconds:.2f} s")

    parquet = REPO / "processed" / "un_egov.parquet"
    bare = median_of(7, [PYTHON, "-c", f"import pandas as pd; pd.read_parquet({str(parquet)!r})"])
    load = median_of(7, [PYTHON, "-c", "import kzegov_data as kz; kz.load('un_egov')"])
    imported = median_of(7, [PYTHON, "-c", "import kzegov_data"])
    print(f"cold kz.load('un_egov'): {load:.3f} s; cold bare pandas.read_parquet: {bare:.3f} s; "
          f"ratio {load / bare:.2f}x (median of 7 fresh processes)")
    print(f"cold `import kzegov_data`: {imported:.3f} s")

    indicators = REPO / "processed" / "indicators.parquet"
    bare = median_of(7, [PYTHON, "-c", f"import pandas as pd; pd.read_parquet({str(indicators)!r})"])
    every = "import kzegov_data as kz; kz.panel(kz.indicators()['id'].tolist())"
    panel = median_of(7, [PYTHON, "-c", every])
    compare = median_of(7, [PYTHON, "-c", "import kzegov_data as kz; kz.compare('KAZ', 'central_asia', 'egdi')"])
    print(f"cold bare pandas.read_parquet(indicators): {bare:.3f} s")
    print(f"cold kz.panel(all indicators, all countries): {panel:.3f} s = {panel / bare:.2f}x")
    print(f"cold kz.compare('KAZ', 'central_asia', 'egdi'): {compare:.3f} s = {compare / bare:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
