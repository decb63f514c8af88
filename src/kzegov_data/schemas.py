"""The shared base of the table schemas: what every published table has in common.

Each source's own pandera models live beside its parser (``sources/<id>/schema.py``); this module
holds only what they share: the :class:`CountryTable` base (a known ISO3 code first, finite
numbers and no formula-looking text in every column), reviewed anomalies read from each source's
``anomalies.csv``, the :class:`IndicatorSpec` a source uses to add entries to the cross-source
catalogue, and :func:`validate`, which orders a frame's columns as its model declares them,
validates it lazily and reports failures compactly.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .countries import known_iso3
from .errors import SchemaValidationError

#: Names a table's year column may have; at most one of them per table.
YEAR_COLUMNS = ("year", "survey_year")

#: First characters that make Excel, LibreOffice or Google Sheets read a CSV cell as a formula
#: (OWASP "CSV injection": ``=cmd|'/c calc'!A1``, ``=HYPERLINK(...)``, ``@SUM(A1)``, and tab or
#: carriage return, which some importers strip before looking). The tables are published as CSV
#: for people who open them in a spreadsheet, so no text may start with one.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Names of the checks every table inherits (tests look the guards up by these names).
KNOWN_ISO3_CHECK = "known ISO 3166-1 alpha-3 code"
FINITE_CHECK = "numbers are finite (no inf or -inf)"
FORMULA_CHECK = "text does not start like a spreadsheet formula (= + - @ tab CR)"

CheckFunction = TypeVar("CheckFunction", bound=Callable[..., Any])


def inherited_check_name(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Name a check of the shared base (or one reporting as a pandera built-in) by its function's
    ``__name__``, not by ``name=``.

    pandera (0.35) pops ``name`` from a check's arguments the first time it builds a model from
    it, so a check inherited by several models kept its name only in the first model built (which
    depends on import order) and the others reported the function's name. The function's own name
    is read every time, so every table reports the same name.
    """

    def rename(function: CheckFunction) -> CheckFunction:
        function.__name__ = name
        return function

    return rename


class CountryTable(pa.DataFrameModel):
    """Base of every published table: a known ISO3 code first, finite numbers, inert text.

    The two guards look at the columns' dtypes at validation time (after coercion), so a model
    cannot forget them: every float column of every table rejects ``inf`` and ``-inf`` (a missing
    value stays allowed where the column is nullable), and every text column rejects values that
    a spreadsheet would run as a formula. A failure names the failing cells (column and value),
    not every column of the failing rows.
    """

    iso3: Series[str] = pa.Field(
        str_length=3,
        title="ISO 3166-1 alpha-3 code",
        description=(
            "Country code (ISO 3166-1 alpha-3; XKX for Kosovo, ANT for the former Netherlands "
            "Antilles)."
        ),
        metadata={"unit": "code"},
    )

    @pa.check("iso3")
    @classmethod
    @inherited_check_name(KNOWN_ISO3_CHECK)
    def iso3_is_known(cls, codes: pd.Series) -> pd.Series:
        return codes.isin(known_iso3())

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name(FINITE_CHECK)
    def numbers_are_finite(cls, frame: pd.DataFrame) -> pd.DataFrame | bool:
        # An upper bound (le=...) catches inf but not -inf, a lower one the reverse, and a column
        # with neither would publish both; NaN is not inf, so the column's nullability decides it.
        return failing_cells(frame, {column: is_finite(frame[column]) for column in float_columns(frame)})

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name(FORMULA_CHECK)
    def text_is_not_a_formula(cls, frame: pd.DataFrame) -> pd.DataFrame | bool:
        return failing_cells(frame, {column: is_not_formula(frame[column]) for column in text_columns(frame)})


