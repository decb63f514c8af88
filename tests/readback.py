"""Read the download formats back with readers independent of their writers (ReadStat through pyreadstat,
calamine) and list every cell that differs from the frame it was written from.

What a reader gives back, and what counts as equal:
- a number is equal when it is the same float64 (no tolerance: every digit must survive);
- a missing value is Stata's ``.`` or a blank cell; Stata has no missing string, so a missing value of a
  string variable reads back as ``""``;
- a Stata variable with value labels reads back as its codes: the label of the code is the value (a boolean
  is labelled ``no``/``yes``); an Excel boolean cell is a bool.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

MISSING = None


def expected_values(column: pd.Series, *, as_label: bool) -> list[Any]:
    """A frame's column as plain Python values (``None`` where missing); booleans as their Stata label
    when ``as_label``."""
    values = column.astype(object).where(column.notna(), None).tolist()
    if pd.api.types.is_bool_dtype(column.dtype):
        return [MISSING if value is None else ("yes" if value else "no") if as_label else bool(value)
                for value in values]
    if pd.api.types.is_numeric_dtype(column.dtype):
        return [MISSING if value is None else float(value) for value in values]
    return [MISSING if value is None else str(value) for value in values]


def first_differences(name: str, want: Sequence[Any], got: Sequence[Any], limit: int = 3) -> list[str]:
    if len(want) != len(got):
        return [f"{name}: {len(got)} values read back, {len(want)} written"]
    found = []
    for row, (expected, actual) in enumerate(zip(want, got, strict=True)):
        if expected != actual:
            found.append(f"{name}, row {row}: wrote {expected!r}, read back {actual!r}")
            if len(found) == limit:
                break
    return found


def stata_differences(frame: pd.DataFrame, path: Path, *, names: Mapping[str, str] | None = None) -> list[str]:
    """Every difference between ``frame`` and the ``.dta`` at ``path`` (columns renamed by ``names``)."""
    import pyreadstat

    names = dict(names or {})
    data, meta = pyreadstat.read_dta(str(path), apply_value_formats=False)
    wanted_names = [names.get(column, column) for column in frame.columns]
    if list(data.columns) != wanted_names:
        return [f"columns: wrote {wanted_names}, read back {list(data.columns)}"]
    found = []
    for column, stata_name in zip(frame.columns, wanted_names, strict=True):
        labels = meta.variable_value_labels.get(stata_name)
        raw = data[stata_name].astype(object).tolist()
        if labels is not None:
            got = [MISSING if value is None or (isinstance(value, float) and math.isnan(value))
                   else labels[int(value)] for value in raw]
        elif meta.readstat_variable_types[stata_name] == "string":
            got = [MISSING if value in ("", None) else value for value in raw]
        else:
            got = [MISSING if value is None or math.isnan(value) else float(value) for value in raw]
        found += first_differences(str(column), expected_values(frame[column], as_label=labels is not None), got)
    return found


def stata_labels(path: Path) -> tuple[dict[str, str | None], str]:
    """The variable labels and the data label of a ``.dta``, as ReadStat reads them."""
    import pyreadstat

    _, meta = pyreadstat.read_dta(str(path), metadataonly=True)
    return dict(meta.column_names_to_labels), meta.file_label


def workbook_sheets(data: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet of a workbook as rows of cells (calamine: blank cells are ``""``)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in workbook.sheet_names}


def sheet_differences(frame: pd.DataFrame, rows: Sequence[Sequence[Any]]) -> list[str]:
    """Every difference between ``frame`` and a sheet's rows (a header row, then one row per frame row)."""
    header = [str(column) for column in frame.columns]
    if not rows or list(rows[0]) != header:
        return [f"header: wrote {header}, read back {list(rows[0]) if rows else 'nothing'}"]
    body = rows[1:]
    found = []
    for index, column in enumerate(frame.columns):
        got = [MISSING if row[index] == "" else float(row[index]) if isinstance(row[index], int | float)
               and not isinstance(row[index], bool) else row[index] for row in body]
        found += first_differences(str(column), expected_values(frame[column], as_label=False), got)
    return found
