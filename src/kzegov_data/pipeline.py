"""fetch -> parse -> validate -> publish, for one source or all.

A source whose raw files cannot be had (no mirror, no network, no hand-saved file) is reported and
left as published, unless ``require_sources`` makes that an error. A source whose inputs, code and
lock are unchanged since the last build is skipped by content hash.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import FetchError, KzegovDataError, ParseError, SchemaValidationError, SourceUnavailable
from .registry import SOURCE_MODULES, Source, source_module


@dataclass(frozen=True)
class Project:
    """The folders of a working copy: ``raw/`` (with the lock), ``processed/``, ``build/``."""

    root: Path

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def lock_path(self) -> Path:
        return self.raw_dir / "sources.lock.json"

    @property
    def processed_dir(self) -> Path:
        return self.root / "processed"

    @property
    def report_dir(self) -> Path:
        return self.root / "build" / "validation"

    @classmethod
    def locate(cls, root: str | Path | None = None) -> Project:
        """``root`` argument, else ``KZEGOV_ROOT``, else the current folder."""
        return cls(Path(root or os.environ.get("KZEGOV_ROOT") or ".").resolve())


def mirror_folder(mirror: str | Path | None = None) -> Path | None:
    """``mirror`` argument, else ``KZEGOV_MIRROR``, else none; a named folder must exist."""
    value = mirror or os.environ.get("KZEGOV_MIRROR")
    if not value:
        return None
    path = Path(value).resolve()
    if not path.is_dir():
        msg = f"mirror folder {path} does not exist; fix --mirror / KZEGOV_MIRROR or unset it"
        raise FetchError(msg)
    return path


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unrefreshed: dict[str, str] = field(default_factory=dict)


def selected_sources(source_ids: Iterable[str] | None) -> list[Source]:
    ids = SOURCE_MODULES if source_ids is None else list(source_ids)
    return [source_module(source_id).SOURCE for source_id in ids]


def fetch(
    project: Project, source_ids: Iterable[str] | None = None, *, mirror: Path | None = None,
    update: bool = False, progress: bool = True, offline: bool = False,
) -> dict[str, dict[str, Path]]:
    """Fetch (and pin) the raw files of the given sources; the lock is saved after each source."""
    from .fetch import FetchSettings, Lock, fetch_source

    settings = FetchSettings(raw_dir=project.raw_dir, mirror=mirror, progress=progress, offline=offline)
    lock = Lock.load(project.lock_path)
    fetched = {}
    for source in selected_sources(source_ids):
        fetched[source.id] = fetch_source(source, settings, lock, update=update)
        lock.save()
    return fetched


def build(
    project: Project, source_ids: Iterable[str] | None = None, *, mirror: Path | None = None,
    require_sources: bool = False, force: bool = False, progress: bool = True, offline: bool = False,
    echo: Callable[[str], None] = print,
) -> BuildReport:
    """Rebuild the tables of the given sources (default: all) into ``processed/``.

    Nothing is published unless every rebuilt table passes its schema; the lock is saved only
    after a successful publish.
    """
    from .fetch import FetchSettings, Lock, fetch_source
    from .publish import BUNDLE, ensure_bundle, publish, read_datapackage

    settings = FetchSettings(raw_dir=project.raw_dir, mirror=mirror, progress=progress, offline=offline)
    lock = Lock.load(project.lock_path)
    published = {r["name"]: r for r in read_datapackage(project.processed_dir)["resources"]}
    report = BuildReport()
    ready: dict[str, tuple[Any, dict[str, Any]]] = {}
    remaining = []
    for source_id in source_ids or SOURCE_MODULES:
        if not force and unchanged(source_id, lock, settings, published):
            report.skipped.append(source_id)
        else:
            remaining.append(source_id)
    for source in selected_sources(remaining):
        pins = lock.snapshot(source.id)
        try:
            paths = fetch_source(source, settings, lock)
        except SourceUnavailable as error:
            if require_sources:
                raise
            lock.restore(source.id, pins)
            report.unrefreshed[source.id] = str(error)
            continue
        key = build_key(source.id, lock)
        if not force and all(published.get(t, {}).get("kzegov:build_key") == key for t in source.tables):
            report.skipped.append(source.id)
            continue
        ready.update(parse_and_validate(source, paths, lock, key, project))
        report.built.append(source.id)
        echo(f"built {source.id}: " + ", ".join(f"{t} ({len(ready[t][0])} rows)" for t in source.tables))
    derived = derive_indicators(ready, published, project, lock, force=force)
    if derived is not None:
        ready["indicators"] = derived
        report.built.append("indicators")
        echo(f"built indicators: indicators ({len(derived[0])} rows)")
    if ready:
        publish(ready, project.processed_dir)
    elif ensure_bundle(project.processed_dir):
        echo(f"wrote the release bundle {project.processed_dir.name}/{BUNDLE}")
    lock.save()
    return report


def derive_indicators(
    ready: dict[str, tuple[Any, dict[str, Any]]], published: dict[str, dict[str, Any]], project: Project,
    lock: Any, *, force: bool = False,
) -> tuple[Any, dict[str, Any]] | None:
    """The ``indicators`` table when any of its input tables changed (``None`` when up to date, or
    when an input table has never been published)."""
    from .analysis import DERIVED, TABLE, build_indicators, catalogue_records, derived_key, input_tables

    keys, sources = {}, {}
    for table in input_tables():
        if table in ready:
            keys[table], sources[table] = ready[table][1]["build_key"], ready[table][1]["source"]["id"]
        elif table in published:
            keys[table], sources[table] = published[table]["kzegov:build_key"], published[table]["kzegov:source"]
        else:
            return None
    key = derived_key(keys)
    if not force and published.get(TABLE, {}).get("kzegov:build_key") == key:
        return None
    import pandas as pd

    from . import schemas

    frames = {
        table: ready[table][0] if table in ready else pd.read_parquet(project.processed_dir / f"{table}.parquet")
        for table in input_tables()
    }
    frame = schemas.validate(TABLE, build_indicators(frames, sources), report_dir=project.report_dir)
    metadata = table_metadata(TABLE, frame, DERIVED, lock, key)
    metadata["catalogue"] = catalogue_records(frame)
    return frame, metadata


def parse_and_validate(
    source: Source, paths: dict[str, Path], lock: Any, key: str, project: Project
) -> dict[str, tuple[Any, dict[str, Any]]]:
    from . import schemas

    module = source_module(source.id)
    try:
        frames = module.parse(paths)
    except (KeyError, ValueError, IndexError, TypeError) as error:
        # A layout the parser did not foresee; the parsers raise ParseError for the ones they know.
        msg = f"{source.id}: the raw files do not have the expected layout ({type(error).__name__}: {error})"
        raise ParseError(msg) from error
    if set(frames) != set(source.tables):
        msg = f"{source.id}: parse() returned tables {sorted(frames)}, the source declares {list(source.tables)}"
        raise ParseError(msg)
    ready = {}
    for table in source.tables:
        try:
            frame = schemas.validate(table, frames[table], report_dir=project.report_dir)
        except SchemaValidationError as error:
            files = ", ".join(sorted(paths)) if len(paths) <= 3 else f"{len(paths)} files in raw/{source.id}/"
            msg = f"{source.id} ({files}): {error}"
            raise SchemaValidationError(msg) from None
        ready[table] = (frame, table_metadata(table, frame, source, lock, key))
    return ready


def table_metadata(table: str, frame: Any, source: Source, lock: Any, key: str) -> dict[str, Any]:
    from . import schemas

    config = schemas.SCHEMAS[table].Config
    return {
        "table": table,
        "title": getattr(config, "title", None) or table,
        "description": getattr(config, "description", None) or "",
        "primary_key": schemas.primary_key(table),
        "year_column": schemas.year_column(table),
        "rows": len(frame),
        "years": year_span(frame, schemas.year_column(table)),
        "fields": schemas.describe_fields(table, frame),
        "source": {
            "id": source.id, "publisher": source.publisher, "title": source.title,
            "landing_page": source.landing_page, "citation": source.citation,
            "licence": {"name": source.licence.name, "url": source.licence.url, "note": source.licence.note},
        },
        "raw_files": lock.source_entries(source),
        "package_version": __version__,
        "build_key": key,
    }


def year_span(frame: Any, column: str | None) -> str:
    if column is None or frame.empty:
        return ""
    return f"{int(frame[column].min())}-{int(frame[column].max())}"


def build_key(source_id: str, lock: Any) -> str:
    """Hash of what a source's tables depend on: its pinned raw files and the package's code.

    Computed from the lock alone, so that an unchanged source is recognised without importing its
    module (and pandas).
    """
    pinned = sorted((name, entry["sha256"]) for name, entry in lock.entries.get(source_id, {}).items())
    inputs = {"files": pinned, "code": code_digest(), "version": __version__}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def unchanged(source_id: str, lock: Any, settings: Any, published: dict[str, dict[str, Any]]) -> bool:
    """True when the published tables of ``source_id`` were built from exactly the pinned files
    (present in raw/ and, with a mirror, identical there) by this code."""
    from .fetch import sha256_of

    pinned = lock.entries.get(source_id, {})
    tables = [r for r in published.values() if r.get("kzegov:source") == source_id]
    if not pinned or not tables:
        return False
    key = build_key(source_id, lock)
    if any(r.get("kzegov:build_key") != key for r in tables):
        return False
    for name, entry in pinned.items():
        copies = [settings.raw_dir / source_id / name]
        if settings.mirror is not None:
            copies.append(settings.mirror / source_id / name)
        if not all(path.is_file() and sha256_of(path) == entry["sha256"] for path in copies):
            return False
    return True


#: Modules that only read published tables (API, CLI, data card, figures): editing them rebuilds nothing.
NOT_TABLE_CODE = frozenset({"datacard.py", "figures.py", "cli.py", "__main__.py", "api.py"})


@cache
def code_digest() -> str:
    """Hash of every module and data file of the package: any change to code rebuilds."""
    digest = hashlib.sha256()
    package = Path(str(resources.files("kzegov_data")))
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".csv", ".json"} and "__pycache__" not in path.parts:
            if path.is_relative_to(package / "processed") or path.name in NOT_TABLE_CODE:
                continue
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def check_published(project: Project, processed_dir: Path | None = None) -> list[str]:
    """Validate every published table against its schema, its recorded hashes and the lock.

    Returns one line per table; raises on the first table that fails.
    """
    import pandas as pd

    from . import schemas
    from .fetch import Lock
    from .publish import file_facts, read_datapackage, read_metadata

    folder = processed_dir or project.processed_dir
    descriptor = read_datapackage(folder)
    if not descriptor["resources"]:
        msg = f"{folder} holds no published tables (no datapackage.json); run: kzegov-data build"
        raise KzegovDataError(msg)
    lock = Lock.load(project.lock_path) if project.lock_path.exists() else None
    lines = []
    for resource in descriptor["resources"]:
        path = folder / resource["path"]
        if not path.is_file() or file_facts(path) != {"bytes": resource["bytes"], "hash": resource["hash"]}:
            msg = f"{path} does not match datapackage.json (bytes or sha256); rebuild: kzegov-data build --force"
            raise KzegovDataError(msg)
        if resource["format"] != "parquet":
            continue
        metadata = read_metadata(path)
        table = metadata["table"]
        if lock is not None:
            for entry in metadata["raw_files"]:
                pinned = lock.get(metadata["source"]["id"], entry["name"])
                if pinned is None or pinned["sha256"] != entry["sha256"]:
                    msg = (
                        f"processed/{path.name} was built from {entry['name']} sha256 {entry['sha256'][:12]}..., "
                        f"which the lock no longer pins; rebuild it: kzegov-data build {metadata['source']['id']}"
                    )
                    raise KzegovDataError(msg)
        frame = pd.read_parquet(path)
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.CategoricalDtype):
                frame[column] = frame[column].astype(frame[column].cat.categories.dtype)
        schemas.validate(table, frame, report_dir=project.report_dir)
        lines.append(f"{table}: {len(frame)} rows, schema and hashes ok")
    return lines


#: What `make data` prints of Kazakhstan: one headline indicator or two per source.
HEADLINE = (
    "egdi", "egdi_rank", "cpi_score", "cpi_rank", "internet_users_pct", "fixed_broadband_per100",
    "hdi", "hdi_rank", "wgi_control_of_corruption", "wgi_government_effectiveness",
)


def summary(processed_dir: Path) -> list[str]:
    """Tables, rows and years, then Kazakhstan's latest headline values: what `make data` prints."""
    from .api import load, tables

    overview = tables(data_dir=processed_dir).to_dict("records")
    lines = [f"  {row['name']}: {row['rows']} rows" + (f", {row['years']}" if row["years"] else "")
             for row in overview]
    if "indicators" in {row["name"] for row in overview}:
        kazakhstan = load("indicators", countries=["KAZ"], data_dir=processed_dir)
        latest = kazakhstan.sort_values("year").groupby("indicator", observed=True).last()
        records: dict[Any, dict[Any, Any]] = latest.to_dict("index")
        lines.append("Kazakhstan, latest published values:")
        for name in HEADLINE:
            if name in records:
                row = records[name]
                lines.append(f"  {name:30} {row['value']:>10.6g}  ({row['year']}, {row['unit']})")
    return lines
