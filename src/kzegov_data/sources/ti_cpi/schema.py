"""Schemas of tables ``ti_cpi`` and ``ti_cpi_sources``, and the indicators they add to the catalogue."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ...schemas import CountryTable, IndicatorSpec, read_anomalies, reviewed
from . import LAST_RELATIVE_YEAR, YEARS

ANOMALIES = read_anomalies(Path(__file__).with_name("anomalies.csv"))
#: The two scales and their maxima. Scores lie within their edition's scale; confidence bounds
#: within 0-100 (TI's own 0-10 bounds never exceed 9.8, but a per-scale check would reject the
#: synthetic test editions, whose invented ranges reach 10.2).
SCALE_MAXIMUM: dict[str, float] = {"0-10": 10, "0-100": 100}
#: A standard error of a mean of scores within 0-100 is at most 50 (half the range, reached by two
#: sources scoring 0 and 100); the largest TI published is 12.81 (Comoros, 2016).
MAX_STANDARD_ERROR = 50


class TiCpiSchema(CountryTable):
    """Corruption Perceptions Index: one row per country and edition, 1995-2025."""

    country: Series[str] = pa.Field(
        str_length={"min_value": 1}, title="Country name",
        description="Name as the edition writes it (it varies between editions).",
        metadata={"unit": "text"},
    )
    year: Series[int] = pa.Field(
        ge=YEARS[0], le=YEARS[-1], title="CPI edition",
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
        isin=list(SCALE_MAXIMUM), title="Score scale",
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
        ge=0, le=MAX_STANDARD_ERROR, nullable=True, title="Standard error",
        description="Standard error of the score (published from 2012).",
        metadata={"unit": "score points"},
    )
    ci_lower: Series[float] = pa.Field(
        ge=0, le=SCALE_MAXIMUM["0-100"], nullable=True, title="Confidence interval, lower bound",
        description="Lower bound of TI's 90% confidence interval (2004-2025).",
        metadata={"unit": "score (see scale)"},
    )
    ci_upper: Series[float] = pa.Field(
        ge=0, le=SCALE_MAXIMUM["0-100"], nullable=True, title="Confidence interval, upper bound",
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

    @pa.dataframe_check(name="scale 0-10 up to 2011 and 0-100 from 2012, score and bounds within it")
    @classmethod
    def scale_matches_year(cls, frame: pd.DataFrame) -> pd.Series:
        relative = frame["year"] <= LAST_RELATIVE_YEAR
        # The score and its confidence bounds lie within the row's scale (a bound is missing before 2004).
        within = [frame[column].isna() | (frame[column] <= SCALE_MAXIMUM["0-10"])
                  for column in ("score", "ci_lower", "ci_upper")]
        on_ten = (frame["scale"] == "0-10") & within[0] & within[1] & within[2]
        on_hundred = frame["scale"] == "0-100"
        return (relative & on_ten) | (~relative & on_hundred)

    @pa.dataframe_check(name="n_sources 3-13 (0-100) or 3-16 surveys (0-10), or a reviewed anomaly")
    @classmethod
    def sources_in_range(cls, frame: pd.DataFrame) -> pd.Series:
        ceiling = frame["scale"].map({"0-100": 13, "0-10": 16})
        within = (frame["n_sources"] >= 3) & (frame["n_sources"] <= ceiling)
        return within.fillna(False) | reviewed(frame, ANOMALIES, "ti_cpi", "n_sources")

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
        # Decided per edition and distinct score, not per pair of countries (a loop over 31 editions
        # comparing every pair cost 20 ms): the countries scoring above a score, and the worst rank among
        # them, are running totals over the scores in descending order. A missing score ties with nothing.
        judged = ~reviewed(frame, ANOMALIES, "ti_cpi", "rank").to_numpy(dtype=bool)
        rows = frame.loc[judged, ["year", "score"]].assign(rank=frame["rank"][judged].to_numpy(dtype="int64"))
        scores = rows.groupby(["year", "score"])["rank"].agg(["size", "min", "max"]).sort_index(ascending=[True, False])
        per_year = scores.groupby(level="year")
        scores["above"] = per_year["size"].cumsum() - scores["size"]
        scores["worst_above"] = per_year["max"].cummax().groupby(level="year").shift(fill_value=0)
        found = rows.join(scores, on=["year", "score"])
        scored = found["score"].notna()
        same_rank_in_tie = ~scored | (found["min"] == found["max"])
        better_rank_above = ~scored | (found["worst_above"] < found["rank"])
        at_least_above = found["rank"] >= found["above"].where(scored, 0) + 1
        ok = np.ones(len(frame), dtype=bool)
        ok[judged] = (same_rank_in_tie & better_rank_above & at_least_above).to_numpy(dtype=bool)
        return pd.Series(ok, index=frame.index)


class TiCpiSourcesSchema(CountryTable):
    """The scores of the sources behind each CPI 2012-2025 score."""

    year: Series[int] = pa.Field(
        ge=LAST_RELATIVE_YEAR + 1, le=YEARS[-1], title="CPI edition",
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


def catalogue_entries() -> list[IndicatorSpec]:
    """The two scales as two indicators (never one series), and the rank."""
    fields = TiCpiSchema.to_schema().columns
    score = fields["score"].description
    return [
        IndicatorSpec(
            "cpi_score", "ti_cpi", "score", "Corruption Perceptions Index score (0-100)", "score 0-100",
            f"{score} This series: editions {LAST_RELATIVE_YEAR + 1} on, on the 0-100 scale.",
            selector=("scale", "0-100"),
            caveat="Comparable from year to year (editions 2012 on). Changes of 1-2 points are usually within the "
            "90% confidence interval (ti_cpi's ci_lower/ci_upper). Never compare with cpi_score_0_10.",
        ),
        IndicatorSpec(
            "cpi_score_0_10", "ti_cpi", "score", f"Corruption Perceptions Index score (0-10, to {LAST_RELATIVE_YEAR})",
            "score 0-10",
            f"{score} This series: editions {YEARS[0]}-{LAST_RELATIVE_YEAR}, on the 0-10 scale, relative "
            "to each year's countries; not comparable with cpi_score.",
            selector=("scale", "0-10"),
            caveat="Relative to each edition's countries and method: not comparable from year to year, and never "
            "rescaled to 0-100 (a 0-10 score times 10 is not a cpi_score).",
        ),
        IndicatorSpec(
            "cpi_rank", "ti_cpi", "rank", "CPI rank", "rank", str(fields["rank"].description), better="lower",
            caveat="Depends on how many countries each edition covered (fewer than 100 before 2000, 180 a year "
            "from 2017 to 2024, 182 in 2025).",
        ),
    ]


CATALOGUE = catalogue_entries()
