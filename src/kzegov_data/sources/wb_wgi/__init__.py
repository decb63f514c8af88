"""World Bank Worldwide Governance Indicators, 2024 Update: ``wgidataset.xlsx`` -> table ``wb_wgi``.

Every update re-estimates the whole series back to 1996, so each row carries its ``edition``. The
edition, its years, the six dimensions and the six measures are declared here, once, for the
parser, the schema and the indicator catalogue.
"""

from __future__ import annotations

from ...registry import Licence, RawFile, Source

FILE_NAME = "wgidataset.xlsx"
SHEET = "Sheet1"
EDITION = "2024 Update"
YEARS: tuple[int, ...] = (1996, 1998, 2000, *range(2002, 2024))

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
    ),
    citation=(
        "Daniel Kaufmann and Aart Kraay (2024). Worldwide Governance Indicators, 2024 Update "
        "(www.govindicators.org). Methodology: Kaufmann, Kraay and Mastruzzi (2010), World Bank "
        "Policy Research Working Paper 5430."
    ),
    files=(
        RawFile(
            FILE_NAME,
            # The address serves the current release: a new update replaces the file (and the lock
            # then reports a hash mismatch, which is the signal to review the parser and EDITION).
            url="https://www.worldbank.org/content/dam/sites/govindicators/doc/wgidataset.xlsx",
        ),
    ),
    tables=("wb_wgi",),
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
