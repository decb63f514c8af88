"""Country names and codes -> ISO 3166-1 alpha-3, peer groups, and the countries table.

Every source spells countries its own way. Names go through exact lookups in pycountry (the
maintained ISO 3166 database) plus a small reviewed override table, ``data/country_overrides.csv``.
There is deliberately no fuzzy matching: pycountry's fuzzy search maps "Republic of Korea" to North
Korea. A name that matches nothing stops the build with the list of offending names.

What a user types (``countries=`` of ``load``, ``panel``, ``compare``) is matched more widely but
still exactly: codes of every kind, the reviewed short names of ``data/country_aliases.csv`` ("UK";
"Korea" is ambiguous and says so), and every name the published tables print. Only the error
message is fuzzy: it suggests the closest known names.
"""

from __future__ import annotations

import csv
import numbers
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from .errors import AmbiguousCountryError, CountryError, InvalidArgumentError, UnknownPeerGroupError

if TYPE_CHECKING:
    import pandas as pd

#: Codes that are not in ISO 3166-1 but that the package publishes, with their names. ANT, the
#: Netherlands Antilles, left ISO 3166-1 when the country was dissolved in 2010; WGI still scores
#: it for 2004-2013 and no successor code covers the same territory, so its former code is kept.
EXTRA_CODES: dict[str, str] = {"XKX": "Kosovo", "ANT": "Netherlands Antilles (former)"}


@dataclass(frozen=True)
class PeerGroup:
    """A group of countries to compare Kazakhstan with; the ``countries`` table has a flag per group."""

    title: str
    description: str
    members: tuple[str, ...]


