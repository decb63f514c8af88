"""Reading helpers shared by the source parsers: strict decoding, Excel sheets, header checks."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np
import pandas as pd

from .._io import is_safe_archive_name
from ..errors import ParseError, UnsafeInputError

if TYPE_CHECKING:
    import pyarrow as pa


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The whole file as text; an empty file, one over MAX_FILE_BYTES, or bytes not in ``encoding`` fail loudly."""
    check_file_size(path)
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
    # The text goes to pyarrow without a reference kept here, so that its copies are not all alive
    # at once; the rare file pyarrow cannot read as pandas would is read again.
    if not options and (table := read_csv_with_arrow(read_text(path, encoding))) is not None:
        return table.to_pandas(use_threads=False)
    return read_csv_with_pandas(path, encoding=encoding, **options)


def read_csv_with_pandas(path: Path, *, encoding: str, **options: Any) -> pd.DataFrame:
    """:func:`read_csv_text` by pandas, which reports what is wrong with a file pyarrow refuses."""
    text = read_text(path, encoding)
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, **options
        )
    except (pd.errors.ParserError, ValueError) as error:
        msg = f"{path.name}: not a readable CSV table ({error})"
        raise ParseError(msg) from None


def read_csv_columns(
    path: Path, *, header: Sequence[str], columns: Sequence[str], encoding: str = "utf-8"
) -> pd.DataFrame:
    """``read_csv_text(path)[columns]`` of a file whose header must be exactly ``header`` (:func:`require_columns`).

    The columns a parser does not read are never made pandas columns: a wide table whose parser
    reads a quarter of its columns costs a quarter of the conversion.
    """
    table = read_csv_with_arrow(read_text(path, encoding))  # no reference to the text kept, as above
    if table is None:
        frame = read_csv_with_pandas(path, encoding=encoding)
        require_columns(frame.columns, header, file=path.name)
        return frame[list(columns)]
    require_columns(table.column_names, header, file=path.name)
    return table.select(list(columns)).to_pandas(use_threads=False)


def read_csv_with_arrow(text: str) -> pa.Table | None:
    """The table pandas' ``read_csv(dtype=str)`` gives for ``text`` (as an Arrow table of strings: its
    ``to_pandas()`` is that frame), read by pyarrow in a fraction of the time.

    None wherever the two could disagree, so that pandas reads the text (and reports its errors): a
    byte-order mark, NUL characters, a header pandas would rename (blank or repeated names), a single
    column, rows whose number of cells is not the header's (pandas pads them, or takes an extra first
    cell as the index), no data rows, and anything pyarrow cannot parse. A line of white space only,
    which pandas skips, has one cell, so pyarrow refuses it in a table of two columns or more.
    """
    import pyarrow as pa
    import pyarrow.csv as arrow_csv

    if text.startswith("\ufeff") or "\x00" in text:
        return None
    header = first_record(text)
    if header is None or len(header) < 2 or len(set(header)) != len(header) or any(
            not name.strip() for name in header):
        return None
    data = text.encode("utf-8")
    del text  # the caller keeps no reference: the decoded text is freed before pyarrow reads
    try:
        table = arrow_csv.read_csv(
            io.BytesIO(data),
            # One block, so one chunk a column: a wide file read in 1 MB blocks costs an Arrow array per
            # column and block (60,000 columns x 95 blocks took 6 GB at 50x).
            read_options=arrow_csv.ReadOptions(use_threads=False, block_size=max(len(data), 1 << 20)),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=True),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except ValueError:  # pyarrow.ArrowInvalid: pandas reads the text and says what is wrong
        return None
    if table.column_names != header or table.num_rows == 0:
        return None
    return table


def first_record(text: str) -> list[str] | None:
    """The first CSV record of ``text`` (None if there is none or it is not CSV), read from a prefix
    that grows until the record ends inside it: a whole-file ``StringIO`` costs 4 bytes a character."""
    size = 1 << 16
    while True:
        first = None
        prefix = text[:size]
        records = csv.reader(io.StringIO(prefix, newline=""))
        whole = len(prefix) == len(text)
        try:
            first = next(records)
            if whole:
                return first
            next(records)
            return first  # a second record began inside the prefix: the first one is whole
        except csv.Error:
            if whole:
                return None
            if first is not None:
                return first  # the second record is cut or broken: the first one is whole
        except StopIteration:
            if whole:
                return None
        size *= 16  # the first record may go on beyond the prefix (or its error may be one of the cut)


def read_excel_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """One worksheet as a frame of raw cell values (no header, nothing converted).

    Cells keep the types python-calamine gives them (str, float, int, bool, date); empty cells are
    ``""``. Rows are padded to the sheet's width. A file that is not a workbook, or has no sheet
    ``sheet``, fails loudly and names the sheets it does have. A workbook over the limits below (file
    size, ZIP members, sheet extent...) or with XML entity declarations is refused before calamine
    sees it (:func:`check_workbook`), because calamine would allocate whatever the file asks for.
    """
    # Row and column labels are 0-based positions in the sheet (label + 1 is the row Excel shows).
    return pd.DataFrame(sheet_cells(path, sheet), dtype=object)


def sheet_cells(path: Path, sheet: str) -> np.ndarray:
    """The cells of :func:`read_excel_sheet` as a 2-D object array (rows x columns), checks included."""
    return workbook_sheets(path, [sheet])[sheet]


