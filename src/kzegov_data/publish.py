"""Write ``processed/``: Parquet and CSV per table plus ``datapackage.json``, atomically.

The same inputs give byte-identical files: no timestamps are written, rows and columns come sorted
from the parsers, Parquet metadata is JSON with sorted keys. The new folder is assembled beside the
old one and swapped in with two renames, so a reader sees either the old or the new ``processed/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    import pandas as pd

METADATA_KEY = b"kzegov_data"
DATAPACKAGE = "datapackage.json"
BUNDLE = "kzegov_data.zip"
#: Columns whose unit says they hold a small set of codes are stored as dictionaries (categoricals).
CATEGORICAL_UNITS = {"code", "category"}


def publish(tables: Mapping[str, tuple[pd.DataFrame, dict[str, Any]]], processed_dir: Path) -> None:
    """Replace the given tables in ``processed_dir`` (others are kept) and rewrite the descriptor."""
    processed_dir = processed_dir.resolve()
    parent = processed_dir.parent
    staging = parent / f"{processed_dir.name}.tmp-{os.getpid()}"
    retired = parent / f"{processed_dir.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        replaced = {f"{name}.{ext}" for name in tables for ext in ("parquet", "csv")} | {DATAPACKAGE, BUNDLE}
        if processed_dir.is_dir():
            for existing in sorted(processed_dir.iterdir()):
                if existing.name not in replaced and existing.is_file():
                    shutil.copy2(existing, staging / existing.name)
        for name, (frame, metadata) in sorted(tables.items()):
            write_table(frame, staging, name, metadata)
        write_datapackage(staging)
        write_bundle(staging)
        swap(staging, processed_dir, retired)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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


def write_table(frame: pd.DataFrame, folder: Path, name: str, metadata: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    units = {field["name"]: field.get("unit") for field in metadata["fields"]}
    stored = frame.copy()
    for column in stored.columns:
        if units.get(column) in CATEGORICAL_UNITS:
            stored[column] = stored[column].astype("category")
    stored.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    arrow_table = pa.Table.from_pandas(stored, preserve_index=False)
    schema_metadata = dict(arrow_table.schema.metadata or {})
    schema_metadata[METADATA_KEY] = json.dumps(metadata, sort_keys=True, ensure_ascii=False).encode()
    arrow_table = arrow_table.replace_schema_metadata(schema_metadata)
    pq.write_table(arrow_table, folder / f"{name}.parquet", compression="zstd", write_statistics=True)


def read_metadata(path: Path) -> dict[str, Any]:
    """The package's metadata stored in a published Parquet file."""
    import pyarrow.parquet as pq

    schema_metadata = pq.read_schema(path).metadata or {}
    return dict(json.loads(schema_metadata[METADATA_KEY]))


def write_datapackage(folder: Path) -> None:
    """A Frictionless Data Package descriptor for every table in ``folder``, from its metadata."""
    resources: list[dict[str, Any]] = []
    licences: dict[str, dict[str, str]] = {}
    sources: dict[str, dict[str, str]] = {}
    for parquet in sorted(folder.glob("*.parquet")):
        metadata = read_metadata(parquet)
        source = metadata["source"]
        licence = {"name": source["licence"]["name"], "path": source["licence"]["url"],
                   "title": source["licence"]["name"]}
        source_ref = {"title": source["title"], "path": source["landing_page"]}
        licences[licence["name"]] = licence
        sources[source_ref["title"]] = source_ref
        csv = parquet.with_suffix(".csv")
        schema = {
            "fields": [frictionless_field(field) for field in metadata["fields"]],
            "primaryKey": metadata["primary_key"],
        }
        common = {
            "title": metadata["title"],
            "description": metadata["description"],
            "licenses": [licence],
            "sources": [source_ref],
            "kzegov:source": source["id"],
            "kzegov:citation": source["citation"],
            "kzegov:rows": metadata["rows"],
            "kzegov:years": metadata["years"],
            "kzegov:build_key": metadata["build_key"],
            "kzegov:raw_files": metadata["raw_files"],
        }
        resources.append({
            "name": metadata["table"], "path": csv.name, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", **file_facts(csv), "schema": schema, **common,
            **({"kzegov:catalogue": metadata["catalogue"]} if "catalogue" in metadata else {}),
        })
        resources.append({
            # "type": "file": validators check its bytes and hash without reading it as a table.
            "name": f"{metadata['table']}-parquet", "type": "file", "path": parquet.name, "format": "parquet",
            "mediatype": "application/vnd.apache.parquet", **file_facts(parquet), **common,
        })
    descriptor = {
        "name": "kzegov-data",
        "title": "kzegov_data: e-government indicators of Kazakhstan and every other country",
        "version": __version__,
        "licenses": sorted(licences.values(), key=lambda item: item["name"]),
        "sources": sorted(sources.values(), key=lambda item: item["title"]),
        "resources": resources,
    }
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (folder / DATAPACKAGE).write_text(text, encoding="utf-8")


