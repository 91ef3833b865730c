"""Published event schemas to plain JSON values and back, with the standard library only.

A schema is a frozen dataclass whose fields are ``str``, ``int``, ``bool``, ``UUID``, an aware
``datetime``, ``X | None``, ``tuple[X, ...]`` or another such dataclass (a part, such as an order
line). Nothing else is allowed, so a payload means the same to every reader: no floats for
money, no enums whose members could drift, no free-form dicts.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

T = TypeVar("T")

_SCALARS: dict[Any, str] = {str: "str", int: "int", bool: "bool", UUID: "uuid", datetime: "datetime"}


class PayloadMismatch(ValueError):
    """A payload that does not fit its schema; the message names the field at fault."""


def to_plain(value: Any) -> Any:
    """JSON values: ids and times as strings, tuples as lists, parts (and domain values) as objects."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return to_plain(value.value)
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def from_plain(schema: type[T], data: Any, path: str = "") -> T:
    """The schema's instance; fields it does not name are ignored, one it needs and does not
    find, or of another type, raises ``PayloadMismatch``."""
    if not isinstance(data, dict):
        raise PayloadMismatch(f"{path or 'payload'} is not an object")
    values: dict[str, Any] = {}
    for name, (hint, required) in _fields(schema).items():
        where = f"{path}.{name}" if path else name
        if name in data:
            values[name] = _value(hint, data[name], where)
        elif required:
            raise PayloadMismatch(f"{where} is missing")
    return schema(**values)


def describe(schema: type) -> dict[str, str]:
    """Each field's type as one readable string (``(optional)`` when it has a default): what a
    stored fingerprint of a published schema compares."""
    return {
        name: _type_name(hint) + ("" if required else " (optional)")
        for name, (hint, required) in _fields(schema).items()
    }


_FIELDS: dict[type, dict[str, tuple[Any, bool]]] = {}


def _fields(schema: type) -> dict[str, tuple[Any, bool]]:
    """Each field's type and whether it is required, worked out once per schema."""
    if schema not in _FIELDS:
        if not _is_part(schema):
            raise TypeError(f"{schema.__name__} is not a dataclass")
        hints = typing.get_type_hints(schema)
        fields = {}
        for f in dataclasses.fields(schema):
            _type_name(hints[f.name])  # refuses a type a payload cannot carry
            no_default = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            fields[f.name] = (hints[f.name], no_default)
        _FIELDS[schema] = fields
    return _FIELDS[schema]


def _is_part(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def _value(hint: Any, value: Any, where: str) -> Any:
    optional = _optional_of(hint)
    if optional is not None:
        return None if value is None else _value(optional, value, where)
    if typing.get_origin(hint) is tuple:
        if not isinstance(value, list):
            raise PayloadMismatch(f"{where} is not a list")
        item = typing.get_args(hint)[0]
        return tuple(_value(item, element, f"{where}[{index}]") for index, element in enumerate(value))
    if _is_part(hint):
        return from_plain(hint, value, where)
    return _scalar(hint, value, where)


def _scalar(hint: Any, value: Any, where: str) -> Any:
    if hint is bool or hint is str:
        if type(value) is not hint:
            raise PayloadMismatch(f"{where} is not a {_SCALARS[hint]}")
        return value
    if hint is int:
        if type(value) is not int:
            raise PayloadMismatch(f"{where} is not an int")
        return value
    if not isinstance(value, str):
        raise PayloadMismatch(f"{where} is not a {_SCALARS[hint]} string")
    try:
        parsed = UUID(value) if hint is UUID else datetime.fromisoformat(value)
    except ValueError as error:
        raise PayloadMismatch(f"{where} is not a {_SCALARS[hint]}: {error}") from None
    if isinstance(parsed, datetime) and parsed.tzinfo is None:
        raise PayloadMismatch(f"{where} has no time zone")
    return parsed


def _optional_of(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        others = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(others) == 1 and len(typing.get_args(hint)) == 2:
            return others[0]
    return None


def _type_name(hint: Any) -> str:
    optional = _optional_of(hint)
    if optional is not None:
        return f"{_type_name(optional)} | null"
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return f"list[{_type_name(args[0])}]"
    elif _is_part(hint):
        return "{" + ", ".join(f"{name}: {kind}" for name, kind in describe(hint).items()) + "}"
    elif hint in _SCALARS:
        return _SCALARS[hint]
    raise TypeError(f"{hint!r} cannot be carried by a published event (see event_codec)")
