"""Parse the twelve ``EGOV_DATA_<YYYY>.csv`` files into table ``un_egov``.

Layout quirks (see the mirror's ``un_egov/PROVENANCE.md``): names are quoted with trailing spaces;
current names are applied to every year; states that were not yet UN members (Montenegro 2003-05,
South Sudan 2003-10) have a blank rank and zeros everywhere; members not assessed in early surveys
have EGDI 0 and share the bottom rank; in both cases the zeros mean "missing".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
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
    raws = {raw_file.name: read_survey(paths[raw_file.name], year) for raw_file, year in zip(
        SOURCE.files, SURVEY_YEARS, strict=True
    )}
    numbers = survey_numbers(raws)
    surveys = [
        survey_rows(raw, year, values, file=file)
        for (file, raw), year, values in zip(raws.items(), SURVEY_YEARS, numbers, strict=True)
    ]
    table = pd.concat(surveys, ignore_index=True)
    table = table.sort_values(["iso3", "survey_year"], ignore_index=True)
    return {"un_egov": table}


def read_survey(path: Path, year: int) -> pd.DataFrame:
    """One survey's cells as text, columns renamed, its header and years checked."""
    file = path.name
    raw = read_csv_text(path, encoding="utf-8")
    require_columns(raw.columns, list(COLUMNS), file=file)
    raw = raw.rename(columns=COLUMNS)
    if raw.empty:
        msg = f"{file}: header only, no country rows"
        raise ParseError(msg)

    # Each row spells the year as the file name does; only a file that spells it otherwise on some
    # row ("2024.0", " 2024", text, blank) has the column converted and compared as numbers.
    if not (raw["survey_year"] == str(year)).all():
        survey_year = to_number(raw["survey_year"], file=file, column="Survey Year")
        if survey_year.isna().any() or (survey_year != year).any():
            found = sorted({str(v) for v in raw["survey_year"].unique()})
            msg = f"{file}: 'Survey Year' should be {year} on every row, found {found}"
            raise ParseError(msg)
    return raw


#: The number columns of a survey, and their names in :func:`to_numbers`' messages.
NUMBER_COLUMNS, NUMBER_LABELS = (*INDICES, "egdi_rank"), (*INDICES, "E-Government Rank")


def survey_numbers(raws: Mapping[str, pd.DataFrame]) -> list[np.ndarray]:
    """Each survey's index and rank cells as floats (rows x columns), all surveys' in one conversion.

    A survey has ~190 rows: twelve conversions cost three times one of their 2,300 rows together.
    Should any cell not be a number, the surveys are converted one by one, so the message names
    the first file that holds one, and its row.
    """
    together = pd.concat([raw[list(NUMBER_COLUMNS)] for raw in raws.values()], ignore_index=True)
    try:
        values = to_numbers(together, file="EGOV_DATA_*.csv", labels=NUMBER_LABELS).to_numpy()
    except ParseError:
        return [
            to_numbers(raw[list(NUMBER_COLUMNS)], file=file, labels=NUMBER_LABELS).to_numpy()
            for file, raw in raws.items()
        ]
    return np.split(values, np.cumsum([len(raw) for raw in raws.values()])[:-1])


def survey_rows(raw: pd.DataFrame, year: int, values: np.ndarray, *, file: str) -> pd.DataFrame:
    """One survey's rows of ``un_egov`` from its cells and its numbers (of :func:`survey_numbers`)."""
    # numpy from here on: a survey has ~190 rows, where each pandas operation costs more than its work.
    indices, rank = values[:, : len(INDICES)], values[:, len(INDICES)]
    no_rank = np.isnan(rank)
    if not (rank[~no_rank] % 1 == 0).all():
        msg = f"{file}: 'E-Government Rank' holds non-integer values"
        raise ParseError(msg)
    country = raw["country"].str.strip()
    iso3 = to_iso3(country, file=file)
    repeated = country[iso3.duplicated(keep=False)]
    if not repeated.empty:
        msg = f"{file}: countries listed more than once: {sorted(set(repeated))}"
        raise ParseError(msg)

    # Zeros that mean "not measured": states not yet UN members (blank rank, every index 0) and
    # members the survey did not assess (EGDI 0, given the shared bottom rank).
    is_zero = indices == 0
    not_member = no_rank & is_zero.all(axis=1)
    not_assessed = ~no_rank & is_zero[:, INDICES.index("egdi")]
    unmeasured = not_member | not_assessed
    indices = np.where(unmeasured[:, None] & is_zero, np.nan, indices)
    status = np.where(not_member, "not_yet_member", np.where(not_assessed, "not_assessed", "assessed"))
    return pd.DataFrame(
        {
            "country": country,
            "survey_year": np.full(len(raw), year, dtype="int64"),
            **{column: indices[:, number] for number, column in enumerate(INDICES)},
            "egdi_rank": pd.array(np.where(unmeasured, np.nan, rank), dtype="Int64"),
            "iso3": iso3,
            "status": pd.array(status.astype(object), dtype="str"),
        },
        index=raw.index,
    )
