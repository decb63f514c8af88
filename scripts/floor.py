"""The floor of a build: read every raw file the sources declare once and write one Parquet file.

``python scripts/floor.py MIRROR OUTPUT.parquet`` reads each file of every source's ``SOURCE.files``
from ``MIRROR/<source>/<name>`` (with ``--every-file``, every CSV and workbook under ``MIRROR``: the
scale mode's mirrors, whose file lists are scaled too): CSV with pyarrow's CSV reader (every column as text, nothing
guessed), workbooks (.xlsx and .xls) with python-calamine (every sheet, every cell). Each column of
each table becomes one row of the output (file, sheet, column number, its cells as a list of text),
written with zstd like the published tables. No checks, no country codes, no validation: what any
build must at least do, so that ``make bench`` can state a build's cost as a ratio to it.

Imports only what reading needs (pyarrow, python-calamine and the package's source declarations,
which import no pandas), so its start-up is part of the floor too, as a build's is.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

EXCEL_SUFFIXES = (".xlsx", ".xls")


def declared_files(mirror: Path) -> list[Path]:
    """Every raw file the sources declare, as the mirror holds it."""
    from kzegov_data.registry import get_source, source_ids

    return [mirror / source_id / raw.name for source_id in source_ids() for raw in get_source(source_id).files]


def every_file(mirror: Path) -> list[Path]:
    """Every CSV and workbook under ``mirror`` (the scale mode's mirrors hold only what they build from)."""
    return sorted(path for path in mirror.rglob("*") if path.suffix.lower() in {".csv", *EXCEL_SUFFIXES})


def csv_columns(path: Path) -> list[tuple[str, int, pa.Array]]:
    """A CSV's columns as text; a file that is not UTF-8 is read as cp1252 (UNDP's).

    The bytes are read once and their encoding told from them (as each parser knows its file's),
    so that a cp1252 file is not parsed twice; every column is read as text, nothing inferred."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        encoding = "utf8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    table = read_csv(data, encoding)
    return [("", number, column.combine_chunks()) for number, column in enumerate(table.columns)]


def read_csv(data: bytes, encoding: str) -> pa.Table:
    """Every row (the header too) as text, as many columns as the first row has; rows of another
    width are skipped (the parsers refuse them; the floor only reads)."""
    first = data.split(b"\n", 1)[0].decode("utf-8" if encoding == "utf8" else encoding, errors="replace")
    width = len(next(csv.reader([first.removeprefix("\ufeff")]), [])) or 1
    names = [f"f{number}" for number in range(width)]
    return pa_csv.read_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(encoding=encoding, column_names=names, block_size=max(len(data), 1 << 20)),
        parse_options=pa_csv.ParseOptions(invalid_row_handler=lambda row: "skip"),
        convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                              strings_can_be_null=False),
    )


def excel_columns(path: Path) -> list[tuple[str, int, pa.Array]]:
    """Every sheet of a workbook, each column's cells as text (empty cells as empty text)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    columns = []
    for sheet in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        width = max((len(row) for row in rows), default=0)
        for number in range(width):
            cells = [str(row[number]) if number < len(row) else "" for row in rows]
            columns.append((sheet, number, pa.array(cells, type=pa.string())))
    return columns


def read_all(mirror: Path, paths: list[Path]) -> pa.Table:
    files, sheets, numbers, cells = [], [], [], []
    for path in paths:
        read = excel_columns if path.suffix.lower() in EXCEL_SUFFIXES else csv_columns
        for sheet, number, column in read(path):
            files.append(path.relative_to(mirror).as_posix())
            sheets.append(sheet)
            numbers.append(number)
            cells.append(column)
    offsets = [0]
    for column in cells:
        offsets.append(offsets[-1] + len(column))
    values = pa.concat_arrays(cells) if cells else pa.array([], type=pa.string())
    return pa.table({
        "file": pa.array(files, type=pa.string()),
        "sheet": pa.array(sheets, type=pa.string()),
        "column": pa.array(numbers, type=pa.int32()),
        "cells": pa.LargeListArray.from_arrays(pa.array(offsets, type=pa.int64()), values),
    })


def main(arguments: list[str]) -> int:
    every = arguments[:1] == ["--every-file"]
    if len(arguments) != 2 + every:
        print("usage: floor.py [--every-file] MIRROR OUTPUT.parquet", file=sys.stderr)
        return 2
    mirror, output = Path(arguments[every]), Path(arguments[every + 1])
    paths = every_file(mirror) if every else declared_files(mirror)
    pq.write_table(read_all(mirror, paths), output, compression="zstd")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
