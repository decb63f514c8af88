"""Write ``processed/``: one Parquet file per table plus ``datapackage.json``, atomically.

The same data give byte-identical files: nothing about the code that wrote them is recorded (no
build key, code digest or package version), no timestamps, rows and columns come sorted from the
parsers and schemas, and metadata is JSON with sorted keys. The new folder is assembled beside the
old one and swapped in with two renames, so a reader sees either the old or the new ``processed/``.
CSV and the other download formats are written into the release bundle (:mod:`kzegov_data.bundle`),
not here.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._io import atomic_write_text, sha256_file
from .errors import NoPublishedTablesError

if TYPE_CHECKING:
    import pandas as pd

METADATA_KEY = b"kzegov_data"
DATAPACKAGE = "datapackage.json"
PACKAGE_NAME = "kzegov-data"
PACKAGE_TITLE = "kzegov_data: e-government indicators of Kazakhstan and every other country"
#: Columns whose unit says they hold a small set of codes are stored as dictionaries (categoricals).
CATEGORICAL_UNITS = {"code", "category"}


def publish(tables: Mapping[str, tuple[pd.DataFrame, dict[str, Any]]], processed_dir: Path) -> None:
    """Replace the given tables in ``processed_dir`` (others are kept) and rewrite the descriptor.

    The new folder is complete in ``<name>.tmp-<pid>`` before anything is renamed; then the old one
    becomes ``<name>.old-<pid>`` and the new one takes its name. A process killed between the two
    renames leaves no ``processed_dir`` but a complete retired copy, which :func:`recover` puts back
    (and :func:`readable_folder` reads meanwhile).
    """
    processed_dir = processed_dir.resolve()
    parent = processed_dir.parent
    staging = parent / f"{processed_dir.name}{STAGING}{os.getpid()}"
    retired = parent / f"{processed_dir.name}{RETIRED}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        replaced = {table_path(name) for name in tables}
        if processed_dir.is_dir():
            for existing in table_files(processed_dir):
                relative = existing.relative_to(processed_dir).as_posix()
                if relative not in replaced:
                    (staging / relative).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(existing, staging / relative)
        write_tables(tables, staging)
        write_datapackage(staging)
        swap(staging, processed_dir, retired)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


#: Where earlier editions of a revising source's tables are published: editions/<table>/<slug>.parquet.
EDITIONS_FOLDER = "editions"


def table_path(name: str) -> str:
    """The published file of a table, relative to ``processed/``: ``<table>.parquet``, or for an earlier
    edition (``<table>.<slug>``) ``editions/<table>/<slug>.parquet``.

    >>> table_path("undp_hdi"), table_path("undp_hdi.hdr21-22")
    ('undp_hdi.parquet', 'editions/undp_hdi/hdr21-22.parquet')
    """
    table, _, slug = name.partition(".")
    return f"{EDITIONS_FOLDER}/{table}/{slug}.parquet" if slug else f"{name}.parquet"


def table_files(folder: Path) -> list[Path]:
    """Every published Parquet file of ``folder``: the tables, then the earlier editions."""
    return [*sorted(folder.glob("*.parquet")), *sorted(folder.glob(f"{EDITIONS_FOLDER}/*/*.parquet"))]


#: Suffixes of the folders a publish makes beside ``processed/`` (followed by the writer's pid).
STAGING, RETIRED = ".tmp-", ".old-"


def swap(staging: Path, processed_dir: Path, retired: Path) -> None:
    if processed_dir.exists():
        os.replace(processed_dir, retired)
        try:
            os.replace(staging, processed_dir)
        except OSError:
            os.replace(retired, processed_dir)
            raise
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, processed_dir)


def retired_copies(processed_dir: Path) -> list[Path]:
    """Complete earlier ``processed/`` folders left by a publish that was killed, newest first."""
    found = [path for path in processed_dir.parent.glob(f"{processed_dir.name}{RETIRED}*")
             if (path / DATAPACKAGE).is_file()]
    return sorted(found, key=lambda path: path.stat().st_mtime, reverse=True)


def readable_folder(processed_dir: Path) -> Path:
    """``processed_dir``, or while a killed publish is not yet recovered, its complete retired copy."""
    if processed_dir.is_dir() or not processed_dir.parent.is_dir():
        return processed_dir
    copies = retired_copies(processed_dir)
    return copies[0] if copies else processed_dir


def recover(processed_dir: Path) -> list[str]:
    """Undo what a killed publish left behind; return one line per repair.

    Call it only while holding the project lock (no other publish can be running then): a missing
    ``processed/`` gets its retired copy back, and staging and retired folders are removed.
    """
    processed_dir = processed_dir.resolve()
    repaired = []
    if not processed_dir.exists():
        copies = retired_copies(processed_dir)
        if copies:
            os.replace(copies[0], processed_dir)
            repaired.append(f"restored {processed_dir.name}/ from {copies[0].name} (an interrupted publish)")
    for leftover in sorted([*processed_dir.parent.glob(f"{processed_dir.name}{STAGING}*"),
                            *processed_dir.parent.glob(f"{processed_dir.name}{RETIRED}*")]):
        shutil.rmtree(leftover, ignore_errors=True)
        repaired.append(f"removed {leftover.name} (left by an interrupted publish)")
    return repaired


def stored_frame(frame: pd.DataFrame, metadata: dict[str, Any]) -> pd.DataFrame:
    """The frame as published: code and category columns as categoricals."""
    units = {field["name"]: field.get("unit") for field in metadata["fields"]}
    stored = frame.copy(deep=False)  # columns are replaced, never changed in place: no data copied
    for column in stored.columns:
        if units.get(column) in CATEGORICAL_UNITS:
            stored[column] = stored[column].astype("category")
    return stored


#: Tables written at once. pyarrow encodes and compresses a table without holding the GIL, so on two
#: cores a second writer overlaps the first. Each file is written whole by one thread: the bytes do
#: not depend on the order.
WRITERS = 2


def write_tables(tables: Mapping[str, tuple[pd.DataFrame, dict[str, Any]]], folder: Path) -> None:
    """Write every table into ``folder``: the largest alone, then the others ``WRITERS`` at a time.

    Writing a table takes memory in proportion to its rows (encoders, pages), and a build's peak is
    set while the largest one is written; so it is written alone and the smaller ones overlap after it
    (a full build: 0.51-0.58 s -> 0.4 s, peak RSS unchanged).
    """
    from concurrent.futures import ThreadPoolExecutor

    largest_first = sorted(tables.items(), key=lambda item: (-len(item[1][0]), item[0]))
    for name, (frame, metadata) in largest_first[:1]:
        write_table(frame, folder, name, metadata)
    with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="kzegov-publish") as pool:
        writes = [pool.submit(write_table, frame, folder, name, metadata)
                  for name, (frame, metadata) in largest_first[1:]]
    for write in writes:
        write.result()


def write_table(frame: pd.DataFrame, folder: Path, name: str, metadata: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_table = pa.Table.from_pandas(stored_frame(frame, metadata), preserve_index=False)
    schema_metadata = dict(arrow_table.schema.metadata or {})
    schema_metadata[METADATA_KEY] = json.dumps(metadata, sort_keys=True, ensure_ascii=False).encode()
    arrow_table = arrow_table.replace_schema_metadata(schema_metadata)
    path = folder / table_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(arrow_table, path, compression="zstd", write_statistics=True)


def read_metadata(path: Path) -> dict[str, Any]:
    """The package's metadata stored in a published Parquet file."""
    import pyarrow.parquet as pq

    schema_metadata = pq.read_schema(path).metadata or {}
    return dict(json.loads(schema_metadata[METADATA_KEY]))


