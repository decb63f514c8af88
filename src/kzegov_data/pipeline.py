"""fetch -> parse -> validate -> publish, for one source or all; then the derived ``indicators`` table.

Each source is independent: its raw files are fetched (mirror or network) and pinned in the lock,
its pure ``parse`` makes tidy frames, its schema validates them, and only when every rebuilt table
is valid is anything published. What was built from what is remembered in ``build/state.json``
(git-ignored), never in the published files: a source whose pinned files and package code are those
of its last build, and whose published files are intact, is skipped without importing pandas.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import registry
from ._io import atomic_write_text, sha256_file
from .errors import FetchError, KzegovDataError, ParseError, ProjectBusyError, SchemaValidationError, SourceUnavailable
from .registry import Source

if TYPE_CHECKING:
    from .fetch import FetchSettings, Lock

STATE_VERSION = 1
#: A file changed less than this long before it is hashed is hashed again next time (see
#: :meth:`BuildState.file_hash`).
SETTLE_SECONDS = 2


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
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def state_path(self) -> Path:
        return self.build_dir / "state.json"

    @property
    def report_dir(self) -> Path:
        return self.build_dir / "validation"

    @property
    def lock_file(self) -> Path:
        return self.build_dir / "kzegov.lock"

    @property
    def bundle_path(self) -> Path:
        from .bundle import BUNDLE

        return self.build_dir / "release" / BUNDLE

    @property
    def has_tables(self) -> bool:
        return (self.processed_dir / "datapackage.json").is_file()

    @classmethod
    def locate(cls, root: str | Path | None = None) -> Project:
        """``root`` argument, else ``KZEGOV_ROOT``, else the source checkout the current folder lies
        in, else the per-user data folder: never the current folder by accident
        (:func:`kzegov_data.locations.project_root`)."""
        from .locations import project_root

        return cls(project_root(root))


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


def table_model(table: str, edition: str | None = None) -> Any:
    """The pandera model of a published table: a source's (in ``edition``, for an earlier edition of a
    revising source), or a derived one (``indicators``, ``revisions``)."""
    from . import revisions_table as revisions
    from .derived import TABLE, IndicatorsSchema, source_of_tables

    if table == TABLE:
        return IndicatorsSchema
    if table == revisions.TABLE:
        return revisions.RevisionsSchema
    sources = source_of_tables()
    if edition is not None and table in sources:
        return registry.edition_model(sources[table], table, edition)
    if table not in sources:
        from .errors import UnknownTableError

        msg = f"no source publishes a table {table!r}; tables: {', '.join(sorted([*sources, TABLE]))}"
        raise UnknownTableError(msg)
    return registry.table_models(sources[table])[table]


def validate_table(table: str, frame: Any, *, report_dir: Path | None = None, edition: str | None = None) -> Any:
    """``frame`` validated (and its columns ordered) by the model of ``table`` (in ``edition``)."""
    from .schemas import validate

    return validate(table_model(table, edition), frame, report_dir=report_dir)


# --- one writer at a time -------------------------------------------------------------------------


def notice(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextlib.contextmanager
def exclusive(project: Project, *, wait: bool = True, notify: Callable[[str], None] = notice) -> Iterator[None]:
    """Hold the project's lock (``build/kzegov.lock``) while raw/, the lock file and processed/ are
    read, changed and written. A second run waits, saying so, or with ``wait=False`` fails at once.

    The lock is the operating system's (``filelock``): it is released when the process ends, even
    when it is killed, so a crash never leaves a stale lock behind. After taking it, whatever an
    interrupted run left (a half-swapped ``processed/``, temporary files) is repaired or removed.
    """
    from filelock import FileLock, Timeout

    project.build_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(project.lock_file)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            msg = (f"another kzegov-data run is changing {project.root} (it holds {project.lock_file}); "
                   "run again when it has finished, or leave out --no-wait to wait for it")
            raise ProjectBusyError(msg) from None
        started = time.monotonic()
        notify(f"waiting for another kzegov-data run to finish with {project.root} "
               f"(lock {project.lock_file}); press Ctrl-C to stop waiting")
        lock.acquire()
        notify(f"the other run has finished after {time.monotonic() - started:.0f} s; going on")
    try:
        for line in tidy(project):
            notify(line)
        yield
    finally:
        lock.release()


def tidy(project: Project) -> list[str]:
    """Repair or remove what an interrupted run left behind (call it holding the project lock)."""
    from .publish import recover

    repaired = recover(project.processed_dir) if project.processed_dir.parent.is_dir() else []
    # Holding the lock, no other run is writing: every temporary file is a leftover, whatever its age.
    # raw/<source>/ and its edition subfolders (raw/wb_wgi/2019_update/).
    raw_folders = sorted(path for path in project.raw_dir.rglob("*") if path.is_dir())
    for folder in (project.raw_dir, *raw_folders, project.build_dir, project.build_dir / "release"):
        for leftover in sorted(folder.glob(".*.part")) if folder.is_dir() else []:
            leftover.unlink(missing_ok=True)
            repaired.append(f"removed {leftover.relative_to(project.root)} (left by an interrupted run)")
    return repaired


# --- what was built from what: build/state.json ------------------------------------------------


@cache
def code_digest() -> str:
    """Hash of every module and data file of the package: a change to any of them rebuilds.

    Only a local cache key (``build/state.json``); nothing published depends on it.
    """
    digest = hashlib.sha256()
    package = Path(str(resources.files("kzegov_data")))
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".csv", ".json"} and "__pycache__" not in path.parts:
            if path.is_relative_to(package / "processed"):
                continue
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def source_key(source_id: str, lock: Lock) -> str:
    """What a source's tables depend on: its pinned raw files and the package's code."""
    pinned = sorted((name, entry["sha256"]) for name, entry in lock.entries.get(source_id, {}).items())
    return hash_of({"files": pinned, "code": code_digest()})


def hash_of(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


class BuildState:
    """``build/state.json``: per source (and ``indicators``) the key it was built with and the hashes
    of the tables it published. Unreadable or missing means: nothing is known, rebuild."""

    def __init__(self, path: Path, records: dict[str, dict[str, Any]] | None = None,
                 hashes: dict[str, list[Any]] | None = None, *, saved: str = ""):
        self.path = path
        self.records: dict[str, dict[str, Any]] = records or {}
        self.hashes: dict[str, list[Any]] = hashes or {}
        self.saved = saved

    @classmethod
    def load(cls, path: Path) -> BuildState:
        try:
            text = path.read_text("utf-8")
            document = json.loads(text)
            if document.get("version") == STATE_VERSION and isinstance(document.get("records"), dict):
                hashes = document.get("hashes")
                return cls(path, document["records"], hashes if isinstance(hashes, dict) else None, saved=text)
        except (OSError, ValueError, AttributeError):
            pass
        return cls(path)

    def save(self) -> None:
        """Write the state, unless the file already says exactly this (a build with nothing to do)."""
        document = {"version": STATE_VERSION, "records": self.records, "hashes": self.hashes}
        text = json.dumps(document, indent=2, sort_keys=True) + "\n"
        if text == self.saved and self.path.is_file():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, text)
        self.saved = text

    def file_hash(self, path: Path) -> str:
        """sha256 of ``path``, remembered with the file's size, inode and change times.

        A write to the file changes its ``st_ctime`` (which, unlike the modification time, no tool
        can set back), so a remembered hash is reused only while all four are unchanged; a file
        changed within :data:`SETTLE_SECONDS` of being hashed is not remembered ("racy git": a
        second write in the same clock tick would keep the times). Saves hashing every raw file
        and its mirror copy on a build that has nothing to do.
        """
        facts = path.stat()
        key = [facts.st_size, facts.st_ino, facts.st_mtime_ns, facts.st_ctime_ns]
        known = self.hashes.get(str(path))
        if isinstance(known, list) and len(known) == len(key) + 1 and known[:-1] == key:
            return str(known[-1])
        digest = sha256_file(path)
        if time.time_ns() - max(facts.st_mtime_ns, facts.st_ctime_ns) > SETTLE_SECONDS * 1e9:
            self.hashes[str(path)] = [*key, digest]
        return digest

    def record(self, name: str, key: str, tables: Iterable[str], published: dict[str, dict[str, Any]],
               inputs: dict[str, str] | None = None) -> None:
        self.records[name] = {"key": key, "tables": {table: published[table]["hash"] for table in tables},
                              **({"inputs": inputs} if inputs is not None else {})}

    def matches(self, name: str, key: str, published: dict[str, dict[str, Any]], processed_dir: Path) -> bool:
        """True when ``name`` was built with ``key`` and its published files are the ones recorded."""
        record = self.records.get(name)
        if not record or record.get("key") != key or not record.get("tables"):
            return False
        return all(intact(published.get(table), digest, processed_dir) for table, digest in record["tables"].items())


def intact(resource: dict[str, Any] | None, digest: str, processed_dir: Path) -> bool:
    """The published file is the one recorded: same hash in the descriptor and on disk."""
    from .publish import matches_descriptor

    return resource is not None and resource.get("hash") == digest and matches_descriptor(processed_dir, resource)


def raw_files_present(source_id: str, lock: Lock, settings: FetchSettings, state: BuildState | None = None) -> bool:
    """Every pinned file is in raw/ with its pinned hash (and, with a mirror, identical there).

    With ``state``, hashes of files unchanged since they were last hashed are taken from it.
    """
    file_hash = state.file_hash if state is not None else sha256_file
    pinned = lock.entries.get(source_id, {})
    for name, entry in pinned.items():
        copies = [settings.raw_dir / source_id / name]
        if settings.mirror is not None:
            copies.append(settings.mirror / source_id / name)
        if not all(path.is_file() and file_hash(path) == entry["sha256"] for path in copies):
            return False
    return bool(pinned)


# --- the build -----------------------------------------------------------------------------------------


def fetch(
    project: Project, source_ids: Iterable[str] | None = None, *, mirror: Path | None = None,
    update: bool = False, progress: bool = True, offline: bool = False, wait: bool = True,
) -> dict[str, dict[str, Path]]:
    """Fetch (and pin) the raw files of the given sources; the lock is saved after each source."""
    sources = [registry.get_source(source_id) for source_id in source_ids or registry.source_ids()]
    with exclusive(project, wait=wait):
        return fetch_pinned(project, sources, mirror=mirror, update=update, progress=progress, offline=offline)


def fetch_pinned(
    project: Project, sources: list[Source], *, mirror: Path | None, update: bool, progress: bool, offline: bool,
) -> dict[str, dict[str, Path]]:
    from .fetch import FetchSettings, Lock, fetch_source

    settings = FetchSettings(raw_dir=project.raw_dir, mirror=mirror, progress=progress, offline=offline)
    lock = Lock.load(project.lock_path)
    fetched = {}
    for source in sources:
        fetched[source.id] = fetch_source(source, settings, lock, update=update)
        lock.save()
    return fetched


def build(
    project: Project, source_ids: Iterable[str] | None = None, *, mirror: Path | None = None,
    require_sources: bool = False, force: bool = False, progress: bool = True, offline: bool = False,
    echo: Callable[[str], None] = print, wait: bool = True, bundle: bool = True,
) -> BuildReport:
    """Rebuild the tables of the given sources (default: all) into ``processed/``.

    Nothing is published unless every rebuilt table passes its schema; the lock is saved only
    after a successful publish. The whole build holds the project lock (see :func:`exclusive`).
    With ``bundle`` (the default) the release bundle is then brought up to date as well; without
    it, a separate step can write it (``make bench`` times the two apart).
    """
    sources = [registry.get_source(source_id) for source_id in source_ids or registry.source_ids()]
    with exclusive(project, wait=wait):
        return build_locked(project, sources, mirror=mirror, require_sources=require_sources, force=force,
                            progress=progress, offline=offline, echo=echo, bundle=bundle)


def build_locked(
    project: Project, sources: list[Source], *, mirror: Path | None, require_sources: bool, force: bool,
    progress: bool, offline: bool, echo: Callable[[str], None], bundle: bool = True,
) -> BuildReport:
    from .bundle import ensure_bundle
    from .fetch import FetchSettings, Lock, fetch_source
    from .publish import publish, read_datapackage

    settings = FetchSettings(raw_dir=project.raw_dir, mirror=mirror, progress=progress, offline=offline)
    lock = Lock.load(project.lock_path)
    state = BuildState.load(project.state_path)
    published = {r["name"]: r for r in read_datapackage(project.processed_dir)["resources"]}
    report = BuildReport()
    ready: dict[str, tuple[Any, dict[str, Any]]] = {}
    keys: dict[str, str] = {}
    for source in sources:
        if not force and raw_files_present(source.id, lock, settings, state) and state.matches(
            source.id, source_key(source.id, lock), published, project.processed_dir
        ):
            report.skipped.append(source.id)
            continue
        pins = lock.snapshot(source.id)
        try:
            paths = fetch_source(source, settings, lock)
        except SourceUnavailable as error:
            if require_sources:
                raise
            lock.restore(source.id, pins)
            report.unrefreshed[source.id] = str(error)
            continue
        keys[source.id] = source_key(source.id, lock)
        if not force and state.matches(source.id, keys[source.id], published, project.processed_dir):
            report.skipped.append(source.id)
            continue
        ready.update(parse_and_validate(source, paths, lock, project))
        report.built.append(source.id)
        echo(f"built {source.id}: " + ", ".join(f"{t} ({len(ready[t][0])} rows)" for t in source.tables))
    derived = {
        name: derivation(ready, published, project, state, force=force)
        for name, derivation in (("indicators", derive_indicators), ("revisions", derive_revisions))
    }
    for name, result in derived.items():
        if result is not None:
            ready[name] = result[:2]
            report.built.append(name)
            echo(f"built {name}: {name} ({len(result[0])} rows)")
    if ready:
        release_freed_memory()
        publish(ready, project.processed_dir)
        published = {r["name"]: r for r in read_datapackage(project.processed_dir)["resources"]}
        for source in sources:
            if source.id in report.built:
                state.record(source.id, keys[source.id], published_names(source), published)
        for name, result in derived.items():
            if result is not None:
                inputs = {table: published[table]["hash"] for table in result[2]}
                state.record(name, derived_key(inputs), [name], published, inputs=inputs)
    if bundle and ensure_bundle(project.processed_dir, project.bundle_path):
        echo(f"wrote the release bundle {project.bundle_path.relative_to(project.root)}")
    if keys or report.unrefreshed or not project.lock_path.is_file():
        lock.save()  # only fetching changes the lock: a build that skipped every source leaves it
    state.save()
    return report


def release_freed_memory() -> None:
    """Hand the memory that parsing freed back to the system before publishing allocates its own.

    glibc keeps freed allocations in its heap and Arrow's allocator keeps its own pages: about 30 MB of
    a full build's peak RSS (~400 MB) was memory already freed when the tables were written (measured).
    Neither call frees anything in use; without glibc's ``malloc_trim`` only Arrow's pool is asked.
    """
    import ctypes

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)


def published_names(source: Source) -> list[str]:
    """The published tables of a source: its tables and, for a revising source, their earlier editions."""
    return [*source.tables,
            *(registry.edition_table(table, edition) for table in source.tables for edition in source.earlier_editions)]


def derived_key(inputs: dict[str, str]) -> str:
    """What a derived table depends on: the published hashes of its input tables and the code."""
    return hash_of({"inputs": dict(sorted(inputs.items())), "code": code_digest()})


def up_to_date(name: str, ready: dict[str, Any], published: dict[str, dict[str, Any]], project: Project,
               state: BuildState) -> bool:
    """No input of the derived table ``name`` was rebuilt and it is the one derived from them last
    (decided without importing pandas or pandera)."""
    recorded = sorted(state.records.get(name, {}).get("inputs", {}))
    if not recorded or set(recorded) & set(ready) or not all(t in published for t in recorded):
        return False
    inputs = {table: published[table]["hash"] for table in recorded}
    return state.matches(name, derived_key(inputs), published, project.processed_dir)


def input_frames(tables: list[str], ready: dict[str, tuple[Any, dict[str, Any]]],
                 published: dict[str, dict[str, Any]], project: Project) -> dict[str, Any] | None:
    """The frames of ``tables``: just built, else read from ``processed/``; ``None`` when one of them has
    never been published."""
    if any(table not in ready and table not in published for table in tables):
        return None
    import pandas as pd

    folder = project.processed_dir
    return {table: ready[table][0] if table in ready else pd.read_parquet(folder / published[table]["path"])
            for table in tables}


def derive_indicators(
    ready: dict[str, tuple[Any, dict[str, Any]]], published: dict[str, dict[str, Any]], project: Project,
    state: BuildState, *, force: bool = False,
) -> tuple[Any, dict[str, Any], list[str]] | None:
    """``(frame, metadata, input tables)`` of ``indicators`` when it must be rebuilt; ``None`` when it
    is up to date, or when an input table has never been published."""
    if not force and up_to_date("indicators", ready, published, project, state):
        return None
    from .derived import DERIVED, IndicatorsSchema, build_indicators, catalogue_records, input_tables
    from .schemas import validate

    tables = input_tables()
    frames = input_frames(tables, ready, published, project)
    if frames is None:
        return None
    frame = validate(IndicatorsSchema, build_indicators(frames), report_dir=project.report_dir)
    metadata = table_metadata(IndicatorsSchema, frame, DERIVED, raw_files=[])
    metadata["catalogue"] = catalogue_records(frame)
    return frame, metadata, tables


def derive_revisions(
    ready: dict[str, tuple[Any, dict[str, Any]]], published: dict[str, dict[str, Any]], project: Project,
    state: BuildState, *, force: bool = False,
) -> tuple[Any, dict[str, Any], list[str]] | None:
    """``(frame, metadata, input tables)`` of ``revisions`` (every edition of the revising sources) when it
    must be rebuilt; ``None`` when it is up to date, or when an input table has never been published."""
    if not force and up_to_date("revisions", ready, published, project, state):
        return None
    from . import revisions_table as revisions
    from .schemas import validate

    tables = revisions.input_names()
    frames = input_frames(tables, ready, published, project)
    if frames is None:
        return None
    frame = validate(revisions.RevisionsSchema, revisions.build_revisions(frames), report_dir=project.report_dir)
    return frame, table_metadata(revisions.RevisionsSchema, frame, revisions.DERIVED, raw_files=[]), tables


def parse_and_validate(
    source: Source, paths: dict[str, Path], lock: Lock, project: Project
) -> dict[str, tuple[Any, dict[str, Any]]]:
    """Parse a source's raw files and validate every table it declares.

    Only the parsers' own :class:`ParseError` (and :class:`CountryError`) report layout problems; any
    other exception is a bug of ours and surfaces as such.
    """
    from .publish import table_path
    from .revisions_table import edition_entries

    current = source.current_files
    frames = registry.parser(source.id)({raw_file.name: paths[raw_file.name] for raw_file in current})
    if set(frames) != set(source.tables):
        msg = f"{source.id}: parse() returned tables {sorted(frames)}, the source declares {list(source.tables)}"
        raise ParseError(msg)
    models = registry.table_models(source.id)
    ready = {table: validated(models[table], frames[table], source, current, lock, project) for table in source.tables}
    current_edition = next((edition for edition in source.editions if edition.current), None)
    if current_edition is None:  # a source with one edition, its current files
        return ready
    built = {table: [(current_edition, ready[table][0], table_path(table))] for table in source.tables}
    for edition in source.earlier_editions:
        files = source.files_of(edition)
        edition_frames = registry.edition_parser(source.id)(edition.name, {f.name: paths[f.name] for f in files})
        if set(edition_frames) != set(source.tables):
            msg = (f"{source.id}: parse_edition({edition.name!r}) returned tables {sorted(edition_frames)}, the "
                   f"source declares {list(source.tables)}")
            raise ParseError(msg)
        for table in source.tables:
            model = registry.edition_model(source.id, table, edition.name)
            frame, metadata = validated(model, edition_frames[table], source, files, lock, project)
            name = registry.edition_table(table, edition)
            metadata.update(table=name, edition=edition.name, edition_of=table)
            ready[name] = (frame, metadata)
            built[table].append((edition, frame, table_path(name)))
    for table in source.tables:
        ready[table][1]["editions"] = edition_entries(source, built[table], ready[table][1]["year_column"])
    return ready


def validated(model: Any, frame: Any, source: Source, files: tuple[Any, ...], lock: Lock,
              project: Project) -> tuple[Any, dict[str, Any]]:
    """``frame`` validated by ``model`` and the metadata it is published with (built from ``files``)."""
    from .schemas import validate

    try:
        frame = validate(model, frame, report_dir=project.report_dir)
    except SchemaValidationError as error:
        names = [raw_file.name for raw_file in files]
        listed = ", ".join(names) if len(names) <= 3 else f"{len(names)} files in raw/{source.id}/"
        msg = f"{source.id} ({listed}): {error}"
        raise SchemaValidationError(msg) from None
    return frame, table_metadata(model, frame, source, raw_files=lock.source_entries(source, files))


def table_metadata(model: Any, frame: Any, source: Source, *, raw_files: list[dict[str, Any]]) -> dict[str, Any]:
    """What a published table says about itself: all of it data, none of it about the code."""
    from . import schemas

    config = model.Config
    year = schemas.year_column(model)
    return {
        "table": schemas.table_name(model),
        "title": getattr(config, "title", None) or schemas.table_name(model),
        "description": getattr(config, "description", None) or "",
        "primary_key": schemas.primary_key(model),
        "year_column": year,
        "rows": len(frame),
        "years": year_span(frame, year),
        "fields": schemas.describe_fields(model, frame),
        "source": {
            "id": source.id, "publisher": source.publisher, "title": source.title,
            "landing_page": source.landing_page, "citation": registry.cite(source.citation, raw_files),
            "licence": {"name": source.licence.name, "url": source.licence.url, "note": source.licence.note,
                        "open": source.licence.open},
        },
        "raw_files": raw_files,
    }


def year_span(frame: Any, column: str | None) -> str:
    if column is None or frame.empty:
        return ""
    return f"{int(frame[column].min())}-{int(frame[column].max())}"


def check_published(project: Project, processed_dir: Path | None = None, *, wait: bool = True) -> list[str]:
    """Validate every published table against its schema, its recorded hashes and the lock.

    Returns one line per table; raises on the first table that fails. The project's own
    ``processed/`` is checked under the project lock, after repairing an interrupted publish.
    """
    from .publish import retired_copies

    own = processed_dir is None or processed_dir.resolve() == project.processed_dir.resolve()
    if own and (project.processed_dir.is_dir() or retired_copies(project.processed_dir)):
        with exclusive(project, wait=wait):
            return check_folder(project, project.processed_dir)
    # Another folder, or no tables at all: nothing of this project to repair, so no lock (and no
    # build/ folder made where there is no project).
    return check_folder(project, processed_dir or project.processed_dir)


def check_folder(project: Project, folder: Path) -> list[str]:
    import pandas as pd

    from .fetch import Lock
    from .publish import matches_descriptor, read_datapackage, read_metadata

    descriptor = read_datapackage(folder)
    if not descriptor["resources"]:
        msg = f"{folder} holds no published tables (no datapackage.json); run: kzegov-data build"
        raise KzegovDataError(msg)
    lock = Lock.load(project.lock_path) if project.lock_path.exists() else None
    lines = []
    for resource in descriptor["resources"]:
        path = folder / resource["path"]
        if not matches_descriptor(folder, resource):
            msg = f"{path} does not match datapackage.json (bytes or sha256); rebuild: kzegov-data build --force"
            raise KzegovDataError(msg)
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
        if "edition_of" in metadata:
            validate_table(metadata["edition_of"], frame, report_dir=project.report_dir, edition=metadata["edition"])
        else:
            validate_table(table, frame, report_dir=project.report_dir)
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
