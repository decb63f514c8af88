"""One pandera model per published table.

Each model is strict (no unknown column), coerces dtypes, and states ranges and keys. Known source
anomalies are listed one by one with a reason (``ANOMALIES``), never hidden by a looser range.
Column ``metadata`` carries the unit, which the publisher and the data card read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .countries import known_iso3

SURVEY_YEARS: tuple[int, ...] = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)

#: Reviewed values outside a column's natural range: (table, iso3, year, column) -> reason.
ANOMALIES: dict[tuple[str, str, int, str], str] = {
    ("un_egov", "FSM", 2003, "hci"): (
        "the 2003 file gives Micronesia an HCI of 1.42200 (above the index ceiling of 1); its 2003 "
        "EGDI 0.52648 and rank 42 depend on it, so the value is published as is"
    ),
    ("un_egov", "TUV", 2003, "hci"): "the 2003 file gives Tuvalu an HCI of 1.03000 (above 1)",
    # WGI estimates are in standard-normal units, so a value below -3 is rare but not an error:
    # the worst-scoring conflict states on political stability in their worst years.
    ("wb_wgi", "IRQ", 2004, "political_stability.estimate"): "Iraq 2004: -3.1804 (war)",
    ("wb_wgi", "SOM", 2007, "political_stability.estimate"): "Somalia 2007: -3.2285 (civil war)",
    ("wb_wgi", "SOM", 2008, "political_stability.estimate"): "Somalia 2008: -3.2805 (civil war)",
    ("wb_wgi", "SOM", 2009, "political_stability.estimate"): "Somalia 2009: -3.3130 (civil war)",
    ("wb_wgi", "SOM", 2010, "political_stability.estimate"): "Somalia 2010: -3.1310 (civil war)",
    ("wb_wgi", "SOM", 2011, "political_stability.estimate"): "Somalia 2011: -3.0838 (civil war)",
    ("ti_cpi", "CHE", 1997, "rank"): (
        "the 1997 table ranks Switzerland 11th and Luxembourg 10th, both 8.61: TI ranked on more "
        "decimals than it printed; the published rank is kept"
    ),
    ("ti_cpi", "AUT", 1997, "rank"): (
        "the 1997 table ranks Austria 17th and the USA 16th, both 7.61: TI ranked on more "
        "decimals than it printed; the published rank is kept"
    ),
    ("ti_cpi", "ARG", 1995, "n_sources"): (
        "the 1995 table (the first CPI, before the rule of at least 3 sources) lists Argentina "
        "with 2 surveys"
    ),
    ("ti_cpi", "COL", 1995, "n_sources"): (
        "the 1995 table (the first CPI, before the rule of at least 3 sources) lists Colombia "
        "with 2 surveys"
    ),
}


def allowed_anomaly(frame: pd.DataFrame, table: str, column: str, year_column: str) -> pd.Series:
    """True on the rows whose ``column`` is a reviewed anomaly of ``table``."""
    keys = {(iso3, year) for (t, iso3, year, c) in ANOMALIES if t == table and c == column}
    pairs = zip(frame["iso3"].astype(str), frame[year_column].astype(int), strict=True)
    return pd.Series([pair in keys for pair in pairs], index=frame.index)


def allowed_indicator_anomaly(frame: pd.DataFrame, table: str, measure: str) -> pd.Series:
    """:func:`allowed_anomaly` for long tables: the key's column is ``<indicator>.<measure>``."""
    keys = {
        (iso3, year, column.removesuffix(f".{measure}"))
        for (t, iso3, year, column) in ANOMALIES
        if t == table and column.endswith(f".{measure}")
    }
    rows = zip(
        frame["iso3"].astype(str), frame["year"].astype(int), frame["indicator"].astype(str),
        strict=True,
    )
    return pd.Series([row in keys for row in rows], index=frame.index)


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


def index_field(title: str, description: str) -> Any:
    return pa.Field(
        ge=0, le=1, nullable=True, title=title, description=description,
        metadata={"unit": "index 0-1"},
    )


