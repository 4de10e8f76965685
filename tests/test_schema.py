"""The output schema: generated from the dataclasses, committed, and satisfied by real output."""

from __future__ import annotations

import json

import jsonschema

from storylens.model import SCHEMA_VERSION, Result, from_dict, to_dict
from storylens.schema import build_schema, load_schema


def test_committed_schema_matches_the_dataclasses() -> None:
    assert load_schema() == build_schema(), "run `python -m storylens.schema` after changing storylens/model.py"


def test_seed_result_validates_and_round_trips(seed_result: Result) -> None:
    document = json.loads(json.dumps(to_dict(seed_result)))
    jsonschema.validate(document, load_schema())
    assert document["schema_version"] == SCHEMA_VERSION
    assert to_dict(from_dict(Result, document)) == document


def test_schema_rejects_a_broken_document(seed_result: Result) -> None:
    document = to_dict(seed_result)
    document["stories"][0]["members"] = "not a list"
    validator = jsonschema.Draft202012Validator(load_schema())
    assert any("not a list" in error.message for error in validator.iter_errors(document))
