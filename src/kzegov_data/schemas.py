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


class CountryTable(pa.DataFrameModel):
    """Base of every published table: its first column is a known ISO3 code."""

    iso3: Series[str] = pa.Field(
        str_length=3,
        title="ISO 3166-1 alpha-3 code",
        description="Country code (ISO 3166-1 alpha-3; XKX for Kosovo).",
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
        description = "ISO 3166-1 countries (plus Kosovo) with World Bank region, income group and peer groups."
        strict = True
        coerce = True
        unique = ["iso3"]


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
        unique = ["iso3", "year"]

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
        unique = ["iso3", "year", "source"]


#: Published table -> its model. Adding a source adds its tables here.
SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "un_egov": UnEgovSchema,
    "countries": CountriesSchema,
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