def float_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` holding floats (numpy or nullable ``Float64``)."""
    return [str(column) for column, dtype in frame.dtypes.items() if pd.api.types.is_float_dtype(dtype)]


def text_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` holding text (``str`` or object dtype; booleans and numbers are not)."""
    return [str(column) for column, dtype in frame.dtypes.items() if pd.api.types.is_string_dtype(dtype)]


def is_finite(values: pd.Series) -> np.ndarray:
    """True where a float is not ``inf`` or ``-inf`` (missing values pass: nullability is the field's)."""
    return ~np.isinf(values.to_numpy(dtype="float64", na_value=np.nan))


def is_not_formula(values: pd.Series) -> np.ndarray:
    """True where a text does not start with one of :data:`FORMULA_PREFIXES` (missing values pass)."""
    # Text columns repeat few values (codes, units, names, notes): looking at the distinct ones
    # first halves the cost on the 170,000-row indicators table; rows only when one fails.
    if not pd.Series(values.unique()).str.startswith(FORMULA_PREFIXES, na=False).any():
        return np.ones(len(values), dtype=bool)
    return ~values.str.startswith(FORMULA_PREFIXES, na=False).to_numpy(dtype=bool)


def matches_pattern(values: pd.Series, pattern: str) -> pd.Series | bool:
    """pandera's ``str_matches`` check (``re.match`` of each value), decided once per distinct value.

    A column of dates or codes holds a handful of distinct values over hundreds of thousands of rows:
    matching the distinct ones costs a fraction of matching every row (44 ms on ``revisions``).
    Rows are looked at only when a value fails, so pandera names the same failing cases.
    """
    distinct = pd.Series(values.unique(), dtype=values.dtype)
    matched = distinct.str.match(pattern, na=False).to_numpy(dtype=bool)
    if matched.all():
        return True
    return values.isin(distinct[matched])


def lookup(values: pd.Series, mapping: Mapping[Any, Any]) -> pd.Series:
    """``values.map(mapping)`` (missing where a value is not a key), looked up once per distinct value.

    ``Series.map`` on a text column converts every row to a Python string: 15 ms on the 42,000 rows
    of ``itu_ict`` against a fraction of that for its 14 distinct indicators taken by position.
    """
    codes, distinct = pd.factorize(values)
    found = pd.Series(distinct).map(mapping)
    return pd.Series(found.array.take(codes, allow_fill=True), index=values.index, name=values.name)


def failing_cells(frame: pd.DataFrame, verdicts: Mapping[str, Any]) -> pd.DataFrame | bool:
    """The result of a dataframe-wide check that judges cells: ``{column: True where it passes}``.

    Returns ``True`` when every cell passes, else a frame of ``frame``'s shape, False on each failing
    cell: pandera then reports each failing row as ``{column: value}``, so the message names the
    column and the value instead of listing every column of the row. Built only on failure: when
    everything passes, a frame would make pandera mask the whole table, which costs more than the
    check itself. Missing values in a failing cell are not reported (pandera skips them).
    """
    passed = {column: np.asarray(verdict, dtype=bool) for column, verdict in verdicts.items()}
    if all(verdict.all() for verdict in passed.values()):
        return True
    cells = pd.DataFrame(True, index=frame.index, columns=frame.columns)
    for column, verdict in passed.items():
        cells[column] = verdict
    return cells


def measure(title: str, description: str, *, ge: float, le: float, unit: str, nullable: bool = True) -> Any:
    """A numeric column with its natural range and unit (the unit goes into the published metadata)."""
    return pa.Field(ge=ge, le=le, nullable=nullable, title=title, description=description, metadata={"unit": unit})


# --- reviewed anomalies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Anomaly:
    """A reviewed value outside its column's natural range, published as the file gives it.

    ``indicator`` is empty for wide tables; ``value`` is the value as reviewed, written with the
    decimals that identify it: a value that later differs from it is no longer the reviewed one.
    """

    table: str
    iso3: str
    year: int
    indicator: str
    column: str
    value: str
    reason: str


ANOMALY_COLUMNS = ("table", "iso3", "year", "indicator", "column", "value", "reason")


def read_anomalies(path: Path) -> tuple[Anomaly, ...]:
    """The reviewed anomalies of one source (``anomalies.csv`` beside its schema)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != ANOMALY_COLUMNS:
            msg = f"{path}: the header must be {','.join(ANOMALY_COLUMNS)}"
            raise ValueError(msg)
        anomalies = tuple(
            Anomaly(row["table"], row["iso3"], int(row["year"]), row["indicator"], row["column"], row["value"],
                    row["reason"])
            for row in reader
        )
    for anomaly in anomalies:
        float(anomaly.value)  # a reviewed value is a number
        if not anomaly.reason.strip():
            msg = f"{path}: {anomaly.table} {anomaly.iso3} {anomaly.year} {anomaly.column} has no reason"
            raise ValueError(msg)
    return anomalies


def reviewed(frame: pd.DataFrame, anomalies: Iterable[Anomaly], table: str, column: str) -> pd.Series:
    """True on the rows of ``frame`` whose ``column`` holds a reviewed anomaly of ``table``.

    A row matches on its ISO3 code, year, indicator (long tables) and on the value itself, to the
    decimals the review wrote down.
    """
    year_column = next(c for c in YEAR_COLUMNS if c in frame.columns)
    allowed = np.zeros(len(frame), dtype=bool)
    relevant = [anomaly for anomaly in anomalies if anomaly.table == table and anomaly.column == column]
    if not relevant:
        return pd.Series(allowed, index=frame.index)
    # Only rows of a reviewed country and year can match: the values are compared on those few.
    candidates = np.flatnonzero(
        frame["iso3"].isin({anomaly.iso3 for anomaly in relevant}).to_numpy(dtype=bool)
        & frame[year_column].isin({anomaly.year for anomaly in relevant}).to_numpy(dtype=bool)
    )
    rows = frame.iloc[candidates]
    codes = rows["iso3"].astype(str).to_numpy()
    years = rows[year_column].to_numpy()
    indicators = rows["indicator"].astype(str).to_numpy() if "indicator" in rows.columns else None
    values = rows[column].astype("float64").to_numpy()
    for anomaly in relevant:
        decimals = len(anomaly.value.partition(".")[2])
        tolerance = 0.5 * 10.0**-decimals
        match = (codes == anomaly.iso3) & (years == anomaly.year)
        if anomaly.indicator:
            match &= indicators == anomaly.indicator if indicators is not None else False
        match &= np.abs(values - float(anomaly.value)) <= tolerance
        allowed[candidates[match]] = True
    return pd.Series(allowed, index=frame.index)


# --- indicators: what a source adds to the cross-source catalogue ----------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of the ``indicators`` table: where its values come from and what they mean.

    ``selector`` picks the rows of a long table (``("indicator", "internet_users_pct")``) or of a
    scale (``("scale", "0-100")``); ``better`` says which direction is better ("higher" or
    "lower"), or ``None`` where ranking countries makes no sense (counts, ratios around parity).
    ``weighted_by`` names the count indicator that gives a per-100 indicator its population-weighted
    group aggregate. ``caveat`` says what a user must know before comparing values (the codebook
    prints it); ``stata_name`` is the variable's name in Stata files (at most 32 characters; the id
    where that fits).
    """

    id: str
    table: str
    column: str
    title: str
    unit: str
    description: str
    selector: tuple[str, str] | None = None
    better: str | None = "higher"
    weighted_by: str | None = None
    caveat: str = ""
    stata_name: str = ""

    def __post_init__(self) -> None:
        if not self.stata_name:
            object.__setattr__(self, "stata_name", self.id)
        if not STATA_NAME.fullmatch(self.stata_name):
            msg = (f"indicator {self.id}: {self.stata_name!r} is not a Stata variable name (letters, digits, _, "
                   "at most 32 characters): declare a shorter stata_name")
            raise ValueError(msg)


#: A Stata variable name: a letter or underscore, then letters, digits or underscores, 32 at most.
STATA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,31}")


