"""The JSON Schema of storylens output, generated from the dataclasses in storylens.model.

`python -m storylens.schema` rewrites schema/result.schema.json; a test checks the file is current and
that real output validates against it.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from importlib import resources
from typing import Any

from storylens import model
from storylens.model import SCHEMA_VERSION, Result

SCHEMA_FILE = "result.schema.json"
_SCALARS = {str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"}, bool: {"type": "boolean"}}


def build_schema(root: type = Result) -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    _define(root, definitions)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://storylens.invalid/schema/{SCHEMA_VERSION}/result.json",
        "title": "storylens result",
        "description": f"stories.json as written by storylens, schema version {SCHEMA_VERSION}.",
        "$ref": f"#/$defs/{root.__name__}",
        "$defs": dict(sorted(definitions.items())),
    }


def _define(cls: type, definitions: dict[str, Any]) -> dict[str, str]:
    if cls.__name__ not in definitions:
        definitions[cls.__name__] = {}  # placeholder against recursion
        hints = typing.get_type_hints(cls, vars(model))
        fields = dataclasses.fields(cls)
        definitions[cls.__name__] = {
            "type": "object",
            "description": (cls.__doc__ or cls.__name__).strip().splitlines()[0],
            "properties": {f.name: _type_schema(hints[f.name], definitions) for f in fields},
            "required": [f.name for f in fields],
            "additionalProperties": False,
        }
    return {"$ref": f"#/$defs/{cls.__name__}"}


def _type_schema(annotation: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        return {"anyOf": [_type_schema(arg, definitions) for arg in typing.get_args(annotation)]}
    if origin is list:
        return {"type": "array", "items": _type_schema(typing.get_args(annotation)[0], definitions)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(typing.get_args(annotation)[1], definitions)}
    if annotation is type(None):
        return {"type": "null"}
    if dataclasses.is_dataclass(annotation):
        return _define(annotation, definitions)
    return dict(_SCALARS[annotation])


def load_schema() -> dict[str, Any]:
    return json.loads(resources.files("storylens.schema").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def schema_text() -> str:
    return json.dumps(build_schema(), indent=1) + "\n"


def write_schema() -> str:
    """Rewrite the committed schema file from the dataclasses; return its path."""
    target = resources.files("storylens.schema").joinpath(SCHEMA_FILE)
    with resources.as_file(target) as path:
        path.write_text(schema_text(), encoding="utf-8")
        return str(path)
