"""World Bank country classification -> the ``countries`` table.

The World Bank ships its region and income-group classification as the ``Metadata_Country_*.csv``
inside every World Development Indicators bulk download (a ZIP).
"""

from __future__ import annotations

from ...registry import Licence, RawFile, Source

FILE_NAME = "Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_1228.csv"

SOURCE = Source(
    id="wb_classification",
    publisher="The World Bank",
    title="World Bank country and lending groups (regions and income groups)",
    landing_page=(
        "https://datahelpdesk.worldbank.org/knowledgebase/articles/"
        "906519-world-bank-country-and-lending-groups"
    ),
    licence=Licence(name="CC BY 4.0", url="https://creativecommons.org/licenses/by/4.0/"),
    citation="The World Bank: World Development Indicators, country metadata (regions and income groups).",
    files=(
        RawFile(
            FILE_NAME,
            url="https://api.worldbank.org/v2/en/indicator/IT.NET.USER.ZS?downloadformat=csv",
            # The number at the end changes with every World Bank build.
            archive_member="Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_*.csv",
        ),
    ),
    tables=("countries",),
)