class UnEgovSchema(CountryTable):
    """UN E-Government Survey: one row per country and survey year."""

    country: Series[str] = pa.Field(
        title="Country name", description="Name as published by UN DESA (current name, all years).",
        metadata={"unit": "text"},
    )
    survey_year: Series[int] = pa.Field(
        isin=list(SURVEY_YEARS), title="Survey year",
        description="Edition of the survey; its data were mostly collected the year before.",
        metadata={"unit": "year"},
    )
    egdi: Series[float] = index_field(
        "E-Government Development Index", "Mean of OSI, HCI and TII; relative to the other countries."
    )
    osi: Series[float] = index_field("Online Service Index", "Quality of national online services.")
    hci: Series[float] = pa.Field(
        ge=0, nullable=True, title="Human Capital Index",
        description="Literacy, enrolment and schooling; <= 1 except the reviewed 2003 anomalies.",
        metadata={"unit": "index 0-1"},
    )
    tii: Series[float] = index_field(
        "Telecommunication Infrastructure Index", "Internet use, mobile and broadband subscriptions."
    )
    epi: Series[float] = index_field("E-Participation Index", "Online information, consultation and decision-making.")
    egdi_rank: Series[pd.Int64Dtype] = pa.Field(
        ge=1, le=193, nullable=True, title="EGDI rank",
        description="Rank by EGDI among assessed countries (ties share a rank); missing if not assessed.",
        metadata={"unit": "rank"},
    )
    status: Series[str] = pa.Field(
        isin=["assessed", "not_assessed", "not_yet_member"], title="Assessment status",
        description=(
            "assessed; not_assessed (the file gives EGDI 0 and the shared bottom rank; published "
            "as missing); not_yet_member (not yet a UN member: blank rank and zeros, published as missing)"
        ),
        metadata={"unit": "category"},
    )

    class Config:
        name = "un_egov"
        title = "UN E-Government Survey"
        description = "E-Government Development Index and its components, 193 UN member states, 2003-2024."
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["iso3", "survey_year"]

    @pa.dataframe_check(name="hci <= 1 except reviewed anomalies")
    @classmethod
    def hci_at_most_one(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["hci"].isna() | (frame["hci"] <= 1) | allowed_anomaly(frame, "un_egov", "hci", "survey_year")

    @pa.dataframe_check(name="assessed rows, and only they, have EGDI and rank")
    @classmethod
    def measured_iff_assessed(cls, frame: pd.DataFrame) -> pd.Series:
        assessed = frame["status"] == "assessed"
        return (frame["egdi"].notna() == assessed) & (frame["egdi_rank"].notna() == assessed)

    @pa.dataframe_check(name="rank consistent with EGDI (1 + countries above <= rank <= countries at or above)")
    @classmethod
    def rank_matches_egdi(cls, frame: pd.DataFrame) -> pd.Series:
        ok = pd.Series(True, index=frame.index)
        for _, survey in frame[frame["egdi_rank"].notna()].groupby("survey_year"):
            values = survey["egdi"].to_numpy()
            above = (values[None, :] > values[:, None]).sum(axis=1)
            at_or_above = (values[None, :] >= values[:, None]).sum(axis=1)
            rank = survey["egdi_rank"].to_numpy(dtype="int64")
            ok.loc[survey.index] = (above + 1 <= rank) & (rank <= at_or_above)
        return ok

    @pa.dataframe_check(name="193 countries in every survey")
    @classmethod
    def countries_per_survey(cls, frame: pd.DataFrame) -> pd.Series:
        counts = frame.groupby("survey_year")["iso3"].transform("size")
        return counts == 193


class CountriesSchema(CountryTable):
    """Countries: codes, names, World Bank region and income group, peer groups."""

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
        isin=["Low income", "Lower middle income", "Upper middle income", "High income"],
        title="World Bank income group",
        description="Classification in force when the World Bank file was built (revised every 1 July).",
        metadata={"unit": "category"},
    )
    central_asia: Series[bool] = pa.Field(
        title="Central Asia", description="KAZ KGZ TJK TKM UZB.", metadata={"unit": "flag"}
    )
    eaeu: Series[bool] = pa.Field(
        title="Eurasian Economic Union", description="ARM BLR KAZ KGZ RUS.", metadata={"unit": "flag"}
    )
    post_soviet: Series[bool] = pa.Field(
        title="Post-Soviet", description="The 15 former Soviet republics.", metadata={"unit": "flag"}
    )
    paper_comparators: Series[bool] = pa.Field(
        title="Study comparators", description="BGD CHN IND KOR: the countries the study draws lessons from.",
        metadata={"unit": "flag"},
    )

    class Config:
        name = "countries"
        title = "Countries"
        description = (
            "ISO 3166-1 countries (plus Kosovo and the former Netherlands Antilles) with World Bank "
            "region, income group and peer groups."
        )
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["iso3"]


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
        ge=1990, le=2023, title="Year",
        description="Year the values refer to (not the edition year); 1990-2023 in HDR 2025.",
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
        gt=0, nullable=True, title="Gross National Income Per Capita (2021 PPP$)",
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
        str_matches=r"^HDR \d{4}(-\d{2})?$", title="HDR edition",
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
            "territories, 1990-2023, from one Human Development Report edition."
        )
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["iso3", "year"]

    @pa.dataframe_check(name="one edition per table (editions revise the whole back series)")
    @classmethod
    def single_edition(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["edition"] == frame["edition"].mode().iloc[0]

    @pa.dataframe_check(name="hdi_rank only on the latest year's rows")
    @classmethod
    def rank_latest_year_only(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["hdi_rank"].isna() | (frame["year"] == frame["year"].max())

    @pa.dataframe_check(name="HDI and rank both present or both missing in the latest year")
    @classmethod
    def ranked_iff_measured(cls, frame: pd.DataFrame) -> pd.Series:
        latest = frame["year"] == frame["year"].max()
        return ~latest | (frame["hdi"].notna() == frame["hdi_rank"].notna())

    @pa.dataframe_check(
        name="rank consistent with HDI (1 + countries above <= rank <= countries at or above)"
    )
    @classmethod
    def rank_matches_hdi(cls, frame: pd.DataFrame) -> pd.Series:
        ok = pd.Series(True, index=frame.index)
        ranked = frame[frame["hdi_rank"].notna() & frame["hdi"].notna()]
        values = ranked["hdi"].to_numpy()
        above = (values[None, :] > values[:, None]).sum(axis=1)
        at_or_above = (values[None, :] >= values[:, None]).sum(axis=1)
        rank = ranked["hdi_rank"].to_numpy(dtype="int64")
        ok.loc[ranked.index] = (above + 1 <= rank) & (rank <= at_or_above)
        return ok


#: ITU indicators of table ``itu_ict`` and the unit each is published in.
ITU_INDICATOR_UNITS: dict[str, str] = {
    "internet_users_pct": "% of individuals",
    "households_internet_pct": "% of households",
    "mobile_cellular_per100": "per 100 inhabitants",
    "mobile_cellular_subscriptions": "subscriptions",
    "mobile_broadband_per100": "per 100 inhabitants",
    "mobile_broadband_subscriptions": "subscriptions",
    "fixed_broadband_per100": "per 100 inhabitants",
    "fixed_broadband_subscriptions": "subscriptions",
    "fixed_telephone_per100": "per 100 inhabitants",
    "fixed_telephone_subscriptions": "subscriptions",
}

#: Ceiling of each per-100 and % indicator; a value above it must be a reviewed ANOMALIES entry.
#: Mobile: 250 (more than 2.5 subscriptions per inhabitant happens, but each case is reviewed; a
#: count put in the per-100 column is far above it). Fixed lines are shared by households and
#: firms, so they stay lower: the files' maxima are 75.7 for fixed broadband (Cayman Islands
#: 2019) and 135.6 for fixed telephone (Monaco 2014), hence 100 and 150.
ITU_CEILINGS: dict[str, float] = {
    "internet_users_pct": 100,
    "households_internet_pct": 100,
    "mobile_cellular_per100": 250,
    "mobile_broadband_per100": 250,
    "fixed_broadband_per100": 100,
    "fixed_telephone_per100": 150,
}

_HKG_MOBILE = (
    "ITU's value, from the count of the Office of the Communications Authority (27.1 million "
    "subscriptions in 2024); it rises steadily from 214 per 100 in 2011, so not a unit error"
)
_MAC_MOBILE = (
    "ITU's value (counts of the Bureau of Telecommunications Regulation, ITU estimates for "
    "2016-2019); it rises from 235 per 100 in 2011 to 416 in 2019 and falls back to 237 in 2020"
)
_MAC_MOBILE_BROADBAND = (
    "ITU's value; it follows Macao's mobile-cellular series (209 per 100 in 2011, 416 in 2019, "
    "237 in 2020), so not a unit error"
)
_VUT_MOBILE_BROADBAND = (
    "ITU's value; the regulator's count (1.06-1.43 million for about 300,000 people) includes "
    "Flybox, SIM-based dongle and MiFi subscriptions, and an earlier footnote says dual-SIM "
    "handsets inflate it"
)
ANOMALIES.update(
    {
        ("itu_ict", "FJI", 2023, "mobile_cellular_per100"): (
            "361.049 (111.7 in 2022): the regulator's count tripled to 3.34 million; ITU's "
            "footnote says many people in Fiji use several SIM cards on two operators"
        ),
        ("itu_ict", "FJI", 2024, "mobile_cellular_per100"): (
            "574.152, the maximum of the file: the regulator's count of 5.33 million, with ITU's "
            "footnote on multiple SIM cards"
        ),
        ("itu_ict", "ARE", 2018, "mobile_broadband_per100"): (
            "257.64 from the regulator's count of 24.1 million; the neighbouring years are 247.8 "
            "(2017) and 249.9 (2019), so not a unit error"
        ),
    }
    | {("itu_ict", "HKG", y, "mobile_cellular_per100"): _HKG_MOBILE for y in range(2018, 2025)}
    | {("itu_ict", "MAC", y, "mobile_cellular_per100"): _MAC_MOBILE for y in range(2012, 2020)}
    | {("itu_ict", "MAC", y, "mobile_broadband_per100"): _MAC_MOBILE_BROADBAND
       for y in range(2012, 2020)}
    | {("itu_ict", "VUT", y, "mobile_broadband_per100"): _VUT_MOBILE_BROADBAND
       for y in range(2020, 2025)}
)


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
        isin=list(ITU_INDICATOR_UNITS), title="Indicator",
        description=(
            "internet_users_pct, households_internet_pct, and for mobile cellular, active mobile "
            "broadband, fixed broadband and fixed telephone both <name>_per100 and "
            "<name>_subscriptions (the count, for population-weighted group aggregates)."
        ),
        metadata={"unit": "category"},
    )
    value: Series[float] = pa.Field(
        ge=0, title="Value",
        description=(
            "ITU's value, unchanged. DataHub values carry 6 significant digits (counts are rounded "
            "to them); the 2019 Excel values are full double precision."
        ),
        metadata={"unit": "see unit column"},
    )
    unit: Series[str] = pa.Field(
        isin=sorted(set(ITU_INDICATOR_UNITS.values())), title="Unit",
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
        return frame["unit"] == frame["indicator"].map(ITU_INDICATOR_UNITS)

    @pa.dataframe_check(name="value at most the indicator's ceiling, except reviewed anomalies")
    @classmethod
    def value_below_ceiling(cls, frame: pd.DataFrame) -> pd.Series:
        ceiling = frame["indicator"].map(ITU_CEILINGS)
        keys = {(iso3, year, c) for (t, iso3, year, c) in ANOMALIES if t == "itu_ict"}
        rows = zip(frame["iso3"], frame["year"], frame["indicator"], strict=True)
        reviewed = pd.Series([key in keys for key in rows], index=frame.index, dtype=bool)
        return ceiling.isna() | (frame["value"] <= ceiling) | reviewed


WGI_YEARS: tuple[int, ...] = (1996, 1998, 2000, *range(2002, 2024))
WGI_INDICATORS: tuple[str, ...] = (
    "voice_accountability", "political_stability", "government_effectiveness",
    "regulatory_quality", "rule_of_law", "control_of_corruption",
)
WGI_MEASURES: tuple[str, ...] = (
    "estimate", "standard_error", "n_sources",
    "percentile_rank", "percentile_rank_lower", "percentile_rank_upper",
)


def percentile_field(title: str, description: str) -> Any:
    return pa.Field(
        ge=0, le=100, nullable=True, title=title, description=description,
        metadata={"unit": "percentile 0-100"},
    )


class WbWgiSchema(CountryTable):
    """Worldwide Governance Indicators: one row per economy, year and indicator."""

    country: Series[str] = pa.Field(
        title="Economy name",
        description="Name as published in the WGI file (World Bank style, e.g. 'Korea, Rep.').",
        metadata={"unit": "text"},
    )
    year: Series[int] = pa.Field(
        isin=list(WGI_YEARS), title="Year",
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
        gt=0, nullable=True, title="Standard error of the estimate",
        description="Standard error of the estimate (the file's 'stddev'); a margin of error.",
        metadata={"unit": "standard-normal units"},
    )
    n_sources: Series[pd.Int64Dtype] = pa.Field(
        ge=1, nullable=True, title="Number of sources",
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
            "214 economies, 1996-2023."
        )
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["iso3", "year", "indicator"]

    @pa.dataframe_check(name="estimate >= -3 except reviewed anomalies")
    @classmethod
    def estimate_above_minus_three(cls, frame: pd.DataFrame) -> pd.Series:
        estimate = frame["estimate"]
        reviewed = allowed_indicator_anomaly(frame, "wb_wgi", "estimate")
        return estimate.isna() | (estimate >= -3) | reviewed

    @pa.dataframe_check(name="a row has all six measures or none")
    @classmethod
    def measures_all_or_none(cls, frame: pd.DataFrame) -> pd.Series:
        present = frame.loc[:, list(WGI_MEASURES)].notna().sum(axis="columns")
        return (present == 0) | (present == len(WGI_MEASURES))

    @pa.dataframe_check(name="percentile_rank_lower <= percentile_rank <= percentile_rank_upper")
    @classmethod
    def rank_inside_interval(cls, frame: pd.DataFrame) -> pd.Series:
        rank = frame["percentile_rank"]
        inside = (frame["percentile_rank_lower"] <= rank) & (rank <= frame["percentile_rank_upper"])
        return rank.isna() | inside

    @pa.dataframe_check(name="complete panel: every economy has all six indicators in every year")
    @classmethod
    def complete_panel(cls, frame: pd.DataFrame) -> pd.Series:
        economies = frame["iso3"].nunique()
        per_year = frame.groupby("year")["iso3"].transform("size")
        return per_year == economies * len(WGI_INDICATORS)


CPI_YEARS = range(1995, 2026)
#: Last edition on the 0-10 scale; from 2012 the CPI is on 0-100 and comparable over time.
CPI_LAST_RELATIVE_YEAR = 2011


class TiCpiSchema(CountryTable):
    """Corruption Perceptions Index: one row per country and edition, 1995-2025."""

    country: Series[str] = pa.Field(
        str_length={"min_value": 1}, title="Country name",
        description="Name as the edition writes it (it varies between editions).",
        metadata={"unit": "text"},
    )
    year: Series[int] = pa.Field(
        ge=CPI_YEARS.start, le=CPI_YEARS.stop - 1, title="CPI edition",
        description="Edition of the index (its data were mostly gathered in the two years before).",
        metadata={"unit": "year"},
    )
    score: Series[float] = pa.Field(
        ge=0, le=100, title="CPI score",
        description=(
            "Perceived public-sector corruption, higher is cleaner. 0-10 up to 2011 (relative to "
            "that year's countries), 0-100 from 2012 (comparable over time). Never rescaled."
        ),
        metadata={"unit": "score (see scale)"},
    )
    scale: Series[str] = pa.Field(
        isin=["0-10", "0-100"], title="Score scale",
        description=(
            "0-10 for 1995-2011, 0-100 from 2012. Select scale == '0-100' for a comparable series."
        ),
        metadata={"unit": "category"},
    )
    rank: Series[pd.Int64Dtype] = pa.Field(
        ge=1, le=200, title="Rank",
        description=(
            "Rank among the edition's countries, ties share a rank. Where a transcription leaves "
            "a tied rank blank (1995: every rank) it is 1 + the number of countries scoring higher."
        ),
        metadata={"unit": "rank"},
    )
    n_sources: Series[pd.Int64Dtype] = pa.Field(
        ge=1, title="Number of sources",
        description=(
            "Sources (from 2012; 3-13) or surveys (to 2011, where each year of a survey counted "
            "apart, so up to 16) that the score averages."
        ),
        metadata={"unit": "count"},
    )
    standard_error: Series[float] = pa.Field(
        ge=0, nullable=True, title="Standard error",
        description="Standard error of the score (published from 2012).",
        metadata={"unit": "score points"},
    )
    ci_lower: Series[float] = pa.Field(
        nullable=True, title="Confidence interval, lower bound",
        description="Lower bound of TI's 90% confidence interval (2004-2025).",
        metadata={"unit": "score (see scale)"},
    )
    ci_upper: Series[float] = pa.Field(
        nullable=True, title="Confidence interval, upper bound",
        description="Upper bound of TI's 90% confidence interval (2004-2025).",
        metadata={"unit": "score (see scale)"},
    )
    origin: Series[str] = pa.Field(
        str_matches=r"^(publisher|transcription): \S", title="Origin",
        description=(
            "The raw file (and sheet) of the row: 'publisher: <file>' for TI's own files, "
            "'transcription: <file>' for the third-party transcription of TI's tables (1995-2009)."
        ),
        metadata={"unit": "text"},
    )

    class Config:
        name = "ti_cpi"
        title = "Transparency International Corruption Perceptions Index"
        description = (
            "CPI score, rank, sources and 90% confidence interval, 1995-2025; 0-10 scale to 2011, "
            "0-100 from 2012 (comparable only from 2012)."
        )
        strict = True
        coerce = True
        unique = ["iso3", "year"]  # noqa: RUF012 (pandera reads a plain list)

    @pa.dataframe_check(name="scale 0-10 up to 2011 and 0-100 from 2012, score within it")
    @classmethod
    def scale_matches_year(cls, frame: pd.DataFrame) -> pd.Series:
        relative = frame["year"] <= CPI_LAST_RELATIVE_YEAR
        on_ten = (frame["scale"] == "0-10") & (frame["score"] <= 10)
        on_hundred = frame["scale"] == "0-100"
        return (relative & on_ten) | (~relative & on_hundred)

    @pa.dataframe_check(name="n_sources 3-13 (0-100) or 3-16 surveys (0-10), or a reviewed anomaly")
    @classmethod
    def sources_in_range(cls, frame: pd.DataFrame) -> pd.Series:
        ceiling = frame["scale"].map({"0-100": 13, "0-10": 16})
        within = (frame["n_sources"] >= 3) & (frame["n_sources"] <= ceiling)
        return within.fillna(False) | allowed_anomaly(frame, "ti_cpi", "n_sources", "year")

    @pa.dataframe_check(name="ci_lower <= score <= ci_upper, both bounds or neither")
    @classmethod
    def score_within_ci(cls, frame: pd.DataFrame) -> pd.Series:
        neither = frame["ci_lower"].isna() & frame["ci_upper"].isna()
        within = (frame["ci_lower"] <= frame["score"]) & (frame["score"] <= frame["ci_upper"])
        return neither | within

    @pa.dataframe_check(name="ranks follow scores: ties share a rank, a higher score a better rank")
    @classmethod
    def rank_follows_score(cls, frame: pd.DataFrame) -> pd.Series:
        # Ranks need not be 1 + the countries above: an entry that is not one country (1995
        # Belgium/Luxembourg) was ranked by TI but is not published.
        ok = pd.Series(True, index=frame.index)
        reviewed = allowed_anomaly(frame, "ti_cpi", "rank", "year")
        for _, edition in frame[~reviewed].groupby("year"):
            score = edition["score"].to_numpy()
            rank = edition["rank"].to_numpy(dtype="int64")
            higher = score[None, :] > score[:, None]
            tied = score[None, :] == score[:, None]
            same_rank_in_tie = ((rank[None, :] == rank[:, None]) | ~tied).all(axis=1)
            better_rank_above = ((rank[None, :] < rank[:, None]) | ~higher).all(axis=1)
            at_least_above = rank >= higher.sum(axis=1) + 1
            ok.loc[edition.index] = same_rank_in_tie & better_rank_above & at_least_above
        return ok


class TiCpiSourcesSchema(CountryTable):
    """The scores of the sources behind each CPI 2012-2025 score."""

    year: Series[int] = pa.Field(
        ge=2012, le=CPI_YEARS.stop - 1, title="CPI edition",
        description="Edition of the CPI that used the source score.", metadata={"unit": "year"},
    )
    source: Series[str] = pa.Field(
        str_length={"min_value": 1}, title="Source",
        description=(
            "Data source, one normalised name across editions (typos fixed, abbreviations spelt "
            "out: 'World Bank CPIA' -> 'World Bank Country Policy and Institutional Assessment')."
        ),
        metadata={"unit": "text"},
    )
    score: Series[float] = pa.Field(
        ge=0, le=100, title="Source score",
        description="The source's assessment rescaled by TI to the CPI's 0-100 scale.",
        metadata={"unit": "score 0-100"},
    )

    class Config:
        name = "ti_cpi_sources"
        title = "Corruption Perceptions Index: scores of the underlying sources"
        description = (
            "One row per country, CPI edition (2012-2025) and source, from the CPI Historical "
            "sheet of TI's CPI 2025 results."
        )
        strict = True
        coerce = True
        unique = ["iso3", "year", "source"]  # noqa: RUF012 (pandera reads a plain list)


#: Published table -> its model. Adding a source adds its tables here.
SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "un_egov": UnEgovSchema,
    "countries": CountriesSchema,
    "undp_hdi": UndpHdiSchema,
    "itu_ict": ItuIctSchema,
    "wb_wgi": WbWgiSchema,
    "ti_cpi": TiCpiSchema,
    "ti_cpi_sources": TiCpiSourcesSchema,
}


def validate(table: str, frame: pd.DataFrame, *, report_dir: Any = None) -> pd.DataFrame:
    """Validate ``frame`` as ``table`` (lazily: every failure at once) and return the coerced frame.

    On failure, raises :class:`SchemaValidationError` whose message is one compact table (column,
    check, offending values, count); the full failure list goes to ``<report_dir>/<table>.csv``.
    """
    from pathlib import Path

    from .errors import SchemaValidationError, UnknownTableError

    try:
        model = SCHEMAS[table]
    except KeyError:
        msg = f"no schema for table {table!r}; known: {', '.join(sorted(SCHEMAS))}"
        raise UnknownTableError(msg) from None
    try:
        return model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
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
    parts = [str(row[c]) for c in ("iso3", "survey_year", "year", "indicator") if c in frame.columns]
    return " ".join(parts) or f"row {index}"


def primary_key(table: str) -> list[str]:
    unique = SCHEMAS[table].Config.unique
    return [unique] if isinstance(unique, str) else list(unique or [])


def year_column(table: str) -> str | None:
    columns = SCHEMAS[table].to_schema().columns
    return next((c for c in ("year", "survey_year") if c in columns), None)


def describe_fields(table: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Name, Frictionless type, title, description, unit and nullability of every column."""
    columns = SCHEMAS[table].to_schema().columns
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
            "description": column.description or "", "unit": (column.metadata or {}).get("unit", ""),
            "nullable": bool(column.nullable),
        })
    return fields


# --- indicators: the cross-source catalogue, generated from the models above ---------------------


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of the ``indicators`` table: where its values come from and what they mean.

    ``selector`` picks the rows of a long table (``("indicator", "internet_users_pct")``) or of a
    scale (``("scale", "0-100")``); ``better`` says which direction is better ("higher" or
    "lower"), or ``None`` where ranking countries makes no sense (counts, ratios around parity).
    """

    id: str
    table: str
    column: str
    title: str
    unit: str
    description: str
    selector: tuple[str, str] | None = None
    better: str | None = "higher"


#: Titles and descriptions of the values of the long tables, by their indicator code.
ITU_INDICATOR_TEXT: dict[str, tuple[str, str]] = {
    "internet_users_pct": (
        "Individuals using the Internet",
        "Share of individuals who used the Internet in the last 3 months.",
    ),
    "households_internet_pct": (
        "Households with Internet access at home",
        "Share of households with Internet access at home.",
    ),
    "mobile_cellular_per100": (
        "Mobile-cellular subscriptions per 100 inhabitants",
        "Active mobile-cellular telephone subscriptions per 100 inhabitants.",
    ),
    "mobile_cellular_subscriptions": (
        "Mobile-cellular subscriptions",
        "Number of mobile-cellular telephone subscriptions.",
    ),
    "mobile_broadband_per100": (
        "Active mobile-broadband subscriptions per 100 inhabitants",
        "Active mobile-broadband subscriptions per 100 inhabitants.",
    ),
    "mobile_broadband_subscriptions": (
        "Active mobile-broadband subscriptions",
        "Number of active mobile-broadband subscriptions.",
    ),
    "fixed_broadband_per100": (
        "Fixed-broadband subscriptions per 100 inhabitants",
        "Fixed (wired or wireless) broadband subscriptions per 100 inhabitants.",
    ),
    "fixed_broadband_subscriptions": (
        "Fixed-broadband subscriptions",
        "Number of fixed-broadband subscriptions.",
    ),
    "fixed_telephone_per100": (
        "Fixed-telephone subscriptions per 100 inhabitants",
        "Fixed-telephone subscriptions per 100 inhabitants (June 2019 release, 2000-2018).",
    ),
    "fixed_telephone_subscriptions": (
        "Fixed-telephone subscriptions",
        "Number of fixed-telephone subscriptions (June 2019 release, 2000-2018).",
    ),
}
WGI_INDICATOR_TEXT: dict[str, str] = {
    "voice_accountability": "Voice and Accountability",
    "political_stability": "Political Stability and Absence of Violence/Terrorism",
    "government_effectiveness": "Government Effectiveness",
    "regulatory_quality": "Regulatory Quality",
    "rule_of_law": "Rule of Law",
    "control_of_corruption": "Control of Corruption",
}
#: Wide columns where lower is better, or where a ranking makes no sense.
LOWER_IS_BETTER = {"egdi_rank", "hdi_rank", "gii", "cpi_rank"}
NOT_RANKED = {"gdi"}


def wide_indicators(table: str, columns: list[str], *, prefix: str = "") -> list[IndicatorSpec]:
    """Indicators for columns of a wide table, described by the columns' own schema fields."""
    fields = SCHEMAS[table].to_schema().columns
    specs = []
    for column in columns:
        field = fields[column]
        indicator = f"{prefix}{column}"
        better = None if indicator in NOT_RANKED else "lower" if indicator in LOWER_IS_BETTER else "higher"
        specs.append(IndicatorSpec(
            id=indicator, table=table, column=column, title=str(field.title),
            unit=str((field.metadata or {})["unit"]), description=str(field.description), better=better,
        ))
    return specs


@cache
def indicator_catalogue() -> tuple[IndicatorSpec, ...]:
    """Every indicator of the ``indicators`` table, with title, unit and description.

    Generated from the table models (field titles, units, descriptions) and the long tables'
    indicator dictionaries above, so nothing is kept in two places.
    """
    cpi = SCHEMAS["ti_cpi"].to_schema().columns
    specs = [
        *wide_indicators("un_egov", ["egdi", "osi", "hci", "tii", "epi", "egdi_rank"]),
        IndicatorSpec(
            "cpi_score", "ti_cpi", "score", "Corruption Perceptions Index score (0-100)", "score 0-100",
            f"{cpi['score'].description} This series: editions 2012 on, on the 0-100 scale.",
            selector=("scale", "0-100"),
        ),
        IndicatorSpec(
            "cpi_score_0_10", "ti_cpi", "score", "Corruption Perceptions Index score (0-10, to 2011)",
            "score 0-10",
            f"{cpi['score'].description} This series: editions 1995-2011, on the 0-10 scale, relative "
            "to each year's countries; not comparable with cpi_score.",
            selector=("scale", "0-10"),
        ),
        IndicatorSpec("cpi_rank", "ti_cpi", "rank", "CPI rank", "rank", str(cpi["rank"].description), better="lower"),
        *(
            IndicatorSpec(
                indicator, "itu_ict", "value", title, ITU_INDICATOR_UNITS[indicator], description,
                selector=("indicator", indicator),
                better=None if indicator.endswith("_subscriptions") else "higher",
            )
            for indicator, (title, description) in ITU_INDICATOR_TEXT.items()
        ),
        *wide_indicators("undp_hdi", [
            "hdi", "life_expectancy", "expected_schooling", "mean_schooling", "gni_per_capita",
            "ihdi", "gdi", "gii", "hdi_rank",
        ]),
    ]
    wgi = SCHEMAS["wb_wgi"].to_schema().columns
    for indicator, title in WGI_INDICATOR_TEXT.items():
        specs.append(IndicatorSpec(
            f"wgi_{indicator}", "wb_wgi", "estimate", f"{title} (WGI estimate)",
            str(wgi["estimate"].metadata["unit"]), str(wgi["estimate"].description),
            selector=("indicator", indicator),
        ))
        specs.append(IndicatorSpec(
            f"wgi_{indicator}_pctrank", "wb_wgi", "percentile_rank", f"{title} (WGI percentile rank)",
            str(wgi["percentile_rank"].metadata["unit"]), str(wgi["percentile_rank"].description),
            selector=("indicator", indicator),
        ))
    return tuple(specs)


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
        name = "indicators"
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
        catalogue = {spec.id: (spec.unit, spec.table) for spec in indicator_catalogue()}
        expected = frame["indicator"].map(catalogue)
        pairs = pd.Series(list(zip(frame["unit"], frame["table"], strict=True)), index=frame.index)
        return expected.notna() & (expected == pairs)


SCHEMAS["indicators"] = IndicatorsSchema
