"""Reading helpers shared by the source parsers: strict decoding, Excel sheets, header checks."""

from __future__ import annotations

import codecs
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
    if not is_utf8(encoding) and looks_reencoded_as_utf8(data):
        # A legacy single-byte codec decodes almost any bytes, so a copy re-saved as UTF-8 would
        # read "without error" as mojibake: "Côte" would come out as "C", A-tilde, acute accent,
        # "te". Real single-byte text whose non-ASCII bytes all form valid UTF-8 sequences is
        # practically unheard of.
        msg = (
            f"{path.name}: expected {encoding} text but the file is UTF-8 (its non-ASCII bytes are "
            "UTF-8 sequences); it was probably re-saved by an editor or another tool. Fetch the "
            "publisher's original file again (kzegov-data fetch) instead of converting it"
        )
        raise ParseError(msg)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        msg = (
            f"{path.name}: not valid {encoding} at byte {error.start}; the publisher may have "
            "changed the encoding, or the file is damaged"
        )
        raise ParseError(msg) from None


def is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name in {"utf-8", "utf-8-sig"}


def looks_reencoded_as_utf8(data: bytes) -> bool:
    """True when ``data`` has non-ASCII bytes and all of them form valid UTF-8 (a BOM counts)."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_csv_text(path: Path, *, encoding: str = "utf-8", **options: Any) -> pd.DataFrame:
    """Every cell as a string (nothing guessed); CRLF and LF both accepted."""
    text = read_text(path, encoding)
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, **options
        )
    except (pd.errors.ParserError, ValueError) as error:
        msg = f"{path.name}: not a readable CSV table ({error})"
        raise ParseError(msg) from None


def read_excel_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """One worksheet as a frame of raw cell values (no header, nothing converted).

    Cells keep the types python-calamine gives them (str, float, int, bool, date); empty cells are
    ``""``. Rows are padded to the sheet's width. A file that is not a workbook, or has no sheet
    ``sheet``, fails loudly and names the sheets it does have.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    data = path.read_bytes()
    if not data.strip():
        msg = f"{path.name}: the file is empty; fetch it again (kzegov-data fetch)"
        raise ParseError(msg)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError) as error:
        msg = f"{path.name}: not a readable Excel workbook ({error}); fetch it again"
        raise ParseError(msg) from None
    if sheet not in workbook.sheet_names:
        sheets = ", ".join(map(repr, workbook.sheet_names))
        msg = (
            f"{path.name}: no sheet {sheet!r} (sheets: {sheets}); "
            "the publisher may have renamed it: check the file, then update the parser"
        )
        raise ParseError(msg)
    try:
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except CalamineError as error:
        msg = f"{path.name}: sheet {sheet!r} cannot be read ({error}); the file may be damaged: fetch it again"
        raise ParseError(msg) from None
    # Row and column labels are 0-based positions in the sheet (label + 1 is the row Excel shows).
    return pd.DataFrame(rows, dtype=object).fillna("")


def require_columns(frame: pd.DataFrame, expected: Sequence[str], *, file: str) -> None:
    """The header must be exactly ``expected``; name what is missing, extra or renamed."""
    found = [str(c) for c in frame.columns]
    if found == list(expected):
        return
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    details = []
    if missing:
        details.append(f"missing {shorten(missing)}")
    if extra:
        details.append(f"unexpected {shorten(extra)}")
    if not details:
        moved = next(i for i, (a, b) in enumerate(zip(found, expected, strict=True)) if a != b)
        details.append(
            f"order changed: column {moved + 1} is {found[moved]!r}, not {expected[moved]!r}"
        )
    msg = (
        f"{file}: the header is not the one the parser knows ({'; '.join(details)}). "
        "The publisher may have changed the layout: check the file, then update the parser."
    )
    raise ParseError(msg)


def shorten(names: list[str], limit: int = 10) -> str:
    """A list for an error message: wide tables can lose or gain hundreds of columns at once."""
    if len(names) <= limit:
        return str(names)
    return f"{names[:limit]} and {len(names) - limit} more"


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