def workbook_sheets(path: Path, sheets: Sequence[str]) -> dict[str, np.ndarray]:
    """:func:`sheet_cells` of several sheets of one workbook: the file read, checked and opened once.

    The sheets are read in the order given; a missing or unreadable sheet fails as in :func:`sheet_cells`.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    check_file_size(path)
    data = path.read_bytes()
    if not data.strip():
        msg = f"{path.name}: the file is empty; fetch it again (kzegov-data fetch)"
        raise ParseError(msg)
    check_workbook(path, data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError) as error:
        msg = f"{path.name}: not a readable Excel workbook ({error}); fetch it again"
        raise ParseError(msg) from None
    cells = {}
    for sheet in sheets:
        if sheet not in workbook.sheet_names:
            names = ", ".join(map(repr, workbook.sheet_names))
            msg = (
                f"{path.name}: no sheet {sheet!r} (sheets: {names}); "
                "the publisher may have renamed it: check the file, then update the parser"
            )
            raise ParseError(msg)
        try:
            rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except CalamineError as error:
            msg = f"{path.name}: sheet {sheet!r} cannot be read ({error}); the file may be damaged: fetch it again"
            raise ParseError(msg) from None
        cells[sheet] = rows_to_cells(rows)
    return cells


def rows_to_cells(rows: Sequence[Sequence[object]]) -> np.ndarray:
    """calamine's rows as a 2-D object array; None and NaN read as empty cells (``""``), as a
    frame's ``fillna("")`` would, and short rows are padded with empty cells."""
    widths = set(map(len, rows))
    width = max(widths, default=0)
    if len(widths) == 1:
        # calamine pads rows itself: the cells go into the array in one pass in C (np.fromiter), half
        # the time of assigning the list of rows to an array.
        cells = np.fromiter(
            itertools.chain.from_iterable(rows), dtype=object, count=len(rows) * width
        ).reshape(len(rows), width)
    else:  # should a row ever be short, pad it as a frame would
        cells = np.empty((len(rows), width), dtype=object)
        for number, row in enumerate(rows):
            cells[number, : len(row)] = row
    cells[pd.isna(cells)] = ""
    return cells


def require_columns(header: Iterable[object], expected: Sequence[str], *, file: str) -> None:
    """The header (column names) must be exactly ``expected``; name what is missing, extra or renamed."""
    found = [str(c) for c in header]
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
    numbers, bad = text_to_float(values)
    if bad.any():
        texts = values[bad].str.strip()
        shown = ", ".join(repr(v) for v in texts.unique()[:5])
        msg = (
            f"{file}: column {column!r} holds text where numbers are expected "
            f"({len(texts)} cell(s), e.g. {shown}; first at data row {int(texts.index[0]) + 1})"
        )
        raise ParseError(msg)
    return numbers


