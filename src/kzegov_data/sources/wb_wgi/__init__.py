"""World Bank Worldwide Governance Indicators, 2024 Update: ``wgidataset.xlsx`` -> table ``wb_wgi``.

Every update re-estimates the whole series back to 1996, so each row carries its ``edition``, and the
2019 and 2021 Updates (the older wide layout, ``editions_layout.py``) are published beside the current
table. The editions, the current one's years, the six dimensions and the six measures are declared
here, once, for the parser, the schema and the indicator catalogue.
"""

from __future__ import annotations

from ...registry import Edition, Licence, RawFile, Source
from .editions_layout import WIDE_EDITIONS

FILE_NAME = "wgidataset.xlsx"
SHEET = "Sheet1"
EDITION = "2024 Update"
YEARS: tuple[int, ...] = (1996, 1998, 2000, *range(2002, 2024))
#: The retired address that served whichever update was current (the mirror's wb_wgi/PROVENANCE.md).
RETIRED_URL = "http://info.worldbank.org/governance/wgi/Home/downLoadFile?fileName=wgidataset.xlsx"
#: Release dates, from the introduction text box of each update's own workbook.
RELEASED = {
    "2019 Update": ("2019-09-20", "2019_update/wgidataset.xlsx, introduction text box: 'Sept 20, 2019'"),
    "2021 Update": ("2021-09-24", "2021_update/wgidataset.xlsx, introduction text box: 'Sept 24, 2021'"),
    EDITION: ("2024-09-30", "wgidataset.xlsx (2024 Update) was last saved by its author on 2024-09-27, in the "
                            "release week (wb_wgi/PROVENANCE.md); the day is not printed: the month's last day"),
}

SOURCE = Source(
    id="wb_wgi",
    publisher="The World Bank (Daniel Kaufmann and Aart Kraay)",
    title="Worldwide Governance Indicators, 2024 Update (1996-2023)",
    landing_page="https://www.worldbank.org/en/publication/worldwide-governance-indicators",
    licence=Licence(
        name="CC BY 4.0",
        url="https://creativecommons.org/licenses/by/4.0/",
        note=(
            "World Bank Dataset Terms of Use: free to share and adapt with attribution; no "
            "implied endorsement by the World Bank."
        ),
        open=True,
    ),
    citation=(
        "Daniel Kaufmann and Aart Kraay (2024). Worldwide Governance Indicators, 2024 Update "
        "(www.govindicators.org). Methodology: Kaufmann, Kraay and Mastruzzi (2010), World Bank "
        "Policy Research Working Paper 5430."
    ),
    files=(
        *(RawFile(layout.file) for layout in WIDE_EDITIONS.values()),
        RawFile(
            FILE_NAME,
            # The address serves the current release: a new update replaces the file (and the lock
            # then reports a hash mismatch, which is the signal to review the parser and EDITION).
            url="https://www.worldbank.org/content/dam/sites/govindicators/doc/wgidataset.xlsx",
        ),
    ),
    tables=("wb_wgi",),
    manual_download=(
        "The 2019 and 2021 Updates are no longer served: the World Bank's old site "
        f"({RETIRED_URL}) always served the update current at the time. Save a copy of each, unchanged, "
        "as raw/wb_wgi/2019_update/wgidataset.xlsx and raw/wb_wgi/2021_update/wgidataset.xlsx (the "
        "lock's sha256 tells whether it is the publisher's file), or build with a mirror folder."
    ),
    editions=(
        *(
            Edition(name, *RELEASED[name], files=(layout.file,), years=layout.years, aliases=(name.split()[0],),
                    note="older wide layout: one sheet per indicator")
            for name, layout in WIDE_EDITIONS.items()
        ),
        Edition(EDITION, *RELEASED[EDITION], files=(FILE_NAME,), years=YEARS, aliases=(EDITION.split()[0],),
                current=True),
    ),
)

#: The six dimensions: the file's code -> (published indicator id, title).
DIMENSIONS: dict[str, tuple[str, str]] = {
    "va": ("voice_accountability", "Voice and Accountability"),
    "pv": ("political_stability", "Political Stability and Absence of Violence/Terrorism"),
    "ge": ("government_effectiveness", "Government Effectiveness"),
    "rq": ("regulatory_quality", "Regulatory Quality"),
    "rl": ("rule_of_law", "Rule of Law"),
    "cc": ("control_of_corruption", "Control of Corruption"),
}
#: The file's value columns -> the published columns.
MEASURES: dict[str, str] = {
    "estimate": "estimate",
    "stddev": "standard_error",
    "nsource": "n_sources",
    "pctrank": "percentile_rank",
    "pctranklower": "percentile_rank_lower",
    "pctrankupper": "percentile_rank_upper",
}
