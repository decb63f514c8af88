"""Across sources, from the published ``indicators`` table: the catalogue, the country-year panel and
peer comparisons. Reads only published tables and the catalogue published with them (no pandera).

Income groups (``income:<slug>``) in ``panel`` and ``compare`` take each year's members from the
World Bank's historical classification (the ``income_history`` table), or with ``as_of=`` those of
one year; years after the history, and folders without it, use the current classification of the
``countries`` table. The result says which: a ``classification`` column (``"FY23"``, ``"current"``)
and a line in ``attrs["classification"]``.

Editions are never mixed: ``panel`` and ``compare`` read each source's current edition, the one named
by ``edition=`` (``"HDR21-22"``, or ``{"undp_hdi": "HDR21-22", "wb_wgi": "2021"}``), or with
``as_of="2022-06-30"`` what could be downloaded that day: each source's edition current then, only
the years released by then, and the income classification in effect that day. The release dates
are those ``kz.editions(table)`` lists (``released``), each with where it is printed
(``released_source``: the publisher's press release, the file's own text, or the download date).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import countries as country_codes
from .errors import (
    InvalidArgumentError,
    KzegovDataError,
    UnknownEditionError,
    UnknownIndicatorError,
    UnknownTableError,
    YearNotPublishedError,
)

if TYPE_CHECKING:
    import datetime

    import pandas as pd

    from .api import IncomeClassification, YearRequest

#: The columns of the indicators table that panel and compare read.
VALUE_COLUMNS = ["iso3", "year", "indicator", "value"]


def published_catalogue(data_dir: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The catalogue stored with the published ``indicators`` table, by indicator id."""
    from .api import catalogue_of, published_tables, resolve_data_dir

    found = catalogue_of(published_tables(resolve_data_dir(data_dir)))
    if not found:
        msg = "the published tables have no indicators table yet; build it: kzegov-data build"
        raise UnknownTableError(msg)
    return found


def check_indicators(names: str | Iterable[str], known: Mapping[str, Any]) -> list[str]:
    if isinstance(names, str):
        wanted = [names]
    elif isinstance(names, Iterable) and not isinstance(names, (bytes, Mapping)):
        wanted = list(names)
    else:
        msg = f"indicators={country_codes.short_repr(names)}: expected an indicator id or a list of ids"
        raise InvalidArgumentError(msg)
    if not wanted:
        msg = "indicators=[] names no indicator; kz.indicators() lists the ids"
        raise InvalidArgumentError(msg)
    unknown = [name for name in wanted if name not in known]
    if unknown:
        import difflib

        hints = "; ".join(
            f"{name!r}" + (f" (did you mean {', '.join(map(repr, close))}?)"
                           if (close := difflib.get_close_matches(str(name), list(known), n=3)) else "")
            for name in unknown)
        msg = f"unknown indicator(s) {hints}; kz.indicators() lists the {len(known)} known ids"
        raise UnknownIndicatorError(msg)
    return list(dict.fromkeys(wanted))


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


def indicator_values(
    folder: Path,
    wanted: list[str],
    catalogue: Mapping[str, dict[str, Any]],
    codes: Collection[str] | None,
    request: YearRequest | None,
) -> pd.DataFrame:
    """``iso3, year, indicator, value`` of the wanted indicators, for ``codes`` (``None``: all) and
    the years asked for; years that none of the indicators has raise ``YearNotPublishedError``."""
    from .api import coverage, published_tables, read_parquet, years_not_published

    resource = next(r for r in published_tables(folder).values() if "kzegov:catalogue" in r)
    # Every indicator asked for: no filter to run over the whole table.
    where: dict[str, Collection[Any]] = {} if set(wanted) == set(catalogue) else {"indicator": wanted}
    if codes is not None:
        where["iso3"] = codes
    if request is None:
        return read_parquet(folder, resource, where, VALUE_COLUMNS)
    spans = [coverage(catalogue[name]["years"]) or coverage(resource.get("kzegov:years")) for name in wanted]
    years = sorted({year for span in spans if span for year in request.within(*span)})
    where["year"] = years
    long = read_parquet(folder, resource, where, VALUE_COLUMNS) if years else None
    if long is None or long.empty:
        existing = read_parquet(folder, resource, {"indicator": wanted}, ["indicator", "year"])["year"]
        if long is None or not existing.isin(years).any():
            raise years_not_published(", ".join(wanted), request, sorted(int(y) for y in existing.unique()))
    return long


