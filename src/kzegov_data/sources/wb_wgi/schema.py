"""Schema of table ``wb_wgi`` (each edition's), and the indicators it adds to the cross-source catalogue."""

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
    measure,
    read_anomalies,
    reviewed,
    unit,
)
from . import DIMENSIONS, EDITION, MEASURES, YEARS
from .editions_layout import WIDE_EDITIONS, WideEdition

ANOMALIES = read_anomalies(Path(__file__).with_name("anomalies.csv"))
#: The earlier editions' own estimates below -3 (each edition re-estimates them; the value identifies
#: the edition's number). Those an earlier edition shares with the 2024 Update are in ANOMALIES.
EDITION_ANOMALIES = read_anomalies(Path(__file__).with_name("anomalies_editions.csv"))
WGI_INDICATORS = tuple(indicator for indicator, _ in DIMENSIONS.values())
#: Sanity ceilings of the unbounded measures, far above the 2024 Update's maxima, so that only
#: impossible numbers (inf, 1e300, a column shifted by the parser) fail. The largest standard error
#: is 1.06 (Cook Islands, control of corruption, 2022): the estimates are in standard-normal units
#: (about -2.5 to 2.5), so an error of 5 would say nothing at all. The most sources behind one
#: estimate are 20; WGI draw on some thirty sources in all, so 40 is out of reach.
MAX_STANDARD_ERROR = 5.0
MAX_SOURCES = 40


def percentile_field(title: str, description: str) -> Any:
    return measure(title, description, ge=0, le=100, unit="percentile 0-100")


class WbWgiSchema(CountryTable):
    """Worldwide Governance Indicators: one row per economy, year and indicator."""

    # Not fields (pandera skips names with a leading underscore): what an edition's model overrides.
    _anomalies = ANOMALIES

    country: Series[str] = pa.Field(
        title="Economy name",
        description="Name as published in the WGI file (World Bank style, e.g. 'Korea, Rep.').",
        metadata={"unit": "text"},
    )
    year: Series[int] = pa.Field(
        isin=list(YEARS), title="Year",
        description="Year the estimate refers to; WGI has no 1997, 1999 or 2001.",
        metadata={"unit": "year"},
    )
    indicator: Series[str] = pa.Field(
        isin=list(WGI_INDICATORS), title="Governance indicator",
        description=(
            "One of the six WGI dimensions: voice_accountability, political_stability (and "
            "absence of violence/terrorism), government_effectiveness, regulatory_quality, "
            "rule_of_law, control_of_corruption."
        ),
        metadata={"unit": "category"},
    )
    estimate: Series[float] = pa.Field(
        le=3, nullable=True, title="Governance estimate",
        description=(
            "Unobserved-components estimate in standard-normal units (mean 0, sd 1 across "
            "economies in each year), so relative, not absolute; roughly -2.5 (weak) to 2.5 "
            "(strong); below -3 only for the reviewed anomalies."
        ),
        metadata={"unit": "standard-normal units"},
    )
    standard_error: Series[float] = pa.Field(
        gt=0, le=MAX_STANDARD_ERROR, nullable=True, title="Standard error of the estimate",
        description="Standard error of the estimate (the file's 'stddev'); a margin of error.",
        metadata={"unit": "standard-normal units"},
    )
    n_sources: Series[pd.Int64Dtype] = pa.Field(
        ge=1, le=MAX_SOURCES, nullable=True, title="Number of sources",
        description="Number of data sources the estimate is based on.",
        metadata={"unit": "count"},
    )
    percentile_rank: Series[float] = percentile_field(
        "Percentile rank",
        "Share of economies (percent) that rank below this one in that year and indicator.",
    )
    percentile_rank_lower: Series[float] = percentile_field(
        "Percentile rank, lower bound", "Lower bound of the 90% confidence interval of the rank."
    )
    percentile_rank_upper: Series[float] = percentile_field(
        "Percentile rank, upper bound", "Upper bound of the 90% confidence interval of the rank."
    )
    edition: Series[str] = pa.Field(
        title="Edition",
        description=(
            "WGI release the numbers come from; every update re-estimates all years, so values "
            "of different editions must not be mixed."
        ),
        metadata={"unit": "text"},
    )

    class Config:
        name = "wb_wgi"
        title = "Worldwide Governance Indicators"
        description = (
            "World Bank WGI: six governance estimates with standard errors and percentile ranks, "
            f"214 economies, {YEARS[0]}-{YEARS[-1]}."
        )
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["iso3", "year", "indicator"]

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name("estimate >= -3 except reviewed anomalies")
    def estimate_above_minus_three(cls, frame: pd.DataFrame) -> pd.DataFrame | bool:
        estimate = frame["estimate"]
        above = estimate.isna() | (estimate >= -3) | reviewed(frame, cls._anomalies, "wb_wgi", "estimate")
        return failing_cells(frame, {"estimate": above})

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name("a row has all six measures or none")
    def measures_all_or_none(cls, frame: pd.DataFrame) -> pd.Series:
        present = frame.loc[:, list(MEASURES.values())].notna().sum(axis="columns")
        return (present == 0) | (present == len(MEASURES))

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name("percentile_rank_lower <= percentile_rank <= percentile_rank_upper")
    def rank_inside_interval(cls, frame: pd.DataFrame) -> pd.Series:
        rank = frame["percentile_rank"]
        inside = (frame["percentile_rank_lower"] <= rank) & (rank <= frame["percentile_rank_upper"])
        return rank.isna() | inside

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name("complete panel: every economy has all six indicators in every year")
    def complete_panel(cls, frame: pd.DataFrame) -> pd.Series:
        economies = frame["iso3"].nunique()
        per_year = frame.groupby("year")["iso3"].transform("size")
        return per_year == economies * len(WGI_INDICATORS)


