"""The package's shape: imports flow one way, sources are independent, adding a source is one folder.

Imports are read from the source text (``ast``), including the ones inside functions, so a lazy import
that calls back up is caught too.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kzegov_data"

#: From the bottom up. A module may import its own layer (without a cycle) and the layers below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_version", "errors", "_io", "locations", "registry", "countries", "schemas", "fetch", "publish"),
    ("sources", "derived", "revisions_table"),
    ("pipeline", "api", "analysis", "datacard", "figures", "country_year", "codebook", "formats", "bundle", "site"),
    ("cli", "__main__", "__init__"),
)
#: ``countries`` stays pure: names, codes and groups, no tables.
PURE = {"countries": {"errors"}}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path) -> Iterator[str]:
    """Every module of the package that ``path`` imports, anywhere in the file."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    modules = {module_name(p, root) for p in root.rglob("*.py")}
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            stem = ".".join([*base, *([node.module] if node.module else [])])
            targets = [f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in modules else stem for alias in node.names]
        else:
            continue
        yield from (target for target in targets if target.split(".")[0] == root.name and target != name)


def import_graph(root: Path) -> dict[str, set[str]]:
    return {module_name(path, root): set(imports_of(path, root)) for path in sorted(root.rglob("*.py"))}


def layer_of(module: str, root_name: str) -> tuple[int, str]:
    first = module.removeprefix(f"{root_name}").lstrip(".").split(".")[0] or "__init__"
    for rank, names in enumerate(LAYERS):
        if first in names:
            return rank, first
    msg = f"{module} is in no layer: add it to LAYERS"
    raise AssertionError(msg)