def frictionless_field(field: dict[str, Any]) -> dict[str, Any]:
    described = {key: field[key] for key in ("name", "type", "title", "description") if field.get(key)}
    if not field.get("nullable", True):
        described["constraints"] = {"required": True}
    if field.get("unit"):
        described["kzegov:unit"] = field["unit"]
    return described


def file_facts(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


def read_datapackage(processed_dir: Path) -> dict[str, Any]:
    path = processed_dir / DATAPACKAGE
    if not path.is_file():
        return {"resources": []}
    return dict(json.loads(path.read_text("utf-8")))


def write_bundle(folder: Path) -> Path:
    """``kzegov_data.zip``: every table as CSV and Parquet, the descriptor, and a README with the
    licence and citation of each table. Deterministic: sorted members, fixed dates and modes."""
    import zipfile

    descriptor = json.loads((folder / DATAPACKAGE).read_text("utf-8"))
    members = {DATAPACKAGE: (folder / DATAPACKAGE).read_bytes(), "README.md": bundle_readme(descriptor).encode()}
    for resource in descriptor["resources"]:
        members[resource["path"]] = (folder / resource["path"]).read_bytes()
    target = folder / BUNDLE
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as bundle:
        for name in sorted(members):
            info = zipfile.ZipInfo(f"kzegov_data/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, members[name])
    return target


def bundle_readme(descriptor: dict[str, Any]) -> str:
    lines = [
        f"# kzegov_data {descriptor['version']}: data bundle",
        "",
        "Every table as CSV and Parquet, described by `datapackage.json` (Frictionless Data Package).",
        "The data keep their publishers' terms: check each table's licence before reuse, and cite",
        "the publisher of every table you use. See DATACARD.md in the package for caveats.",
        "",
        "| table | rows | years | licence | citation |",
        "|---|---|---|---|---|",
    ]
    for resource in descriptor["resources"]:
        if resource["format"] != "csv":
            continue
        licence = resource["licenses"][0]
        lines.append(
            f"| `{resource['name']}` | {resource['kzegov:rows']} | {resource['kzegov:years']} | "
            f"[{licence['name']}]({licence['path']}) | {resource['kzegov:citation']} |"
        )
    return "\n".join(lines) + "\n"


def ensure_bundle(processed_dir: Path) -> bool:
    """Write the bundle when it is missing or describes other tables (it is not committed, so a
    fresh clone has none). Returns whether it was written."""
    import zipfile

    descriptor = processed_dir / DATAPACKAGE
    target = processed_dir / BUNDLE
    if not descriptor.is_file():
        return False
    if target.is_file():
        with contextlib.suppress(zipfile.BadZipFile, KeyError), zipfile.ZipFile(target) as bundle:
            if bundle.read(f"kzegov_data/{DATAPACKAGE}") == descriptor.read_bytes():
                return False
    staging = processed_dir.parent / f"{processed_dir.name}.tmp-bundle-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        for resource in json.loads(descriptor.read_text("utf-8"))["resources"]:
            os.link(processed_dir / resource["path"], staging / resource["path"])
        shutil.copy2(descriptor, staging / DATAPACKAGE)
        os.replace(write_bundle(staging), target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True
