"""Schema of table ``un_egov``, and the indicators it adds to the cross-source catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ...schemas import CountryTable, failing_cells, measure, read_anomalies, reviewed, wide_indicators
from . import SURVEY_YEARS, UN_MEMBERS

ANOMALIES = read_anomalies(Path(__file__).with_name("anomalies.csv"))


def index_field(title: str, description: str) -> Any:
    return measure(title, description, ge=0, le=1, unit="index 0-1")


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
        ge=1, le=UN_MEMBERS, nullable=True, title="EGDI rank",
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
        description = (
            f"E-Government Development Index and its components, {UN_MEMBERS} UN member states, "
            f"{SURVEY_YEARS[0]}-{SURVEY_YEARS[-1]}."
        )
        strict = True
        coerce = True
        unique: ClassVar[list[str]] = ["iso3", "survey_year"]

    @pa.dataframe_check(name="hci <= 1 except reviewed anomalies")
    @classmethod
    def hci_at_most_one(cls, frame: pd.DataFrame) -> pd.DataFrame | bool:
        at_most_one = frame["hci"].isna() | (frame["hci"] <= 1) | reviewed(frame, ANOMALIES, "un_egov", "hci")
        return failing_cells(frame, {"hci": at_most_one})

    @pa.dataframe_check(name="assessed rows, and only they, have EGDI and rank")
    @classmethod
    def measured_iff_assessed(cls, frame: pd.DataFrame) -> pd.Series:
        assessed = frame["status"] == "assessed"
        return (frame["egdi"].notna() == assessed) & (frame["egdi_rank"].notna() == assessed)

    @pa.dataframe_check(name="rank consistent with EGDI (1 + countries above <= rank <= countries at or above)")
    @classmethod
    def rank_matches_egdi(cls, frame: pd.DataFrame) -> pd.Series:
        # pandas' ranks within each survey count the countries above (method "min": 1 + those above) and at
        # or above (method "max") a value at once; comparing every pair of countries per survey cost 10 ms.
        ranked = (frame["egdi_rank"].notna() & frame["survey_year"].notna()).to_numpy(dtype=bool)
        egdi = frame.loc[ranked, "egdi"].groupby(frame.loc[ranked, "survey_year"])
        rank = frame.loc[ranked, "egdi_rank"].to_numpy(dtype="int64")
        first = egdi.rank(method="min", ascending=False).to_numpy()
        last = egdi.rank(method="max", ascending=False).to_numpy()
        ok = np.ones(len(frame), dtype=bool)
        ok[ranked] = (first <= rank) & (rank <= last)  # a missing EGDI (no rank of its own) fails
        return pd.Series(ok, index=frame.index)

    @pa.dataframe_check(name=f"{UN_MEMBERS} countries in every survey")
    @classmethod
    def countries_per_survey(cls, frame: pd.DataFrame) -> pd.Series:
        counts = frame.groupby("survey_year")["iso3"].transform("size")
        return counts == UN_MEMBERS


CATALOGUE = wide_indicators(
    UnEgovSchema, ["egdi", "osi", "hci", "tii", "epi", "egdi_rank"], lower_is_better=["egdi_rank"],
    caveat=(
        "Survey years only (2003, 2004, 2005, 2008, then every second year), never interpolated; each survey "
        "mostly describes the year before it. Relative to the other countries of the same survey, with methods "
        "that changed between surveys: compare ranks within a survey, levels across surveys only roughly."
    ),
    caveats={"egdi_rank": "Rank among the survey's 193 countries; a printed tie need not share a rank (2020)."},
)