def to_numbers(
    frame: pd.DataFrame, *, file: str, labels: Sequence[str] | None = None, rows: np.ndarray | None = None
) -> pd.DataFrame:
    """:func:`to_number` on every column of ``frame`` at once (a wide table costs one conversion).

    A column that is not all numbers fails with the message :func:`to_number` gives for it, the
    first such column from the left; ``labels`` name the columns in that message (default: their
    names). ``rows``, a boolean mask, keeps only those rows: ``to_numbers(frame[rows])``, without
    copying every column of text to filter it (the other rows may hold anything).
    """
    if not frame.empty:
        by_column = np.empty(frame.shape, dtype="float64", order="F")
        step = max(1, NUMBERS_BLOCK_CELLS // len(frame))
        for start in range(0, frame.shape[1], step):
            # Columns in blocks of about NUMBERS_BLOCK_CELLS cells: one conversion for a real table,
            # and the text copies of a scaled one never all at once.
            block = frame.iloc[:, start : start + step]
            numbers, bad = text_to_float(stacked(block))
            bad_cells = bad.to_numpy().reshape(block.shape, order="F")
            if (bad_cells if rows is None else bad_cells[rows]).any():
                break
            by_column[:, start : start + step] = numbers.to_numpy().reshape(block.shape, order="F")
        else:
            if rows is None:
                return pd.DataFrame(by_column, index=frame.index, columns=frame.columns)
            return pd.DataFrame(by_column[rows], index=frame.index[rows], columns=frame.columns)
    # Column by column, for the message to_number gives on the first bad column.
    if rows is not None:
        frame = frame[rows]
    names = [str(column) for column in frame.columns] if labels is None else list(labels)
    return pd.DataFrame(
        {
            column: to_number(frame[column], file=file, column=name)
            for column, name in zip(frame.columns, names, strict=True)
        },
        index=frame.index,
    )


def stacked(frame: pd.DataFrame) -> pd.Series:
    """The columns of ``frame``, one after the other, as one Series: ``pd.concat`` of the columns.

    Columns of one dtype (a CSV read as text) go through one array, not a Series each.
    """
    dtypes = set(frame.dtypes)
    if len(dtypes) == 1:
        return pd.Series(frame.to_numpy(dtype=object).ravel(order="F"), dtype=dtypes.pop())
    return pd.concat([frame[column] for column in frame.columns], ignore_index=True)


#: Cells converted together by :func:`to_numbers` (the real wide tables have fewer: 229,072 in UNDP's).
NUMBERS_BLOCK_CELLS = 1 << 19


def text_to_float(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text to float, and the mask of cells that are neither blank nor a number.

    Each distinct text is converted once: a column of years repeats a few dozen texts.
    """
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    stripped = pd.Series(distinct, dtype=values.dtype).str.strip()
    present = stripped != ""
    numbers = pd.to_numeric(stripped.where(present), errors="coerce").astype("float64")
    bad = present & numbers.isna()
    return (
        pd.Series(numbers.array.take(codes), index=values.index, name=values.name),
        pd.Series(bad.array.take(codes), index=values.index, name=values.name),
    )


def read_excel_table(
    path: Path,
    sheet: str,
    *,
    columns: Sequence[str],
    header_row: int = 0,
    rows_above: Mapping[int, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """The cells below the header row of one sheet, as a frame whose columns are ``columns``.

    Cells keep the types python-calamine gives them, so numbers are exactly the stored doubles;
    empty cells are ``""``; trailing empty rows are dropped. ``header_row`` counts from 0 on the
    sheet as Excel shows it, so data row ``n`` (from 0) is sheet row ``header_row + 2 + n``. The
    header there must be exactly ``columns``: a renamed sheet, a header that moved, a renamed,
    missing or extra column, and values right of the header each fail with a message that says which.

    For headers spread over several rows, ``rows_above`` maps the rows above the header (from 0) to
    the cells each must read exactly: groups of sub-columns ("90% CI" over "Lower, Upper"). They are
    checked first, top to bottom, on the same single read of the workbook.
    """
    cells = sheet_cells(path, sheet)
    for row, expected_above in sorted((rows_above or {}).items()):
        found = header_cells(cells[row]) if len(cells) > row else []
        if found != list(expected_above):
            require_columns(found, list(expected_above), file=f"{path.name} [{sheet}] row {row + 1}")
    expected = list(columns)
    header = header_cells(cells[header_row]) if len(cells) > header_row else []
    if header != expected:
        found_at = [i for i, row in enumerate(cells[:50]) if header_cells(row) == expected]
        if found_at:
            msg = (
                f"{path.name}: sheet {sheet!r} has its header in row {found_at[0] + 1}, "
                f"the parser expects it in row {header_row + 1}. The publisher may have added "
                "or removed title rows: check the file, then update the parser."
            )
            raise ParseError(msg)
        require_columns(header, expected, file=f"{path.name} [{sheet}]")
    width = len(expected)
    body = cells[header_row + 1 :]
    # A cell right of the header would be silently ignored: it means the layout changed.
    stray = (body[:, width:] != "").any(axis=1).nonzero()[0]
    if len(stray):
        msg = (
            f"{path.name}: sheet {sheet!r} has values right of the last header column "
            f"{expected[-1]!r} (first in row {header_row + 2 + int(stray[0])}); the layout changed"
        )
        raise ParseError(msg)
    # Trailing empty rows are formatting; an empty row inside the data is kept (and fails later).
    filled = (body != "").any(axis=1).nonzero()[0]
    end = int(filled[-1]) + 1 if len(filled) else 0
    return pd.DataFrame(body[:end, :width], columns=expected, dtype=object)


def header_cells(row: Sequence[object]) -> list[str]:
    """Header cells as text, trailing empty cells dropped (numbers such as years without ``.0``)."""
    cells = [
        str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip() for v in row
    ]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


#: What an Excel cell holds, by its Python type (python-calamine gives str, float, int, bool or a date).
OTHER, NUMBER, TEXT = 0, 1, 2


def kind_of_type(cell_type: type) -> int:
    if issubclass(cell_type, str):
        return TEXT
    if issubclass(cell_type, int | float) and not issubclass(cell_type, bool):
        return NUMBER
    return OTHER


def cell_kinds(values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cells as an object array, and which of them are numbers (int or float, not bool) and text.

    Each distinct type (a sheet has a handful) is classified once, then looked up for every cell.
    """
    cells = values if isinstance(values, np.ndarray) else values.to_numpy(dtype=object)
    types = list(map(type, cells))
    kinds_by_type = {cell_type: kind_of_type(cell_type) for cell_type in set(types)}
    kinds = np.fromiter(map(kinds_by_type.__getitem__, types), dtype=np.int8, count=len(cells))
    return cells, kinds == NUMBER, kinds == TEXT


def cells_to_number(
    values: pd.Series, *, file: str, column: str, missing: Sequence[str] = ("",), numbers_as_text: bool = False
) -> pd.Series:
    """Excel cells to float: numbers pass unchanged, the ``missing`` markers become missing.

    Nothing is guessed: any other text, a boolean or a date is an error, because it means the
    column no longer holds what the parser expects. With ``numbers_as_text``, text cells that are
    numbers (``'87.6'``) are read as numbers too (a workbook that stores some numbers as text).
    """
    numbers, is_bad = cells_to_float(values.to_numpy(dtype=object), missing=missing, numbers_as_text=numbers_as_text)
    bad = values[is_bad]
    if not bad.empty:
        shown = ", ".join(repr(v) for v in pd.unique(bad.astype(str))[:5])
        msg = (
            f"{file}: column {column!r} holds text where numbers are expected "
            f"({len(bad)} cell(s), e.g. {shown}; first at data row {int(bad.index[0]) + 1}); "
            f"only numbers and the missing-value markers {list(missing)} are accepted"
        )
        raise ParseError(msg)
    return pd.Series(numbers, index=values.index, name=values.name)


def cells_to_float(
    cells: np.ndarray, *, missing: Sequence[str] = ("",), numbers_as_text: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The floats of :func:`cells_to_number` for a 1-D object array, and the mask of the cells it refuses.

    Raises nothing, so that a parser can convert many columns in one call and name the first bad
    column itself (by calling :func:`cells_to_number` on it).
    """
    cells, is_number, is_text = cell_kinds(cells)
    numbers = np.full(len(cells), np.nan)
    numbers[is_number] = cells[is_number].astype("float64")
    is_missing = np.zeros(len(cells), dtype=bool)
    if is_text.any():
        texts = cells[is_text]
        stripped = [text.strip() for text in texts]
        is_missing[is_text] = np.isin(np.array(stripped, dtype=object), list(missing))
        if numbers_as_text:
            at = is_text.nonzero()[0]
            for position, text, blank in zip(at, stripped, is_missing[is_text], strict=True):
                if not blank and (number := float_or_none(text)) is not None:
                    numbers[position], is_number[position] = number, True
    return numbers, ~is_number & ~is_missing


def float_or_none(text: str) -> float | None:
    """``float(text)`` for a stripped text cell, None when it is not a number."""
    try:
        return float(text)
    except ValueError:
        return None


def cells_to_text(values: pd.Series, *, file: str, column: str) -> pd.Series:
    """Excel cells that must all be text, stripped; a number, date or empty cell is an error."""
    cells, _, is_text = cell_kinds(values)
    is_text[is_text] = [text.strip() != "" for text in cells[is_text]]
    bad = values[~is_text]
    if not bad.empty:
        shown = ", ".join(repr(v) for v in bad.unique()[:5])
        msg = (
            f"{file}: column {column!r} must hold text on every row; found {shown} "
            f"({len(bad)} cell(s), first at data row {int(bad.index[0]) + 1})"
        )
        raise ParseError(msg)
    return values.astype("string").str.strip()


# --- Limits checked before any parser sees a raw file ---------------------------------------------
#
# python-calamine allocates a sheet's whole cell range (32 bytes a cell, plus ~45 bytes a cell once it
# is a Python frame), and reads every sheet of a .xls at open: one cell at XFD1048576 asks for 512 GiB,
# eight BIFF sheets with a cell in their last row and column take 4 GB. So every workbook is measured
# first, with bounded reads, against limits that the publishers' real files stay far below. The real
# maxima (all files of the source mirror, 2025) are in the comments.

MIB = 1024 * 1024
#: Any raw file, CSV or workbook (largest real file: 4.0 MB, an ITU CSV; largest workbook: 3.1 MB).
MAX_FILE_BYTES = 100 * MIB
#: ZIP members of an .xlsx (most real: 50, CPI2025_Results.xlsx).
MAX_ZIP_MEMBERS = 1000
#: One member unpacked (largest real: 15.5 MB, the sheet of wgidataset.xlsx).
MAX_MEMBER_BYTES = 256 * MIB
#: sharedStrings.xml unpacked, which calamine holds in memory whole (largest real: 0.8 MB).
MAX_SHARED_STRINGS_BYTES = 64 * MIB
#: All members unpacked together (largest real: 16.3 MB, wgidataset.xlsx).
MAX_UNPACKED_BYTES = 512 * MIB
#: Unpacked / packed size of a member above RATIO_FROM_BYTES (most real: 6.0; 12.6 on a 6 KB member).
MAX_COMPRESSION_RATIO = 100
RATIO_FROM_BYTES = 1 * MIB
#: A sheet's extent from A1, rows, columns and their product, as calamine allocates it (largest real:
#: 32,101 rows x 11 columns = 353,111 cells in wgidataset.xlsx; widest: 255 columns in OGHIST.xlsx;
#: the .xls files: at most 274 rows and 80 columns). 5 million cells is ~0.4 GB once read.
MAX_SHEET_ROWS = 500_000
MAX_SHEET_COLUMNS = 2_000
MAX_SHEET_CELLS = 5_000_000
#: Bytes decompressed at a time while a member is checked.
CHUNK_BYTES = 4 * MIB

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refuse(path: Path, what: str, found: object, limit: object) -> NoReturn:
    """One line: what was measured, the limit, and what to do (the limit is far above any real file)."""
    msg = (
        f"{path.name}: {what} is {found}, above the limit of {limit}; real publisher files stay far "
        "below it, so the file is damaged or not the publisher's. Refused before parsing: fetch it "
        "again (kzegov-data fetch) and compare it with the publisher's site"
    )
    raise UnsafeInputError(msg)


def check_file_size(path: Path) -> int:
    """The file's size, refused above MAX_FILE_BYTES before a single byte of it is read."""
    try:
        size = path.stat().st_size
    except OSError as error:
        msg = f"{path.name}: cannot be read ({error.strerror}); fetch it again (kzegov-data fetch)"
        raise ParseError(msg) from None
    if size > MAX_FILE_BYTES:
        refuse(path, "the file size", f"{size:,} bytes", f"{MAX_FILE_BYTES:,} bytes")
    return size


def check_workbook(path: Path, data: bytes) -> None:
    """Measure a workbook with bounded reads; refuse it if calamine would need unbounded memory.

    ZIP workbooks (.xlsx, .xlsm) and BIFF workbooks in an OLE2 file (.xls) are measured; anything else
    is left to calamine, which says it cannot read it.
    """
    if data.startswith(ZIP_MAGIC):
        check_xlsx(path, data)
    elif data.startswith(OLE2_MAGIC):
        check_xls(path, data)


# --- .xlsx: a ZIP of XML members -------------------------------------------------------------------

#: Entity declarations live in a DOCTYPE; quick-xml (inside calamine) does not expand them but silently
#: drops the cells that use them, and no Office writer emits one. Case-blind like quick-xml.
DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
#: Cell references as Excel writes them: ` r="AB12"` on <c>, ` r="12"` on <row>.
REF_LETTERS = re.compile(rb' r="([A-Z]+)')
REF_DIGITS = re.compile(rb' r="[A-Z]*([0-9]+)"')
#: A ``<c `` or ``<row `` not followed by ``r="``, and a `` r="`` that is not a whole regular reference
#: (every ` r="` then starts one REF_DIGITS match). Three literal-led searches: an alternation is slower.
CELL_WITHOUT_R = re.compile(rb'<c (?!r=")')
ROW_WITHOUT_R = re.compile(rb'<row (?!r=")')
IRREGULAR_REF = re.compile(rb' r="(?![A-Z]*[0-9]+")')
#: Any spelling of a cell or row tag that the literal patterns above would not see.
UNUSUAL_TAG = re.compile(rb"<(?:c|row)[>/\t\r\n]")
PREFIXED_TAG = re.compile(rb":(?:c|row)[\s/>]")
#: An ``r`` attribute with blanks around "=", single quotes, or a tab or line break before it. (Led by the
#: literal "r": a pattern led by a character class or look-behind is 20 times slower here.)
UNUSUAL_R = re.compile(rb'r(?:=[^"]|\s+=|=(?<=[\t\r\n]r=))')
DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']")
#: Start tags of cells and rows in any spelling, for sheets not written the way Excel writes them.
ANY_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)(?=[\s/>])([^>]*)>")
R_ATTRIBUTE = re.compile(rb"(?:^|\s)r\s*=\s*([\"'])(.*?)\1", re.DOTALL)
CELL_REF = re.compile(r"\s*([A-Za-z]{0,3})([0-9]{1,7})\s*")


def column_number(letters: str) -> int:
    """``"A"`` -> 1, ``"XFD"`` -> 16384.

    >>> column_number("K"), column_number("IU"), column_number("XFD")
    (11, 255, 16384)
    """
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """``16384`` -> ``"XFD"`` (for messages)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class SheetExtent:
    """The largest row and column (1-based) a sheet member declares or uses, measured chunk by chunk."""

    rows: int = 0
    columns: int = 0
    declared: str = ""
    has_sheet_data: bool = False
    # Cursors of the exact scan: calamine places a cell without ``r`` right of the previous one.
    row: int = 0
    column: int = 0

    def update(self, chunk: bytes) -> None:
        """Fold in a chunk that ends before a ``<``, so no tag is cut.

        Cells exist only inside ``<sheetData>``, which follows ``<dimension>``: other members (shared
        strings, charts) cost one substring search a chunk.
        """
        if not self.has_sheet_data:
            if not self.declared and b"dimension" in chunk and (found := DIMENSION.search(chunk)):
                self.declared = found.group(1).decode("ascii", "replace")
            if b"sheetData" not in chunk or (b"<sheetData" not in chunk and b":sheetData" not in chunk):
                return
            self.has_sheet_data = True
        self.measure(chunk)

    def measure(self, chunk: bytes) -> None:
        """Fold in a chunk of ``<sheetData>`` (or one that follows it)."""
        if not self.excel_spelling(chunk):
            self.exact_scan(chunk)
            return
        # Fast path: every cell and row carries ` r="..."`, so the largest reference is the extent.
        letters = set(REF_LETTERS.findall(chunk))
        if letters:
            self.columns = max(self.columns, max(column_number(c.decode()) for c in letters))
        if digits := REF_DIGITS.findall(chunk):
            self.rows = max(self.rows, max(map(int, digits)))
        # Should a later chunk need the exact scan, its cursors start from (above) where this one ended.
        self.row, self.column = self.rows, self.columns

    @staticmethod
    def excel_spelling(chunk: bytes) -> bool:
        """True when every <c> and <row> tag is spelled ``<c r="A1"``/``<row r="1"`` (Excel, xlsxwriter)."""
        return (
            not CELL_WITHOUT_R.search(chunk)
            and not ROW_WITHOUT_R.search(chunk)
            and not IRREGULAR_REF.search(chunk)
            and not UNUSUAL_TAG.search(chunk)
            and not PREFIXED_TAG.search(chunk)
            and not UNUSUAL_R.search(chunk)
        )

    def exact_scan(self, chunk: bytes) -> None:
        """Every start tag of a cell or row, with calamine's rule for those without ``r``."""
        for tag in ANY_TAG.finditer(chunk):
            found = R_ATTRIBUTE.search(tag.group(2))
            if tag.group(1) == b"row":
                self.row = int(found.group(2)) if found and found.group(2).strip().isdigit() else self.row + 1
                self.column = 0
                self.rows = max(self.rows, self.row)
                continue
            if found is None:
                self.column += 1
            else:
                ref = CELL_REF.fullmatch(found.group(2).decode("ascii", "replace"))
                if ref is None:
                    # An escaped or out-of-range reference: its position cannot be bounded, so refuse it.
                    self.rows = self.columns = MAX_SHEET_CELLS + 1
                    return
                self.column = column_number(ref.group(1)) if ref.group(1) else self.column + 1
                self.row = int(ref.group(2))
            self.rows = max(self.rows, self.row)
            self.columns = max(self.columns, self.column)


def widest_column(letters: int) -> int:
    """The last column a reference of ``letters`` letters can name: 1 -> 26 (Z), 2 -> 702 (ZZ)."""
    return column_number("Z" * letters)


def sheet_shapes() -> list[tuple[int, int]]:
    """(letters, digits) of the widest references whose sheet always stays within the limits.

    A sheet whose every reference has at most ``letters`` letters and ``digits`` digits ends at or
    before column ``widest_column(letters)`` and row ``10**digits - 1``; each shape is the most digits
    that still keeps that corner within the limits: [(1, 5), (2, 3)] for ``Z99999`` and ``ZZ999``.
    Never beyond 3 letters and 7 digits, the most CELL_REF reads (the exact scan refuses the rest).
    """
    shapes = []
    for letters in (1, 2, 3):
        columns = widest_column(letters)
        digits = 0
        while (
            digits < 7
            and (rows := 10 ** (digits + 1) - 1) <= MAX_SHEET_ROWS
            and rows * columns <= MAX_SHEET_CELLS
        ):
            digits += 1
        if columns <= MAX_SHEET_COLUMNS and digits:
            shapes.append((letters, digits))
    return shapes


#: A ``<c`` tag in any spelling (as ANY_TAG sees it) that does not start ``<c r="`` and a letter, and a
#: ``<row`` tag that does not start ``<row r="`` and a digit: each would move calamine's cursor.
CELL_WITHOUT_LETTERED_R = re.compile(rb'<c(?! r="[A-Z])[\s/>]')
ROW_WITHOUT_NUMBERED_R = re.compile(rb'<row(?! r="[0-9])[\s/>]')
#: A `` r="`` anywhere that is not a reference of at most (letters, digits), for each shape.
REF_BEYOND_SHAPE = {
    shape: re.compile(rb' r="(?![A-Z]{0,%d}[0-9]{1,%d}")' % shape) for shape in sheet_shapes()
}


@dataclass
class SheetBound(SheetExtent):
    """An upper bound of what SheetExtent measures, proved by four searches a chunk that find nothing.

    SheetExtent reads every reference (two findall and six searches over the 353,111 cells of
    wgidataset.xlsx, 0.3 s). But when every `` r="`` in a chunk is a plain reference of a shape (at
    most two letters and a few digits) and every cell and row tag starts with one, neither of
    SheetExtent's paths finds a cell beyond that shape's corner: its fast path reads only those
    references; its exact scan finds only those tags, each placed by its reference, none by a cursor.
    Whatever this cannot prove is measured again by SheetExtent, so a refusal and its message are
    SheetExtent's.
    """

    proved: bool = True

    def measure(self, chunk: bytes) -> None:
        if not self.proved:
            return
        # A chunk without a `` r="`` has no cell or row tag either, once the searches below find none
        # without one: it adds nothing (shape (0, 0): row 0, column 0).
        shape = self.shape_of(chunk) if b' r="' in chunk else (0, 0)
        if shape is None or (
            CELL_WITHOUT_LETTERED_R.search(chunk)
            or ROW_WITHOUT_NUMBERED_R.search(chunk)
            or PREFIXED_TAG.search(chunk)
        ):
            self.proved = False
            return
        letters, digits = shape
        self.rows = max(self.rows, 10**digits - 1)
        self.columns = max(self.columns, widest_column(letters))

    @staticmethod
    def shape_of(chunk: bytes) -> tuple[int, int] | None:
        """The first shape (letters, digits) that every `` r="`` of the chunk fits, if any does."""
        return next((shape for shape, beyond in REF_BEYOND_SHAPE.items() if not beyond.search(chunk)), None)

    def within_limits(self) -> bool:
        """True when no sheet SheetExtent could measure here would be refused by check_extent."""
        return (
            self.proved
            and self.rows <= MAX_SHEET_ROWS
            and self.columns <= MAX_SHEET_COLUMNS
            and self.rows * self.columns <= MAX_SHEET_CELLS
        )


def declared_extent(ref: str) -> tuple[int, int] | None:
    """``"A1:K32101"`` -> ``(32101, 11)``; None for a reference that is not a cell or a range."""
    corner = CELL_REF.fullmatch(ref.split(":")[-1].replace("$", ""))
    if corner is None or not corner.group(1):
        return None
    return int(corner.group(2)), column_number(corner.group(1))


def check_extent(path: Path, where: str, rows: int, columns: int, how: str) -> None:
    """Rows, columns and cells from A1 to (rows, columns) against the sheet limits."""
    corner = f"{column_letters(min(columns, 10**6))}{rows}" if rows < 10**9 else "beyond any row"
    if rows > MAX_SHEET_ROWS:
        refuse(path, f"{where}: the row of its {how} cell {corner}", f"{rows:,}", f"{MAX_SHEET_ROWS:,} rows")
    if columns > MAX_SHEET_COLUMNS:
        refuse(path, f"{where}: the column of its {how} cell {corner}", f"{columns:,}",
               f"{MAX_SHEET_COLUMNS:,} columns")
    if rows * columns > MAX_SHEET_CELLS:
        refuse(path, f"{where}: the range A1:{corner} up to its {how} cell", f"{rows * columns:,} cells",
               f"{MAX_SHEET_CELLS:,} cells")


def check_xlsx(path: Path, data: bytes) -> None:
    """Members, sizes, ratios, names, entity declarations and sheet extents of a ZIP workbook.

    Each member is decompressed in chunks and never kept: zipfile stops at the declared size and
    checks the CRC, so a member that inflates beyond what the directory says is caught there.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        msg = f"{path.name}: not a readable Excel workbook (a damaged ZIP: {error}); fetch it again"
        raise ParseError(msg) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            refuse(path, "the number of ZIP members", f"{len(members):,}", f"{MAX_ZIP_MEMBERS:,}")
        names = [member.filename for member in members]
        for member in members:
            check_member_header(path, member, names)
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_UNPACKED_BYTES:
            refuse(path, "the unpacked size of all members", f"{unpacked:,} bytes", f"{MAX_UNPACKED_BYTES:,} bytes")
        for member in members:
            check_member_content(path, archive, member)


def check_member_header(path: Path, member: zipfile.ZipInfo, names: list[str]) -> None:
    """What the ZIP directory says about one member: its name, method, size and ratio."""
    name = member.filename
    if not is_safe_archive_name(name) or names.count(name) > 1:
        msg = (
            f"{path.name}: unsafe or duplicated ZIP member name {name!r}; an Office workbook has only "
            "unique relative names. Refused before parsing: fetch the file again (kzegov-data fetch)"
        )
        raise UnsafeInputError(msg)
    if member.flag_bits & 0x1 or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        msg = (
            f"{path.name}: ZIP member {name!r} is encrypted or packed with method {member.compress_type}; "
            "Office writes only stored or deflated members. Fetch the publisher's file again"
        )
        raise UnsafeInputError(msg)
    cap = MAX_SHARED_STRINGS_BYTES if name.lower().endswith("sharedstrings.xml") else MAX_MEMBER_BYTES
    if member.file_size > cap:
        refuse(path, f"member {name}: the declared unpacked size", f"{member.file_size:,} bytes", f"{cap:,} bytes")
    ratio = member.file_size / max(member.compress_size, 1)
    if member.file_size > RATIO_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
        refuse(path, f"member {name}: the compression ratio", f"{ratio:,.0f}", MAX_COMPRESSION_RATIO)


def check_member_content(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Stream one member: its true size, no DOCTYPE/ENTITY, and the extent of a sheet's cells.

    A sheet is bounded first (SheetBound); only one whose bound could pass a limit is streamed again
    and measured cell by cell (SheetExtent), which then says which limit it passes.
    """
    bound = SheetBound()
    stream_member(path, archive, member, bound)
    if not bound.has_sheet_data:
        return
    where = f"sheet member {member.filename}"
    if not bound.within_limits():
        extent = SheetExtent()
        stream_member(path, archive, member, extent)
        check_extent(path, where, extent.rows, extent.columns, "farthest")
    if bound.declared:
        declared = declared_extent(bound.declared)
        if declared is None:
            msg = (
                f"{path.name}: {where} declares the dimension {bound.declared[:40]!r}, which is not a cell "
                "range such as 'A1:K100'; the file is damaged or not the publisher's. Fetch it again"
            )
            raise UnsafeInputError(msg)
        check_extent(path, where, *declared, "declared (<dimension>) last")


def stream_member(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, extent: SheetExtent) -> None:
    """Decompress one member chunk by chunk into ``extent``, refusing a DOCTYPE or a forged size."""
    carry = b""
    try:
        with archive.open(member) as stream:
            while block := stream.read(CHUNK_BYTES):
                # Cut before the last "<", so that no tag or declaration straddles two chunks.
                cut = block.rfind(b"<")
                if cut < 0:
                    carry += block
                    continue
                # One copy, not two: the memoryview joins the carry without slicing the block first.
                chunk, carry = carry + memoryview(block)[:cut], block[cut:]
                scan_chunk(path, member.filename, chunk, extent)
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        msg = (
            f"{path.name}: ZIP member {member.filename} does not unpack to its declared "
            f"{member.file_size:,} bytes ({error}); the archive is damaged or forged. Fetch it again"
        )
        raise UnsafeInputError(msg) from None
    scan_chunk(path, member.filename, carry, extent)


def scan_chunk(path: Path, member: str, chunk: bytes, extent: SheetExtent) -> None:
    # Every DOCTYPE match holds a "!", which memchr rules out in a fraction of the regex's time.
    if b"!" in chunk and (found := DOCTYPE.search(chunk)) is not None:
        msg = (
            f"{path.name}: ZIP member {member} holds an XML {found.group().decode()[2:]} declaration; no "
            "Office writer emits one, and it can hide an entity bomb or drop cells. Refused before parsing: "
            "fetch the publisher's file again (kzegov-data fetch)"
        )
        raise UnsafeInputError(msg)
    extent.update(chunk)


# --- .xls: BIFF records in an OLE2 compound file ----------------------------------------------------

#: BIFF records that place a cell, row at offset 0 and column at offset 2: FORMULA, NUMBER, LABEL,
#: BOOLERR, RK, LABELSST, BLANK, RSTRING; and MULRK, MULBLANK, whose last column ends the record.
BIFF_CELLS = frozenset({0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0201, 0x00D6})
BIFF_MULTI_CELLS = frozenset({0x00BD, 0x00BE})
BIFF_BOF, BIFF_EOF, BIFF_BOUNDSHEET = 0x0809, 0x000A, 0x0085
END_OF_CHAIN = 0xFFFFFFFE


def check_xls(path: Path, data: bytes) -> None:
    """Each sheet's extent from its BIFF cell records, and their sum: calamine reads every sheet at open.

    The DIMENSIONS record is not what bounds memory (calamine sizes a sheet from its cells), so the cells
    are measured. BIFF8 stops at 65,536 rows x 256 columns, but that alone is 0.5 GB in calamine and
    1.3 GB once read, for each sheet (measured with python-calamine 0.9.1).
    """
    stream = ole2_stream(path, data)
    names: dict[int, str] = {}
    sheets: list[list[Any]] = []  # [name, rows, columns] of each top-level BOF..EOF substream
    # Most records are cells (14,512 of 17,490 in CPI2011_Results.xls): one unpack reads a record's header
    # with the row and column that follow it, and the current sheet's extent stays in two local ints.
    cell_records = BIFF_CELLS | BIFF_MULTI_CELLS
    read_header_and_cell = struct.Struct("<HHHH").unpack_from
    end = len(stream)
    depth = position = rows = columns = 0
    while position + 4 <= end:
        if position + 8 <= end:
            record, length, row, column = read_header_and_cell(stream, position)
        else:  # the last record: a cell here is cut short, and its row is read (and fails) as before
            record, length = struct.unpack_from("<HH", stream, position)
            row = column = -1
        body = position + 4
        position = body + length
        if record in cell_records:
            if not sheets or length < 6:
                continue
            if row < 0:
                row, column = struct.unpack_from("<HH", stream, body)
            if record in BIFF_MULTI_CELLS:
                column = struct.unpack_from("<H", stream, body + length - 2)[0]
            if row >= rows:
                rows = row + 1
            if column >= columns:
                columns = column + 1
        elif record == BIFF_BOF:
            if depth == 0:
                if sheets:
                    sheets[-1][1:] = rows, columns
                sheets.append([names.get(body - 4, f"at byte {body - 4}"), 0, 0])
                rows = columns = 0
            depth += 1
        elif record == BIFF_EOF:
            depth = max(depth - 1, 0)
        elif record == BIFF_BOUNDSHEET and length >= 8:
            names[struct.unpack_from("<I", stream, body)[0]] = biff_sheet_name(stream[body + 6 : body + length])
    if sheets:
        sheets[-1][1:] = rows, columns
    for name, rows, columns in sheets:
        check_extent(path, f"sheet {name!r}", rows, columns, "farthest")
    total = sum(rows * columns for _, rows, columns in sheets)
    if total > MAX_SHEET_CELLS:
        used = sum(1 for _, rows, _ in sheets if rows)
        refuse(path, f"the cells of all {used} sheets (calamine reads them all)", f"{total:,}",
               f"{MAX_SHEET_CELLS:,}")


def biff_sheet_name(record: bytes) -> str:
    """The name in a BOUNDSHEET record body after its first 6 bytes (BIFF8 ShortXLUnicodeString)."""
    if len(record) < 2:
        return "?"
    count, high_byte = record[0], record[1] & 0x1
    raw = record[2 : 2 + count * (2 if high_byte else 1)]
    return raw.decode("utf-16-le" if high_byte else "latin-1", "replace")


def ole2_stream(path: Path, data: bytes) -> bytes:
    """The workbook stream (``Workbook``, or ``Book`` for BIFF5) of an OLE2 compound file.

    A minimal reader of [MS-CFB]: the FAT from the header's DIFAT (and DIFAT sectors), the directory,
    then the stream's sector chain (or the mini stream's for a stream under the cut-off size). Every
    chain is bounded by the number of sectors in the file, so a looping chain cannot run forever.
    """

    def damaged(why: str) -> NoReturn:
        msg = f"{path.name}: not a readable Excel workbook (damaged OLE2 file: {why}); fetch it again"
        raise ParseError(msg)

    if len(data) < 512:
        damaged("shorter than its header")
    sector_size = 1 << struct.unpack_from("<H", data, 30)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 32)[0]
    if sector_size not in (512, 4096) or mini_size != 64:
        damaged(f"sector size {sector_size}")
    n_fat, first_directory = struct.unpack_from("<II", data, 44)
    cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 56)
    n_sectors = (len(data) - 512 + sector_size - 1) // sector_size
    per_sector = sector_size // 4

    def sector(number: int) -> bytes:
        if number >= n_sectors:
            damaged(f"sector {number} beyond the end of the file")
        start = 512 + number * sector_size
        return data[start : start + sector_size].ljust(sector_size, b"\0")

    difat = list(struct.unpack_from("<109I", data, 76))
    next_difat = first_difat
    for _ in range(min(n_difat, n_sectors)):
        if next_difat >= END_OF_CHAIN:
            break
        difat_sector = struct.unpack(f"<{per_sector}I", sector(next_difat))
        difat.extend(difat_sector[:-1])
        next_difat = difat_sector[-1]
    fat: list[int] = []
    for number in difat[: min(n_fat, n_sectors)]:
        fat.extend(struct.unpack(f"<{per_sector}I", sector(number)))

    def chain(first: int, table: list[int], limit: int) -> list[int]:
        numbers: list[int] = []
        current = first
        while current < END_OF_CHAIN - 4:
            if len(numbers) >= limit or current >= len(table):
                damaged("a sector chain that loops or leaves the file")
            numbers.append(current)
            current = table[current]
        return numbers

    directory = b"".join(sector(n) for n in chain(first_directory, fat, n_sectors))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        damaged("no directory")
    root_start = struct.unpack_from("<I", entries[0], 116)[0]
    for entry in entries:
        name_bytes = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(name_bytes - 2, 0)].decode("utf-16-le", "replace")
        if entry[66] != 2 or name not in ("Workbook", "Book"):
            continue
        start, size = struct.unpack_from("<IQ", entry, 116)
        if sector_size == 512:
            size &= 0xFFFFFFFF  # version 3 files may leave garbage in the high half
        if size >= cutoff:
            stream = b"".join(sector(n) for n in chain(start, fat, n_sectors))
        else:
            minifat = [
                value
                for n in chain(first_minifat, fat, n_sectors)[:n_minifat]
                for value in struct.unpack(f"<{per_sector}I", sector(n))
            ]
            mini_stream = b"".join(sector(n) for n in chain(root_start, fat, n_sectors))
            stream = b"".join(
                mini_stream[n * mini_size : (n + 1) * mini_size]
                for n in chain(start, minifat, len(mini_stream) // mini_size + 1)
            )
        return stream[:size]
    damaged("no Workbook stream")
