"""Scale mode of the bench: a full build on inputs N times larger, in the publishers' layouts.

``python scripts/scale.py [N ...]`` (``make bench-scale``, or ``make bench SCALE="1 10 50"``; default
N = 1, 10, 50) writes, for each N, a mirror whose files are the real mirror's files made N times
longer along the years axis, in a temporary folder; then it runs, side by side, the floor
(``scripts/floor.py --every-file``) and a full build (fetch from that mirror, parse, validate,
publish, no bundle) in fresh processes, and prints time, ratio to the floor and the build's peak RSS.

How the inputs grow (the design, and what it does not change):

* **Along the years axis only.** Each source gets ``(N - 1)`` times its real years again as new
  years after its last one; a new year's rows are a copy of a real year's (cycling through them;
  the last new year copies the real last year, so "latest year" facts such as UNDP's ranks stay
  true). Countries, columns and indicators are the real ones, so every check of a country (193 UN
  members per survey, known ISO3 codes, ranks that follow scores within a year...) still holds and
  still runs. un_egov gets new ``EGOV_DATA_<year>.csv`` files (the 2024 bytes with the survey year
  rewritten), ITU's five CSVs get the copied records appended after their original bytes (the
  Fixed_tel .xls stays as it is), UNDP's wide CSV gets new ``<indicator>_<year>`` columns in each
  block (its rank columns are renamed to the new latest year), TI's ``CPI Historical`` sheet gets
  new 2012-scale editions (the 0-10 editions up to 2011 are fixed by the publisher and stay as
  they are), and the WGI sheet gets new years. A file grows at most up to the reader's limits
  (``sources/_read.py``: 100 MB a file, 5 million cells a sheet), which a larger real-looking file
  would break and be refused for: so ITU grows at most about 23x and WGI about 14x.
  wb_classification (countries, income history) stays as it is. The real and the scaled byte
  totals are printed, so the factor actually reached is visible.
* **Facts derived before the schemas are built, in the build's subprocess only.** The child
  process (``scale.py --child``) imports each source's ``__init__`` (declarations, no pandas),
  replaces the year facts declared there (``SURVEY_YEARS``, ``YEARS``, ``LATEST_YEAR``,
  ``HISTORICAL_YEARS``, and ``SOURCE.files`` for un_egov) by the scaled ones, adds each reviewed
  anomaly again for the new years that copy its year, and only then lets the parsers and schemas
  be imported, which read those facts as they always do. Year ceilings are written as
  literals in schemas rather than declared as facts (ITU's ``year <= 2030`` and the indicators
  table's, and the revisions table's): in the child, and only there, those upper bounds are raised
  to the scaled last year. Earlier editions' files (HDR21-22, the WGI 2019 and 2021 Updates, ITU's
  June 2019 files) are copied as they are: an edition is a release that happened. Nothing else of
  any check is touched, and nothing of the real build: the real mirror and the package files are
  only read.

Times are medians of ``BENCH_ROUNDS`` (default 3) fresh processes for N < 10 and one run for larger
N (writing and building a 50x mirror takes minutes); peak RSS is each child's own (``os.wait4``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEFAULT_FACTORS = (1, 10, 50)
ROUNDS = 3


def within_limits(factor: int, *, size: float, limit: float) -> int:
    """``factor``, or less where the reader's limit (``sources/_read.py``) would refuse the grown file:
    the scaled inputs are real-looking files, and a file over a limit is refused, not read."""
    return max(1, min(factor, int(0.95 * limit // size)))


def new_years(real: Sequence[int], factor: int) -> dict[int, int]:
    """``{new year: the real year it copies}``: ``(factor - 1) * len(real)`` years after the last."""
    count = (factor - 1) * len(real)
    last = max(real)
    mapping = {last + 1 + i: real[i % len(real)] for i in range(count)}
    if mapping:
        mapping[last + count] = real[-1]
    return mapping


# --- writing the scaled mirror ------------------------------------------------------------------


def scale_un_egov(real: Path, out: Path, factor: int) -> dict[str, Any]:
    from kzegov_data.sources import un_egov

    years = new_years(un_egov.SURVEY_YEARS, factor)
    for year, copied in years.items():
        data = (real / f"EGOV_DATA_{copied}.csv").read_bytes()
        header, _, body = data.partition(b"\n")
        body = re.sub(rb"(?m)^" + str(copied).encode() + rb",", str(year).encode() + b",", body)
        (out / f"EGOV_DATA_{year}.csv").write_bytes(header + b"\n" + body)
    return {"un_egov": years}


def scale_itu(real: Path, out: Path, factor: int) -> dict[str, Any]:
    from kzegov_data.sources import itu

    found: set[int] = set()
    records_by_file = {}
    for raw in itu.SOURCE.files:
        if not raw.name.endswith(".csv"):
            continue
        data = (real / raw.name).read_bytes()
        records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        records_by_file[raw.name] = (data, records)
        found |= {int(record[9]) for record in records[1:] if len(record) > 9}
    from kzegov_data.sources._read import MAX_FILE_BYTES

    largest = max(len(data) for data, _ in records_by_file.values())
    years = new_years(sorted(found), within_limits(factor, size=largest, limit=MAX_FILE_BYTES))
    by_year: dict[int, list[int]] = {}
    for year, copied in years.items():
        by_year.setdefault(copied, []).append(year)
    for name, (data, records) in records_by_file.items():
        extra = io.StringIO()
        writer = csv.writer(extra, lineterminator="\n", quoting=csv.QUOTE_ALL)
        for record in records[1:]:
            for year in by_year.get(int(record[9]), ()) if len(record) > 9 else ():
                writer.writerow([*record[:9], str(year), *record[10:]])
        ending = b"" if data.endswith(b"\n") else b"\n"
        (out / name).write_bytes(data + ending + extra.getvalue().encode("utf-8"))
    return {"itu_ict": years}


def scale_undp(real: Path, out: Path, factor: int) -> dict[str, Any]:
    from kzegov_data.sources import undp_hdr
    from kzegov_data.sources._read import MAX_FILE_BYTES

    size = (real / undp_hdr.TIME_SERIES).stat().st_size
    years = new_years(undp_hdr.YEARS, within_limits(factor, size=size, limit=MAX_FILE_BYTES))
    last = max([*years, undp_hdr.LATEST_YEAR])
    data = (real / undp_hdr.TIME_SERIES).read_bytes().decode("cp1252")
    records = list(csv.reader(io.StringIO(data, newline="")))
    header = records[0]
    latest = f"_{undp_hdr.LATEST_YEAR}"
    columns: list[tuple[str, int]] = []  # (new name, index of the column it copies)
    for index, name in enumerate(header):
        stem, _, suffix = name.rpartition("_")
        is_rank = suffix == str(undp_hdr.LATEST_YEAR) and not suffix_is_block(header, stem)
        if is_rank:
            columns.append((f"{stem}_{last}", index))
            continue
        columns.append((name, index))
        if name.endswith(latest):
            for year, copied in years.items():
                # A block that starts later (ihdi: 2010) has no column for an early copied year: empty.
                source = f"{stem}_{copied}"
                columns.append((f"{stem}_{year}", header.index(source) if source in header else -1))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([name for name, _ in columns])
    for record in records[1:]:
        writer.writerow([record[index] if index >= 0 else "" for _, index in columns])
    (out / undp_hdr.TIME_SERIES).write_bytes(text.getvalue().encode("cp1252"))
    return {"undp_hdi": years}


def suffix_is_block(header: list[str], stem: str) -> bool:
    """``stem`` names a yearly block (``hdi``: ``hdi_1990`` ... ``hdi_2023``), not a one-year column."""
    return sum(1 for name in header if name.rpartition("_")[0] == stem) > 1


def read_sheet(path: Path, sheet: str) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def write_sheet(path: Path, sheet: str, rows: Sequence[Sequence[Any]]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                               "constant_memory": True})
    worksheet = workbook.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, bool):
                worksheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                worksheet.write_number(r, c, value)
            elif value != "":
                worksheet.write_string(r, c, str(value))
    workbook.close()


def scale_wgi(real: Path, out: Path, factor: int) -> dict[str, Any]:
    from kzegov_data.sources import wb_wgi
    from kzegov_data.sources._read import MAX_SHEET_CELLS, MAX_SHEET_ROWS

    rows = read_sheet(real / wb_wgi.FILE_NAME, wb_wgi.SHEET)
    header, body = rows[0], rows[1:]
    fits = min(MAX_SHEET_CELLS / (len(rows) * len(header)), MAX_SHEET_ROWS / len(rows))
    years = new_years(wb_wgi.YEARS, within_limits(factor, size=1, limit=fits))
    by_year: dict[int, list[int]] = {}
    for year, copied in years.items():
        by_year.setdefault(copied, []).append(year)
    extra = []
    for row in body:
        for year in by_year.get(int(row[3]), ()):
            extra.append([f"{row[1]}{row[4]}{year}", row[1], row[2], float(year), *row[4:]])
    write_sheet(out / wb_wgi.FILE_NAME, wb_wgi.SHEET, [header, *body, *extra])
    return {"wb_wgi": years}


def scale_cpi(real: Path, out: Path, factor: int) -> dict[str, Any]:
    from kzegov_data.sources import ti_cpi
    from kzegov_data.sources._read import MAX_SHEET_CELLS, MAX_SHEET_ROWS

    rows = read_sheet(real / ti_cpi.HISTORICAL_FILE, ti_cpi.HISTORICAL_SHEET)
    header_rows = 4  # title, notes, blank and the header (header_row=3)
    width = max(len(row) for row in rows)
    fits = min(MAX_SHEET_CELLS / (len(rows) * width), MAX_SHEET_ROWS / len(rows))
    years = new_years(ti_cpi.HISTORICAL_YEARS, within_limits(factor, size=1, limit=fits))
    year_index = [str(cell) for cell in rows[header_rows - 1]].index("Year")
    by_year: dict[int, list[int]] = {}
    for year, copied in years.items():
        by_year.setdefault(copied, []).append(year)
    extra = []
    for row in rows[header_rows:]:
        cell = row[year_index]
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            for year in by_year.get(int(cell), ()):
                extra.append([*row[:year_index], float(year), *row[year_index + 1:]])
    write_sheet(out / ti_cpi.HISTORICAL_FILE, ti_cpi.HISTORICAL_SHEET, [*rows, *extra])
    return {"ti_cpi": years, "ti_cpi_sources": years}


SCALERS = {"un_egov": scale_un_egov, "itu": scale_itu, "undp_hdr": scale_undp, "wb_wgi": scale_wgi,
           "ti_cpi": scale_cpi}


def write_mirror(real: Path, folder: Path, factor: int) -> dict[str, dict[int, int]]:
    """The scaled mirror in ``folder``; returns ``{table: {new year: copied year}}``."""
    from kzegov_data.registry import get_source, source_ids

    years: dict[str, dict[int, int]] = {}
    for source_id in source_ids():
        (folder / source_id).mkdir(parents=True, exist_ok=True)
        for raw in get_source(source_id).files:
            target = folder / source_id / raw.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(real / source_id / raw.name, target)
        if factor > 1 and source_id in SCALERS:
            years.update(SCALERS[source_id](real / source_id, folder / source_id, factor))
    return years


# --- the build on scaled inputs (child process) -----------------------------------------------------


def scaled_facts(years: dict[str, dict[int, int]]) -> None:
    """Replace the year facts the sources declare by the scaled ones, before any parser or schema
    is imported (they read the facts when they are imported)."""
    # ITU declares no year range of its CSVs: its schema's literal ceiling is raised separately.
    from kzegov_data.registry import RawFile
    from kzegov_data.sources import ti_cpi, un_egov, undp_hdr, wb_wgi

    def grown(real: tuple[int, ...], table: str) -> tuple[int, ...]:
        return tuple(sorted({*real, *map(int, years.get(table, {}))}))

    un_egov.SURVEY_YEARS = grown(un_egov.SURVEY_YEARS, "un_egov")
    un_egov.SOURCE = replace(un_egov.SOURCE, files=tuple(RawFile(f"EGOV_DATA_{y}.csv") for y in un_egov.SURVEY_YEARS))
    wb_wgi.YEARS = grown(wb_wgi.YEARS, "wb_wgi")
    undp_hdr.YEARS = grown(undp_hdr.YEARS, "undp_hdi")
    undp_hdr.LATEST_YEAR = undp_hdr.YEARS[-1]
    ti_cpi.HISTORICAL_YEARS = grown(ti_cpi.HISTORICAL_YEARS, "ti_cpi")
    ti_cpi.YEARS = (*ti_cpi.YEARS[: ti_cpi.YEARS.index(ti_cpi.HISTORICAL_YEARS[0])], *ti_cpi.HISTORICAL_YEARS)

    from kzegov_data import schemas

    read_anomalies = schemas.read_anomalies

    def anomalies_with_copies(path: Path) -> tuple[schemas.Anomaly, ...]:
        real = read_anomalies(path)
        copies = [replace(anomaly, year=int(year)) for anomaly in real
                  for year, copied in years.get(anomaly.table, {}).items() if copied == anomaly.year]
        return (*real, *copies)

    schemas.read_anomalies = anomalies_with_copies  # type: ignore[assignment]


def raise_year_ceilings(last_year: int) -> None:
    """The literal year ceilings (ITU's and the derived indicators' and revisions') up to the scaled last year."""
    import pandera.pandas as pa

    from kzegov_data import derived, registry, revisions_table

    models = [registry.table_models("itu")["itu_ict"], derived.IndicatorsSchema, revisions_table.RevisionsSchema]
    for model in models:
        column = model.to_schema().columns["year"]
        column.checks = [
            pa.Check.le(last_year) if check.name == "less_than_or_equal_to" else check for check in column.checks
        ]


def child(arguments: Sequence[str]) -> int:
    facts, root, mirror = Path(arguments[0]), Path(arguments[1]), Path(arguments[2])
    years = {table: {int(y): c for y, c in mapping.items()} for table, mapping in json.loads(facts.read_text()).items()}
    scaled_facts(years)
    last_year = max([2030, *(year for mapping in years.values() for year in mapping)])
    raise_year_ceilings(last_year)
    from kzegov_data.pipeline import Project, build

    build(Project(root), mirror=mirror, progress=False, echo=lambda line: None, bundle=False)
    return 0


# --- measuring ------------------------------------------------------------------------------------


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed package runs (see bench.py)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *filter(None, [env.get("PYTHONPATH")])])
    return env


