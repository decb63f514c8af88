"""Across sources, from the published ``indicators`` table: the catalogue, the country-year panel and
peer comparisons. Reads only published tables and the catalogue published with them (no pandera).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import KzegovDataError, UnknownIndicatorError
from .registry import INDICATORS_TABLE as TABLE

if TYPE_CHECKING:
    import pandas as pd


def published_catalogue(data_dir: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The catalogue stored with the published ``indicators`` table, by indicator id."""
    from .api import resolve_data_dir
    from .errors import UnknownTableError
    from .publish import table_resources

    resource = table_resources(resolve_data_dir(data_dir)).get(TABLE)
    if resource is None or "kzegov:catalogue" not in resource:
        msg = "the published tables have no indicators table yet; build it: kzegov-data build"
        raise UnknownTableError(msg)
    return {record["id"]: record for record in resource["kzegov:catalogue"]}


def check_indicators(names: str | Iterable[str], known: Mapping[str, Any]) -> list[str]:
    wanted = [names] if isinstance(names, str) else list(names)
    unknown = [name for name in wanted if name not in known]
    if unknown:
        msg = f"unknown indicator(s) {unknown}; kz.indicators() lists the {len(known)} known ids"
        raise UnknownIndicatorError(msg)
    return wanted


def indicators(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The indicator catalogue: id, title, unit, source, table, years, better, description.

    >>> import kzegov_data as kz
    >>> kz.indicators().set_index("id").loc["egdi", "unit"]
    'index 0-1'
    """
    import pandas as pd

    columns = ["id", "title", "unit", "source", "table", "years", "better", "description"]
    records = published_catalogue(data_dir).values()
    return pd.DataFrame([{c: record[c] or "" for c in columns} for record in records], columns=columns)


def panel(
    indicators: str | Iterable[str],
    countries: str | Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """A country-year frame with one column per indicator (missing where a source has no value).

    Years are the sources' own: EGDI sits on its survey years (2003, 2004, 2005, 2008, ...) and is
    never interpolated; the two CPI scales are two indicators (``cpi_score`` from 2012,
    ``cpi_score_0_10`` to 2011) and never share a column.

    >>> import kzegov_data as kz
    >>> wide = kz.panel(["egdi", "cpi_score"], countries="central_asia", years=2024)
    >>> wide.set_index("iso3").loc["KAZ", "egdi"]
    np.float64(0.90093)
    """
    from .api import load

    wanted = check_indicators(indicators, published_catalogue(data_dir))
    long = load(TABLE, countries=countries, years=years, data_dir=data_dir)
    long = long[long["indicator"].isin(wanted)]
    # pivot, not pivot_table: a duplicated (iso3, year, indicator) must fail, not be averaged.
    wide = long.pivot(index=["iso3", "year"], columns="indicator", values="value")  # noqa: PD010
    wide = wide.reindex(columns=wanted).reset_index()
    wide.columns.name = None
    wide["iso3"] = wide["iso3"].astype(str)
    return wide.sort_values(["iso3", "year"], ignore_index=True)


def compare(
    country: str,
    peers: str | Iterable[str],
    indicator: str,
    years: int | Iterable[int] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Per year: ``country``'s value, its rank in the group, the group's median and best, the gaps.

    The group is the peer group (``"central_asia"``, ``"eaeu"``, ``"post_soviet"``,
    ``"paper_comparators"``, ``"income:upper_middle"``...) or a list of countries, plus ``country``
    itself. Rank 1 is best, in the indicator's direction (lower is better for ranks and GII); ties
    share the best rank. Gaps are ``value - median`` and ``value - best``. For ITU per-100 indicators
    that come with subscription counts, ``group_weighted`` is the population-weighted aggregate
    (total subscriptions over the population implied by each country's count and rate); elsewhere
    it is missing, because averaging percentages of countries of different size misleads.

    >>> import kzegov_data as kz
    >>> table = kz.compare("KAZ", peers="central_asia", indicator="egdi")
    >>> table.loc[table["year"] == 2024, ["value", "rank", "group_size"]].to_dict("records")
    [{'value': 0.90093, 'rank': 1, 'group_size': 5}]
    """
    import pandas as pd

    from .api import resolve_countries

    catalogue = published_catalogue(data_dir)
    (name,) = check_indicators(indicator, catalogue)
    spec = catalogue[name]
    if spec["better"] is None:
        msg = (
            f"{name} ({spec['unit']}) does not rank countries (a count or a ratio around parity); "
            "compare a per-100 or share indicator instead"
        )
        raise KzegovDataError(msg)
    (code,) = resolve_countries([country], data_dir=data_dir)
    group = sorted({code, *resolve_countries(peers, data_dir=data_dir)})
    weight = spec.get("weighted_by")
    wanted = [name] + ([weight] if weight else [])
    wide = panel(wanted, countries=group, years=years, data_dir=data_dir)
    wide = wide[wide[name].notna()]
    ascending = spec["better"] == "lower"
    rows = []
    for year_value, members in wide.groupby("year", sort=True):
        year = int(str(year_value))
        values = members.set_index("iso3")[name]
        if code not in values.index:
            continue
        best_value = values.min() if ascending else values.max()
        ranks = values.rank(method="min", ascending=ascending).astype("int64")
        rows.append({
            "year": year, "iso3": code, "value": values[code], "rank": ranks[code],
            "group_size": len(values), "group_median": values.median(), "group_best": best_value,
            "best_iso3": ",".join(sorted(values[values == best_value].index)),
            "gap_to_median": values[code] - values.median(), "gap_to_best": values[code] - best_value,
            "group_weighted": weighted_aggregate(members, name, weight),
        })
    result = pd.DataFrame(rows, columns=[
        "year", "iso3", "value", "rank", "group_size", "group_median", "group_best", "best_iso3",
        "gap_to_median", "gap_to_best", "group_weighted",
    ])
    result.attrs.update(
        indicator=name, unit=spec["unit"], better=spec["better"], group=group,
        aggregation=(
            "group_weighted: population-weighted (sum of subscriptions / implied population)"
            if weight else "group_weighted: not computed (no counts to weight by)"
        ),
    )
    return result


def weighted_aggregate(members: pd.DataFrame, indicator: str, count_indicator: str | None) -> float:
    """Total subscriptions per 100 inhabitants of the group, where every member has a count."""
    if count_indicator is None or count_indicator not in members:
        return float("nan")
    rate, count = members[indicator], members[count_indicator]
    usable = rate.notna() & count.notna() & (rate > 0)
    if not usable.all():
        return float("nan")
    population = count / (rate / 100)
    return float(100 * count.sum() / population.sum())