def source_of(module: str, root_name: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == [root_name, "sources"] and len(parts) > 2 and not parts[2].startswith("_"):
        return parts[2]
    return None


def problems(root: Path) -> list[str]:
    """Every import that breaks the rules, and every cycle."""
    graph = import_graph(root)
    found = []
    for module, targets in sorted(graph.items()):
        rank, room = layer_of(module, root.name)
        for target in sorted(targets):
            target_rank, target_room = layer_of(target, root.name)
            if target_rank > rank:
                found.append(f"{module} imports {target}, a higher layer")
            if room in PURE and target_room not in PURE[room] | {room}:
                found.append(f"{module} must stay pure but imports {target}")
            source, target_source = source_of(module, root.name), source_of(target, root.name)
            if source and target_source and source != target_source:
                found.append(f"source {source} imports source {target_source} ({module} -> {target})")
    found += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules (depth-first search)."""
    seen: set[str] = set()
    found = []

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            found.append([*path[path.index(module):], module])
            return
        if module in seen:
            return
        seen.add(module)
        for target in sorted(graph.get(module, ())):
            visit(target, [*path, module])

    for module in sorted(graph):
        visit(module, [])
    return found


def test_imports_flow_one_way_without_cycles() -> None:
    graph = import_graph(PACKAGE)
    # The graph is the real one, lazy imports included.
    assert "kzegov_data.registry" in graph["kzegov_data.sources.un_egov"]
    assert "kzegov_data.derived" in graph["kzegov_data.pipeline"]
    assert "kzegov_data.api" in graph["kzegov_data.analysis"]
    assert problems(PACKAGE) == []


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    return root


def test_the_check_finds_a_cycle_a_call_upwards_and_a_source_importing_another(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kzegov_data", {
        "__init__.py": "",
        "errors.py": "",
        "countries.py": "from . import errors\n",
        "publish.py": "def f():\n    from .api import load\n",
        "api.py": "from . import publish\n",
        "schemas.py": "from .fetch import x\n",
        "fetch.py": "from .schemas import y\n",
        "sources/__init__.py": "",
        "sources/alpha/__init__.py": "from ..beta import SOURCE\n",
        "sources/beta/__init__.py": "",
    })
    found = problems(root)
    assert "kzegov_data.publish imports kzegov_data.api, a higher layer" in found
    assert "source alpha imports source beta (kzegov_data.sources.alpha -> kzegov_data.sources.beta)" in found
    assert any(line.startswith("import cycle: kzegov_data.fetch -> kzegov_data.schemas -> kzegov_data.fetch")
               for line in found)


def test_every_source_is_a_folder_of_the_same_shape() -> None:
    from kzegov_data.registry import get_source, source_ids, table_models

    assert source_ids() == ("itu", "ti_cpi", "un_egov", "undp_hdr", "wb_classification", "wb_wgi")
    for source_id in source_ids():
        folder = PACKAGE / "sources" / source_id
        assert {"__init__.py", "parse.py", "schema.py"} <= {p.name for p in folder.iterdir()}, source_id
        assert set(table_models(source_id)) == set(get_source(source_id).tables)


def test_listing_sources_imports_neither_pandas_nor_pandera() -> None:
    code = ("import sys; from kzegov_data.registry import get_source, source_ids; "
            "[get_source(s) for s in source_ids()]; "
            "print(sorted(m for m in ('pandas', 'pandera', 'pyarrow', 'requests') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- a copy of the package, changed as a developer would change it ---------------------------------------


def package_copy(tmp_path: Path) -> Path:
    """A copy of the package (without the shipped tables) to change; run it with PYTHONPATH=<returned>."""
    site = tmp_path / "site"
    shutil.copytree(PACKAGE, site / "kzegov_data", ignore=shutil.ignore_patterns("__pycache__", "processed"))
    return site


def run_cli(site: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(site)}
    environment.pop("KZEGOV_MIRROR", None)
    return subprocess.run([sys.executable, "-m", "kzegov_data", *arguments], capture_output=True, text=True,
                          env=environment, check=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_comment_or_a_renamed_private_function_changes_no_published_file(
    synthetic_mirror: Path, tmp_path: Path
) -> None:
    original, changed = package_copy(tmp_path / "original"), package_copy(tmp_path / "changed")
    for module in (changed / "kzegov_data").rglob("*.py"):
        module.write_text(module.read_text("utf-8") + "\n# A comment that changes no behaviour.\n", "utf-8")
    io = changed / "kzegov_data" / "_io.py"
    io.write_text(io.read_text("utf-8").replace("def temporary_file(", "def _temporary_file(")
                  .replace("temporary_file(path.parent", "_temporary_file(path.parent")
                  + "\ntemporary_file = _temporary_file\n", "utf-8")
    outputs = {}
    for label, site in (("original", original), ("changed", changed)):
        root = tmp_path / f"project-{label}"
        result = run_cli(site, "--root", str(root), "build", "--mirror", str(synthetic_mirror))
        assert result.returncode == 0, result.stderr
        outputs[label] = tree(root / "processed")
    assert outputs["changed"] == outputs["original"]


TOY_SOURCE = {
    "__init__.py": '''
        """A toy source: one CSV of Central Asian scores, to prove that a source is one folder."""

        from ...registry import Licence, RawFile, Source

        SOURCE = Source(
            id="toy", publisher="Toy Office", title="Toy scores", landing_page="https://example.org/toy",
            licence=Licence("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
            citation="Toy Office (2024). Toy scores.", files=(RawFile("toy.csv"),), tables=("toy_scores",),
        )
        ''',
    "parse.py": '''
        import pandas as pd

        from ...countries import to_iso3
        from .._read import read_csv_text, to_number


        def parse(paths):
            raw = read_csv_text(paths["toy.csv"])
            table = pd.DataFrame({"year": to_number(raw["Year"], file="toy.csv", column="Year").astype("int64"),
                                  "score": to_number(raw["Score"], file="toy.csv", column="Score")})
            table["iso3"] = to_iso3(raw["Country"], file="toy.csv")
            return {"toy_scores": table.sort_values(["iso3", "year"], ignore_index=True)}
        ''',
    "schema.py": '''
        import pandera.pandas as pa
        from pandera.typing import Series

        from ...schemas import CountryTable, wide_indicators


        class ToyScores(CountryTable):
            year: Series[int] = pa.Field(ge=2000, le=2030, title="Year", metadata={"unit": "year"})
            score: Series[float] = pa.Field(ge=0, le=10, title="Toy score", description="How toy-like.",
                                            metadata={"unit": "score 0-10"})

            class Config:
                name = "toy_scores"
                title = "Toy scores"
                strict = True
                coerce = True
                unique = ["iso3", "year"]


        CATALOGUE = wide_indicators(ToyScores, ["score"], prefix="toy_")
        ''',
}


def test_adding_a_source_is_adding_its_folder(synthetic_mirror: Path, tmp_path: Path) -> None:
    """The README's "Adding a source": one folder in sources/, nothing else edited, and the new table is
    fetched, parsed, validated, published, loaded, and its indicator joins the catalogue and the panel."""
    site = package_copy(tmp_path)
    write_tree(site / "kzegov_data" / "sources" / "toy", TOY_SOURCE)
    mirror = Path(shutil.copytree(synthetic_mirror, tmp_path / "mirror"))
    write_tree(mirror / "toy", {"toy.csv": "Country,Year,Score\nKazakhstan,2024,7.5\nKyrgyzstan,2024,6\n"})
    root = tmp_path / "project"
    result = run_cli(site, "--root", str(root), "build", "--mirror", str(mirror))
    assert result.returncode == 0, result.stderr
    assert "built toy: toy_scores (2 rows)" in result.stdout
    check = textwrap.dedent(f"""
        import kzegov_data as kz
        folder = {str(root / "processed")!r}
        toy = kz.load("toy_scores", countries="central_asia", data_dir=folder)
        print(toy.set_index("iso3")["score"].to_dict())
        print(kz.indicators(data_dir=folder).set_index("id").loc["toy_score", "title"])
        print(kz.panel(["toy_score", "egdi"], countries="KAZ", years=2024, data_dir=folder).to_dict("records"))
        """)
    environment = {**os.environ, "PYTHONPATH": str(site)}
    shown = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, env=environment, check=False)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "{'KAZ': 7.5, 'KGZ': 6.0}"
    assert lines[1] == "Toy score"
    assert lines[2] == "[{'iso3': 'KAZ', 'year': 2024, 'toy_score': 7.5, 'egdi': 0.90093}]"
    validated = run_cli(site, "--root", str(root), "validate")
    assert validated.returncode == 0, validated.stderr
    assert "toy_scores: 2 rows, schema and hashes ok" in validated.stdout


@pytest.mark.parametrize("broken", ["no schema", "model for another table"])
def test_a_source_folder_that_breaks_the_shape_is_reported(broken: str, tmp_path: Path) -> None:
    site = package_copy(tmp_path)
    files = dict(TOY_SOURCE)
    if broken == "no schema":
        del files["schema.py"]
    else:
        files["schema.py"] = files["schema.py"].replace('name = "toy_scores"', 'name = "toy_other"')
    write_tree(site / "kzegov_data" / "sources" / "toy", files)
    code = "from kzegov_data.registry import table_models; table_models('toy')"
    environment = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=False)
    assert result.returncode != 0
    expected = "No module named 'kzegov_data.sources.toy.schema'" if broken == "no schema" else "toy_scores"
    assert expected in result.stderr
