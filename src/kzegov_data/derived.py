"""The derived ``indicators`` table: every indicator of every source, long, with one catalogue.

The catalogue is assembled from what each source's schema declares in ``CATALOGUE`` (ids, titles,
units and descriptions taken from the schema fields), so an indicator is described once, beside its
source. The table is derived from the published source tables, never from raw files: one row per
country, year and indicator, for every non-missing value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from functools import cache
from typing import Any, ClassVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from . import registry
from .registry import Licence, Source
from .schemas import CountryTable, IndicatorSpec, year_column

TABLE = registry.INDICATORS_TABLE
DERIVED = Source(
    id="indicators",
    publisher="kzegov_data (each row from the publisher named in its source column)",
    title="kzegov_data indicator panel, derived from the published source tables",
    # DATACARD.md ships beside datapackage.json in the wheel and the release bundle.
    landing_page="DATACARD.md",
    licence=Licence(
        name="Each row keeps its source's licence",
        url="DATACARD.md",
        note="See the source column and DATACARD.md: UN terms, CC BY-ND 4.0 (CPI), CC BY-NC-SA 3.0 IGO "
        "(ITU), CC BY 3.0 IGO (UNDP), CC BY 4.0 (World Bank).",
    ),
    citation="Cite the publisher of every indicator you use (kz.tables() lists each table's citation).",
    files=(),
    tables=(TABLE,),
)


@cache
def catalogue(package: str = registry.SOURCES_PACKAGE) -> tuple[IndicatorSpec, ...]:
    """Every indicator of the ``indicators`` table: each source's ``CATALOGUE``, in source order."""
    specs: list[IndicatorSpec] = []
    for source_id in registry.source_ids(package):
        specs.extend(getattr(registry.schema_module(source_id, package), "CATALOGUE", ()))
    repeated = sorted({spec.id for spec in specs if [s.id for s in specs].count(spec.id) > 1})
    if repeated:
        msg = f"indicator ids declared twice: {repeated}"
        raise TypeError(msg)
    return tuple(specs)


def input_tables(package: str = registry.SOURCES_PACKAGE) -> list[str]:
    """The published tables the catalogue draws on."""
    return sorted({spec.table for spec in catalogue(package)})


def source_of_tables(package: str = registry.SOURCES_PACKAGE) -> dict[str, str]:
    """Published table -> id of the source that publishes it."""
    return {table: source_id for source_id in registry.source_ids(package)
            for table in registry.get_source(source_id, package).tables}


def build_indicators(tables: Mapping[str, pd.DataFrame], package: str = registry.SOURCES_PACKAGE) -> pd.DataFrame:
    """The long ``indicators`` table from the source tables (``{table: frame}``)."""
    sources = source_of_tables(package)
    models = {table: registry.table_models(sources[table], package)[table] for table in input_tables(package)}
    parts = []
    for spec in catalogue(package):
        frame = tables[spec.table]
        if spec.selector is not None:
            column, wanted = spec.selector
            frame = frame[frame[column].astype(str) == wanted]
        year = year_column(models[spec.table])
        if year is None:
            msg = f"indicator {spec.id}: table {spec.table} has no year column"
            raise TypeError(msg)
        part = pd.DataFrame({
            "iso3": frame["iso3"].astype(str),
            "year": frame[year].astype("int64"),
            "indicator": spec.id,
            "value": frame[spec.column].astype("Float64").astype("float64"),
            "unit": spec.unit,
            "source": sources[spec.table],
            "table": spec.table,
        })
        parts.append(part[part["value"].notna()])
    indicators = pd.concat(parts, ignore_index=True)
    return indicators.sort_values(["iso3", "year", "indicator"], ignore_index=True)


def catalogue_records(frame: pd.DataFrame, package: str = registry.SOURCES_PACKAGE) -> list[dict[str, Any]]:
    """The catalogue as published in ``datapackage.json``: each spec plus the years and source it
    covers in ``frame`` (the built ``indicators`` table)."""
    grouped = frame.groupby("indicator", observed=True)
    first, last, source = grouped["year"].min(), grouped["year"].max(), grouped["source"].first()
    records = []
    for spec in catalogue(package):
        record = asdict(spec)
        record["selector"] = list(spec.selector) if spec.selector else None
        record["years"] = f"{first[spec.id]}-{last[spec.id]}" if spec.id in first.index else ""
        record["source"] = str(source.get(spec.id, ""))
        records.append(record)
    return records


class IndicatorsSchema(CountryTable):
    """Every indicator of every source, long: one row per country, year and indicator."""

    year: Series[int] = pa.Field(
        ge=1990, le=2030, title="Year",
        description="Year of the value as its source publishes it: survey year for un_egov (not "
        "interpolated), edition year for ti_cpi, reference year elsewhere.",
        metadata={"unit": "year"},
    )
    indicator: Series[str] = pa.Field(
        title="Indicator", description="Stable indicator id; kz.indicators() lists them.",
        metadata={"unit": "code"},
    )
    value: Series[float] = pa.Field(
        title="Value", description="The source table's value, unchanged; never missing.",
        metadata={"unit": "see unit column"},
    )
    unit: Series[str] = pa.Field(title="Unit", description="Unit of the indicator.", metadata={"unit": "category"})
    source: Series[str] = pa.Field(
        title="Source", description="Source id (un_egov, ti_cpi, itu, undp_hdr, wb_wgi).",
        metadata={"unit": "code"},
    )
    table: Series[str] = pa.Field(
        title="Table", description="Published table the value comes from.", metadata={"unit": "code"}
    )

    class Config:
        name = TABLE
        title = "Indicators of every source (long panel)"
        description = (
            "Every indicator of every source in one long table, with stable ids (egdi, cpi_score, "
            "internet_users_pct, hdi, wgi_control_of_corruption...); each row keeps its source's licence."
        )
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["iso3", "year", "indicator"]

    @pa.dataframe_check(name="indicator, unit and table as the catalogue says")
    @classmethod
    def matches_catalogue(cls, frame: pd.DataFrame) -> pd.Series:
        specs = catalogue()
        indicator = frame["indicator"].astype(str)
        unit = indicator.map({spec.id: spec.unit for spec in specs})
        table = indicator.map({spec.id: spec.table for spec in specs})
        return unit.notna() & (unit == frame["unit"].astype(str)) & (table == frame["table"].astype(str))
