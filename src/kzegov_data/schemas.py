"""The shared base of the table schemas: what every published table has in common.

Each source's own pandera models live beside its parser (``sources/<id>/schema.py``); this module
holds only what they share: the :class:`CountryTable` base (a known ISO3 code first), reviewed
anomalies read from each source's ``anomalies.csv``, the :class:`IndicatorSpec` a source uses to
add entries to the cross-source catalogue, and :func:`validate`, which orders a frame's columns as
its model declares them, validates it lazily and reports failures compactly.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .countries import known_iso3
from .errors import SchemaValidationError

#: Names a table's year column may have; at most one of them per table.
YEAR_COLUMNS = ("year", "survey_year")


class CountryTable(pa.DataFrameModel):
    """Base of every published table: its first column is a known ISO3 code."""

    iso3: Series[str] = pa.Field(
        str_length=3,
        title="ISO 3166-1 alpha-3 code",
        description=(
            "Country code (ISO 3166-1 alpha-3; XKX for Kosovo, ANT for the former Netherlands "
            "Antilles)."
        ),
        metadata={"unit": "code"},
    )

    @pa.check("iso3", name="known ISO 3166-1 alpha-3 code")
    @classmethod
    def iso3_is_known(cls, codes: pd.Series) -> pd.Series:
        return codes.isin(known_iso3())


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
    codes = frame["iso3"].astype(str).to_numpy()
    years = frame[year_column].to_numpy()
    indicators = frame["indicator"].astype(str).to_numpy() if "indicator" in frame.columns else None
    values = frame[column].astype("float64").to_numpy()
    for anomaly in anomalies:
        if anomaly.table != table or anomaly.column != column:
            continue
        decimals = len(anomaly.value.partition(".")[2])
        tolerance = 0.5 * 10.0**-decimals
        match = (codes == anomaly.iso3) & (years == anomaly.year)
        if anomaly.indicator:
            match &= indicators == anomaly.indicator if indicators is not None else False
        match &= np.abs(values - float(anomaly.value)) <= tolerance
        allowed |= match
    return pd.Series(allowed, index=frame.index)


# --- indicators: what a source adds to the cross-source catalogue ----------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of the ``indicators`` table: where its values come from and what they mean.

    ``selector`` picks the rows of a long table (``("indicator", "internet_users_pct")``) or of a
    scale (``("scale", "0-100")``); ``better`` says which direction is better ("higher" or
    "lower"), or ``None`` where ranking countries makes no sense (counts, ratios around parity).
    ``weighted_by`` names the count indicator that gives a per-100 indicator its population-weighted
    group aggregate.
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


def wide_indicators(
    model: type[pa.DataFrameModel], columns: Sequence[str], *, prefix: str = "",
    lower_is_better: Iterable[str] = (), not_ranked: Iterable[str] = (),
) -> list[IndicatorSpec]:
    """Indicators for columns of a wide table, described by the columns' own schema fields."""
    fields = model.to_schema().columns
    lower, unranked = set(lower_is_better), set(not_ranked)
    specs = []
    for column in columns:
        field = fields[column]
        better = None if column in unranked else "lower" if column in lower else "higher"
        specs.append(IndicatorSpec(
            id=f"{prefix}{column}", table=table_name(model), column=column, title=str(field.title),
            unit=unit(field), description=str(field.description), better=better,
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
    one compact table (column, check, offending values, count); the full failure list goes to
    ``<report_dir>/<table>.csv``.
    """
    declared = list(model.to_schema().columns)
    ordered = [c for c in declared if c in frame.columns] + [c for c in frame.columns if c not in declared]
    frame = frame.loc[:, ordered]
    try:
        return model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        table = table_name(model)
        summary = summarise_failures(errors.failure_cases, frame)
        where = ""
        if report_dir is not None:
            report = Path(report_dir) / f"{table}.csv"
            report.parent.mkdir(parents=True, exist_ok=True)
            errors.failure_cases.to_csv(report, index=False)
            where = f"\nfull report: {report}"
        msg = f"table {table!r} failed validation; nothing was published.\n{summary}{where}"
        raise SchemaValidationError(msg) from None


def summarise_failures(failure_cases: pd.DataFrame, frame: pd.DataFrame) -> str:
    """One line per (column, check): a few offending values and how many rows failed.

    A failed dataframe-wide check is reported once, with the keys of the offending rows, rather
    than once per column of those rows.
    """
    rows: list[dict[str, Any]] = []
    for (context, column, check), group in failure_cases.groupby(
        ["schema_context", "column", "check"], dropna=False, sort=True
    ):
        if context == "DataFrameSchema" and column in frame.columns and check not in {
            "column_in_schema", "column_in_dataframe", "multiple_fields_uniqueness",
        }:
            # Wide checks list every column of a failing row: keep one line, keyed by the row.
            if rows and rows[-1]["check"] == check and rows[-1]["column"] == "(rows)":
                continue
            failing = failure_cases[failure_cases["check"] == check]["index"].dropna().unique()
            values = [row_key(frame, index) for index in failing]
            column, count = "(rows)", len(values)
        else:
            values = [str(v) for v in pd.unique(group["failure_case"].astype(str))]
            count = len(group)
        shown = ", ".join(values[:5]) + (", ..." if len(values) > 5 else "")
        rows.append({"column": str(column), "check": str(check)[:70], "offending values": shown[:90],
                     "count": count})
    widths = {key: max(len(key), *(len(str(row[key])) for row in rows)) for key in rows[0]}
    lines = ["  ".join(key.ljust(widths[key]) for key in widths)]
    lines += ["  ".join(str(row[key]).ljust(widths[key]) for key in widths) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def row_key(frame: pd.DataFrame, index: Any) -> str:
    """A readable key of one row: its ISO3 code and year when the table has them."""
    if index not in frame.index:
        return str(index)
    row = frame.loc[index]
    parts = [str(row[c]) for c in ("iso3", *YEAR_COLUMNS, "indicator") if c in frame.columns]
    return " ".join(parts) or f"row {index}"
