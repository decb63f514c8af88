"""The bench's helpers that are not timings: the floor reads every declared file, the scale mode's
new years. (The bench measures speed; no test here looks at a clock.)"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pyarrow.parquet as pq

from kzegov_data.registry import get_source, source_ids

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_floor_reads_every_file_the_sources_declare_into_one_parquet_file(
    synthetic_mirror: Path, tmp_path: Path
) -> None:
    output = tmp_path / "floor.parquet"
    assert script("floor").main([str(synthetic_mirror), str(output)]) == 0
    read = set(pq.read_table(output, columns=["file"]).column("file").to_pylist())
    declared = {f"{source_id}/{raw.name}" for source_id in source_ids() for raw in get_source(source_id).files}
    assert read == declared


def test_scaled_years_come_after_the_last_real_year_and_the_last_copies_the_latest() -> None:
    real = (2003, 2004, 2005, 2008, 2024)
    years = script("scale").new_years(real, 4)
    assert len(years) == 3 * len(real)
    assert sorted(years) == list(range(2025, 2025 + len(years)))
    assert set(years.values()) == set(real)
    assert years[max(years)] == 2024
    assert script("scale").new_years(real, 1) == {}
