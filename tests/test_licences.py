"""Which tables anyone may redistribute, adapt and use commercially: the flag the licence-aware
bundle (``--only-open``) reads, declared once per source and published in ``datapackage.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzegov_data import registry

PROCESSED = Path(__file__).resolve().parents[1] / "processed"
#: Words in a licence's name that forbid adapting, commercial use, or any reuse without permission.
RESTRICTIVE = ("-NC", "-ND", "no open licence")


@pytest.mark.parametrize("source_id", registry.source_ids())
def test_a_licence_that_forbids_adapting_or_commercial_use_is_not_open(source_id: str) -> None:
    licence = registry.get_source(source_id).licence
    if any(word in licence.name for word in RESTRICTIVE):
        assert licence.open is False, licence
    assert licence.open is not None, "only derived tables leave openness to their rows' sources"


def test_the_world_bank_and_undp_tables_are_open_and_un_ti_itu_are_not() -> None:
    opened = {source_id: registry.get_source(source_id).licence.open for source_id in registry.source_ids()}
    assert opened == {"itu": False, "ti_cpi": False, "un_egov": False,
                      "undp_hdr": True, "wb_classification": True, "wb_wgi": True}


def test_every_published_resource_says_whether_its_licence_is_open_and_what_its_terms_are() -> None:
    descriptor = json.loads((PROCESSED / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        licence = resource["licenses"][0]
        source = resource["kzegov:source"]
        if source in ("indicators", "revisions"):
            assert licence["kzegov:open"] is None, resource["name"]
        else:
            assert licence["kzegov:open"] is registry.get_source(source).licence.open, resource["name"]
            assert licence["kzegov:terms"] == registry.get_source(source).licence.note
