"""World Bank country classification -> tables ``countries`` and ``income_history``.

Two raw files, both the World Bank's:

* ``Metadata_Country_*.csv``, shipped inside every World Development Indicators bulk download (a
  ZIP): region and income group in force when the file was built -> ``countries``.
* ``OGHIST.xlsx``, the historical classification by income (sheet ``Country Analytical History``):
  the income group of every economy in each World Bank fiscal year, FY89-FY23 in this vintage
  -> ``income_history``.

The year of a classification. The World Bank's fiscal year FY<yy> runs from 1 July 20<yy-1> to
30 June 20<yy>; its income groups are set on 1 July, at the start of it, from GNI per capita
(Atlas method) of calendar year 20<yy-2>, and stay fixed for the whole fiscal year. The workbook
writes that calendar year under each fiscal year ("Data for calendar year :", 1987 under FY89 ...
2021 under FY23), and Our World in Data publishes the classification under that year: "the income
group of year Y" is the group that Y's income put the economy in. ``income_history.year`` follows
them: ``year`` Y holds fiscal year FY(Y+2), in force from 1 July Y+1 to 30 June Y+2. So an
indicator of year Y is compared with the economies whose income in the same year Y put them in the
group, never with a later reclassification. The parser checks the workbook's own row of data years
against :func:`fiscal_year`.
"""

from __future__ import annotations

from ...registry import Licence, RawFile, Source

FILE_NAME = "Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_1228.csv"
HISTORY_FILE = "OGHIST.xlsx"
HISTORY_SHEET = "Country Analytical History"

#: Years between the GNI data a classification is based on and the fiscal year it is in force.
DATA_YEAR_LAG = 2
#: The fiscal years of this OGHIST vintage, FY89-FY23 (calendar years their fiscal years end in).
#: A new vintage (FY24 onwards, published every 1 July) changes the last one.
FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 1989, 2023
#: ``income_history.year``: the data years of those fiscal years, 1987-2021.
YEARS: tuple[int, ...] = tuple(range(FIRST_FISCAL_YEAR - DATA_YEAR_LAG, LAST_FISCAL_YEAR - DATA_YEAR_LAG + 1))


def fiscal_year(year: int) -> str:
    """The World Bank fiscal year whose classification is based on ``year``'s income.

    >>> fiscal_year(2021), fiscal_year(1997)
    ('FY23', 'FY99')
    """
    return f"FY{(year + DATA_YEAR_LAG) % 100:02d}"


#: The workbook's fiscal-year labels, in its column order: FY89 ... FY23.
FISCAL_YEARS: tuple[str, ...] = tuple(fiscal_year(year) for year in YEARS)

SOURCE = Source(
    id="wb_classification",
    publisher="The World Bank",
    title=(
        "World Bank country and lending groups: regions and income groups (current), and the historical "
        f"classification by income FY{FIRST_FISCAL_YEAR % 100:02d}-FY{LAST_FISCAL_YEAR % 100:02d}"
    ),
    landing_page=(
        "https://datahelpdesk.worldbank.org/knowledgebase/articles/"
        "906519-world-bank-country-and-lending-groups"
    ),
    licence=Licence(name="CC BY 4.0", url="https://creativecommons.org/licenses/by/4.0/", open=True),
    citation=(
        "The World Bank: World Development Indicators, country metadata (regions and income groups); and "
        "The World Bank: World Bank Country and Lending Groups, historical classification by income "
        f"(OGHIST.xlsx, FY{FIRST_FISCAL_YEAR % 100:02d}-FY{LAST_FISCAL_YEAR % 100:02d}, as published on "
        "1 July of each fiscal year), World Bank Data Catalog dataset 0037712."
    ),
    files=(
        RawFile(
            FILE_NAME,
            url="https://api.worldbank.org/v2/en/indicator/IT.NET.USER.ZS?downloadformat=csv",
            # The number at the end changes with every World Bank build.
            archive_member="Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_*.csv",
        ),
        RawFile(
            HISTORY_FILE,
            # This vintage's address (resource DR0090754); later vintages get new resources and names
            # (OGHIST_2025_07_01.xlsx, FY26), and a new vintage needs LAST_FISCAL_YEAR updated.
            url="https://datacatalogfiles.worldbank.org/ddh-published/0037712/DR0090754/OGHIST.xlsx",
        ),
    ),
    tables=("countries", "income_history"),
)
