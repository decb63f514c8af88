"""Schema of table ``itu_ict`` (each edition's), and the indicators it adds to the cross-source catalogue."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ...schemas import (
    CountryTable,
    IndicatorSpec,
    failing_cells,
    inherited_check_name,
    lookup,
    read_anomalies,
    reviewed,
)
from . import INDICATORS
from . import editions_layout as layout

ANOMALIES = read_anomalies(Path(__file__).with_name("anomalies.csv"))
#: The June 2019 release's own values above a ceiling (its per-100 values use other population
#: denominators than DataHub's, so the reviewed values differ).
EDITION_ANOMALIES = read_anomalies(Path(__file__).with_name("anomalies_editions.csv"))
#: Every ITU value is below this; it binds the counts (a per-100 or % value has its indicator's
#: ceiling). No economy can have 10 billion subscriptions of anything: more than one per person on
#: Earth for the most populous country several times over. ITU's largest count is 1.87 billion
#: (China, mobile-cellular and active mobile-broadband subscriptions, 2024), so the bound only
#: catches impossible numbers (inf, 1e300, a value in the wrong unit).
COUNT_BELOW = 1e10


class ItuIctSchema(CountryTable):
    """ITU ICT statistics, long: one row per country, year and indicator."""

    # Not a field (pandera skips names with a leading underscore): what an edition's model overrides.
    _anomalies = ANOMALIES

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

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name("unit is the one of the indicator")
    def unit_matches_indicator(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["unit"] == lookup(frame["indicator"], {name: i.unit for name, i in INDICATORS.items()})

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name("value at most the indicator's ceiling, except reviewed anomalies")
    def value_below_ceiling(cls, frame: pd.DataFrame) -> pd.DataFrame | bool:
        ceiling = lookup(frame["indicator"], {name: i.ceiling for name, i in INDICATORS.items()}).astype("float64")
        below = ceiling.isna() | (frame["value"] <= ceiling)
        return failing_cells(frame, {"value": below | reviewed(frame, cls._anomalies, "itu_ict", "value")})


@cache
def edition_model(table: str, edition: str) -> type[ItuIctSchema]:
    """The model of ``table`` (``itu_ict``) in ``edition``: the current one, or a subclass of it.

    The June 2019 model keeps every check of :class:`ItuIctSchema` and narrows what is the
    edition's own: its years (2000-2018), its indicators (no household or mobile-broadband series)
    and its reviewed values above a ceiling.

    >>> edition_model("itu_ict", "DataHub 2025") is ItuIctSchema
    True
    >>> [check.statistics for check in edition_model("itu_ict", "June 2019").to_schema().columns["year"].checks]
    [{'min_value': 2000}, {'max_value': 2018}]
    """
    if table != "itu_ict":
        msg = f"source itu publishes the table 'itu_ict', not {table!r}"
        raise ValueError(msg)
    if edition == layout.CURRENT_EDITION:
        return ItuIctSchema
    if edition != layout.EDITION:
        msg = f"itu has no edition {edition!r}; its editions are {[layout.EDITION, layout.CURRENT_EDITION]}"
        raise ValueError(msg)
    return june_2019_model()


def june_2019_model() -> type[ItuIctSchema]:
    current = ItuIctSchema.to_schema().columns

    def narrowed(column: str, **checks: Any) -> Any:
        field = current[column]
        return pa.Field(**checks, title=field.title, description=field.description, metadata=field.metadata)

    class June2019Schema(ItuIctSchema):
        _anomalies = ANOMALIES + EDITION_ANOMALIES

        year: Series[int] = narrowed("year", ge=layout.YEARS[0], le=layout.YEARS[-1])
        indicator: Series[str] = narrowed("indicator", isin=list(layout.JUNE_2019_INDICATORS))

        class Config:
            name = "itu_ict"
            title = f"ITU ICT statistics, {layout.EDITION}"
            description = (
                "Internet use, mobile-cellular, fixed-broadband and fixed-telephone subscriptions "
                f"(per 100 and counts), by economy, {layout.YEARS[0]}-{layout.YEARS[-1]}, from ITU's "
                "June 2019 Excel release."
            )

    return June2019Schema


#: What itu_ict adds to the indicator catalogue: every indicator; counts are not ranked.
CATALOGUE = [
    IndicatorSpec(
        name, "itu_ict", "value", indicator.title, indicator.unit, indicator.description,
        selector=("indicator", name), better=None if indicator.unit == "subscriptions" else "higher",
        weighted_by=indicator.count, caveat=indicator.caveat,
    )
    for name, indicator in INDICATORS.items()
]