def file_facts(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "hash": f"sha256:{sha256_file(path)}"}


def matches_descriptor(folder: Path, resource: dict[str, Any]) -> bool:
    """The file a resource describes is there, with the size and sha256 ``datapackage.json`` gives.

    The size is compared first, so a truncated file costs no hashing.
    """
    path = folder / resource["path"]
    return (path.is_file() and path.stat().st_size == resource.get("bytes")
            and f"sha256:{sha256_file(path)}" == resource.get("hash"))


def table_resource(metadata: dict[str, Any], path: str, facts: dict[str, Any], **kind: Any) -> dict[str, Any]:
    """A Frictionless resource for one table, from its metadata; ``kind`` gives format and mediatype."""
    source = metadata["source"]
    resource = {
        "name": metadata["table"], "path": path, **kind, **facts,
        "title": metadata["title"],
        "description": metadata["description"],
        "schema": {
            "fields": [frictionless_field(field) for field in metadata["fields"]],
            "primaryKey": metadata["primary_key"],
        },
        "licenses": [licence_of(source)],
        "sources": [{"title": source["title"], "path": source["landing_page"]}],
        "kzegov:source": source["id"],
        "kzegov:citation": source["citation"],
        "kzegov:rows": metadata["rows"],
        "kzegov:years": metadata["years"],
        "kzegov:year_column": metadata["year_column"],
        "kzegov:raw_files": metadata["raw_files"],
    }
    if "catalogue" in metadata:
        resource["kzegov:catalogue"] = metadata["catalogue"]
    # Editions (issue 14): a current table lists its editions; an earlier edition names its table.
    for key in ("editions", "edition", "edition_of"):
        if key in metadata:
            resource[key] = metadata[key]
    return resource


