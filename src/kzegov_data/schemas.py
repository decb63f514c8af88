"""One pandera model per published table.

Each model is strict (no unknown column), coerces dtypes, and states ranges and keys. Known source
anomalies are listed one by one with a reason (``ANOMALIES``), never hidden by a looser range.
Column ``metadata`` carries the unit, which the publisher and the data card read.
"""

from __future__ import annotations

from typing import Any

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
    def iso3_is_known(cls, codes: Series[str]) -> Series[bool]:
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
        unique = ["iso3", "survey_year"]

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

    class Config:
        name = "countries"
        title = "Countries"
        description = (
            "ISO 3166-1 countries (plus Kosovo and the former Netherlands Antilles) with World Bank "
            "region, income group and peer groups."
        )
        strict = True
        coerce = True
        unique = ["iso3"]


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
        unique = ["iso3", "year", "indicator"]  # noqa: RUF012 (pandera reads a plain list)

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


#: Published table -> its model. Adding a source adds its tables here.
SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "un_egov": UnEgovSchema,
    "countries": CountriesSchema,
    "wb_wgi": WbWgiSchema,
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
    rows = []
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
