"""The code analyser on a real parser: tree-sitter with its JavaScript, TypeScript and TSX grammars
(wheels from PyPI, no compiler, no Node). One pass over the syntax tree, in source order, follows
values (``js_values``) and records each call of a sink with what flows into it; the severities are
decided at the end, once the file is known to fetch or not.

- ``eval``, ``Function``, ``vm.*`` and string timers: HIGH when the callee was reached through a
  name built at run time (``globalThis['ev'+'al']``, character codes, decoding; ``window['eval']``
  is a plain lookup) or the code run is decoded or fetched (fetch-then-execute: a fetch's result,
  or a callback's parameter, flowing into it); MEDIUM for other code built at run time (LOW in a
  declared vendor bundle); LOW for a constant string (``Function('return this')`` in bundles).
- ``child_process``: HIGH when the command is decoded or fetched, pipes a download into a shell
  (``curl ... | sh``, ``iwr ... | iex``), or the function was reached through a computed name; LOW
  otherwise (many honest extensions start processes).
- ``require`` of ``child_process``, ``vm`` and the like by a computed name: HIGH.
Figures: lines of code, functions, cyclomatic complexity, and the lint rules ``no-eval``,
``no-debugger``, ``no-var``, ``eqeqeq`` and ``no-empty``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import tree_sitter_javascript
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor

from devforge.adapters.scanning.js_values import Value, Values, text_of
from devforge.domain.marketplace.code_analysis import CodeAnalysis, CodeFigures, lines_of_code
from devforge.domain.marketplace.review import Finding, Severity
from devforge.domain.marketplace.suspicious_code import FETCH_PIPE_SHELL

JAVASCRIPT = Language(tree_sitter_javascript.language())
TYPESCRIPT = Language(tree_sitter_typescript.language_typescript())
TSX = Language(tree_sitter_typescript.language_tsx())

EVAL_SINKS = frozenset(
    {"eval", "Function", "vm.runInNewContext", "vm.runInThisContext", "vm.runInContext", "vm.compileFunction"}
    | {"vm.Script", "vm.SourceTextModule"}
)
TIMERS = frozenset({"setTimeout", "setInterval", "setImmediate"})
EXEC_METHODS = frozenset({"exec", "execSync", "spawn", "spawnSync", "execFile", "execFileSync", "fork"})
EXEC_SINKS = frozenset(f"{module}.{method}" for module in ("child_process", "shelljs") for method in EXEC_METHODS)
SENSITIVE_MODULES = frozenset({"child_process", "vm", "fs", "net", "http", "https", "os", "worker_threads"})
FETCHER_REFS = frozenset({"fetch", "http.get", "https.get", "http.request", "https.request", "axios", "got"})
# A call is looked at only when its callee could name a sink, a fetcher, a callback on fetched
# data, or is computed: in a minified bundle that leaves a small share of its calls.
CANDIDATE_NAMES = (
    {sink.rsplit(".", 1)[-1] for sink in EVAL_SINKS}
    | TIMERS
    | EXEC_METHODS
    | {"require", "fetch", "get", "request", "on", "then", "axios", "got"}
)
ENCODED_POWERSHELL = re.compile(r"""(?i)\bpowershell(?:\.exe)?\b.*?["'\s]-(?:e|ec|enc|encodedcommand)["'\s]""")
DECISION_KINDS = ("if_statement", "for_statement", "for_in_statement", "while_statement", "do_statement")
FUNCTION_KINDS = ("function_declaration", "function_expression", "arrow_function", "method_definition")
BINDING_KINDS = ("variable_declarator", "assignment_expression", "augmented_assignment_expression", "import_statement")


def language_for(path: str) -> Language:
    lowered = path.lower()
    if lowered.endswith(".tsx"):
        return TSX
    if lowered.endswith((".ts", ".mts", ".cts")):
        return TYPESCRIPT
    return JAVASCRIPT


@cache
def _queries(language: Language) -> tuple[Query, Query]:
    """The rules' query (bindings and calls, in source order) and the figures' query."""
    kinds = [kind for kind in BINDING_KINDS if language.id_for_node_kind(kind, True) is not None]
    rules = " ".join(f"({kind}) @{kind}" for kind in (*kinds, "call_expression", "new_expression"))
    decisions = (*DECISION_KINDS, "catch_clause", "ternary_expression", "switch_case")
    figures = " ".join(
        [f"({kind}) @function" for kind in (*FUNCTION_KINDS, "generator_function", "generator_function_declaration")]
        + [f"({kind}) @decision" for kind in decisions]
        + [
            '(binary_expression operator: ["&&" "||" "??"]) @decision',
            '(binary_expression operator: ["==" "!="]) @eqeqeq',
        ]
        + ["(debugger_statement) @no-debugger", "(variable_declaration) @no-var"]
        + [
            '(catch_clause body: (statement_block . "}")) @no-empty',
            '(if_statement consequence: (statement_block . "}")) @no-empty',
        ]
    )
    return Query(language, rules), Query(language, figures)


@dataclass
class _Sink:
    kind: str  # "eval", "timer", "exec"
    ref: str
    line: int
    callee: Value
    arguments: list[Value]
    raw: str


@dataclass
class _Walk:
    path: str
    bundle: bool
    values: Values = field(default_factory=Values)
    sinks: list[_Sink] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    fetches: bool = False
    lint: Counter[str] = field(default_factory=Counter)


class TreeSitterCodeAnalyser:
    """Stateless: a parser per call, so one analyser serves every review thread. The tree is read
    through tree-sitter queries (run in C), not node by node in Python."""

    def analyse(self, path: str, source: str, *, bundle: bool = False) -> CodeAnalysis:
        language = language_for(path)
        tree = Parser(language).parse(source.encode("utf-8", "replace"))
        rules, figures_query = _queries(language)
        walk = _Walk(path, bundle)
        captured = QueryCursor(rules).captures(tree.root_node)
        nodes = sorted(
            (node for found in captured.values() for node in found), key=lambda n: (n.start_byte, -n.end_byte)
        )
        for node in nodes:
            _look_at(node, walk)
        findings = [*walk.findings, *(_judge(sink, walk) for sink in walk.sinks)]
        if tree.root_node.has_error:
            line = _first_error_line(tree.root_node)
            findings.append(_found("parse_error", path, line, "could not be parsed completely", Severity.LOW))
        # The figures describe the publisher's own code: a vendor bundle is not measured (its
        # query costs as much as the rules' on a large minified file).
        figures = CodeFigures(files=1) if bundle else _figures(source, tree.root_node, figures_query, walk.lint)
        return CodeAnalysis(tuple(finding for finding in findings if finding is not None), figures)


def _figures(source: str, root: Node, query: Query, lint: Counter[str]) -> CodeFigures:
    """Cyclomatic complexity per function: 1 + the decision points whose innermost function it is."""
    captured = QueryCursor(query).captures(root)
    for rule in ("eqeqeq", "no-debugger", "no-var", "no-empty"):
        lint[rule] += len(captured.get(rule, []))
    events = sorted(
        [(node.start_byte, 0, node.end_byte) for node in captured.get("function", [])]
        + [(node.start_byte, 1, 0) for node in captured.get("decision", [])]
    )
    open_functions: list[list[int]] = []  # [end byte, complexity]
    complexities: list[int] = []
    for start, kind, end in events:
        while open_functions and open_functions[-1][0] <= start:
            complexities.append(open_functions.pop()[1])
        if kind == 0:
            open_functions.append([end, 1])
        elif open_functions:
            open_functions[-1][1] += 1
    complexities.extend(entry[1] for entry in open_functions)
    return CodeFigures(
        files=1,
        lines_of_code=lines_of_code(source),
        functions=len(complexities),
        complexity_max=max(complexities, default=0),
        complexity_total=sum(complexities),
        lint=tuple(sorted((rule, count) for rule, count in lint.items() if count)),
    )


def _look_at(node: Node, walk: _Walk) -> None:
    kind = node.type
    if kind == "variable_declarator":
        _declare(node, walk)
    elif kind in ("assignment_expression", "augmented_assignment_expression"):
        _assign(node, walk)
    elif kind == "import_statement":
        _import(node, walk)
    elif kind in ("call_expression", "new_expression"):
        _call(node, walk)


def _declare(node: Node, walk: _Walk) -> None:
    name, value_node = node.child_by_field_name("name"), node.child_by_field_name("value")
    if name is None or value_node is None:
        return
    if name.type == "identifier":
        walk.values.bind(text_of(name), value_node)
        return
    if name.type != "object_pattern":
        return
    value = walk.values.of(value_node)
    if value.ref is None:
        return
    for child in name.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            walk.values.bind(text_of(child), Value(ref=f"{value.ref}.{text_of(child)}", taints=value.taints))
        elif child.type == "pair_pattern":
            key, alias = child.child_by_field_name("key"), child.child_by_field_name("value")
            if key is not None and alias is not None and alias.type == "identifier":
                member = walk.values.of(key).text if key.type != "property_identifier" else text_of(key)
                walk.values.bind(text_of(alias), Value(ref=f"{value.ref}.{member}", computed=value.computed))


def _assign(node: Node, walk: _Walk) -> None:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None or left.type != "identifier":
        return
    if node.type == "assignment_expression":
        walk.values.bind(text_of(left), right)
        return
    before, value = walk.values.lookup(text_of(left)), walk.values.of(right)
    known = before.text is not None and value.text is not None
    text = (before.text or "") + (value.text or "") if known else None
    walk.values.bind(text_of(left), Value(text=text, taints=before.taints | value.taints, computed=True))


def _import(node: Node, walk: _Walk) -> None:
    source = node.child_by_field_name("source")
    module = walk.values.of(source).text if source is not None else None
    if not module:
        return
    module = module.removeprefix("node:")
    for child in _descendants(node, ("identifier", "import_specifier", "namespace_import")):
        if child.type == "import_specifier":
            name, alias = child.child_by_field_name("name"), child.child_by_field_name("alias")
            if name is not None:
                walk.values.bind(text_of(alias or name), Value(ref=f"{module}.{text_of(name)}"))
        elif child.type == "namespace_import":
            for ident in child.named_children:
                walk.values.bind(text_of(ident), Value(ref=module))
        elif child.parent is not None and child.parent.type == "import_clause":
            walk.values.bind(text_of(child), Value(ref=module))  # the default import


def _candidate(callee: Node | None, walk: _Walk) -> bool:
    if callee is None:
        return False
    if callee.type == "identifier":
        name = text_of(callee)
        return name in CANDIDATE_NAMES or name in walk.values.bindings
    if callee.type == "member_expression":
        prop = callee.child_by_field_name("property")
        return prop is not None and text_of(prop) in CANDIDATE_NAMES
    return callee.type in ("subscript_expression", "parenthesized_expression", "call_expression")


def _call(node: Node, walk: _Walk) -> None:
    callee_node = node.child_by_field_name("function" if node.type == "call_expression" else "constructor")
    if not _candidate(callee_node, walk):
        return
    callee = walk.values.of(callee_node)
    ref = callee.ref or ""
    arguments_node = node.child_by_field_name("arguments")
    arguments = [c for c in arguments_node.named_children if c.type != "comment"] if arguments_node else []
    line = node.start_point[0] + 1
    fetched = ref in FETCHER_REFS or ref.startswith(("axios.", "got.")) or "fetched" in callee.taints
    if fetched:
        walk.fetches = True
        _taint_callbacks(arguments, walk)
    kind = "eval" if ref in EVAL_SINKS else "exec" if ref in EXEC_SINKS else None
    if ref in TIMERS and arguments and arguments[0].type not in (*FUNCTION_KINDS, "function"):
        first = walk.values.of(arguments[0])
        if first.text is not None or first.taints or arguments[0].type != "identifier":
            kind = "timer"
    if ref == "require" and arguments:
        name = walk.values.of(arguments[0])
        if name.computed and (name.text or "").removeprefix("node:") in SENSITIVE_MODULES:
            what = f"loads '{name.text}' by a name built at run time"
            walk.findings.append(_found("hidden_require", walk.path, line, what, Severity.HIGH))
    if kind is not None:
        values = [walk.values.of(argument) for argument in arguments]
        raw = text_of(arguments_node) if arguments_node is not None else ""
        walk.sinks.append(_Sink(kind, ref, line, callee, values, raw))


def _taint_callbacks(arguments: list[Node], walk: _Walk) -> None:
    """A callback given to a fetch (``https.get(u, res => ...)``, ``res.on('data', d => ...)``,
    ``.then(r => ...)``) receives fetched data: its parameters are bound as such."""
    for argument in arguments:
        if argument.type not in ("arrow_function", "function_expression", "function"):
            continue
        parameters = argument.child_by_field_name("parameters") or argument.child_by_field_name("parameter")
        if parameters is None:
            continue
        names = [parameters] if parameters.type == "identifier" else _descendants(parameters, ("identifier",))
        for name in names:
            walk.values.bind(text_of(name), Value(taints=frozenset({"fetched"})))


def _judge(sink: _Sink, walk: _Walk) -> Finding | None:
    taints = frozenset().union(*(value.taints for value in sink.arguments)) if sink.arguments else frozenset()
    constant = all(value.text is not None for value in sink.arguments)
    name = sink.ref.rsplit(".", 1)[-1] if sink.kind == "exec" else sink.ref
    if sink.kind == "exec":
        command = " ".join(value.text or "" for value in sink.arguments) + " " + sink.raw
        if sink.callee.computed:
            return _high(walk, sink, "process_execution", f"starts a process through a name built at run time ({name})")
        if "fetched" in taints or "decoded" in taints:
            source = "fetched from the network" if "fetched" in taints else "decoded at run time"
            return _high(walk, sink, "process_execution", f"starts a process with a command {source} ({name})")
        if FETCH_PIPE_SHELL.search(command):
            return _high(walk, sink, "fetch_then_execute", "downloads a script and pipes it into a shell")
        if ENCODED_POWERSHELL.search(command):
            return _high(walk, sink, "process_execution", "starts PowerShell with an encoded command")
        return _found("process_spawn", walk.path, sink.line, "starts processes (child_process)", Severity.LOW)
    walk.lint["no-eval"] += 1
    what = "a string timer" if sink.kind == "timer" else f"'{name}'"
    if sink.callee.computed:
        return _high(walk, sink, "dynamic_code_computed", f"calls {what} through a name built at run time")
    if "fetched" in taints:
        return _high(walk, sink, "remote_eval", f"runs code fetched from the network with {what}")
    if "decoded" in taints:
        return _high(walk, sink, "remote_eval", f"runs code decoded at run time with {what}")
    if constant and sink.kind != "timer":
        return _found("dynamic_code", walk.path, sink.line, f"runs a constant string as code with {what}", Severity.LOW)
    where = " in a file that fetches from the network" if walk.fetches else ""
    severity = Severity.LOW if walk.bundle else Severity.MEDIUM
    return _found("dynamic_code", walk.path, sink.line, f"runs code built at run time with {what}{where}", severity)


def _high(walk: _Walk, sink: _Sink, rule: str, what: str) -> Finding:
    return _found(rule, walk.path, sink.line, what, Severity.HIGH)


def _found(rule: str, path: str, line: int, what: str, severity: Severity) -> Finding:
    return Finding(rule, f"{path}, line {line}: {what}.", path, line, severity)


def _descendants(node: Node, kinds: tuple[str, ...]) -> list[Node]:
    found: list[Node] = []
    stack = list(node.named_children)
    while stack:
        child = stack.pop()
        if child.type in kinds:
            found.append(child)
        if child.type not in ("import_specifier", "namespace_import", "string"):
            stack.extend(child.named_children)
    return found


def _first_error_line(root: Node) -> int:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            return node.start_point[0] + 1
        stack.extend(reversed([child for child in node.children if child.has_error or child.is_missing]))
    return 1