def licence_of(source: dict[str, Any]) -> dict[str, Any]:
    """A Frictionless licence, with whether it is open (see :class:`registry.Licence`) and its terms."""
    licence = source["licence"]
    return {"name": licence["name"], "path": licence["url"], "title": licence["name"],
            "kzegov:open": licence.get("open", False), "kzegov:terms": licence.get("note", "")}


def package_descriptor(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The Data Package around ``resources``: name, title, and every licence and source they name."""
    licences = {licence["name"]: licence for resource in resources for licence in resource["licenses"]}
    sources = {source["title"]: source for resource in resources for source in resource["sources"]}
    return {
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "licenses": [licences[name] for name in sorted(licences)],
        "sources": [sources[title] for title in sorted(sources)],
        "resources": resources,
    }


def write_datapackage(folder: Path) -> None:
    """``datapackage.json`` describing every Parquet table in ``folder``, from the tables' metadata."""
    resources = [
        table_resource(read_metadata(parquet), parquet.relative_to(folder).as_posix(), file_facts(parquet),
                       format="parquet", mediatype="application/vnd.apache.parquet")
        for parquet in table_files(folder)
    ]
    text = json.dumps(package_descriptor(resources), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(folder / DATAPACKAGE, text)


def frictionless_field(field: dict[str, Any]) -> dict[str, Any]:
    described = {key: field[key] for key in ("name", "type", "title", "description") if field.get(key)}
    if not field.get("nullable", True):
        described["constraints"] = {"required": True}
    if field.get("unit"):
        described["kzegov:unit"] = field["unit"]
    return described


def read_datapackage(processed_dir: Path) -> dict[str, Any]:
    """The descriptor of ``processed_dir``; an empty one when the folder holds no tables yet."""
    path = processed_dir / DATAPACKAGE
    if not path.is_file():
        return {"resources": []}
    try:
        descriptor = json.loads(path.read_text("utf-8"))
        problem = "" if isinstance(descriptor, dict) and isinstance(descriptor.get("resources"), list) else (
            "no list of resources")
    except ValueError as error:
        problem = str(error)
    if problem:
        msg = (f"{path} is not a readable Data Package descriptor ({problem}); restore it "
               f"(git checkout -- processed/) or rebuild: kzegov-data build --force")
        raise NoPublishedTablesError(msg)
    return dict(descriptor)


def table_resources(processed_dir: Path) -> dict[str, dict[str, Any]]:
    """Published table name -> its resource in ``datapackage.json``."""
    resources = read_datapackage(processed_dir)["resources"]
    if not resources:
        msg = (f"no published tables in {processed_dir} (datapackage.json missing); check the folder "
               "(data_dir, --data-dir or KZEGOV_DATA_DIR), or build tables there: kzegov-data build")
        raise NoPublishedTablesError(msg)
    return {resource["name"]: resource for resource in resources}


def year_column(resource: dict[str, Any]) -> str | None:
    """The year column of a published table (``year``, ``survey_year``, or none)."""
    column = resource.get("kzegov:year_column")
    return str(column) if column else None
