"""Schema of table ``itu_ict``, and the indicators it adds to the cross-source catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ...schemas import CountryTable, IndicatorSpec, failing_cells, read_anomalies, reviewed
from . import INDICATORS

ANOMALIES = read_anomalies(Path(__file__).with_name("anomalies.csv"))
#: Every ITU value is below this; it binds the counts (a per-100 or % value has its indicator's
#: ceiling). No economy can have 10 billion subscriptions of anything: more than one per person on
#: Earth for the most populous country several times over. ITU's largest count is 1.87 billion
#: (China, mobile-cellular and active mobile-broadband subscriptions, 2024), so the bound only
#: catches impossible numbers (inf, 1e300, a value in the wrong unit).
COUNT_BELOW = 1e10


class ItuIctSchema(CountryTable):
    """ITU ICT statistics, long: one row per country, year and indicator."""

    country: Series[str] = pa.Field(
        str_length={"min_value": 1}, title="Country name",
        description=(
            "Name as published in the row's origin file (ITU short names; the 2019 Excel file uses "
            "the names of that time, e.g. Turkey)."
        ),
        metadata={"unit": "text"},
    )
    year: Series[int] = pa.Field(
        ge=1960, le=2030, title="Year", description="Year the value refers to.",
        metadata={"unit": "year"},
    )
    indicator: Series[str] = pa.Field(
        isin=list(INDICATORS), title="Indicator",
        description=(
            "internet_users_pct, households_internet_pct, and for mobile cellular, active mobile "
            "broadband, fixed broadband and fixed telephone both <name>_per100 and "
            "<name>_subscriptions (the count, for population-weighted group aggregates)."
        ),
        metadata={"unit": "category"},
    )
    value: Series[float] = pa.Field(
        ge=0, lt=COUNT_BELOW, title="Value",
        description=(
            "ITU's value, unchanged. DataHub values carry 6 significant digits (counts are rounded "
            "to them); the 2019 Excel values are full double precision."
        ),
        metadata={"unit": "see unit column"},
    )
    unit: Series[str] = pa.Field(
        isin=sorted({indicator.unit for indicator in INDICATORS.values()}), title="Unit",
        description=(
            "% of individuals, % of households, per 100 inhabitants, or subscriptions (a count)."
        ),
        metadata={"unit": "category"},
    )
    is_estimate: Series[bool] = pa.Field(
        title="ITU estimate",
        description=(
            "True where ITU marks the value as its own estimate ('ITU estimate' in the source "
            "field); a per-100 value takes the mark of the count it was computed from. False means "
            "not marked, not 'surely reported'."
        ),
        metadata={"unit": "flag"},
    )
    note: Series[str] = pa.Field(
        nullable=True, title="Note",
        description=(
            "ITU's footnote and data source for the value ('<note> | Source: <source>'), white "
            "space folded; missing where ITU gives neither."
        ),
        metadata={"unit": "text"},
    )
    origin: Series[str] = pa.Field(
        str_length={"min_value": 1}, title="Origin",
        description="The ITU file the row comes from, and its vintage.",
        metadata={"unit": "text"},
    )

    class Config:
        name = "itu_ict"
        title = "ITU ICT statistics"
        description = (
            "Internet use, household Internet access, mobile-cellular, mobile-broadband, "
            "fixed-broadband and fixed-telephone subscriptions (per 100 and counts), by economy, "
            "2000-2025, from ITU's own files."
        )
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["iso3", "year", "indicator"]

    @pa.dataframe_check(name="unit is the one of the indicator")
    @classmethod
    def unit_matches_indicator(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["unit"] == frame["indicator"].map({name: i.unit for name, i in INDICATORS.items()})

    @pa.dataframe_check(name="value at most the indicator's ceiling, except reviewed anomalies")
    @classmethod
    def value_below_ceiling(cls, frame: pd.DataFrame) -> pd.DataFrame | bool:
        ceiling = frame["indicator"].map({name: i.ceiling for name, i in INDICATORS.items()}).astype("float64")
        below = ceiling.isna() | (frame["value"] <= ceiling)
        return failing_cells(frame, {"value": below | reviewed(frame, ANOMALIES, "itu_ict", "value")})


#: What itu_ict adds to the indicator catalogue: every indicator; counts are not ranked.
CATALOGUE = [
    IndicatorSpec(
        name, "itu_ict", "value", indicator.title, indicator.unit, indicator.description,
        selector=("indicator", name), better=None if indicator.unit == "subscriptions" else "higher",
        weighted_by=indicator.count,
    )
    for name, indicator in INDICATORS.items()
]