def measured(arguments: Sequence[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one fresh process, reaped with ``os.wait4``."""
    start = time.perf_counter()
    process = subprocess.Popen(list(arguments), cwd=REPO, env=environment(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(errors.decode(errors="replace"))
        msg = f"failed: {' '.join(arguments)}"
        raise SystemExit(msg)
    return seconds, usage.ru_maxrss / 1024


def declared_bytes(real: Path) -> int:
    from kzegov_data.registry import get_source, source_ids

    return sum((real / source_id / raw.name).stat().st_size for source_id in source_ids()
               for raw in get_source(source_id).files)


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def measure(real: Path, factor: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"kzegov-scale-{factor}-") as scratch:
        folder = Path(scratch)
        mirror = folder / "mirror"
        years = write_mirror(real, mirror, factor)
        facts = folder / "facts.json"
        facts.write_text(json.dumps(years))
        floors, builds = [], []
        for _ in range(rounds):
            floors.append(measured([PYTHON, str(REPO / "scripts" / "floor.py"), "--every-file", str(mirror),
                                    str(folder / "floor.parquet")]))
            shutil.rmtree(folder / "root", ignore_errors=True)
            builds.append(measured([PYTHON, __file__, "--child", str(facts), str(folder / "root"), str(mirror)]))
        floor = statistics.median(seconds for seconds, _ in floors)
        build = statistics.median(seconds for seconds, _ in builds)
        published = json.loads((folder / "root" / "processed" / "datapackage.json").read_text())
        return {
            "factor": factor, "seconds": build, "floor": floor, "ratio": build / floor,
            "peak_mb": max(peak for _, peak in builds), "floor_peak_mb": max(peak for _, peak in floors),
            "input_mb": folder_bytes(mirror) / 1e6, "real_mb": declared_bytes(real) / 1e6,
            "rows": sum(resource["kzegov:rows"] for resource in published["resources"]),
        }


def main(arguments: list[str]) -> int:
    if arguments[:1] == ["--child"]:
        return child(arguments[1:])
    as_json = arguments[:1] == ["--json"]
    factors = [int(value) for value in " ".join(arguments[as_json:]).split()] or list(DEFAULT_FACTORS)
    real = Path(os.environ.get("KZEGOV_MIRROR") or REPO.parent / "shared" / "sources").resolve()
    rounds = int(os.environ.get("BENCH_ROUNDS", ROUNDS))
    results = []
    for factor in factors:
        result = measure(real, factor, 1 if factor >= 10 else rounds)
        results.append(result)
        if not as_json:
            print(f"N={factor:>3}: inputs {result['input_mb']:7.1f} MB "
                  f"({result['input_mb'] / result['real_mb']:.1f}x the mirror's), {result['rows']:>9,} published rows; "
                  f"build {result['seconds']:6.2f} s = {result['ratio']:.2f}x its floor ({result['floor']:.2f} s); "
                  f"peak RSS {result['peak_mb']:.0f} MB (floor {result['floor_peak_mb']:.0f} MB)", flush=True)
    if as_json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
