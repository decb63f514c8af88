"""Reading helpers shared by the source parsers: strict text decoding and header checks."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import ParseError


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The whole file as text; an empty file or bytes that are not ``encoding`` fail loudly."""
    data = path.read_bytes()
    if not data.strip():
        msg = f"{path.name}: the file is empty; fetch it again (kzegov-data fetch)"
        raise ParseError(msg)
    if b"\x00" in data[:4096]:
        msg = f"{path.name}: binary content (NUL bytes) where a {encoding} text file was expected"
        raise ParseError(msg)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        msg = (
            f"{path.name}: not valid {encoding} at byte {error.start}; the publisher may have "
            "changed the encoding, or the file is damaged"
        )
        raise ParseError(msg) from None


def read_csv_text(path: Path, *, encoding: str = "utf-8", **options: object) -> pd.DataFrame:
    """Every cell as a string (nothing guessed); CRLF and LF both accepted."""
    text = read_text(path, encoding)
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, **options
        )
    except (pd.errors.ParserError, ValueError) as error:
        msg = f"{path.name}: not a readable CSV table ({error})"
        raise ParseError(msg) from None


def require_columns(frame: pd.DataFrame, expected: Sequence[str], *, file: str) -> None:
    """The header must be exactly ``expected``; name what is missing, extra or renamed."""
    found = [str(c) for c in frame.columns]
    if found == list(expected):
        return
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    details = []
    if missing:
        details.append(f"missing {missing}")
    if extra:
        details.append(f"unexpected {extra}")
    if not details:
        details.append(f"order changed to {found}")
    msg = (
        f"{file}: the header is not the one the parser knows ({'; '.join(details)}). "
        "The publisher may have changed the layout: check the file, then update the parser."
    )
    raise ParseError(msg)


def to_number(values: pd.Series, *, file: str, column: str) -> pd.Series:
    """Text to float; blank cells become missing, anything else that is not a number is an error."""
    stripped = values.str.strip()
    numbers = pd.to_numeric(stripped.where(stripped != ""), errors="coerce")
    bad = stripped[(stripped != "") & numbers.isna()]
    if not bad.empty:
        shown = ", ".join(repr(v) for v in bad.unique()[:5])
        msg = (
            f"{file}: column {column!r} holds text where numbers are expected "
            f"({len(bad)} cell(s), e.g. {shown}; first at data row {int(bad.index[0]) + 1})"
        )
        raise ParseError(msg)
    return numbers.astype("float64")


def read_excel_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """Every cell of one worksheet as the workbook stores it, by position; nothing is a header yet.

    Numbers come as int/float, text as str, empty cells as ``""``; row and column labels are the
    0-based positions in the sheet (row label + 1 is the row number Excel shows). Works for .xls
    (BIFF), .xlsx and .ods through python-calamine, which does not expand XML entities.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    if path.stat().st_size == 0:
        msg = f"{path.name}: the file is empty; fetch it again (kzegov-data fetch)"
        raise ParseError(msg)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        if sheet not in workbook.sheet_names:
            msg = (
                f"{path.name}: no sheet named {sheet!r} (the workbook has {workbook.sheet_names}). "
                "The publisher may have renamed it: check the file, then update the parser."
            )
            raise ParseError(msg)
        rows = workbook.get_sheet_by_name(sheet).to_python()
    except CalamineError as error:
        msg = (
            f"{path.name}: not a readable Excel workbook ({error}); the download may be damaged "
            "or an error page: fetch it again"
        )
        raise ParseError(msg) from None
    return pd.DataFrame(rows, dtype=object)


def cells_to_number(cells: pd.Series, *, file: str, column: str) -> pd.Series:
    """Excel cells to float: numbers exactly as stored, blank cells missing, other text an error.

    Numbers stored as text (``'87.6'``) are read as numbers; ``repr`` of a float round-trips
    exactly, so no value changes on the way.
    """

    def as_text(cell: object) -> str:
        if isinstance(cell, bool):
            return str(cell)  # a TRUE/FALSE cell is not a number
        if isinstance(cell, int | float):
            return repr(float(cell))
        return "" if cell is None else str(cell)

    return to_number(cells.map(as_text).astype(str), file=file, column=column)
