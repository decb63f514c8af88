"""Schema of the ``countries`` table: codes, names, World Bank region and income group, peer flags.

The peer-group flag columns are generated from :data:`kzegov_data.countries.PEER_GROUPS`, so a
new group is declared once, there.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandera.pandas as pa
from pandera.typing import Series

from ...countries import INCOME_GROUPS, PEER_GROUPS
from ...schemas import CountryTable


class CountriesColumns(CountryTable):
    """The columns of ``countries`` before the peer-group flags."""

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
        isin=list(INCOME_GROUPS.values()),
        title="World Bank income group",
        description="Classification in force when the World Bank file was built (revised every 1 July).",
        metadata={"unit": "category"},
    )


class CountriesConfig:
    name = "countries"
    title = "Countries"
    description = (
        "ISO 3166-1 countries (plus Kosovo and the former Netherlands Antilles) with World Bank "
        "region, income group and peer groups."
    )
    strict = True
    coerce = True
    unique: ClassVar[list[str]] = ["iso3"]


def with_peer_flags() -> Any:
    """``CountriesColumns`` plus one boolean column per peer group, in the groups' order."""
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__doc__": "Countries: codes, names, World Bank region and income group, peer groups.",
        "__annotations__": {group: Series[bool] for group in PEER_GROUPS},
        "Config": CountriesConfig,
    }
    for group, peer_group in PEER_GROUPS.items():
        namespace[group] = pa.Field(
            title=peer_group.title, description=f"{peer_group.description} {' '.join(peer_group.members)}.",
            metadata={"unit": "flag"},
        )
    return type("CountriesSchema", (CountriesColumns,), namespace)


CountriesSchema = with_peer_flags()
