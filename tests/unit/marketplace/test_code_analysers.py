"""The code analyser port: one contract over both adapters (tree-sitter and the line patterns), then
what only the parser sees: values followed a short way, severities, bundles, and the figures."""

from __future__ import annotations

import pytest

from devforge.adapters.memory.signature_scanner import EICAR, InMemorySignatureScanner
from devforge.adapters.scanning.pattern_code_analyser import PatternCodeAnalyser
from devforge.adapters.scanning.tree_sitter_code_analyser import TreeSitterCodeAnalyser
from devforge.adapters.scanning.yara_signature_scanner import YaraSignatureScanner
from devforge.application.marketplace.code_analyser import CodeAnalyser
from devforge.application.marketplace.signature_scanner import SignatureScanner
from devforge.domain.marketplace.code_analysis import is_declared_bundle
from devforge.domain.marketplace.review import Severity
from devforge.domain.marketplace.suspicious_code import install_scripts

ANALYSERS = {"tree-sitter": TreeSitterCodeAnalyser, "patterns": PatternCodeAnalyser}
SCANNERS = {"yara-x": YaraSignatureScanner, "memory": InMemorySignatureScanner}
TREE_SITTER = TreeSitterCodeAnalyser()


@pytest.fixture(params=ANALYSERS)
def analyser(request: pytest.FixtureRequest) -> CodeAnalyser:
    return ANALYSERS[request.param]()  # type: ignore[no-any-return]


def test_contract_eval_of_decoded_code_is_high_and_cites_file_and_line(analyser: CodeAnalyser) -> None:
    analysis = analyser.analyse("out/a.js", "const x = 1;\neval(atob('YWxlcnQoMSk='));\n")
    (finding,) = [finding for finding in analysis.findings if finding.severity is Severity.HIGH]
    assert (finding.path, finding.line) == ("out/a.js", 2) and "out/a.js, line 2" in finding.message


def test_contract_ordinary_code_has_nothing_for_a_reviewer_and_is_measured(analyser: CodeAnalyser) -> None:
    analysis = analyser.analyse("out/a.js", "exports.activate = (context) => context;\n// done\n")
    assert [finding for finding in analysis.findings if finding.severity.at_least(Severity.MEDIUM)] == []
    assert analysis.figures.files == 1 and analysis.figures.lines_of_code == 1


def test_contract_code_that_does_not_parse_is_reported_not_raised(analyser: CodeAnalyser) -> None:
    analysis = analyser.analyse("out/a.ts", "function (((( {\n\x00\ufffd")
    assert all(finding.severity is not Severity.HIGH for finding in analysis.findings)


@pytest.mark.parametrize("name", SCANNERS)
def test_contract_signature_scanners_find_eicar_at_its_offset_and_nothing_in_clean_bytes(name: str) -> None:
    scanner: SignatureScanner = SCANNERS[name]()
    (match,) = scanner.matches(b"line one\n" + EICAR)
    assert match.rule == "EICAR_test_file" and match.offset == len(b"line one\n")
    assert scanner.matches(b"exports.activate = () => 1;\n") == []


@pytest.mark.parametrize(
    ("code", "rule", "severity", "line"),
    [
        ("const s = atob(p);\nconst t = s;\neval(t);", "remote_eval", Severity.HIGH, 3),
        ("const f = globalThis['Func' + 'tion'];\nnew f(body)();", "dynamic_code_computed", Severity.HIGH, 2),
        ("eval(input.code);", "dynamic_code", Severity.MEDIUM, 1),
        ("var g = Function('return this')();", "dynamic_code", Severity.LOW, 1),
        ("require('child_process').spawn('git', ['status']);", "process_spawn", Severity.LOW, 1),
        ("const {exec} = require('child_process');\nexec(atob(c));", "process_execution", Severity.HIGH, 2),
    ],
)
def test_the_parser_follows_values_and_weighs_what_it_finds(
    code: str, rule: str, severity: Severity, line: int
) -> None:
    found = [(f.rule, f.severity, f.line) for f in TREE_SITTER.analyse("a.js", code).findings]
    assert found == [(rule, severity, line)]


def test_code_built_at_run_time_in_a_declared_bundle_is_only_reported() -> None:
    (finding,) = TREE_SITTER.analyse("dist/vendor.js", "eval(input.code);", bundle=True).findings
    assert finding.severity is Severity.LOW
    (high,) = TREE_SITTER.analyse("dist/vendor.js", "eval(atob(p));", bundle=True).findings
    assert high.severity is Severity.HIGH  # the HIGH rules hold inside bundles too


def test_declared_bundles_are_vendor_folders_minified_files_and_the_manifests_globs() -> None:
    assert is_declared_bundle("extension/node_modules/lodash/lodash.js")
    assert is_declared_bundle("extension/dist/app.min.js")
    assert is_declared_bundle("extension/dist/webview.js", ("dist/webview.js",))
    assert not is_declared_bundle("extension/out/extension.js", ("dist/*.js",))


def test_figures_count_functions_complexity_and_lint_problems() -> None:
    code = (
        "function pick(a, b) {\n  if (a == 1 && b) { debugger; }\n  try { run(); } catch (e) {}\n"
        "  return a ? 1 : 2;\n}\nvar twice = (x) => { for (;;) { return x * 2; } };\n"
    )
    figures = TREE_SITTER.analyse("a.js", code).figures
    assert (figures.functions, figures.complexity_max, figures.complexity_total) == (2, 5, 7)
    assert dict(figures.lint) == {"eqeqeq": 1, "no-debugger": 1, "no-empty": 1, "no-var": 1}
    assert figures.lines_of_code == 6
    assert "cyclomatic complexity at most 5 (mean 3.5), 4 lint problem(s)" in figures.describe()


def test_an_installer_one_liner_in_documentation_is_not_a_dropper() -> None:
    text = b"## Install\n\n    curl -fsSL https://get.example.dev/install.sh | sh\n"
    scanner = YaraSignatureScanner()
    assert scanner.matches(text, "extension/node_modules/tool/README.md") == []
    assert [match.rule for match in scanner.matches(text, "extension/scripts/setup.sh")] == ["download_piped_to_shell"]


def test_a_vendored_packages_ordinary_install_hook_is_only_reported() -> None:
    text = '{\n  "scripts": {\n    "postinstall": "node -e \\"require(\'./postinstall\')\\""\n  }\n}'
    (vendored,) = install_scripts("extension/node_modules/core-js/package.json", text, vendored=True)
    (own,) = install_scripts("extension/package.json", text)
    assert (vendored.severity, vendored.line, own.severity) == (Severity.LOW, 3, Severity.HIGH)
