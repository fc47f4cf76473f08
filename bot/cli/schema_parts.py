"""The pieces every flow-file schema is built from: JSON Schema values for ids, words,
durations, patterns and texts, and the object builder that refuses to drift from a reader's
own key list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.content.model import LANGS

Schema = dict[str, Any]


class SchemaDrift(Exception):
    """A reader accepts keys the schema does not describe, or the other way round."""


def ref(name: str) -> Schema:
    return {"$ref": f"#/definitions/{name}"}


def describe(schema: Schema, text: str) -> Schema:
    return {**schema, "description": text}


ID: Schema = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9_\-]*$"}
STEP_ID: Schema = {
    "type": "string",
    "pattern": r"^(\$[A-Za-z_][A-Za-z0-9_]*|[a-z0-9][a-z0-9_\-]*)$",
    "description": "a step id (in a block, also $param)",
}
# A word such as yes/on/off, which YAML reads as true or false, is kept as written.
WORD: Schema = {"type": ["string", "number", "boolean"]}
FLAG: Schema = {"type": "boolean"}
NUMBER: Schema = {"type": "number"}
DURATION: Schema = {
    "type": ["string", "integer"],
    "pattern": r"^\s*(\d+\s*[wdhms]\s*)+$",
    "description": "30m, 2h, 1d, 1w or a combination such as 1d12h",
}
PATTERN: Schema = {"type": "string", "minLength": 1, "description": "a regular expression (Python)"}
LANG: Schema = {"type": "string", "pattern": "^[a-z]{2}$"}
DATE: Schema = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
URL: Schema = {"type": "string", "pattern": "^https?://"}


def one_or_many(item: Schema | None = None) -> Schema:
    """One value or a list of them."""
    one = item or WORD
    return {"anyOf": [one, {"type": "array", "items": one}]}


def array(item: Schema) -> Schema:
    return {"type": "array", "items": item}


def enum_of(values: Iterable[str]) -> Schema:
    return {"type": "string", "enum": list(values)}


def obj(
    keys: Sequence[str],
    described: Mapping[str, tuple[Schema, str]],
    required: Sequence[str] = (),
    what: str = "",
) -> Schema:
    """An object with exactly the reader's `keys`, each described here."""
    if set(keys) != set(described):
        raise SchemaDrift(
            f"{what}: the reader accepts {sorted(set(keys) - set(described))} undescribed, "
            f"the schema describes {sorted(set(described) - set(keys))} the reader refuses"
        )
    return {
        "type": "object",
        "properties": {k: describe(*described[k]) for k in keys},
        "required": list(required),
        "additionalProperties": False,
    }


def texts_schema() -> Schema:
    props = {lang: {"type": ["string", "boolean"]} for lang in LANGS}
    return {
        "type": "object",
        "description": "one text per language",
        "properties": props,
        "propertyNames": LANG,
        "additionalProperties": {"type": ["string", "boolean"]},
    }
