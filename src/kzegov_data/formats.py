"""The download formats beside CSV and Parquet: Stata ``.dta`` and Excel ``.xlsx``, as bytes.

Both are written by maintained libraries (pandas' Stata writer, xlsxwriter) and both are
deterministic: the same frame gives the same bytes (a fixed time stamp in the ``.dta``, a fixed
creation date in the workbook, whose zip members xlsxwriter already dates 1980). What a format
cannot hold is refused loudly rather than changed quietly: a column name Stata does not accept, a
label longer than Stata's 80 characters, a sheet name longer than Excel's 31, a string longer than
an Excel cell.

Nothing here imports pandas or xlsxwriter at module level (``import kzegov_data`` stays cheap).
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .errors import InvalidArgumentError

if TYPE_CHECKING:
    import pandas as pd

#: Written into every ``.dta`` header instead of the time of writing, so the bytes depend on the data only.
STATA_TIME_STAMP = datetime.datetime(1980, 1, 1)
#: Stata's limits (format 118): variable and data labels, and ``str#`` (bytes) before strL. Names:
#: :data:`kzegov_data.schemas.STATA_NAME`.
STATA_LABEL_LENGTH, STATA_STR_BYTES = 80, 2045
#: Text wider than this (Stata's old ``str244`` limit: notes, not codes) is stored as strL, each distinct
#: value once, rather than padded to its widest value in every row: ITU's notes (up to 945 bytes, mostly
#: empty) take 7 MB instead of 42 MB.
STRL_FROM_BYTES = 244
#: Names Stata reserves ([U] 11.3); ``str1`` ... ``str2045`` are reserved too.
STATA_RESERVED = frozenset({"_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long",
                            "_n", "_N", "_pi", "_pred", "_rc", "_skip", "strL", "using", "with"})
#: A text column with at most this many distinct values, none wider than :data:`STRL_FROM_BYTES`, is a
#: code list (edition, release date, origin): written as integer codes with value labels, which Stata
#: users tabulate and filter on. Country names (200+) and free-text notes stay strings.
VALUE_LABELLED_AT_MOST = 100
BOOL_LABELS = ("no", "yes")

#: Excel's sheet limits: rows per sheet (the header included) and characters in a sheet name and a cell.
EXCEL_ROWS, EXCEL_SHEET_NAME, EXCEL_CELL_CHARS = 1_048_576, 31, 32_767
EXCEL_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
WORKBOOK_CREATED = datetime.datetime(1980, 1, 1)
CHUNK_ROWS = 20_000
README_SHEET, CODEBOOK_SHEET = "README", "codebook"


# --- Stata -----------------------------------------------------------------------------------------------------


def check_stata_name(name: object) -> None:
    """Refuse a column name Stata would rename (pandas renames quietly, which would break the codebook).

    >>> check_stata_name("wgi_control_of_corruption")
    >>> check_stata_name("wgi_control_of_corruption_pctrank")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kzegov_data.errors.InvalidArgumentError: column 'wgi_control_of_corruption_pctrank' is not a valid Stata name ...
    """
    from .schemas import STATA_NAME

    text = str(name)
    problem = ("reserved by Stata" if text in STATA_RESERVED or re.fullmatch(r"str\d+", text) else
               "" if STATA_NAME.fullmatch(text) else
               "a letter or underscore, then letters, digits or underscores, 32 characters at most")
    if problem:
        msg = (f"column {text!r} is not a valid Stata name ({problem}); rename it before writing a .dta "
               "(kzegov_data.country_year.stata_names gives the country-year file's names)")
        raise InvalidArgumentError(msg)


def check_stata_label(what: str, label: str) -> None:
    if len(label) > STATA_LABEL_LENGTH:
        msg = f"{what} has {len(label)} characters, Stata allows {STATA_LABEL_LENGTH}: {label!r}; shorten it"
        raise InvalidArgumentError(msg)


def stata_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The frame as Stata stores it, and the columns stored as strL (any wider than
    :data:`STRL_FROM_BYTES`; beyond :data:`STATA_STR_BYTES` they must be).

    Booleans become 0/1 labelled ``no``/``yes``; categoricals stay categoricals (pandas writes their
    codes with value labels); text with few distinct values becomes a categorical too; missing text
    of a labelled column is Stata's missing ``.``, of a string column the empty string (Stata has no
    missing string).
    """
    import pandas as pd

    stored: dict[Any, Any] = {}
    strl = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column.dtype):
            labels = column.astype("boolean").map({False: BOOL_LABELS[0], True: BOOL_LABELS[1]})
            stored[name] = pd.Categorical(labels, categories=list(BOOL_LABELS))
        elif isinstance(column.dtype, pd.CategoricalDtype):
            stored[name] = column
        elif pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
            text = column.astype("str")
            widest = max((len(value.encode("utf-8")) for value in text.dropna()), default=0)
            if widest <= STRL_FROM_BYTES and text.nunique(dropna=True) <= VALUE_LABELLED_AT_MOST:
                stored[name] = pd.Categorical(text, categories=sorted(text.dropna().unique()))
            else:
                stored[name] = text
                if widest > STRL_FROM_BYTES:
                    strl.append(str(name))
        else:
            stored[name] = column
    return pd.DataFrame(stored, index=range(len(frame))), strl


