"""Parse the twelve ``EGOV_DATA_<YYYY>.csv`` files into table ``un_egov``.

Layout quirks (see the mirror's ``un_egov/PROVENANCE.md``): names are quoted with trailing spaces;
current names are applied to every year; states that were not yet UN members (Montenegro 2003-05,
South Sudan 2003-10) have a blank rank and zeros everywhere; members not assessed in early surveys
have EGDI 0 and share the bottom rank; in both cases the zeros mean "missing".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ...countries import to_iso3
from ...errors import ParseError
from .._read import read_csv_text, require_columns, to_number, to_numbers
from . import SOURCE, SURVEY_YEARS

COLUMNS = {
    "Survey Year": "survey_year",
    "Country Name": "country",
    "E-Government Rank": "egdi_rank",
    "E-Government Index": "egdi",
    "E-Participation Index": "epi",
    "Online Service Index": "osi",
    "Human Capital Index": "hci",
    "Telecommunication Infrastructure Index": "tii",
}
INDICES = ("egdi", "osi", "hci", "tii", "epi")


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """Raw files (by name) -> ``{"un_egov": tidy frame}``, one row per country and survey."""
    surveys = [parse_survey(paths[raw_file.name], year) for raw_file, year in zip(
        SOURCE.files, SURVEY_YEARS, strict=True
    )]
    table = pd.concat(surveys, ignore_index=True)
    table = table.sort_values(["iso3", "survey_year"], ignore_index=True)
    return {"un_egov": table}


def parse_survey(path: Path, year: int) -> pd.DataFrame:
    file = path.name
    raw = read_csv_text(path, encoding="utf-8")
    require_columns(raw, list(COLUMNS), file=file)
    raw = raw.rename(columns=COLUMNS)
    if raw.empty:
        msg = f"{file}: header only, no country rows"
        raise ParseError(msg)

    survey = pd.DataFrame({"country": raw["country"].str.strip()})
    survey_year = to_number(raw["survey_year"], file=file, column="Survey Year")
    if survey_year.isna().any() or (survey_year != year).any():
        found = sorted({str(v) for v in raw["survey_year"].unique()})
        msg = f"{file}: 'Survey Year' should be {year} on every row, found {found}"
        raise ParseError(msg)
    survey["survey_year"] = year
    numbers = to_numbers(raw[[*INDICES, "egdi_rank"]], file=file, labels=[*INDICES, "E-Government Rank"])
    for column in INDICES:
        survey[column] = numbers[column]
    rank = numbers["egdi_rank"]
    if not (rank.dropna() % 1 == 0).all():
        msg = f"{file}: 'E-Government Rank' holds non-integer values"
        raise ParseError(msg)
    survey["egdi_rank"] = rank.astype("Int64")
    survey["iso3"] = to_iso3(survey["country"], file=file)
    repeated = survey.loc[survey["iso3"].duplicated(keep=False), "country"]
    if not repeated.empty:
        msg = f"{file}: countries listed more than once: {sorted(set(repeated))}"
        raise ParseError(msg)

    # Zeros that mean "not measured": states not yet UN members (blank rank, every index 0) and
    # members the survey did not assess (EGDI 0, given the shared bottom rank).
    all_zero = (survey.loc[:, list(INDICES)] == 0).all(axis="columns")
    not_member = survey["egdi_rank"].isna() & all_zero
    not_assessed = survey["egdi_rank"].notna() & (survey["egdi"] == 0)
    survey["status"] = "assessed"
    survey.loc[not_member, "status"] = "not_yet_member"
    survey.loc[not_assessed, "status"] = "not_assessed"
    unmeasured = not_member | not_assessed
    for column in INDICES:
        survey.loc[unmeasured & (survey[column] == 0), column] = float("nan")
    survey.loc[unmeasured, "egdi_rank"] = pd.NA
    return survey