@cache
def edition_model(table: str, edition: str) -> type[WbWgiSchema]:
    """The model of ``table`` (``wb_wgi``) in ``edition``: the current one, or a subclass of it.

    An earlier edition's model keeps every check of :class:`WbWgiSchema` and narrows what is the
    edition's own: its years, its number of economies (all in every year, by the complete-panel
    check) and its reviewed estimates below -3.

    >>> edition_model("wb_wgi", "2024 Update") is WbWgiSchema
    True
    >>> edition_model("wb_wgi", "2019 Update").to_schema().columns["year"].checks[0].statistics["allowed_values"][-3:]
    [2016, 2017, 2018]
    """
    if table != "wb_wgi":
        msg = f"source wb_wgi publishes the table 'wb_wgi', not {table!r}"
        raise ValueError(msg)
    if edition == EDITION:
        return WbWgiSchema
    layout = WIDE_EDITIONS.get(edition)
    if layout is None:
        msg = f"wb_wgi has no edition {edition!r}; its editions are {[*WIDE_EDITIONS, EDITION]}"
        raise ValueError(msg)
    return wide_edition_model(layout)


def wide_edition_model(layout: WideEdition) -> type[WbWgiSchema]:
    current_year = WbWgiSchema.to_schema().columns["year"]

    class EditionSchema(WbWgiSchema):
        _anomalies = ANOMALIES + EDITION_ANOMALIES

        year: Series[int] = pa.Field(
            isin=list(layout.years), title=current_year.title, description=current_year.description,
            metadata=current_year.metadata,
        )

        class Config:
            name = "wb_wgi"
            title = f"Worldwide Governance Indicators, {layout.name}"
            description = (
                "World Bank WGI: six governance estimates with standard errors and percentile ranks, "
                f"{layout.economies} economies, {layout.years[0]}-{layout.years[-1]}, {layout.name}."
            )

        @pa.dataframe_check()
        @classmethod
        @inherited_check_name(f"the edition's {layout.economies} economies")
        def edition_economies(cls, frame: pd.DataFrame) -> bool:
            return bool(frame["iso3"].nunique() == layout.economies)

    EditionSchema.__name__ = EditionSchema.__qualname__ = f"WbWgiSchema{layout.name.replace(' ', '')}"
    return EditionSchema


def catalogue_entries() -> list[IndicatorSpec]:
    """Per dimension, its estimate (``wgi_<id>``) and its percentile rank (``wgi_<id>_pctrank``)."""
    fields = WbWgiSchema.to_schema().columns
    relative = ("Relative: in every year scaled to mean 0 and standard deviation 1 across the economies scored "
                "(most values between -2.5 and 2.5). Every update re-estimates all years: never mix editions. "
                "Differences within the margins of error (wb_wgi's standard_error) are not meaningful.")
    ranked = ("Percentile among the economies scored that year (their number varies, about 185-213); every "
              "update re-estimates all years: never mix editions. Mind the 90% interval (wb_wgi's "
              "percentile_rank_lower/upper).")
    specs = []
    for indicator, title in DIMENSIONS.values():
        # Stata names stop at 32 characters: the percentile ranks are wgi_<dimension>_pr there.
        for column, suffix, label, caveat, stata_suffix in (
            ("estimate", "", "WGI estimate", relative, ""),
            ("percentile_rank", "_pctrank", "WGI percentile rank", ranked, "_pr"),
        ):
            specs.append(IndicatorSpec(
                f"wgi_{indicator}{suffix}", "wb_wgi", column, f"{title} ({label})", unit(fields[column]),
                str(fields[column].description), selector=("indicator", indicator), caveat=caveat,
                stata_name=f"wgi_{indicator}{stata_suffix}",
            ))
    return specs


CATALOGUE = catalogue_entries()