def read_excel_table(
    path: Path, sheet: str, *, columns: Sequence[str], header_row: int = 0
) -> pd.DataFrame:
    """The cells below the header row of one sheet, as a frame whose columns are ``columns``.

    Cells keep the types python-calamine gives them, so numbers are exactly the stored doubles;
    empty cells are ``""``; trailing empty rows are dropped. ``header_row`` counts from 0 on the
    sheet as Excel shows it, so data row ``n`` (from 0) is sheet row ``header_row + 2 + n``. The
    header there must be exactly ``columns``: a renamed sheet, a header that moved, a renamed,
    missing or extra column, and values right of the header each fail with a message that says which.
    """
    rows = read_excel_sheet(path, sheet).to_numpy().tolist()
    expected = list(columns)
    header = header_cells(rows[header_row]) if len(rows) > header_row else []
    if header != expected:
        found_at = [i for i, row in enumerate(rows[:50]) if header_cells(row) == expected]
        if found_at:
            msg = (
                f"{path.name}: sheet {sheet!r} has its header in row {found_at[0] + 1}, "
                f"the parser expects it in row {header_row + 1}. The publisher may have added "
                "or removed title rows: check the file, then update the parser."
            )
            raise ParseError(msg)
        require_columns(pd.DataFrame(columns=header), expected, file=f"{path.name} [{sheet}]")
    width = len(expected)
    body = rows[header_row + 1 :]
    # A cell right of the header would be silently ignored: it means the layout changed.
    stray = next((i for i, row in enumerate(body) if any(v != "" for v in row[width:])), None)
    if stray is not None:
        msg = (
            f"{path.name}: sheet {sheet!r} has values right of the last header column "
            f"{expected[-1]!r} (first in row {header_row + 2 + stray}); the layout changed"
        )
        raise ParseError(msg)
    # Trailing empty rows are formatting; an empty row inside the data is kept (and fails later).
    while body and all(v == "" for v in body[-1]):
        body.pop()
    return pd.DataFrame([row[:width] for row in body], columns=expected, dtype=object)


def header_cells(row: Sequence[object]) -> list[str]:
    """Header cells as text, trailing empty cells dropped (numbers such as years without ``.0``)."""
    cells = [
        str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip() for v in row
    ]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def cells_to_number(
    values: pd.Series, *, file: str, column: str, missing: Sequence[str] = ("",), numbers_as_text: bool = False
) -> pd.Series:
    """Excel cells to float: numbers pass unchanged, the ``missing`` markers become missing.

    Nothing is guessed: any other text, a boolean or a date is an error, because it means the
    column no longer holds what the parser expects. With ``numbers_as_text``, text cells that are
    numbers (``'87.6'``) are read as numbers too (a workbook that stores some numbers as text).
    """
    if numbers_as_text:
        values = values.map(lambda v: number_from_text(v, missing))
    is_number = values.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    is_missing = values.map(lambda v: isinstance(v, str) and v.strip() in missing)
    bad = values[~is_number & ~is_missing]
    if not bad.empty:
        shown = ", ".join(repr(v) for v in pd.unique(bad.astype(str))[:5])
        msg = (
            f"{file}: column {column!r} holds text where numbers are expected "
            f"({len(bad)} cell(s), e.g. {shown}; first at data row {int(bad.index[0]) + 1}); "
            f"only numbers and the missing-value markers {list(missing)} are accepted"
        )
        raise ParseError(msg)
    return values.where(is_number).astype("float64")


def number_from_text(cell: object, missing: Sequence[str]) -> object:
    if not isinstance(cell, str) or cell.strip() in missing:
        return cell
    try:
        return float(cell.strip())
    except ValueError:
        return cell


def cells_to_text(values: pd.Series, *, file: str, column: str) -> pd.Series:
    """Excel cells that must all be text, stripped; a number, date or empty cell is an error."""
    bad = values[~values.map(lambda v: isinstance(v, str) and v.strip() != "")]
    if not bad.empty:
        shown = ", ".join(repr(v) for v in bad.unique()[:5])
        msg = (
            f"{file}: column {column!r} must hold text on every row; found {shown} "
            f"({len(bad)} cell(s), first at data row {int(bad.index[0]) + 1})"
        )
        raise ParseError(msg)
    return values.astype("string").str.strip()


def require_header_row(path: Path, sheet: str, *, row: int, columns: Sequence[str]) -> None:
    """Sheet row ``row`` (from 0) must read exactly ``columns``.

    For headers spread over several rows: :func:`read_excel_table` checks the lowest one, this
    checks those above it, which name groups of sub-columns ("90% CI" over "Lower, Upper").
    """
    rows = read_excel_sheet(path, sheet).to_numpy().tolist()
    found = header_cells(rows[row]) if len(rows) > row else []
    if found != list(columns):
        require_columns(
            pd.DataFrame(columns=found), list(columns), file=f"{path.name} [{sheet}] row {row + 1}"
        )
