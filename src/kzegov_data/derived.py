"""The derived ``indicators`` table: every indicator of every source, long, with one catalogue.

The catalogue is assembled from what each source's schema declares in ``CATALOGUE`` (ids, titles,
units and descriptions taken from the schema fields), so an indicator is described once, beside its
source. The table is derived from the published source tables, never from raw files: one row per
country, year and indicator, for every non-missing value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any, ClassVar

import numpy as np
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
        open=None,
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


@dataclass(frozen=True)
class IndicatorValues:
    """Every non-missing value of the catalogue's indicators in some source tables, as integer codes:
    ``iso3`` indexes ``countries`` (sorted), ``spec`` indexes ``specs``; rows in catalogue order."""

    countries: list[str]
    specs: list[IndicatorSpec]
    iso3: np.ndarray
    year: np.ndarray
    value: np.ndarray
    spec: np.ndarray


def indicator_values(tables: Mapping[str, pd.DataFrame], package: str = registry.SOURCES_PACKAGE) -> IndicatorValues:
    """The values of every catalogue indicator of the given tables (all of the catalogue's, for
    ``indicators``; one edition of one table, for ``revisions``), unsorted, as codes."""
    sources = source_of_tables(package)
    models = {table: registry.table_models(sources[table], package)[table]
              for table in input_tables(package) if table in tables}
    specs = [spec for spec in catalogue(package) if spec.table in models]
    # What every spec of a table shares is worked out once per table, on integer codes: its countries
    # (factorized, then placed in the sorted list), its years, and the codes of each selector column.
    # Per spec, a string comparison of a whole column (or a year cast) cost most of this function:
    # ``revisions`` calls it for 8 editions, with some 30 specs each.
    local = {table: pd.factorize(tables[table]["iso3"].astype(str)) for table in models}
    countries = pd.Index(sorted(set().union(*(uniques for _, uniques in local.values()))))
    country_codes = {table: countries.get_indexer(uniques)[codes] for table, (codes, uniques) in local.items()}
    years: dict[str, np.ndarray] = {}
    selectors: dict[tuple[str, str], tuple[np.ndarray, pd.Index]] = {}
    iso3, year, value, spec = [], [], [], []
    for number, entry in enumerate(specs):
        frame = tables[entry.table]
        if entry.table not in years:
            year_name = year_column(models[entry.table])
            if year_name is None:
                msg = f"indicator {entry.id}: table {entry.table} has no year column"
                raise TypeError(msg)
            years[entry.table] = frame[year_name].astype("int64").to_numpy()
        values = frame[entry.column].to_numpy(dtype="float64", na_value=np.nan)
        keep = ~np.isnan(values)
        if entry.selector is not None:
            column, wanted = entry.selector
            if (entry.table, column) not in selectors:
                selectors[entry.table, column] = pd.factorize(frame[column].astype(str))
            codes, uniques = selectors[entry.table, column]
            keep &= (codes == uniques.get_loc(wanted)) if wanted in uniques else False
        iso3.append(country_codes[entry.table][keep])
        year.append(years[entry.table][keep])
        value.append(values[keep])
        spec.append(np.full(int(keep.sum()), number))
    return IndicatorValues(list(countries), specs, np.concatenate(iso3), np.concatenate(year),
                           np.concatenate(value), np.concatenate(spec))


def text(categories: list[str], codes: np.ndarray) -> pd.Series:
    """The strings ``codes`` stand for (``-1``: missing), taken once from the sorted ``categories``."""
    return pd.Series(pd.array(categories, dtype="str").take(codes, allow_fill=True))


def build_indicators(tables: Mapping[str, pd.DataFrame], package: str = registry.SOURCES_PACKAGE) -> pd.DataFrame:
    """The long ``indicators`` table from the source tables (``{table: frame}``), sorted by its key.

    Built from integer codes, not strings: each text column of the result (ISO3, indicator, unit,
    source, table) is a code into a small sorted list of its values until the end, so the row
    selection and the sort by ``iso3``, ``year``, ``indicator`` never compare or copy strings
    (which cost most of the build of this table when it was assembled from text columns).
    """
    sources = source_of_tables(package)
    found = indicator_values(tables, package)
    specs = found.specs
    ids = [entry.id for entry in specs]
    id_rank = np.argsort(np.argsort(np.array(ids, dtype=object)))
    order = np.lexsort((id_rank[found.spec], found.year, found.iso3))
    spec_codes = found.spec[order]

    def per_spec(values: list[str]) -> pd.Series:
        distinct = sorted(set(values))
        lookup = np.array([distinct.index(v) for v in values])
        return text(distinct, lookup[spec_codes])

    return pd.DataFrame({
        "iso3": text(found.countries, found.iso3[order]),
        "year": found.year[order],
        "indicator": per_spec(ids),
        "value": found.value[order],
        "unit": per_spec([entry.unit for entry in specs]),
        "source": per_spec([sources[entry.table] for entry in specs]),
        "table": per_spec([entry.table for entry in specs]),
    })


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
        # 170,000 rows hold some 40 distinct (indicator, unit, table) triples: the distinct ones are
        # compared with the catalogue, and rows are looked at only when one of them is wrong.
        expected = {(spec.id, spec.unit, spec.table) for spec in catalogue()}
        triples = frame[["indicator", "unit", "table"]].astype(str)
        distinct = triples.drop_duplicates()
        if all(triple in expected for triple in distinct.itertuples(index=False, name=None)):
            return pd.Series(True, index=frame.index)
        return pd.Series([triple in expected for triple in triples.itertuples(index=False, name=None)],
                         index=frame.index, dtype=bool)
