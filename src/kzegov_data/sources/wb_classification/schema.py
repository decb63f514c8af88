"""Schemas of ``countries`` (codes, names, World Bank region and income group, peer flags) and
``income_history`` (the World Bank income group of every economy, year by year).

The peer-group flag columns are generated from :data:`kzegov_data.countries.PEER_GROUPS`, so a
new group is declared once, there. Both tables name income groups by the values of
:data:`kzegov_data.countries.INCOME_GROUPS`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ...countries import INCOME_GROUPS, PEER_GROUPS
from ...schemas import CountryTable
from . import DATA_YEAR_LAG, FISCAL_YEARS, YEARS, fiscal_year


class CountriesColumns(CountryTable):
    """The columns of ``countries`` before the peer-group flags."""

    iso_numeric: Series[str] = pa.Field(
        nullable=True, str_matches=r"^\d{3}$", title="ISO 3166-1 numeric code",
        description="Three-digit code as text (leading zeros kept); missing for Kosovo.",
        metadata={"unit": "code"},
    )
    name: Series[str] = pa.Field(
        title="Country name", description="Common English name (pycountry, ISO 3166-1).",
        metadata={"unit": "text"},
    )
    wb_region: Series[str] = pa.Field(
        nullable=True, title="World Bank region",
        description="World Bank region; missing where the World Bank lists no such economy.",
        metadata={"unit": "category"},
    )
    wb_income_group: Series[str] = pa.Field(
        nullable=True,
        isin=list(INCOME_GROUPS.values()),
        title="World Bank income group",
        description="Classification in force when the World Bank file was built (revised every 1 July).",
        metadata={"unit": "category"},
    )


class CountriesConfig:
    name = "countries"
    title = "Countries"
    description = (
        "ISO 3166-1 countries (plus Kosovo and the former Netherlands Antilles) with World Bank "
        "region, income group and peer groups."
    )
    strict = True
    coerce = True
    unique: ClassVar[list[str]] = ["iso3"]


def with_peer_flags() -> Any:
    """``CountriesColumns`` plus one boolean column per peer group, in the groups' order."""
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__doc__": "Countries: codes, names, World Bank region and income group, peer groups.",
        "__annotations__": {group: Series[bool] for group in PEER_GROUPS},
        "Config": CountriesConfig,
    }
    for group, peer_group in PEER_GROUPS.items():
        namespace[group] = pa.Field(
            title=peer_group.title, description=f"{peer_group.description} {' '.join(peer_group.members)}.",
            metadata={"unit": "flag"},
        )
    return type("CountriesSchema", (CountriesColumns,), namespace)


CountriesSchema = with_peer_flags()


class IncomeHistorySchema(CountryTable):
    """World Bank income groups by year: one row per economy and year it was classified in."""

    year: Series[int] = pa.Field(
        isin=list(YEARS), title="Year",
        description=(
            "Calendar year whose GNI per capita (Atlas method) the classification is based on; the "
            f"classification is that of fiscal year FY(year+{DATA_YEAR_LAG}), set on 1 July of year+1 and in "
            f"force until 30 June of year+{DATA_YEAR_LAG} (the workbook's 'Data for calendar year' row; Our "
            "World in Data's year): an indicator of year Y meets the groups based on year Y's income."
        ),
        metadata={"unit": "year"},
    )
    fiscal_year: Series[str] = pa.Field(
        str_matches=r"^FY\d{2}$", title="World Bank fiscal year",
        description=(
            "Fiscal year the classification applied to, as the workbook labels it: FY23 ran from 1 July "
            "2022 to 30 June 2023 and is based on 2021 GNI per capita (year 2021)."
        ),
        metadata={"unit": "fiscal year"},
    )
    wb_income_group: Series[str] = pa.Field(
        isin=list(INCOME_GROUPS.values()),
        title="World Bank income group",
        description=(
            "Classification as published on 1 July of the fiscal year, fixed for the whole fiscal year; the "
            "same groups as countries.wb_income_group. Yemen's FY89-FY90 'LM*' (the two Yemens combined "
            "would have been LM) is Lower middle income. Years without a classification have no row."
        ),
        metadata={"unit": "category"},
    )

    class Config:
        name = "income_history"
        title = "World Bank income groups by year"
        description = (
            f"The World Bank's historical classification by income (OGHIST.xlsx, {FISCAL_YEARS[0]}-"
            f"{FISCAL_YEARS[-1]}): the income group of every economy in each year {YEARS[0]}-{YEARS[-1]}, where "
            f"year Y is the GNI year of fiscal year FY(Y+{DATA_YEAR_LAG}); only economy-years with a "
            "classification. Later years have only the current classification (countries.wb_income_group)."
        )
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["iso3", "year"]

    @pa.dataframe_check(name=f"fiscal_year is FY(year+{DATA_YEAR_LAG})")
    @classmethod
    def fiscal_year_matches_year(cls, frame: pd.DataFrame) -> pd.Series:
        labels = frame["year"].map(fiscal_year)
        return frame["fiscal_year"].astype(str) == labels.astype(str)

    @pa.dataframe_check(name="every year of the vintage has classified economies")
    @classmethod
    def every_year_present(cls, frame: pd.DataFrame) -> bool:
        return set(frame["year"]) == set(YEARS)