def stata_bytes(frame: pd.DataFrame, *, variable_labels: Mapping[str, str], data_label: str) -> bytes:
    """``frame`` as a Stata 14+ ``.dta`` file (format 118, UTF-8), byte-identical for the same data.

    Column names must already be valid Stata names (32 characters at most); every label at most
    80 characters. Missing numbers are Stata's ``.``. pandas' warnings about a lossy conversion
    (precision, renamed columns, labels) are errors here: a published value is never changed.

    >>> import pandas as pd
    >>> data = stata_bytes(pd.DataFrame({"iso3": ["KAZ"], "egdi": [0.90093]}),
    ...                    variable_labels={"egdi": "E-Government Development Index"}, data_label="EGDI")
    >>> data[:11]
    b'<stata_dta>'
    """
    import pandas as pd
    from pandas.errors import (
        CategoricalConversionWarning,
        InvalidColumnName,
        PossiblePrecisionLoss,
        ValueLabelTypeMismatch,
    )

    for name in frame.columns:
        check_stata_name(name)
    unknown = sorted(set(variable_labels) - {str(name) for name in frame.columns})
    if unknown:
        msg = f"variable labels for columns the frame does not have: {', '.join(unknown)}"
        raise InvalidArgumentError(msg)
    for name, label in variable_labels.items():
        check_stata_label(f"the variable label of {name}", label)
    check_stata_label("the data label", data_label)
    stored, strl = stata_frame(frame)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        for lossy in (CategoricalConversionWarning, InvalidColumnName, PossiblePrecisionLoss, ValueLabelTypeMismatch):
            warnings.simplefilter("error", lossy)
        pd.DataFrame.to_stata(stored, buffer, write_index=False, version=118, time_stamp=STATA_TIME_STAMP,
                              data_label=data_label, variable_labels=dict(variable_labels),
                              convert_strl=strl or None)
    return buffer.getvalue()


# --- Excel -----------------------------------------------------------------------------------------------------


class ExactNumber(float):
    """A float that xlsxwriter writes with all its digits.

    xlsxwriter formats every number with ``{:.16G}``, 16 significant digits, and a float64 needs up to 17
    to come back unchanged: 21 % of the published values (most WGI estimates, half the revisions'
    changes) would be read back one unit in the last place off. There is no option for it; the
    format specification goes through the number's own ``__format__``, which here gives Python's
    shortest round-tripping ``repr`` (what Excel itself writes). The workbook test reads every value
    back, so a change in xlsxwriter that bypassed this would fail there.
    """

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return float.__repr__(self)