def group_membership(
    long: pd.DataFrame, codes: Collection[str], income_groups: Collection[str], classification: IncomeClassification,
    as_of: int | None,
) -> tuple[pd.Series, dict[int, str]]:
    """Which rows of ``long`` belong to the selection, and the classification label of each year.

    A row belongs if its country is one of ``codes`` or, in that row's year (or ``as_of``), a
    member of one of the income groups.
    """
    import pandas as pd

    years = sorted(int(year) for year in long["year"].unique())
    pairs: list[tuple[str, int]] = []
    labels: dict[int, str] = {}
    for year in years:
        for group in income_groups:
            members, labels[year] = classification.members(group, year if as_of is None else as_of)
            pairs.extend((code, year) for code in members)
    keys = pd.MultiIndex.from_arrays([long["iso3"].astype(str), long["year"].astype("int64")])
    inside = long["iso3"].isin(list(codes)).to_numpy() | keys.isin(pairs)
    return pd.Series(inside, index=long.index), labels


def panel_metadata(wanted: list[str], catalogue: Mapping[str, dict[str, Any]], folder: Path) -> dict[str, Any]:
    """``attrs`` of a panel: per indicator its unit, source table, licence and citation."""
    from .api import first, published_tables

    resources = published_tables(folder)

    def of(name: str) -> dict[str, Any]:
        return resources.get(catalogue[name]["table"], {})

    return {
        "title": f"kzegov_data panel: {', '.join(wanted)}",
        "units": {name: catalogue[name]["unit"] for name in wanted},
        "source": {name: catalogue[name]["table"] for name in wanted},
        "licence": {name: first(of(name).get("licenses")).get("name", "") for name in wanted},
        "licence_url": {name: first(of(name).get("licenses")).get("path", "") for name in wanted},
        "citation": {name: of(name).get("kzegov:citation", "") for name in wanted},
    }