def wide_indicators(
    model: type[pa.DataFrameModel], columns: Sequence[str], *, prefix: str = "",
    lower_is_better: Iterable[str] = (), not_ranked: Iterable[str] = (),
    caveat: str = "", caveats: Mapping[str, str] | None = None,
) -> list[IndicatorSpec]:
    """Indicators for columns of a wide table, described by the columns' own schema fields.

    ``caveat`` applies to every column, ``caveats`` adds a column's own after it."""
    fields = model.to_schema().columns
    lower, unranked = set(lower_is_better), set(not_ranked)
    specs = []
    for column in columns:
        field = fields[column]
        better = None if column in unranked else "lower" if column in lower else "higher"
        specs.append(IndicatorSpec(
            id=f"{prefix}{column}", table=table_name(model), column=column, title=str(field.title),
            unit=unit(field), description=str(field.description), better=better,
            caveat=" ".join(filter(None, (caveat, (caveats or {}).get(column, "")))),
        ))
    return specs


# --- facts of a model -------------------------------------------------------------------------------


def table_name(model: type[pa.DataFrameModel]) -> str:
    return str(model.Config.name)


def unit(field: Any) -> str:
    return str((field.metadata or {}).get("unit", ""))


def primary_key(model: type[pa.DataFrameModel]) -> list[str]:
    unique = getattr(model.Config, "unique", None)
    return [unique] if isinstance(unique, str) else list(unique or [])