def check_sheet_name(name: str) -> None:
    if len(name) > EXCEL_SHEET_NAME or EXCEL_FORBIDDEN.search(name) or not name.strip("'"):
        msg = (f"sheet name {name!r} is not allowed by Excel (at most {EXCEL_SHEET_NAME} characters, none of "
               "[ ] : * ? / \\, not blank); shorten the table name or give the sheet another")
        raise InvalidArgumentError(msg)


def sheet_parts(name: str, rows: int, row_limit: int) -> list[tuple[str, int, int]]:
    """The sheets a table of ``rows`` rows takes: ``(sheet, first row, end row)``, 0-based, end excluded.

    A sheet holds a header and ``row_limit - 1`` rows; the rest continue on ``<name> (2)``, ``(3)``...

    >>> sheet_parts("revisions", 5, 3)
    [('revisions', 0, 2), ('revisions (2)', 2, 4), ('revisions (3)', 4, 5)]
    """
    per_sheet = row_limit - 1
    if per_sheet < 1:
        msg = f"row_limit must leave room for a header and a row (at least 2), got {row_limit}"
        raise InvalidArgumentError(msg)
    starts = range(0, max(rows, 1), per_sheet)
    parts = [(name if number == 1 else f"{name} ({number})", start, min(start + per_sheet, rows))
             for number, start in enumerate(starts, start=1)]
    for sheet, _, _ in parts:
        check_sheet_name(sheet)
    return parts


def cell_writers(frame: pd.DataFrame) -> list[tuple[str, list[Any]]]:
    """Per column: how its cells are written (number, integer, boolean, text) and their values (None: blank)."""
    import pandas as pd

    columns = []
    for name in frame.columns:
        column = frame[name]
        missing = column.isna().to_numpy()
        present = zip(column.tolist(), missing.tolist(), strict=True)
        values: list[Any]
        if pd.api.types.is_bool_dtype(column.dtype):
            kind, values = "boolean", [None if gap else bool(value) for value, gap in present]
        elif pd.api.types.is_integer_dtype(column.dtype):
            kind, values = "integer", [None if gap else int(value) for value, gap in present]
        elif pd.api.types.is_float_dtype(column.dtype):
            kind, values = "number", [None if gap else ExactNumber(value) for value, gap in present]
        else:
            kind, values = "text", [None if gap else str(value) for value, gap in present]
        columns.append((kind, values))
    return columns


def write_table_sheet(workbook: Any, sheet: str, frame: pd.DataFrame, start: int, end: int, header: Any) -> None:
    """One sheet: the header row (frozen), then rows ``start`` to ``end`` of ``frame``, row by row
    (constant_memory mode writes each row out when the next begins)."""
    worksheet = workbook.add_worksheet(sheet)
    worksheet.freeze_panes(1, 0)
    for col, name in enumerate(frame.columns):
        worksheet.set_column(col, col, column_width(frame[name], str(name)))
        worksheet.write_string(0, col, str(name), header)
    writers = {"number": worksheet.write_number, "integer": worksheet.write_number,
               "boolean": worksheet.write_boolean, "text": worksheet.write_string}
    # In chunks, so that only a chunk's cells are ever Python objects at once.
    for chunk in range(start, end, CHUNK_ROWS):
        plan = [(col, writers[kind], values) for col, (kind, values) in
                enumerate(cell_writers(frame.iloc[chunk:min(chunk + CHUNK_ROWS, end)]))]
        for offset in range(min(CHUNK_ROWS, end - chunk)):
            row = chunk - start + offset + 1
            for col, write, values in plan:
                value = values[offset]
                if value is not None and write(row, col, value) != 0:
                    msg = (f"sheet {sheet!r}, row {row + 1}, column {frame.columns[col]!r}: Excel cannot hold "
                           f"the value (a cell takes at most {EXCEL_CELL_CHARS:,} characters); use the CSV file")
                    raise InvalidArgumentError(msg)


