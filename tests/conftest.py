"""Shared fixtures: the source mirror (real publisher files), synthetic mirrors, scratch projects."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest


def mirror_dir() -> Path | None:
    value = os.environ.get("KZEGOV_MIRROR")
    return Path(value).resolve() if value else None


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The source mirror; skip without one, but fail in CI, where a missing mirror is a defect."""
    path = mirror_dir()
    problem = None
    if path is None:
        problem = "KZEGOV_MIRROR is not set (point it at the source mirror, e.g. ../shared/sources)"
    elif not path.is_dir():
        problem = f"KZEGOV_MIRROR={path} is not a folder"
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the source mirror: {problem}")
        pytest.skip(f"needs the real publisher files: {problem}")
    assert path is not None
    return path


def source_paths(mirror: Path, source_id: str) -> dict[str, Path]:
    """``{file name: mirror path}`` for every raw file a source declares."""
    from kzegov_data.registry import source_module

    source = source_module(source_id).SOURCE
    return {raw_file.name: mirror / source_id / raw_file.name for raw_file in source.files}


def parse_source(source_id: str, paths: dict[str, Path]) -> dict[str, Any]:
    """The source's pure ``parse(paths)``: ``{table name: frame}``."""
    from kzegov_data.registry import source_module

    return dict(source_module(source_id).parse(paths))


def validate_table(table: str, frame: Any) -> Any:
    """The table's pandera schema applied as the build applies it (raises SchemaValidationError)."""
    from kzegov_data import schemas

    return schemas.validate(table, frame)