def year_column(model: type[pa.DataFrameModel]) -> str | None:
    columns = model.to_schema().columns
    found = [c for c in YEAR_COLUMNS if c in columns]
    if len(found) > 1:
        msg = f"{table_name(model)} has more than one year column: {found}"
        raise TypeError(msg)
    return found[0] if found else None


def describe_fields(model: type[pa.DataFrameModel], frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Name, Frictionless type, title, description, unit and nullability of every column."""
    columns = model.to_schema().columns
    fields = []
    for name in frame.columns:
        column = columns[name]
        dtype = frame[name].dtype
        if pd.api.types.is_bool_dtype(dtype):
            kind = "boolean"
        elif pd.api.types.is_integer_dtype(dtype):
            kind = "integer"
        elif pd.api.types.is_float_dtype(dtype):
            kind = "number"
        else:
            kind = "string"
        fields.append({
            "name": name, "type": kind, "title": column.title or name,
            "description": column.description or "", "unit": unit(column),
            "nullable": bool(column.nullable),
        })
    return fields


# --- validation ---------------------------------------------------------------------------------------


def validate(model: type[pa.DataFrameModel], frame: pd.DataFrame, *, report_dir: Path | None = None) -> pd.DataFrame:
    """Validate ``frame`` against ``model`` (lazily: every failure at once); return the coerced frame.

    The columns come back in the order the model declares them (extra columns stay at the end, for
    the strict check to report). On failure, raises :class:`SchemaValidationError` whose message is
    one compact table (one line per failing check: column, check, failing rows, examples); the
    full failure list goes to ``<report_dir>/<table>.csv``.
    """
    declared = list(model.to_schema().columns)
    ordered = [c for c in declared if c in frame.columns] + [c for c in frame.columns if c not in declared]
    frame = frame.loc[:, ordered]
    try:
        return model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        table = table_name(model)
        summary = summarise_failures(errors.failure_cases, frame, keys=primary_key(model))
        where = ""
        if report_dir is not None:
            report = Path(report_dir) / f"{table}.csv"
            report.parent.mkdir(parents=True, exist_ok=True)
            errors.failure_cases.to_csv(report, index=False)
            where = f"\nfull report: {report}"
        msg = f"table {table!r} failed validation; nothing was published.\n{summary}{where}"
        raise SchemaValidationError(msg) from None


#: The ``column`` of a summary line for a dataframe-wide check that judges whole rows.
ROWS = "(rows)"
#: Examples shown per summary line; the full report has every failure.
EXAMPLES = 5
#: pandera's name for a failed ``Config.unique``: its rows share a key.
UNIQUENESS = "multiple_fields_uniqueness"


def summarise_failures(
    failure_cases: pd.DataFrame, frame: pd.DataFrame, *, keys: Sequence[str] = (), examples: int = EXAMPLES
) -> str:
    """One line per failing check: its column, its name, a few examples and how many rows failed.

    pandera lists a failed dataframe-wide check once per column of every failing row, in an order
    of its own; here each such check is one line, whatever the order, with the keys of its first
    failing rows in table order (``ROWS`` as its column; a repeated key is shown once, under the
    key's first column). A check that names failing cells (the finite-number and formula guards,
    the reviewed ceilings) shows ``row: column=value`` and the columns it failed in. A column check
    shows its distinct failing values, each with the first row that holds it. ``keys`` are the
    columns that identify a row (the table's primary key); without them, ISO3, year and indicator.
    """
    by_row = (failure_cases["schema_context"] == "DataFrameSchema") & failure_cases["index"].notna()
    line = pd.DataFrame({
        "context": failure_cases["schema_context"].astype(str),
        "column": failure_cases["column"].astype(object).where(~by_row, ROWS).fillna("").astype(str),
        "check": failure_cases["check"].astype(str),
    })
    lines: list[dict[str, Any]] = []
    for (_, column, check), group in failure_cases.groupby(
        [line["context"], line["column"], line["check"]], sort=True
    ):
        if column == ROWS:
            lines.append(row_line(group, frame, keys, str(check), examples))
        else:
            lines.append(column_line(group, frame, keys, str(column), str(check), examples))
    headers = ("column", "check", "examples", "rows")
    widths = {key: max(len(key), *(len(str(entry[key])) for entry in lines)) for key in headers}
    table = ["  ".join(key.ljust(widths[key]) for key in headers)]
    table += ["  ".join(str(entry[key]).ljust(widths[key]) for key in headers) for entry in lines]
    return "\n".join(text.rstrip() for text in table)


def row_line(
    group: pd.DataFrame, frame: pd.DataFrame, keys: Sequence[str], check: str, examples: int
) -> dict[str, Any]:
    """The summary line of a dataframe-wide check: its failing rows by key (and cells, if it names them)."""
    indices = np.sort(pd.unique(group["index"].to_numpy()))
    first = group.drop_duplicates("index").set_index("index")["failure_case"]
    cells = first[first.map(lambda case: isinstance(case, dict))]
    if not cells.empty:
        names = {str(name) for cell in cells for name in cell}
        shown = [
            f"{row_key(frame, index, keys)}: {cells_text(cells[index])}"
            for index in indices[:examples] if index in cells.index
        ]
        return {"column": ", ".join(c for c in map(str, frame.columns) if c in names), "check": check,
                "examples": examples_text(shown, more=len(indices) > len(shown)), "rows": len(indices)}
    column = ROWS
    if check == UNIQUENESS:
        reported = set(group["column"].astype(str))
        column = next((c for c in map(str, frame.columns) if c in reported), ROWS)
    # Rows sharing a key (a repeated row) show the key once.
    looked_at = indices[: examples * 4]
    distinct = list(dict.fromkeys(row_key(frame, index, keys) for index in looked_at))
    more = len(distinct) > examples or len(indices) > len(looked_at)
    return {"column": column, "check": check, "examples": examples_text(distinct[:examples], more=more),
            "rows": len(indices)}


def column_line(
    group: pd.DataFrame, frame: pd.DataFrame, keys: Sequence[str], column: str, check: str, examples: int
) -> dict[str, Any]:
    """The summary line of a column check (or of a table-shape check): distinct values, first row of each."""
    ordered = group.assign(shown=group["failure_case"].map(show))
    ordered = ordered.sort_values("index", na_position="last", kind="stable")
    first = ordered.drop_duplicates("shown")
    shown = [
        value if pd.isna(index) else f"{value} at {row_key(frame, index, keys)}"
        for value, index in zip(first["shown"].head(examples), first["index"].head(examples), strict=True)
    ]
    return {"column": column, "check": check, "examples": examples_text(shown, more=len(first) > len(shown)),
            "rows": len(group)}


def show(value: Any) -> str:
    """A failing value as the message shows it: text quoted (a leading tab is visible), numbers bare."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def cells_text(cells: dict[str, Any]) -> str:
    return ", ".join(f"{name}={show(value)}" for name, value in cells.items())


#: Width of a line's examples: as many as fit (at least one), so the row counts stay in view.
EXAMPLES_WIDTH = 110


def examples_text(shown: Sequence[str], *, more: bool) -> str:
    kept = list(shown[:1])
    for example in shown[1:]:
        if len("; ".join([*kept, example])) > EXAMPLES_WIDTH:
            more = True
            break
        kept.append(example)
    return "; ".join(kept) + ("; ..." if more else "")


def row_key(frame: pd.DataFrame, index: Any, keys: Sequence[str] = ()) -> str:
    """A readable key of one row: its primary key (``keys``), else its ISO3 code, year and indicator."""
    if isinstance(index, float) and index.is_integer():
        index = int(index)
    if index not in frame.index:
        return f"row {index}"
    row = frame.loc[index]
    columns = [c for c in keys if c in frame.columns] or [
        c for c in ("iso3", *YEAR_COLUMNS, "indicator") if c in frame.columns
    ]
    return " ".join(str(row[c]) for c in columns) or f"row {index}"