def column_width(column: pd.Series, name: str) -> float:
    """Wide enough for the header and typical text, at most 60 characters (cheap: no autofit)."""
    import pandas as pd

    widest = len(name)
    if isinstance(column.dtype, pd.CategoricalDtype):
        widest = max([widest, *(len(str(value)) for value in column.cat.categories)])
    elif pd.api.types.is_string_dtype(column.dtype) and len(column):
        widest = max(widest, int(column.astype("str").str.len().median() if column.notna().any() else 0))
    elif pd.api.types.is_float_dtype(column.dtype):
        widest = max(widest, 12)
    return float(min(widest + 2, 60))


def workbook_bytes(sheets: Mapping[str, pd.DataFrame], *, readme_rows: Sequence[Sequence[object]],
                   codebook: pd.DataFrame, row_limit: int = EXCEL_ROWS) -> bytes:
    """An Excel workbook: a ``README`` sheet, a ``codebook`` sheet, then one sheet per frame of ``sheets``.

    ``readme_rows`` (licences, citations, what each table is) open the README; after them it lists
    every sheet with the rows of its table it holds. A table longer than a sheet (``row_limit`` rows,
    the header included: Excel's 1,048,576) continues on ``<name> (2)``, ``<name> (3)`` ..., each with
    the header; the README says so. Headers are frozen; numbers keep all their digits
    (:class:`ExactNumber`); missing values are blank cells. The same input gives the same bytes.

    >>> import pandas as pd
    >>> data = workbook_bytes({"un_egov": pd.DataFrame({"egdi": [0.90093]})}, readme_rows=[["kzegov_data"]],
    ...                       codebook=pd.DataFrame({"id": ["egdi"]}))
    >>> data[:2]
    b'PK'
    """
    import xlsxwriter

    parts = {name: sheet_parts(name, len(frame), row_limit) for name, frame in sheets.items()}
    named = [README_SHEET, CODEBOOK_SHEET, *(sheet for table in parts.values() for sheet, _, _ in table)]
    if len({name.casefold() for name in named}) != len(named):
        msg = f"two sheets would have the same name (Excel ignores case): {', '.join(named)}"
        raise InvalidArgumentError(msg)
    buffer = io.BytesIO()
    # constant_memory: rows are flushed to a temporary file as they are written, so the 361,000-row
    # revisions table does not sit in memory as cell objects (strings are then stored inline).
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"created": WORKBOOK_CREATED})
    header = workbook.add_format({"bold": True})
    readme = workbook.add_worksheet(README_SHEET)
    readme.set_column(0, 0, 28)
    readme.set_column(1, 1, 100)
    lines: list[Sequence[object]] = [
        *readme_rows, [],
        ["Sheets", f"Excel holds {row_limit - 1:,} rows and a header per sheet; a longer table continues on "
         "'<table> (2)', '<table> (3)' ..., each with the header repeated. The CSV and Parquet files hold every "
         "table whole."],
        [CODEBOOK_SHEET, "the codebook: what each column holds, its unit, source and licence"],
    ]
    for table, table_parts in parts.items():
        total = len(sheets[table])
        for sheet, start, end in table_parts:
            whole = len(table_parts) == 1
            lines.append([sheet, f"table {table}: all {total:,} rows" if whole else
                          f"table {table}: rows {start + 1:,} to {end:,} of {total:,}"])
    for row, cells in enumerate(lines):
        for col, cell in enumerate(cells):
            if isinstance(cell, int | float) and not isinstance(cell, bool):
                readme.write_number(row, col, cell)
            else:
                readme.write_string(row, col, str(cell), header if col == 0 else None)
    write_table_sheet(workbook, CODEBOOK_SHEET, codebook, 0, len(codebook), header)
    for table, table_parts in parts.items():
        for sheet, start, end in table_parts:
            write_table_sheet(workbook, sheet, sheets[table], start, end, header)
    workbook.close()
    return buffer.getvalue()
