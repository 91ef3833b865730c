"""The import contracts in pyproject.toml hold for the code, and they do catch a layer that
imports a technology it must not know."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
DOMAIN_CONTRACT = "The domain is plain Python"
APPLICATION_CONTRACT = "The application layer knows ports, not technologies"
ACTOR_CONTRACT = "Other contexts' HTTP shells take the Actor, never identity's roles or principal"
SHELL_CONTRACT = "The HTTP shell calls use cases: it imports no application ports or repositories"
IGNORED = shutil.ignore_patterns("__pycache__")


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on ``project`` (a folder with ``src/devforge`` and ``pyproject.toml``)."""
    env = os.environ | {"PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(project / "pyproject.toml")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def broken_contracts_section(output: str) -> str:
    """The report's details part, which names each broken contract on its own line."""
    _, _, details = output.partition("Broken contracts")
    return details


def copy_with_extra_import(tmp_path: Path, module: str, statement: str) -> Path:
    shutil.copytree(ROOT / "src" / "devforge", tmp_path / "src" / "devforge", ignore=IGNORED)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / Path(*module.split(".")).with_suffix(".py")
    assert target.is_file(), target
    target.write_text(target.read_text() + f"\n{statement}\n")
    return tmp_path


def test_the_code_keeps_every_import_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "broken", "kept"),
    [
        ("devforge.domain.identity.user", "import sqlalchemy", DOMAIN_CONTRACT, None),
        (
            "devforge.application.identity.register_user",
            "import litestar",
            APPLICATION_CONTRACT,
            DOMAIN_CONTRACT,
        ),
        (
            "devforge.entrypoints.http.licensing.controller",
            "import devforge.domain.identity.roles",
            ACTOR_CONTRACT,
            DOMAIN_CONTRACT,
        ),
        (
            "devforge.entrypoints.http.licensing.controller",
            "import devforge.application.licensing.ports",
            SHELL_CONTRACT,
            ACTOR_CONTRACT,
        ),
        (
            "devforge.entrypoints.http.marketplace.publishers_controller",
            "import devforge.application.identity.ports",
            SHELL_CONTRACT,
            ACTOR_CONTRACT,
        ),
        (
            "devforge.entrypoints.http.billing.documents_schemas",
            "import devforge.application.billing.invoice_ports",
            SHELL_CONTRACT,
            DOMAIN_CONTRACT,
        ),
    ],
    ids=[
        "sqlalchemy-in-domain",
        "litestar-in-application",
        "role-in-licensing-shell",
        "repository-in-licensing-controller",
        "identity-port-in-marketplace-controller",
        "invoice-port-in-billing-schemas",
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, statement: str, broken: str, kept: str | None
) -> None:
    project = copy_with_extra_import(tmp_path, module, statement)
    result = lint_imports(project)
    assert result.returncode != 0, result.stdout
    details = broken_contracts_section(result.stdout)
    assert broken in details, result.stdout
    imported = statement.removeprefix("import ")
    assert f"{module} -> {imported}" in " ".join(details.split()), result.stdout  # the report wraps long lines
    if kept is not None:
        assert kept not in details, result.stdout


def test_the_shell_contract_names_every_ports_module() -> None:
    """import-linter matches whole module names, so each ``*_ports`` module is listed by hand:
    a new one (``payout_ports``...) must be added, or a controller could import it unseen."""
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (shell,) = [c for c in contracts["contracts"] if c["name"] == SHELL_CONTRACT]
    application = ROOT / "src" / "devforge" / "application"
    ports = {
        ".".join(("devforge", "application", *path.relative_to(application).with_suffix("").parts))
        for path in application.rglob("*.py")
        if path.stem == "ports" or path.stem.endswith("_ports")
    }
    listed = set(shell["forbidden_modules"])
    by_wildcard = {module for module in ports if module.count(".") == 3 and module.endswith(".ports")}
    assert "devforge.application.*.ports" in listed and "devforge.application.licensing.ports" in by_wildcard
    missing = ports - by_wildcard - listed
    assert missing == set(), f"add these to the forbidden modules of {SHELL_CONTRACT!r}"


def test_notifications_reads_other_contexts_only_through_what_they_publish() -> None:
    """Notifications sits above the contexts (the layers contract lets it import them), but only
    their ``published`` modules: their events, never their ports, repositories or use cases."""
    import ast

    contexts = ("identity", "licensing", "billing", "marketplace")
    offending = []
    for path in (ROOT / "src" / "devforge" / "application" / "notifications").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                parts = name.split(".")
                another_context = parts[:2] == ["devforge", "application"] and len(parts) > 2 and parts[2] in contexts
                if another_context and parts[3:4] != ["published"]:
                    offending.append(f"{path.name}: {name}")
    assert offending == []