#: Peer groups of the study, each with sorted ISO3 members.
PEER_GROUPS: dict[str, PeerGroup] = {
    "central_asia": PeerGroup(
        "Central Asia", "The five former Soviet republics of Central Asia.", ("KAZ", "KGZ", "TJK", "TKM", "UZB"),
    ),
    "eaeu": PeerGroup("Eurasian Economic Union", "The member states of the EAEU.", ("ARM", "BLR", "KAZ", "KGZ", "RUS")),
    "post_soviet": PeerGroup(
        "Post-Soviet", "The 15 former Soviet republics.",
        ("ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LTU", "LVA", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB"),
    ),
    "paper_comparators": PeerGroup(
        "Study comparators", "The countries the study behind the package draws lessons from.",
        ("BGD", "CHN", "IND", "KOR"),
    ),
}
#: World Bank income groups as peer groups: ``income:<slug>`` -> the group's name in the countries table.
INCOME_GROUPS: dict[str, str] = {
    "low": "Low income",
    "lower_middle": "Lower middle income",
    "upper_middle": "Upper middle income",
    "high": "High income",
}
INCOME_PREFIX = "income:"


def normalise_name(name: str) -> str:
    """The form in which names are compared: NFC, inner runs of white space folded, trimmed."""
    return " ".join(unicodedata.normalize("NFC", name).split())


@cache
def overrides() -> dict[str, str]:
    """The reviewed override table, keyed by case-folded normalised name."""
    text = resources.files("kzegov_data").joinpath("data/country_overrides.csv").read_text("utf-8")
    table: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        table[normalise_name(row["name"]).casefold()] = row["iso3"]
    return table


@cache
def known_iso3() -> frozenset[str]:
    """Every code the package may publish: ISO 3166-1 alpha-3 plus :data:`EXTRA_CODES`."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(EXTRA_CODES)


@cache
def lookup_iso3(name_or_code: str) -> str | None:
    """ISO3 for one name or code, or ``None``. Overrides first, then pycountry's exact lookup.

    >>> lookup_iso3("Kazakhstan "), lookup_iso3("Republic of Korea")
    ('KAZ', 'KOR')
    """
    import pycountry

    key = normalise_name(name_or_code)
    if not key:
        return None
    override = overrides().get(key.casefold())
    if override is not None:
        return override
    try:
        # Exact, case-insensitive match on alpha-2/alpha-3/numeric code, name, official or common name.
        return str(pycountry.countries.lookup(key).alpha_3)
    except LookupError:
        return None


def to_iso3(names: pd.Series, *, file: str) -> pd.Series:
    """Map a column of names or codes to ISO3; stop on any unmatched or ambiguous name.

    Raises :class:`CountryError` listing every name that matches no code, and every code that two
    different names of the same file map to (a sign of a wrong override or a duplicated row).
    """
    distinct = sorted({str(v) for v in names.dropna().unique()})
    mapping = {name: lookup_iso3(name) for name in distinct}
    unmatched = [name for name, code in mapping.items() if code is None]
    if unmatched:
        listed = "; ".join(repr(n) for n in unmatched[:10]) + (f"; and {len(unmatched) - 10} more"
                                                              if len(unmatched) > 10 else "")
        msg = (
            f"{file}: {len(unmatched)} country name(s) match no ISO 3166-1 code: {listed}. "
            "If a name is a real country, add a reviewed line to "
            "src/kzegov_data/data/country_overrides.csv; if it is an aggregate, drop it in the parser."
        )
        raise CountryError(msg)
    by_code: dict[str, set[str]] = {}
    for name, code in mapping.items():
        by_code.setdefault(str(code), set()).add(normalise_name(name))
    clashes = {code: sorted(n) for code, n in by_code.items() if len(n) > 1}
    if clashes:
        shown = sorted(clashes.items())[:10]
        listed = "; ".join(f"{code} <- {' / '.join(n[:5])}" for code, n in shown) + (
            f"; and {len(clashes) - 10} more" if len(clashes) > 10 else "")
        msg = f"{file}: different names map to the same ISO3 code: {listed}. Review the overrides."
        raise CountryError(msg)
    if names.isna().any():
        msg = f"{file}: {int(names.isna().sum())} row(s) have no country name or code"
        raise CountryError(msg)
    import pandas as pd

    # Per distinct name, then taken by code: files repeat each name once a year or indicator.
    codes, uniques = pd.factorize(names)
    found = pd.array([mapping.get(name) for name in uniques], dtype="string")
    return pd.Series(found.take(codes, allow_fill=True), index=names.index, name=names.name)


def peer_group_names() -> list[str]:
    return sorted(PEER_GROUPS) + [f"{INCOME_PREFIX}{slug}" for slug in INCOME_GROUPS]


def income_group(group: str) -> str | None:
    """The World Bank income group a peer-group name such as ``income:upper_middle`` stands for."""
    return INCOME_GROUPS.get(group.removeprefix(INCOME_PREFIX)) if group.startswith(INCOME_PREFIX) else None


def is_peer_group(name: str) -> bool:
    return name in PEER_GROUPS or income_group(name) is not None


def unknown_peer_group(group: str) -> UnknownPeerGroupError:
    msg = f"unknown peer group {group!r}; known groups: {', '.join(peer_group_names())}"
    return UnknownPeerGroupError(msg)


def peers(group: str) -> list[str]:
    """ISO3 codes of one of the study's peer groups, sorted (income groups need the countries
    table: :func:`kzegov_data.api.peers` resolves those).

    >>> peers("central_asia")
    ['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB']
    """
    if group not in PEER_GROUPS:
        raise unknown_peer_group(group)
    return list(PEER_GROUPS[group].members)


def default_peer_group(code: str) -> str | None:
    """The smallest of the study's peer groups that holds ``code`` (ties: the first name in
    alphabetical order), or ``None``.

    >>> default_peer_group("KAZ"), default_peer_group("ARM"), default_peer_group("FRA")
    ('central_asia', 'eaeu', None)
    """
    own = sorted((len(group.members), name) for name, group in PEER_GROUPS.items() if code in group.members)
    return own[0][1] if own else None


@cache
def aliases() -> dict[str, tuple[str, ...]]:
    """Short names people type that no publisher spells (``UK``, ``Burma``), from the reviewed table
    ``data/country_aliases.csv``, keyed by case-folded name; a name with two codes is ambiguous."""
    text = resources.files("kzegov_data").joinpath("data/country_aliases.csv").read_text("utf-8")
    return {normalise_name(row["name"]).casefold(): tuple(row["iso3"].split())
            for row in csv.DictReader(text.splitlines())}


@dataclass(frozen=True)
class CountryIndex:
    """What a user's country names and codes are matched against.

    ``codes``: every ISO3 code that may be published; ``numeric``: ISO 3166-1 numeric code -> ISO3;
    ``published_names``: every name a published table prints -> its ISO3 (asked for only when a name
    is neither a code, an alias nor a name pycountry or the overrides know).
    """

    codes: frozenset[str]
    numeric: Mapping[str, str]
    published_names: Callable[[], Mapping[str, str]]


def pycountry_index() -> CountryIndex:
    """The index when there is no published ``countries`` table to read codes from."""
    import pycountry

    numeric = {str(country.numeric): str(country.alpha_3) for country in pycountry.countries}
    return CountryIndex(known_iso3(), numeric, dict)


@dataclass(frozen=True)
class CountrySelection:
    """Countries asked for: ``codes`` named directly or through the study's peer groups (in the
    order asked, without repeats), and ``income_groups`` (``income:<slug>``), whose members depend
    on the classification the caller applies (each year's, or today's)."""

    codes: tuple[str, ...]
    income_groups: tuple[str, ...]


COUNTRIES_ACCEPTED = (
    "ISO3 ('KAZ'), ISO2 ('KZ') or numeric (398) codes, country names ('Kazakhstan'), peer groups "
    f"({', '.join(peer_group_names())}) or a list of those"
)


def select_countries(countries: str | int | Iterable[str | int], index: CountryIndex) -> CountrySelection:
    """Parse the ``countries`` argument of ``load``, ``panel`` and ``compare``.

    Raises :class:`InvalidArgumentError` for an argument of the wrong type or an empty list,
    :class:`UnknownPeerGroupError` for an ``income:`` group that does not exist,
    :class:`AmbiguousCountryError` for a name of two countries, and :class:`CountryError` for names
    that match nothing (with the closest known names).
    """
    items = as_country_items(countries)
    codes: dict[str, None] = {}
    income: dict[str, None] = {}
    unknown: list[str] = []
    for item in items:
        name = str(item)
        if name in PEER_GROUPS:
            codes.update(dict.fromkeys(PEER_GROUPS[name].members))
            continue
        if name.startswith(INCOME_PREFIX):
            if income_group(name) is None:
                raise unknown_peer_group(name)
            income[name] = None
            continue
        found = country_code(item, index)
        if isinstance(found, tuple):
            listed = ", ".join(f"{code} ({display_name(code)})" for code in found)
            msg = f"{name!r} is ambiguous: it may mean {listed}; pass the ISO3 code of the one you mean"
            raise AmbiguousCountryError(msg)
        if found is None:
            unknown.append(name)
        else:
            codes[found] = None
    if unknown:
        hints = "; ".join(f"{name!r}{suggestion(name, index)}" for name in unknown)
        msg = f"unknown country or group: {hints}. Accepted: {COUNTRIES_ACCEPTED}"
        raise CountryError(msg)
    return CountrySelection(tuple(codes), tuple(income))


def as_country_items(countries: object) -> list[str | int]:
    """The ``countries`` argument as a list of names and codes (one item stays one item)."""
    if isinstance(countries, str) or is_integer(countries):
        return [countries]  # type: ignore[list-item]
    if isinstance(countries, (bytes, Mapping)) or not isinstance(countries, Iterable):
        msg = f"countries={short_repr(countries)}: expected {COUNTRIES_ACCEPTED}"
        raise InvalidArgumentError(msg)
    items = list(countries)
    wrong = [item for item in items if not (isinstance(item, str) or is_integer(item))]
    if wrong:
        msg = f"countries: {short_repr(wrong[0])} is not a name or code; expected {COUNTRIES_ACCEPTED}"
        raise InvalidArgumentError(msg)
    if not items:
        msg = ("countries=[] names no country; pass at least one code, name or group, or leave "
               "countries out (None) for every country")
        raise InvalidArgumentError(msg)
    return items


def is_integer(value: object) -> bool:
    """An int, a numpy integer or another ``numbers.Integral``, but not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def short_repr(value: object, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else f"{text[:width - 3]}..."


def country_code(item: str | int, index: CountryIndex) -> str | tuple[str, ...] | None:
    """ISO3 for one name or code; a tuple of codes for an ambiguous alias; ``None`` if nothing matches.

    In order: an ISO3 code (any case), a numeric code, a reviewed alias, the overrides and
    pycountry's exact lookup (ISO2, names), then the names the published tables print.
    """
    key = f"{int(item):03d}" if is_integer(item) else normalise_name(str(item))
    if not key:
        return None
    if key.upper() in index.codes and key.isalpha():
        return key.upper()
    if key.isdigit():
        return index.numeric.get(key.zfill(3))
    alias = aliases().get(key.casefold())
    if alias is not None:
        return alias[0] if len(alias) == 1 else alias
    found = lookup_iso3(key)
    if found is not None:
        return found
    published = {normalise_name(name).casefold(): code for name, code in index.published_names().items()}
    return published.get(key.casefold())


def display_name(code: str) -> str:
    """A country's name for messages: pycountry's common name, or the name of an extra code."""
    if code in EXTRA_CODES:
        return EXTRA_CODES[code]
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    return code if country is None else str(getattr(country, "common_name", None) or country.name)


def suggestion(name: str, index: CountryIndex) -> str:
    """`` (did you mean ...?)`` with up to three close names or codes, or ``" (no close match)"``."""
    import difflib

    import pycountry

    known: dict[str, str] = {}  # case-folded candidate -> how it is shown
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                known[value.casefold()] = f"{value!r} ({country.alpha_3})"
    for value, code in index.published_names().items():
        known.setdefault(value.casefold(), f"{value!r} ({code})")
    for value, codes in aliases().items():
        known.setdefault(value, f"{value!r} ({' or '.join(codes)})")
    for group in peer_group_names():
        known[group] = repr(group)
    if len(name) <= 3:
        known.update({code.casefold(): code for code in index.codes})
    close = difflib.get_close_matches(name.casefold(), list(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(known[match] for match in close)}?)" if close else " (no close match)"


def iter_countries() -> Iterable[tuple[str, str, str | None]]:
    """(iso3, name, iso numeric) of every ISO 3166-1 country plus the extra codes."""
    import pycountry

    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        yield country.alpha_3, name, country.numeric
    for code, name in EXTRA_CODES.items():
        yield code, name, None
