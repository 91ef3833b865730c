"""Following values a short way through a parsed JavaScript file (tree-sitter nodes).

``Values.of(node)`` folds an expression to what the file says it is, when it can: a constant string
(literals, ``+``, templates, ``String.fromCharCode``, ``atob``, ``Buffer.from(.., 'base64'|'hex')``,
``.toString()``, ``.join('')``), a reference to a global or a module member (``globalThis['ev'+'al']``
is ``eval``; ``require('child_process').exec`` and ``const {exec} = require('child_process')`` are
``child_process.exec``), and taints: *decoded* (came out of a decoder) and *fetched* (came from the
network). Variables are followed through their declarations and assignments earlier in the file,
one name at a time, at most ``MAX_DEPTH`` steps: far enough for "decode on one line, eval on the next".
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from tree_sitter import Node

MAX_DEPTH = 8
GLOBAL_OBJECTS = frozenset({"globalThis", "window", "global", "self", "this"})
FETCHERS = frozenset(
    {"fetch", "http.get", "https.get", "http.request", "https.request", "axios", "axios.get", "got", "got.get"}
)
DECODERS = frozenset({"atob", "unescape", "decodeURIComponent", "decodeURI", "Buffer.from", "String.fromCharCode"})


@dataclass(frozen=True)
class Value:
    text: str | None = None  # the constant string, when it folds to one
    ref: str | None = None  # the global or module member it names: "eval", "child_process.exec"
    taints: frozenset[str] = frozenset()  # "decoded", "fetched"
    computed: bool = False  # a name reached through concatenation, character codes or decoding

    def tainted(self, *taints: str, computed: bool = False) -> Value:
        return Value(self.text, self.ref, self.taints | frozenset(taints), self.computed or computed)


UNKNOWN = Value()


def text_of(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


@dataclass
class Values:
    """One file's bindings: each name's value (or the expression it was given, folded only when a
    rule asks) at its latest declaration or assignment seen so far."""

    bindings: dict[str, Value | Node] = field(default_factory=dict)

    def bind(self, name: str, value: Value | Node) -> None:
        self.bindings[name] = value

    def lookup(self, name: str, depth: int = 0) -> Value:
        bound = self.bindings.get(name)
        if bound is None:
            return Value(ref=name)
        if isinstance(bound, Value):
            return bound
        self.bindings[name] = UNKNOWN  # a self-reference folds to nothing
        value = self.of(bound, depth + 1)
        self.bindings[name] = value
        return value

    def of(self, node: Node | None, depth: int = 0) -> Value:
        if node is None or depth > MAX_DEPTH:
            return UNKNOWN
        kind = node.type
        if kind == "string":
            return Value(text=_string_literal(node))
        if kind == "template_string":
            return self._template(node, depth)
        if kind == "number":
            return Value(text=text_of(node))
        if kind in ("parenthesized_expression", "await_expression", "non_null_expression", "as_expression"):
            inner = node.named_children
            return self.of(inner[0], depth + 1) if inner else UNKNOWN
        if kind == "identifier":
            return self.lookup(text_of(node), depth)
        if kind == "binary_expression":
            return self._binary(node, depth)
        if kind in ("member_expression", "subscript_expression"):
            return self._member(node, depth)
        if kind == "call_expression":
            return self._call(node, depth)
        if kind == "sequence_expression":
            children = node.named_children
            return self.of(children[-1], depth + 1) if children else UNKNOWN
        return UNKNOWN

    def _template(self, node: Node, depth: int) -> Value:
        parts: list[str] = []
        taints: frozenset[str] = frozenset()
        known = True
        for child in node.named_children:
            if child.type == "string_fragment":
                parts.append(text_of(child))
            elif child.type == "template_substitution" and child.named_children:
                value = self.of(child.named_children[0], depth + 1)
                taints |= value.taints
                known = known and value.text is not None
                parts.append(value.text or "")
            elif child.type == "escape_sequence":
                parts.append(_unescape(text_of(child)))
        substituted = any(child.type == "template_substitution" for child in node.named_children)
        return Value(text="".join(parts) if known else None, taints=taints, computed=substituted)

    def _binary(self, node: Node, depth: int) -> Value:
        left, right = (
            self.of(node.child_by_field_name("left"), depth + 1),
            self.of(node.child_by_field_name("right"), depth + 1),
        )
        operator = node.child_by_field_name("operator")
        if operator is None or text_of(operator) != "+":
            return Value(taints=left.taints | right.taints)
        known = left.text is not None and right.text is not None
        text = (left.text or "") + (right.text or "") if known else None
        return Value(text=text, taints=left.taints | right.taints, computed=True)

    def _member(self, node: Node, depth: int) -> Value:
        base = self.of(node.child_by_field_name("object"), depth + 1)
        if node.type == "member_expression":
            prop_node = node.child_by_field_name("property")
            name, computed = (text_of(prop_node) if prop_node else None), False
        else:
            key = self.of(node.child_by_field_name("index"), depth + 1)
            name, computed = key.text, key.computed  # obj['eval'] is a lookup; obj['ev' + 'al'] is built
        if name is None:
            return Value(taints=base.taints)
        if base.ref in GLOBAL_OBJECTS:
            return Value(ref=name, taints=base.taints, computed=computed or base.computed)
        if base.ref is not None:
            return Value(ref=f"{base.ref}.{name}", taints=base.taints, computed=computed or base.computed)
        return Value(taints=base.taints, computed=base.computed)

    def _call(self, node: Node, depth: int) -> Value:
        callee = self.of(node.child_by_field_name("function"), depth + 1)
        arguments = _arguments(node)
        values = [self.of(argument, depth + 1) for argument in arguments]
        taints = frozenset().union(*(value.taints for value in values)) if values else frozenset()
        ref = callee.ref or ""
        if ref == "require" and values and values[0].text is not None:
            return Value(ref=values[0].text.removeprefix("node:"))
        if ref in FETCHERS or ref.endswith((".fetch", "axios.get", "axios.post")):
            return Value(taints=frozenset({"fetched"}))
        if ref in DECODERS:
            return Value(text=_decode(ref, values), taints=taints | {"decoded"}, computed=True)
        if ref.endswith((".toString", ".join", ".trim", ".toLowerCase", ".text", ".json")) or ref.endswith(".reverse"):
            return callee.tainted(*taints)
        receiver = node.child_by_field_name("function")
        if receiver is not None and receiver.type == "member_expression":
            base = self.of(receiver.child_by_field_name("object"), depth + 1)
            method = receiver.child_by_field_name("property")
            if base.text is not None and method is not None and text_of(method) in ("toString", "trim", "join"):
                return base.tainted(*taints)
            return Value(taints=base.taints | taints)
        return Value(taints=callee.taints | taints)


def _arguments(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None or arguments.type != "arguments":
        return []
    return [child for child in arguments.named_children if child.type != "comment"]


def _string_literal(node: Node) -> str:
    parts: list[str] = []
    for child in node.named_children:
        if child.type == "string_fragment":
            parts.append(text_of(child))
        elif child.type == "escape_sequence":
            parts.append(_unescape(text_of(child)))
    return "".join(parts)


def _unescape(escape: str) -> str:
    try:
        return escape.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except (UnicodeDecodeError, ValueError):
        return ""


def _decode(ref: str, values: list[Value]) -> str | None:
    """The decoded text, when the argument is known; never raises on bad input."""
    if not values:
        return None
    if ref == "String.fromCharCode":
        codes = [value.text for value in values]
        if all(code is not None and code.isdigit() for code in codes):
            return "".join(chr(min(int(code or 0), 0x10FFFF)) for code in codes)
        return None
    source = values[0].text
    if source is None:
        return None
    encoding = values[1].text if ref == "Buffer.from" and len(values) > 1 else ("base64" if ref == "atob" else None)
    try:
        if encoding == "base64":
            return base64.b64decode(source + "=" * (-len(source) % 4)).decode("utf-8", "replace")
        if encoding == "hex":
            return bytes.fromhex(source).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None
    return source
