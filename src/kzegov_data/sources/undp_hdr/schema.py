"""Schema of table ``undp_hdi`` (each edition's), and the indicators it adds to the cross-source catalogue."""

from __future__ import annotations

from functools import cache
from typing import ClassVar

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ...schemas import CountryTable, inherited_check_name, wide_indicators
from . import EDITION, FIRST_YEAR, LATEST_YEAR
from .editions_layout import EARLIER_EDITIONS, TimeSeriesLayout

#: Sanity ceiling of GNI per capita (2021 PPP$), which has no natural one: the largest in HDR 2025
#: is 175,851 (Liechtenstein, 2020), so 500,000 fails only impossible numbers (inf, 1e300, a total
#: GNI or a value in another currency).
MAX_GNI_PER_CAPITA = 500_000


class UndpHdiSchema(CountryTable):
    """UNDP Human Development Index and components: one row per country and year, one edition.

    Field titles are the UNDP codebook's full names verbatim (the parser checks them against the
    edition's metadata workbook); units follow the codebook's parentheses.
    """

    country: Series[str] = pa.Field(
        title="HDR Country Name",
        description="Country name as published in the Human Development Report (all years).",
        metadata={"unit": "text"},
    )
    year: Series[int] = pa.Field(
        ge=FIRST_YEAR, le=LATEST_YEAR, title="Year",
        description=f"Year the values refer to (not the edition year); {FIRST_YEAR}-{LATEST_YEAR} in {EDITION}.",
        metadata={"unit": "year"},
    )
    hdi: Series[float] = pa.Field(
        ge=0, le=1, nullable=True, title="Human Development Index (value)",
        description=(
            "Geometric mean of the health, education and income dimension indices; published "
            "rounded to 3 decimals. Recalculated back to 1990 in every edition."
        ),
        metadata={"unit": "index 0-1"},
    )
    life_expectancy: Series[float] = pa.Field(
        ge=0, le=100, nullable=True, title="Life Expectancy at Birth (years)",
        description="Life expectancy at birth (HDI health dimension).",
        metadata={"unit": "years"},
    )
    expected_schooling: Series[float] = pa.Field(
        ge=0, le=25, nullable=True, title="Expected Years of Schooling (years)",
        description="Expected years of schooling of a child of school-entrance age (education).",
        metadata={"unit": "years"},
    )
    mean_schooling: Series[float] = pa.Field(
        ge=0, le=25, nullable=True, title="Mean Years of Schooling (years)",
        description="Mean years of schooling of adults aged 25 and older (HDI education).",
        metadata={"unit": "years"},
    )
    gni_per_capita: Series[float] = pa.Field(
        gt=0, le=MAX_GNI_PER_CAPITA, nullable=True, title="Gross National Income Per Capita (2021 PPP$)",
        description=(
            "GNI per capita in constant 2021 purchasing-power-parity dollars (HDI income). The PPP "
            "base year changes between editions (2017 PPP$ in HDR 2023/24)."
        ),
        metadata={"unit": "2021 PPP$"},
    )
    ihdi: Series[float] = pa.Field(
        ge=0, le=1, nullable=True, title="Inequality-adjusted Human Development Index (value)",
        description="HDI discounted for inequality in each dimension; published from 2010 only.",
        metadata={"unit": "index 0-1"},
    )
    gdi: Series[float] = pa.Field(
        gt=0, le=2, nullable=True, title="Gender Development Index (value)",
        description=(
            "Female HDI divided by male HDI; 1 is parity, above 1 favours women. A ratio with no "
            "fixed ceiling: the bound of 2 is a sanity limit (the highest value in HDR 2025 is "
            "1.053)."
        ),
        metadata={"unit": "ratio"},
    )
    gii: Series[float] = pa.Field(
        ge=0, le=1, nullable=True, title="Gender Inequality Index (value)",
        description=(
            "Loss in achievement from gender inequality in reproductive health, empowerment and "
            "the labour market; 0 is equality."
        ),
        metadata={"unit": "index 0-1"},
    )
    hdi_rank: Series[pd.Int64Dtype] = pa.Field(
        ge=1, le=193, nullable=True, title="HDI Rank",
        description=(
            "Rank by HDI as published (ties share a rank), for the edition's latest year only; "
            "missing on earlier years and for countries without an HDI."
        ),
        metadata={"unit": "rank"},
    )
    edition: Series[str] = pa.Field(
        str_matches=r"^HDR \d{4}(/\d{4})?$", title="HDR edition",
        description=(
            "Human Development Report edition the values come from. Every edition revises the "
            "whole back series: never combine values of different editions."
        ),
        metadata={"unit": "category"},
    )

    class Config:
        name = "undp_hdi"
        title = "UNDP Human Development Index"
        description = (
            "Human Development Index, its components, IHDI, GDI and GII for 195 countries and "
            f"territories, {FIRST_YEAR}-{LATEST_YEAR}, from one Human Development Report edition."
        )
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["iso3", "year"]

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name("one edition per table (editions revise the whole back series)")
    def single_edition(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["edition"] == frame["edition"].mode().iloc[0]

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name("hdi_rank only on the latest year's rows")
    def rank_latest_year_only(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["hdi_rank"].isna() | (frame["year"] == frame["year"].max())

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name("HDI and rank both present or both missing in the latest year")
    def ranked_iff_measured(cls, frame: pd.DataFrame) -> pd.Series:
        latest = frame["year"] == frame["year"].max()
        return ~latest | (frame["hdi"].notna() == frame["hdi_rank"].notna())

    @pa.dataframe_check()
    @classmethod
    @inherited_check_name("rank consistent with HDI (1 + countries above <= rank <= countries at or above)")
    def rank_matches_hdi(cls, frame: pd.DataFrame) -> pd.Series:
        # pandas' ranks count the countries above (method "min": 1 + those above) and at or above (method
        # "max") a value at once, instead of comparing every pair of countries.
        ranked = (frame["hdi_rank"].notna() & frame["hdi"].notna()).to_numpy(dtype=bool)
        hdi = frame.loc[ranked, "hdi"]
        rank = frame.loc[ranked, "hdi_rank"].to_numpy(dtype="int64")
        ok = np.ones(len(frame), dtype=bool)
        ok[ranked] = (hdi.rank(method="min", ascending=False).to_numpy() <= rank) & (
            rank <= hdi.rank(method="max", ascending=False).to_numpy())
        return pd.Series(ok, index=frame.index)


@cache
def edition_model(table: str, edition: str) -> type[UndpHdiSchema]:
    """The model of ``table`` (``undp_hdi``) in ``edition``: the current one, or a subclass of it.

    An earlier edition's model keeps every check of :class:`UndpHdiSchema` and narrows what is the
    edition's own: its years, its ranked countries, its countries and territories, its name in the
    ``edition`` column, and the PPP base year of GNI per capita (2017 PPP$ before HDR 2025). The
    titles are the current codebook's; the mirror has no metadata workbook of the earlier editions
    to check theirs against.

    >>> edition_model("undp_hdi", "HDR 2025") is UndpHdiSchema
    True
    >>> edition_model("undp_hdi", "HDR 2021/2022").to_schema().columns["gni_per_capita"].title
    'Gross National Income Per Capita (2017 PPP$)'
    """
    if table != "undp_hdi":
        msg = f"source undp_hdr publishes the table 'undp_hdi', not {table!r}"
        raise ValueError(msg)
    if edition == EDITION:
        return UndpHdiSchema
    layout = EARLIER_EDITIONS.get(edition)
    if layout is None:
        msg = f"undp_hdr has no edition {edition!r}; its editions are {[*EARLIER_EDITIONS, EDITION]}"
        raise ValueError(msg)
    return earlier_edition_model(layout)


def earlier_edition_model(layout: TimeSeriesLayout) -> type[UndpHdiSchema]:
    fields = UndpHdiSchema.to_schema().columns
    first, latest, ppp = layout.first_year, layout.latest_year, f"{layout.gni_ppp_base} PPP$"

    class EditionSchema(UndpHdiSchema):
        year: Series[int] = pa.Field(
            ge=first, le=latest, title=fields["year"].title,
            description=f"Year the values refer to (not the edition year); {first}-{latest} in {layout.name}.",
            metadata=fields["year"].metadata,
        )
        gni_per_capita: Series[float] = pa.Field(
            gt=0, le=MAX_GNI_PER_CAPITA, nullable=True, title=f"Gross National Income Per Capita ({ppp})",
            description=(
                f"GNI per capita in constant {layout.gni_ppp_base} purchasing-power-parity dollars (HDI "
                f"income), as {layout.name} publishes it; HDR 2025 moved to 2021 PPP$."
            ),
            metadata={"unit": ppp},
        )
        hdi_rank: Series[pd.Int64Dtype] = pa.Field(
            ge=1, le=layout.ranked, nullable=True, title=fields["hdi_rank"].title,
            description=str(fields["hdi_rank"].description), metadata=fields["hdi_rank"].metadata,
        )
        edition: Series[str] = pa.Field(
            isin=[layout.name], title=fields["edition"].title, description=str(fields["edition"].description),
            metadata=fields["edition"].metadata,
        )

        class Config:
            name = "undp_hdi"
            title = f"UNDP Human Development Index, {layout.name}"
            description = (
                f"Human Development Index, its components, IHDI, GDI and GII for {layout.countries} "
                f"countries and territories, {first}-{latest}, from {layout.name}."
            )

        @pa.dataframe_check()
        @classmethod
        @inherited_check_name(f"the edition's {layout.countries} countries and territories")
        def edition_countries(cls, frame: pd.DataFrame) -> bool:
            return bool(frame["iso3"].nunique() == layout.countries)

    EditionSchema.__name__ = EditionSchema.__qualname__ = "UndpHdiSchema" + layout.file.split("_")[0].replace("-", "_")
    return EditionSchema


CATALOGUE = wide_indicators(
    UndpHdiSchema,
    ["hdi", "life_expectancy", "expected_schooling", "mean_schooling", "gni_per_capita", "ihdi", "gdi", "gii",
     "hdi_rank"],
    lower_is_better=["gii", "hdi_rank"], not_ranked=["gdi"],
    caveat=(
        "UNDP recalculates the whole series in every report: these are one edition's values; never mix values "
        "of different editions (the revisions table compares them)."
    ),
    caveats={"gni_per_capita": "Earlier editions (HDR 2021/22, 2023/24) give it in 2017 PPP$."},
)
