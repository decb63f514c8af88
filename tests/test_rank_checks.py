"""The rank checks of ti_cpi, un_egov and undp_hdi, row by row, on small hand-made tables.

Each check is decided per year and distinct score (not per pair of countries); these tables pin
which rows each one rejects: a tie with two ranks, a higher score with a worse rank, a rank better
than the countries above allow, a rank worse than the countries at or above, a missing score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import validate_table
from kzegov_data.errors import SchemaValidationError
from kzegov_data.sources.ti_cpi.schema import TiCpiSchema


def cpi(rows: list[tuple[str, int, float, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["iso3", "year", "score", "rank"]).astype({"rank": "Int64"})


def test_cpi_ranks_that_follow_the_scores_pass_in_every_edition() -> None:
    frame = cpi([("DNK", 2012, 90.0, 1), ("FIN", 2012, 90.0, 1), ("SWE", 2012, 88.0, 3), ("KAZ", 2012, 28.0, 4),
                 ("DNK", 2011, 9.4, 2), ("NZL", 2011, 9.5, 1), ("KAZ", 2011, 2.7, 3)])
    assert TiCpiSchema.rank_follows_score(frame).tolist() == [True] * 7


def test_cpi_a_tie_with_two_ranks_fails_on_both_rows_and_only_in_its_edition() -> None:
    frame = cpi([("DNK", 2012, 90.0, 1), ("FIN", 2012, 90.0, 2), ("KAZ", 2012, 28.0, 3),
                 ("DNK", 2013, 90.0, 1), ("FIN", 2013, 90.0, 1)])
    assert TiCpiSchema.rank_follows_score(frame).tolist() == [False, False, True, True, True]


def test_cpi_a_higher_score_with_a_worse_rank_fails_on_the_lower_score() -> None:
    # SWE (88) is ranked 3, below KAZ (28) ranked 2: KAZ has a country above it with a worse rank.
    frame = cpi([("DNK", 2012, 90.0, 1), ("SWE", 2012, 88.0, 3), ("KAZ", 2012, 28.0, 2)])
    assert TiCpiSchema.rank_follows_score(frame).tolist() == [True, True, False]


def test_cpi_a_lower_score_may_not_share_the_rank_of_a_higher_one() -> None:
    # FIN's rank 3 is not better than the 2 countries above it, but SWE above it already holds 3.
    frame = cpi([("DNK", 2012, 90.0, 1), ("SWE", 2012, 88.0, 3), ("FIN", 2012, 85.0, 3)])
    assert TiCpiSchema.rank_follows_score(frame).tolist() == [True, True, False]


def test_cpi_a_rank_better_than_the_countries_above_allow_fails() -> None:
    # Two countries score above KAZ, so its rank is at least 3; a gap (rank 5) is allowed.
    assert TiCpiSchema.rank_follows_score(
        cpi([("DNK", 2012, 90.0, 1), ("SWE", 2012, 88.0, 1), ("KAZ", 2012, 28.0, 2)])
    ).tolist() == [True, False, False]
    assert TiCpiSchema.rank_follows_score(
        cpi([("DNK", 2012, 90.0, 1), ("SWE", 2012, 88.0, 2), ("KAZ", 2012, 28.0, 5)])
    ).tolist() == [True, True, True]


def test_cpi_a_missing_score_ties_with_nothing_and_its_rank_is_at_least_1() -> None:
    frame = cpi([("DNK", 2012, 90.0, 1), ("SWE", 2012, np.nan, 1), ("KAZ", 2012, 28.0, 2), ("FIN", 2012, np.nan, 0)])
    assert TiCpiSchema.rank_follows_score(frame).tolist() == [True, True, True, False]


def test_cpi_the_verdict_follows_the_rows_whatever_their_order_and_index() -> None:
    frame = cpi([("KAZ", 2012, 28.0, 2), ("DNK", 2012, 90.0, 1), ("SWE", 2012, 88.0, 3)])
    frame.index = [7, 3, 5]
    verdict = TiCpiSchema.rank_follows_score(frame)
    assert verdict.index.tolist() == [7, 3, 5]
    assert verdict.tolist() == [False, True, True]


@pytest.mark.parametrize("table", ["ti_cpi"])
def test_a_rank_check_failure_is_reported_under_its_name(table: str) -> None:
    frame = pd.DataFrame({
        "iso3": ["DNK", "FIN"], "country": ["Denmark", "Finland"], "year": [2012, 2012], "score": [90.0, 90.0],
        "scale": ["0-100", "0-100"], "rank": pd.array([1, 2], dtype="Int64"), "n_sources": pd.array([7, 7], "Int64"),
        "standard_error": [1.0, 1.0], "ci_lower": [88.0, 88.0], "ci_upper": [92.0, 92.0],
        "origin": ["publisher: x", "publisher: x"],
    })
    with pytest.raises(SchemaValidationError, match=r"ranks follow scores: ties share a rank.*DNK 2012; FIN 2012.*2"):
        validate_table(table, frame)


def egov(rows: list[tuple[str, int, float, int | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["iso3", "survey_year", "egdi", "egdi_rank"]).astype({"egdi_rank": "Int64"})


def test_egdi_rank_is_between_1_plus_the_countries_above_and_the_countries_at_or_above() -> None:
    from kzegov_data.sources.un_egov.schema import UnEgovSchema

    # 2020: DNK and KOR tie, so either may be printed 2nd or 3rd; SWE, with 3 countries above, not 2nd.
    frame = egov([("EST", 2020, 0.98, 1), ("DNK", 2020, 0.95, 3), ("KOR", 2020, 0.95, 2), ("SWE", 2020, 0.90, 2),
                  ("KAZ", 2020, 0.80, 5), ("EST", 2022, 0.98, 2), ("XXX", 2022, 0.10, None)])
    assert UnEgovSchema.rank_matches_egdi(frame).tolist() == [True, True, True, False, True, False, True]


def test_egdi_a_ranked_row_without_egdi_fails() -> None:
    from kzegov_data.sources.un_egov.schema import UnEgovSchema

    frame = egov([("EST", 2020, 0.98, 1), ("KAZ", 2020, np.nan, 2)])
    assert UnEgovSchema.rank_matches_egdi(frame).tolist() == [True, False]


def test_hdi_rank_is_between_1_plus_the_countries_above_and_the_countries_at_or_above() -> None:
    from kzegov_data.sources.undp_hdr.schema import UndpHdiSchema

    frame = pd.DataFrame({"hdi": [0.96, 0.95, 0.95, 0.80, 0.70, np.nan],
                          "hdi_rank": pd.array([1, 3, 2, 3, 6, 7], dtype="Int64")}, index=[5, 4, 3, 2, 1, 0])
    verdict = UndpHdiSchema.rank_matches_hdi(frame)
    assert verdict.index.tolist() == [5, 4, 3, 2, 1, 0]
    # 0.80 has 3 countries above (rank >= 4); 0.70 has 4 at or above (rank <= 5); no HDI: not judged.
    assert verdict.tolist() == [True, True, True, False, False, True]


def test_lookup_is_series_map_taken_once_per_distinct_value() -> None:
    from kzegov_data.schemas import lookup

    values = pd.Series(["a", "b", None, "c", "a"], dtype="str", index=[9, 8, 7, 6, 5], name="indicator")
    found = lookup(values, {"a": 1.0, "b": None, "z": 3.0})
    assert found.index.tolist() == [9, 8, 7, 6, 5]
    assert found.name == "indicator"
    assert found.astype("float64").tolist()[0] == 1.0
    assert found.astype("float64").isna().tolist() == [False, True, True, True, False]


def test_itu_a_unit_that_is_not_its_indicators_and_a_value_above_its_ceiling_fail_on_their_rows() -> None:
    from kzegov_data.sources.itu.schema import ItuIctSchema

    frame = pd.DataFrame({
        "iso3": ["KAZ", "KAZ", "KAZ", "KAZ"], "year": [2020, 2020, 2021, 2021],
        "indicator": ["internet_users_pct", "mobile_cellular_subscriptions", "internet_users_pct", "unknown"],
        "value": [101.0, 5e6, 90.0, 1.0],
        "unit": ["% of individuals", "% of individuals", "% of individuals", "% of individuals"],
    })
    assert ItuIctSchema.unit_matches_indicator(frame).tolist() == [True, False, True, False]
    ceiling = ItuIctSchema.value_below_ceiling(frame)
    assert ceiling["value"].tolist() == [False, True, True, True]