def panel(
    indicators: str | Iterable[str],
    countries: str | int | Iterable[str | int] | None = None,
    years: int | str | Iterable[int | str] | None = None,
    *,
    as_of: int | str | datetime.date | None = None,
    edition: str | Mapping[str, str] | None = None,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """A country-year frame with one column per indicator (missing where a source has no value).

    Years are the sources' own: EGDI sits on its survey years (2003, 2004, 2005, 2008, ...) and is
    never interpolated; the two CPI scales are two indicators (``cpi_score`` from 2012,
    ``cpi_score_0_10`` to 2011) and never share a column. ``countries`` and ``years`` take what
    :func:`kzegov_data.load` takes; years in which none of the indicators has a value raise
    :class:`~kzegov_data.errors.YearNotPublishedError`. An income group (``"income:high"``) selects
    each year's members (``as_of=2015``: the members of 2015 for every year) and adds a
    ``classification`` column saying which classification each year used.

    ``edition="HDR21-22"`` reads that edition of the indicators' table (an indicator of a table
    without it raises :class:`~kzegov_data.errors.UnknownEditionError`), a mapping names one per
    table; ``as_of="2022-06-30"`` (or a ``datetime.date``) reads what could be downloaded that day:
    each table's edition current then, only years released by then, the income classification in
    effect then; ``attrs["editions"]`` says which per table.

    ``attrs`` hold ``title`` and, per indicator, ``units``, ``source`` (its table), ``licence``,
    ``licence_url`` and ``citation``.

    >>> import kzegov_data as kz
    >>> wide = kz.panel(["egdi", "cpi_score"], countries="central_asia", years=2024)
    >>> wide.set_index("iso3").loc["KAZ", "egdi"]
    np.float64(0.90093)
    """
    from .api import check_as_of, income_classification, parse_years, resolve_data_dir, select_countries

    folder = resolve_data_dir(data_dir)
    catalogue = published_catalogue(folder)
    wanted = check_indicators(indicators, catalogue)
    selection = None if countries is None else select_countries(countries, folder)
    request = parse_years(years)
    codes = None if selection is None or selection.income_groups else selection.codes
    choices = edition_choices(folder, tables_of(wanted, catalogue), edition, as_of)
    long = chosen_values(folder, wanted, catalogue, codes, request, choices)
    labels: dict[int, str] = {}
    note = ""
    if selection is not None and selection.income_groups:
        classification = income_classification(folder)
        year = check_as_of(classification_as_of(as_of), classification)
        inside, labels = group_membership(long, selection.codes, selection.income_groups, classification, year)
        long = long[inside.to_numpy()]
        note = classification.describe() if year is None else as_of_note(as_of, year)
    # pivot, not pivot_table: a duplicated (iso3, year, indicator) must fail, not be averaged.
    wide = long.pivot(index=["iso3", "year"], columns="indicator", values="value")  # noqa: PD010
    wide = wide.reindex(columns=wanted).reset_index()
    wide.columns.name = None
    wide["iso3"] = wide["iso3"].astype(str)
    wide = wide.sort_values(["iso3", "year"], ignore_index=True)
    if labels:
        wide["classification"] = wide["year"].map(labels)
    wide.attrs.update(panel_metadata(wanted, catalogue, folder))
    wide.attrs["notes"] = [note] if note else []
    if choices:
        wide.attrs["editions"] = edition_attrs(choices)
        wide.attrs["notes"].append("editions: " + "; ".join(f"{t} {c}" for t, c in wide.attrs["editions"].items()))
    if note:
        wide.attrs["classification"] = note
    return wide


def one_country(country: object, folder: Path) -> str:
    """The ISO3 code of ``compare``'s ``country`` (one country, not a group or a list)."""
    from .api import select_countries

    if not isinstance(country, str) and not country_codes.is_integer(country):
        msg = f"country={country_codes.short_repr(country)}: compare takes one country (a code or a name)"
        raise InvalidArgumentError(msg)
    selection = select_countries(country, folder)
    if selection.income_groups or len(selection.codes) != 1:
        msg = (f"country={country!r} is a group; compare takes one country (e.g. 'KAZ') and the group "
               f"as peers={country!r}")
        raise InvalidArgumentError(msg)
    return selection.codes[0]


def default_peers(code: str, folder: Path) -> str:
    """The smallest of the study's peer groups that holds ``code``, else an error naming the choices."""
    from .api import income_classification

    group = country_codes.default_peer_group(code)
    if group is not None:
        return group
    own = income_classification(folder).current.get(code)
    slug = next((slug for slug, name in country_codes.INCOME_GROUPS.items() if name == own), None)
    hint = f" (its income group: peers='{country_codes.INCOME_PREFIX}{slug}')" if slug else ""
    msg = (f"{code} is in none of the study's peer groups; pass peers= one of "
           f"{', '.join(country_codes.peer_group_names())}{hint}, or a list of countries")
    raise InvalidArgumentError(msg)


COMPARE_COLUMNS = [
    "year", "iso3", "value", "rank", "group_size", "group_median", "group_best", "best_iso3",
    "gap_to_median", "gap_to_best", "group_weighted",
]


def compare(
    country: str | int,
    peers: str | int | Iterable[str | int] | None,
    indicator: str,
    years: int | str | Iterable[int | str] | None = None,
    *,
    as_of: int | str | datetime.date | None = None,
    edition: str | Mapping[str, str] | None = None,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Per year: ``country``'s value, its rank in the group, the group's median and best, the gaps.

    The group is the peer group (``"central_asia"``, ``"eaeu"``, ``"post_soviet"``,
    ``"paper_comparators"``, ``"income:upper_middle"``...) or a list of countries and groups, plus
    ``country`` itself; ``peers=None`` takes the smallest of the study's groups that holds ``country``
    (``attrs["peers"]`` says which). An income group has each year's members (``as_of=2015``: those
    of 2015) and adds a ``classification`` column (``"FY23"``, ``"current"``). Rank 1 is best, in
    the indicator's direction (lower is better for ranks and GII); ties share the best rank. Gaps
    are ``value - median`` and ``value - best``. For ITU per-100 indicators that come with
    subscription counts, ``group_weighted`` is the population-weighted aggregate (total
    subscriptions over the population implied by each country's count and rate); elsewhere it is
    missing, because averaging percentages of countries of different size misleads.
    ``edition`` and ``as_of`` (a date) choose the edition as in :func:`panel`; every country is
    compared within that one edition.

    >>> import kzegov_data as kz
    >>> table = kz.compare("KAZ", peers="central_asia", indicator="egdi")
    >>> table.loc[table["year"] == 2024, ["value", "rank", "group_size"]].to_dict("records")
    [{'value': 0.90093, 'rank': 1, 'group_size': 5}]
    """
    from .api import (
        check_as_of,
        first,
        income_classification,
        parse_years,
        published_tables,
        resolve_data_dir,
        select_countries,
    )

    folder = resolve_data_dir(data_dir)
    catalogue = published_catalogue(folder)
    if not isinstance(indicator, str):
        msg = f"indicator={country_codes.short_repr(indicator)}: compare takes one indicator id"
        raise InvalidArgumentError(msg)
    (name,) = check_indicators(indicator, catalogue)
    spec = catalogue[name]
    if spec["better"] is None:
        msg = (
            f"{name} ({spec['unit']}) does not rank countries (a count or a ratio around parity); "
            "compare a per-100 or share indicator instead"
        )
        raise KzegovDataError(msg)
    code = one_country(country, folder)
    peer_groups = country_codes.as_country_items(default_peers(code, folder) if peers is None else peers)
    selection = select_countries(peer_groups, folder)
    fixed = sorted({code, *selection.codes})
    request = parse_years(years)
    weight = spec.get("weighted_by")
    wanted = [name] + ([weight] if weight else [])
    choices = edition_choices(folder, tables_of(wanted, catalogue), edition, as_of)
    long = chosen_values(folder, wanted, catalogue, None if selection.income_groups else fixed, request, choices)
    long = long[long["value"].notna()]
    labels: dict[int, str] = {}
    note = ""
    if selection.income_groups:
        classification = income_classification(folder)
        checked_as_of = check_as_of(classification_as_of(as_of), classification)
        inside, labels = group_membership(long, fixed, selection.income_groups, classification, checked_as_of)
        long = long[inside.to_numpy()]
        note = (classification.describe() if checked_as_of is None
                else as_of_note(as_of, checked_as_of))
    result = ranked(long, code, name, weight, ascending=spec["better"] == "lower")
    if labels:
        result["classification"] = result["year"].map(labels)
    resource = published_tables(folder).get(spec["table"], {})
    result.attrs.update(
        indicator=name, unit=spec["unit"], better=spec["better"],
        group=sorted(set(long.loc[long["indicator"] == name, "iso3"].astype(str)) | set(fixed)),
        peers=peer_groups[0] if isinstance(peers, str) or peers is None else peer_groups,
        aggregation=(
            "group_weighted: population-weighted (sum of subscriptions / implied population)"
            if weight else "group_weighted: not computed (no counts to weight by)"
        ),
        source=spec["table"], licence=first(resource.get("licenses")).get("name", ""),
        citation=resource.get("kzegov:citation", ""),
    )
    notes = []
    if peers is None:
        notes.append(f"peers: {peer_groups[0]} (the smallest of the study's groups that holds {code})")
    if note:
        result.attrs["classification"] = note
        notes.append(note)
    if choices:
        result.attrs["editions"] = edition_attrs(choices)
        notes.append("editions: " + "; ".join(f"{t} {c}" for t, c in result.attrs["editions"].items()))
    result.attrs["notes"] = notes
    return result


def ranked(long: pd.DataFrame, code: str, name: str, weight: str | None, *, ascending: bool) -> pd.DataFrame:
    """The per-year comparison of ``code`` with the other countries of ``long`` (one group per year).

    A group is a few countries and a table a few dozen years, so each year is worked out with numpy
    and the frame built once: in a fresh process pandas' groupby machinery costs more to set up than
    the whole comparison. Ranks are pandas' ``method="min"``: 1 + the members strictly better.
    """
    import numpy as np
    import pandas as pd

    values = long.loc[long["indicator"] == name, ["year", "iso3", "value"]]
    years = values["year"].to_numpy()
    codes = values["iso3"].astype(str).to_numpy()
    numbers = values["value"].to_numpy(dtype="float64")
    rows = []
    for year in np.unique(years):
        in_year = years == year
        group, members = numbers[in_year], codes[in_year]
        best_value = group.min() if ascending else group.max()
        for value in group[members == code]:
            better = group < value if ascending else group > value
            rows.append((year, value, 1 + np.count_nonzero(better), len(group), np.median(group), best_value,
                         ",".join(sorted(members[group == best_value]))))
    year, value, rank, size, median, best, leaders = map(list, zip(*rows, strict=True)) if rows else [[]] * 7
    own, middle, top = (np.array(column, dtype="float64") for column in (value, median, best))
    result = pd.DataFrame({
        "year": np.array(year, dtype="int64"), "iso3": pd.array([code] * len(year), dtype="str"), "value": own,
        "rank": np.array(rank, dtype="int64"), "group_size": np.array(size, dtype="int64"),
        "group_median": middle, "group_best": top, "best_iso3": pd.array(leaders, dtype="str"),
        "gap_to_median": own - middle, "gap_to_best": own - top,
        "group_weighted": np.full(len(year), np.nan),
    })
    if weight is not None and len(result):
        frame = pd.DataFrame({"year": years, "iso3": codes, "value": numbers})
        result["group_weighted"] = result["year"].map(weighted_by_year(long, frame, weight)).astype("float64")
    return result


def weighted_by_year(long: pd.DataFrame, values: pd.DataFrame, count_indicator: str) -> pd.Series:
    """Per year, total subscriptions per 100 inhabitants of the group, where every member with a
    rate has a count (and a positive rate); missing otherwise."""
    import pandas as pd

    years = pd.Index(sorted(values["year"].unique()), name="year")
    counts = long.loc[long["indicator"] == count_indicator, ["year", "iso3", "value"]].copy()
    counts["iso3"] = counts["iso3"].astype(str)
    merged = values.merge(counts.rename(columns={"value": "count"}), on=["year", "iso3"], how="left")
    rate, count = merged["value"], merged["count"]
    merged["usable"] = rate.notna() & count.notna() & (rate > 0)
    merged["population"] = count / (rate / 100)
    grouped = merged.groupby("year")
    aggregate = 100 * grouped["count"].sum() / grouped["population"].sum()
    return aggregate.where(grouped["usable"].all()).reindex(years).astype("float64")



# --- editions: never mixed, chosen by name or by the day an analyst downloaded -----------------------------
#
# ``edition=`` applies to the tables the indicators come from; ``as_of=`` a date picks, per table, the
# edition that was current that day (release dates: the ``released`` of each edition in
# ``datapackage.json``, whose ``released_source`` says where the date is printed). An earlier edition of
# a revising source is read from the ``revisions`` table, which holds every edition's values derived as
# the ``indicators`` table derives the current one; a per-year edition is that year's rows.


@dataclass(frozen=True)
class EditionChoice:
    """Which edition of one table a panel or comparison reads."""

    table: str
    label: str  #: what the result's ``attrs["editions"]`` say
    edition: str | None = None  #: an earlier edition of a revising source: read from ``revisions``
    years: frozenset[int] | None = None  #: per-year editions: only these years


def tables_of(wanted: list[str], catalogue: Mapping[str, dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(str(catalogue[name]["table"]) for name in wanted))


def edition_request(edition: object, tables: list[str], catalogue: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """``edition=`` as ``{table: edition name}``: one name for every table, or a mapping by table or source id."""
    if isinstance(edition, str) or country_codes.is_integer(edition):
        return dict.fromkeys(tables, edition)
    if not isinstance(edition, Mapping):
        msg = (f"edition={country_codes.short_repr(edition)}: expected an edition name ('HDR21-22') or a mapping "
               "of table to edition ({'undp_hdi': 'HDR21-22', 'wb_wgi': '2021'})")
        raise InvalidArgumentError(msg)
    sources = {str(record["source"]): str(record["table"]) for record in catalogue.values()}
    asked = {}
    for key, name in edition.items():
        table = sources.get(str(key), str(key))
        if table not in tables:
            msg = (f"edition={{{key!r}: {name!r}}}: {key!r} is not a table of the indicators asked for; "
                   f"their tables: {', '.join(tables)}")
            raise InvalidArgumentError(msg)
        asked[table] = name
    return asked


def edition_choices(folder: Path, tables: list[str], edition: object, as_of: object) -> dict[str, EditionChoice]:
    """Per table, the edition to read (tables left out: the current table, as without editions)."""
    from .api import as_date, edition_entries, find_edition, is_date, released_by

    if edition is None and not is_date(as_of):
        return {}
    if edition is not None and is_date(as_of):
        msg = (f"edition={edition!r} and as_of={as_of!r} both choose editions; pass one of them (as_of as a year "
               "only chooses the income classification and goes with edition=)")
        raise InvalidArgumentError(msg)
    choices = {}
    if edition is not None:
        catalogue = published_catalogue(folder)
        for table, name in edition_request(edition, tables, catalogue).items():
            try:
                resource, entry = find_edition(folder, table, name)
            except UnknownEditionError as error:
                if len(tables) > 1 and not isinstance(edition, Mapping):
                    msg = (f"edition={edition!r} applies to every table of the indicators asked for, but {error}; "
                           "choose per table, e.g. edition={'undp_hdi': 'HDR21-22', 'wb_wgi': '2021'}")
                    raise UnknownEditionError(msg) from None
                raise
            choices[table] = choice_of(resource, entry, str(entry["name"]))
        return choices
    day = as_date(as_of)
    for table in tables:
        resource, entries = edition_entries(folder, table)
        if not resource.get("editions"):
            continue  # no editions recorded: the published table is the only one
        released = released_by(entries, day)
        if all(entry["path"] == resource["path"] and entry.get("current") for entry in entries) and len(entries) > 1:
            years = frozenset(year for entry in released for year in edition_years(entry))
            span = f"{min(years)}-{max(years)}" if years else "none"
            choices[table] = EditionChoice(table, f"years released by {day}: {span}", years=years)
        elif released:
            choices[table] = choice_of(resource, released[-1], f"{released[-1]['name']} (current on {day})")
        else:
            first = entries[0]
            msg = (f"as_of={day.isoformat()}: no edition of {table} published here had been released by then; the "
                   f"earliest is {first['name']}, released {first.get('released')} (kz.editions({table!r}))")
            raise InvalidArgumentError(msg)
    return choices


def edition_years(entry: Mapping[str, Any]) -> range:
    from .api import entry_span

    span = entry_span(entry)
    return range(span[0], span[1] + 1) if span else range(0)


def choice_of(resource: Mapping[str, Any], entry: Mapping[str, Any], label: str) -> EditionChoice:
    from .api import coverage, entry_span

    if entry["path"] != resource["path"]:
        return EditionChoice(str(resource["name"]), label, edition=str(entry["name"]))
    span = entry_span(entry)
    if span is not None and span != coverage(resource.get("kzegov:years")):
        return EditionChoice(str(resource["name"]), label, years=frozenset(edition_years(entry)))
    return EditionChoice(str(resource["name"]), label)


def chosen_values(
    folder: Path,
    wanted: list[str],
    catalogue: Mapping[str, dict[str, Any]],
    codes: Collection[str] | None,
    request: YearRequest | None,
    choices: Mapping[str, EditionChoice],
) -> pd.DataFrame:
    """:func:`indicator_values` with each table's chosen edition (no choice: the same frame)."""
    if not choices:
        return indicator_values(folder, wanted, catalogue, codes, request)
    import pandas as pd

    from .api import years_not_published

    earlier = [name for name in wanted if (choice := choices.get(catalogue[name]["table"])) and choice.edition]
    current = [name for name in wanted if name not in earlier]
    parts = []
    if current:
        try:
            long = indicator_values(folder, current, catalogue, codes, request)
        except YearNotPublishedError:
            if not earlier:
                raise
        else:
            for table, choice in choices.items():
                if choice.years is not None:
                    names = [name for name in current if catalogue[name]["table"] == table]
                    drop = long["indicator"].isin(names).to_numpy() & ~long["year"].isin(list(choice.years)).to_numpy()
                    long = long[~drop]
            parts.append(long)
    for table, choice in choices.items():
        names = [name for name in earlier if catalogue[name]["table"] == table]
        if names and choice.edition is not None:
            parts.append(revised_values(folder, names, choice.edition, table, codes, request))
    long = pd.concat([part.astype({"iso3": "str", "indicator": "str"}) for part in parts], ignore_index=True)
    if long.empty and request is not None:
        raise years_not_published(", ".join(wanted), request, [])
    return long


def revised_values(folder: Path, names: list[str], edition: str, table: str, codes: Collection[str] | None,
                   request: YearRequest | None) -> pd.DataFrame:
    """``iso3, year, indicator, value`` of an earlier edition, from the ``revisions`` table."""
    from .api import read_parquet, revisions_resource

    resource = revisions_resource(folder)
    where: dict[str, Collection[Any]] = {"indicator": names, "edition": [edition]}
    if codes is not None:
        where["iso3"] = codes
    long = read_parquet(folder, resource, where, [*VALUE_COLUMNS, "edition"])
    if request is not None:
        long = long[[year in request for year in long["year"]]]
    found = set(long["indicator"].astype(str))
    for name in names:
        if name not in found and read_parquet(folder, resource, {"indicator": [name], "edition": [edition]},
                                              ["indicator", "edition"]).empty:
            msg = (f"{name} is not in edition {edition!r} of {table}: that edition does not publish it "
                   f"(kz.revisions({name!r}) shows the editions that do)")
            raise UnknownIndicatorError(msg)
    return long[VALUE_COLUMNS]


def classification_as_of(as_of: object) -> object:
    """The year whose income classification ``as_of`` means: a year as given, or for a date the
    classification in effect that day."""
    from .api import as_date, classification_year, is_date

    return classification_year(as_date(as_of)) if is_date(as_of) else as_of


def as_of_note(as_of: object, year: int | None) -> str:
    from .api import is_date

    if is_date(as_of):
        return f"income groups: the classification in effect on {as_of} (based on {year} incomes)"
    return f"income groups: the classification of {year}"


def edition_attrs(choices: Mapping[str, EditionChoice]) -> dict[str, str]:
    return {table: choice.label for table, choice in sorted(choices.items())}
