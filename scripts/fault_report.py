"""Run the fault suite and print its cases as a table: case, exit status, time, peak RSS, what it said.

    make faults        (or: python scripts/fault_report.py)

The tests assert the outcomes; this only measures them. Needs nothing but the repository (the cases
run on the synthetic mirror).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SUITES = ["tests/test_reliability.py", "tests/test_fetch_faults.py", "tests/test_bounded_reading.py"]


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "faults.jsonl"
        environment = {**os.environ, "KZEGOV_FAULT_REPORT": str(report)}
        suites = [suite for suite in SUITES if (REPO / suite).is_file()]
        status = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *suites],
                                cwd=REPO, env=environment, check=False).returncode
        rows = [json.loads(line) for line in report.read_text("utf-8").splitlines()] if report.is_file() else []
    print("| case | exit | seconds | peak RSS (MB) | last line |")
    print("|---|---:|---:|---:|---|")
    for row in rows:
        says = " ".join(str(row.get("says", "")).split())[:140].replace("|", "\\|")
        peak = "-" if row.get("peak_mb") is None else row["peak_mb"]
        print(f"| {row['case']} | {row['status']} | {row['seconds']} | {peak} | {says} |")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
