"""Country names and codes -> ISO 3166-1 alpha-3, peer groups, and the countries table.

Every source spells countries its own way. Names go through exact lookups in pycountry (the
maintained ISO 3166 database) plus a small reviewed override table, ``data/country_overrides.csv``.
There is deliberately no fuzzy matching: pycountry's fuzzy search maps "Republic of Korea" to North
Korea. A name that matches nothing stops the build with the list of offending names.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from .errors import CountryError, UnknownPeerGroupError

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
    return names.map(mapping).astype("string")


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


def resolve_countries(countries: str | Iterable[str], expand: Callable[[str], list[str]]) -> list[str]:
    """ISO3 codes for a peer-group name, one country, or a list of names/codes.

    ``expand`` gives the members of a peer group (the caller knows where the countries table is).
    """
    if isinstance(countries, str):
        if is_peer_group(countries):
            return expand(countries)
        countries = [countries]
    codes: list[str] = []
    unknown: list[str] = []
    for item in countries:
        code = item if item in known_iso3() else lookup_iso3(item)
        if code is None:
            unknown.append(item)
        else:
            codes.append(code)
    if unknown:
        msg = (
            f"unknown country or group: {', '.join(map(repr, unknown))}; use ISO3 codes, "
            f"country names or one of the groups {', '.join(peer_group_names())}"
        )
        raise CountryError(msg)
    return codes


def iter_countries() -> Iterable[tuple[str, str, str | None]]:
    """(iso3, name, iso numeric) of every ISO 3166-1 country plus the extra codes."""
    import pycountry

    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        yield country.alpha_3, name, country.numeric
    for code, name in EXTRA_CODES.items():
        yield code, name, None
