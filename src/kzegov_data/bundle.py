"""The release bundle: every published table as CSV and Parquet, a descriptor, a README, the data
card (with its figures) and the code's LICENSE, in one zip.

Built from ``processed/`` alone (never from raw files), outside it (``build/release/``, git-ignored),
and deterministic: sorted members, fixed dates and modes, CSV written the same way every time. Its
``datapackage.json`` describes the CSV files as tables and the Parquet files as files, and records
the sha256 of the ``processed/datapackage.json`` and of the documents it was built from, which tells
when it is stale.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from ._io import atomic_write, sha256_file
from .publish import DATAPACKAGE, package_descriptor, read_metadata, table_resource, table_resources

BUNDLE = "kzegov_data.zip"
FOLDER = "kzegov_data"
BUILT_FROM = "kzegov:built_from"
#: The documents beside the tables: the code's licence and the data card (its figures follow it).
LICENCE_FILE, CARD_FILE = "LICENSE", "DATACARD.md"
DOCUMENTS_FROM = "kzegov:documents_from"
CARD_FIGURE = re.compile(r"\]\((docs/figures/[^)\s]+\.png)\)")


def documents(processed_dir: Path) -> dict[str, bytes]:
    """LICENSE, DATACARD.md and the figures the card shows: the project's own (beside processed/),
    else those shipped with the package. A document found nowhere is left out, never linked."""
    from .locations import shipped_document

    found: dict[str, bytes] = {}
    for name in (LICENCE_FILE, CARD_FILE):
        own = processed_dir.parent / name
        path = own if own.is_file() else shipped_document(name)
        if path is None:
            continue
        found[name] = path.read_bytes()
        if name == CARD_FILE:
            for figure in sorted(set(CARD_FIGURE.findall(found[name].decode("utf-8")))):
                if (path.parent / figure).is_file():
                    found[figure] = (path.parent / figure).read_bytes()
    return found


def documents_digest(members: dict[str, bytes]) -> dict[str, str]:
    return {name: f"sha256:{hashlib.sha256(data).hexdigest()}" for name, data in sorted(members.items())}


def csv_bytes(parquet: Path) -> bytes:
    """A published table as UTF-8 CSV with ``\\n`` line ends."""
    import pandas as pd

    buffer = io.StringIO()
    pd.read_parquet(parquet).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def file_facts_of(data: bytes) -> dict[str, Any]:
    return {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


def bundle_members(processed_dir: Path) -> dict[str, bytes]:
    """Every member of the bundle, by its name inside ``kzegov_data/``."""
    members: dict[str, bytes] = {}
    resources = []
    for name, published in sorted(table_resources(processed_dir).items()):
        parquet = processed_dir / published["path"]
        metadata = read_metadata(parquet)
        csv = csv_bytes(parquet)
        csv_path = published["path"].removesuffix(".parquet") + ".csv"  # an earlier edition's: editions/<table>/
        members[csv_path] = csv
        members[published["path"]] = parquet.read_bytes()
        resources.append(table_resource(metadata, csv_path, file_facts_of(csv), format="csv",
                                        mediatype="text/csv", encoding="utf-8"))
        # "type": "file": validators check its bytes and hash without reading it as a table.
        parquet_resource = table_resource(metadata, published["path"], file_facts_of(members[published["path"]]),
                                          type="file", format="parquet", mediatype="application/vnd.apache.parquet")
        parquet_resource["name"] = f"{name}-parquet"
        del parquet_resource["schema"]
        resources.append(parquet_resource)
    descriptor = package_descriptor(resources)
    descriptor[BUILT_FROM] = f"sha256:{sha256_file(processed_dir / DATAPACKAGE)}"
    extra = documents(processed_dir)
    descriptor[DOCUMENTS_FROM] = documents_digest(extra)
    members.update(extra)
    members[DATAPACKAGE] = (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    members["README.md"] = bundle_readme(descriptor, has_card=CARD_FILE in extra,
                                         has_licence=LICENCE_FILE in extra).encode("utf-8")
    return members


def write_bundle(processed_dir: Path, target: Path) -> Path:
    """Write the bundle of ``processed_dir`` to ``target`` atomically."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in sorted(bundle_members(processed_dir).items()):
            info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, buffer.getvalue())
    return target


def bundle_readme(descriptor: dict[str, Any], *, has_card: bool = True, has_licence: bool = True) -> str:
    lines = [
        "# kzegov_data: data bundle",
        "",
        "Every table as CSV and Parquet, described by `datapackage.json` (Frictionless Data Package).",
        "The data keep their publishers' terms: check each table's licence before reuse, and cite",
        "the publisher of every table you use.",
        *(["[DATACARD.md](DATACARD.md) documents coverage, units, caveats, licences and citations."]
          if has_card else []),
        *(["The code that made the tables is MIT-licensed ([LICENSE](LICENSE)); the licence does not "
           "cover the data."] if has_licence else []),
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


def is_current(processed_dir: Path, target: Path) -> bool:
    """True when ``target`` was built from the ``processed_dir`` of now."""
    if not target.is_file() or not (processed_dir / DATAPACKAGE).is_file():
        return False
    try:
        with zipfile.ZipFile(target) as archive:
            descriptor = json.loads(archive.read(f"{FOLDER}/{DATAPACKAGE}"))
    except (zipfile.BadZipFile, KeyError, ValueError):
        return False
    return bool(descriptor.get(BUILT_FROM) == f"sha256:{sha256_file(processed_dir / DATAPACKAGE)}"
                and descriptor.get(DOCUMENTS_FROM) == documents_digest(documents(processed_dir)))


def ensure_bundle(processed_dir: Path, target: Path) -> bool:
    """Write the bundle when it is missing or stale; returns whether it was written."""
    if not (processed_dir / DATAPACKAGE).is_file() or is_current(processed_dir, target):
        return False
    write_bundle(processed_dir, target)
    return True
