"""The OpenAPI schema of a msgspec body says everything msgspec enforces on it.

Litestar's own Struct plugin drops the constraints of an optional field (``Annotated[str,
Meta(max_length=16)] | None`` comes out as a bare string) and of list items, and says nothing of
``forbid_unknown_fields``; a client reading the document would send requests the API refuses.
This plugin takes Litestar's schema and lays msgspec's own view of each field over it (lengths,
patterns, ranges, item counts), and states ``additionalProperties: false`` where unknown fields are
refused. A rule the API checks itself, past the door (a key's shape, a version, a name that is not
blank), is stated with ``Meta(extra_json_schema={...})``: its ``enum``, ``pattern``, ``minLength``
and ``maxLength`` replace what msgspec alone would say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec.inspect as mi
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.spec import Reference, Schema

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.typing import FieldDefinition

_BOUNDS: dict[type[mi.Type], tuple[tuple[str, str], ...]] = {
    mi.StrType: (("min_length", "min_length"), ("max_length", "max_length"), ("pattern", "pattern")),
    mi.IntType: (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusive_minimum"), ("lt", "exclusive_maximum")),
    mi.FloatType: (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusive_minimum"), ("lt", "exclusive_maximum")),
    mi.ListType: (("min_length", "min_items"), ("max_length", "max_items")),
}
_OPENAPI_TYPE = {mi.StrType: "string", mi.IntType: "integer", mi.FloatType: "number", mi.ListType: "array"}
# JSON Schema keyword -> Litestar's Schema attribute, for what ``extra_json_schema`` may state.
_STATED = {"enum": "enum", "pattern": "pattern", "minLength": "min_length", "maxLength": "max_length"}


class ConstrainedStructSchemaPlugin(StructSchemaPlugin):
    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = mi.type_info(field_definition.type_)
        if not isinstance(info, mi.StructType):
            return schema
        if info.forbid_unknown_fields:
            schema.additional_properties = False
        for field in info.fields:
            prop = (schema.properties or {}).get(field.encode_name)
            if isinstance(prop, Schema):
                constrain(prop, field.type)
        return schema


def constrain(schema: Schema, field_type: mi.Type) -> None:
    """Copy msgspec's constraints of ``field_type`` onto the matching branch of ``schema``, then
    what ``Meta(extra_json_schema=...)`` states of a rule the API checks itself (see ``_STATED``)."""
    outer: dict[str, Any] = {}
    while isinstance(field_type, mi.Metadata):
        outer |= field_type.extra_json_schema or {}
        field_type = field_type.type
    options = field_type.types if isinstance(field_type, mi.UnionType) else (field_type,)
    branches = [b for b in (schema.one_of or schema.any_of or [schema]) if isinstance(b, Schema)]
    for option in options:
        extra = dict(outer)
        while isinstance(option, mi.Metadata):
            extra |= option.extra_json_schema or {}
            option = option.type
        kind = _OPENAPI_TYPE.get(type(option))
        if kind is None:
            continue
        for branch in branches:
            if _has_type(branch, kind):
                _apply(branch, option, extra)


def _apply(branch: Schema, option: mi.Type, extra: dict[str, Any]) -> None:
    for source, target in _BOUNDS[type(option)]:
        value: Any = getattr(option, source, None)
        if value is not None and getattr(branch, target) is None:
            setattr(branch, target, value)
    for keyword, attribute in _STATED.items():
        if keyword in extra:
            stated = extra[keyword]
            setattr(branch, attribute, list(stated) if isinstance(stated, list | tuple) else stated)
    if isinstance(option, mi.ListType) and isinstance(branch.items, Schema):
        constrain(branch.items, option.item_type)


def _has_type(branch: Schema | Reference, kind: str) -> bool:
    if not isinstance(branch, Schema) or branch.type is None:
        return False
    types = branch.type if isinstance(branch.type, list | tuple) else [branch.type]
    return any(getattr(t, "value", t) == kind for t in types)
