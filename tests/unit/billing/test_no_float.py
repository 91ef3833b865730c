"""No float anywhere in billing: every billing module is scanned, as the context grows.

Refused: float literals, the name ``float`` (calls, annotations, ``isinstance`` checks), true
division ``/`` (``int / int`` is a float; use ``Fraction``, ``//`` or ``allocate``), and the
built-in ``round`` (it rounds half-even and can return floats; billing has one rounding rule,
``rounding.round_to_minor``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SOURCE_ROOT = Path(__file__).resolve().parents[3] / "src" / "devforge"
BILLING_NAMES = ("billing", "payments")
_FLOAT_TYPE = re.compile(r"float(16|32|64|128)?")


def billing_modules() -> list[Path]:
    """Every module of the billing context in any layer: a path with a part named billing* or
    payments* (``domain/billing/``, ``application/billing/``, ``adapters/persistence/billing/``,
    ``adapters/billing_stripe.py``, ``entrypoints/http/payments/``...)."""
    return sorted(
        path
        for path in SOURCE_ROOT.rglob("*.py")
        if any(part.startswith(BILLING_NAMES) for part in path.relative_to(SOURCE_ROOT).with_suffix("").parts)
    )


def float_uses(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        where = f"line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, float | complex):
            found.append(f"{where}: float literal {node.value!r}")
        elif isinstance(node, ast.Name) and node.id in {"float", "round"}:
            found.append(f"{where}: {node.id}")
        elif isinstance(node, ast.Attribute) and _FLOAT_TYPE.fullmatch(node.attr):
            found.append(f"{where}: .{node.attr}")
        elif isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.Div):
            found.append(f"{where}: true division")
        elif isinstance(node, ast.Constant) and node.value == "float":
            found.append(f"{where}: 'float' annotation")
    return found


def test_the_scan_covers_the_billing_domain() -> None:
    scanned = {path.relative_to(SOURCE_ROOT).as_posix() for path in billing_modules()}
    assert {"domain/billing/money.py", "domain/billing/tax.py", "domain/billing/allocation.py"} <= scanned


@pytest.mark.parametrize("path", billing_modules(), ids=lambda path: path.relative_to(SOURCE_ROOT).as_posix())
def test_no_float_in_billing(path: Path) -> None:
    assert float_uses(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "price = 12.5",
        "price = float('12.5')",
        "def total(x: float) -> int: ...",
        "def total(x: 'float') -> int: ...",
        "share = 1 / 3",
        "share /= 3",
        "cents = round(x)",
        "isinstance(x, float)",
        "x = np.float64(1)",
        "ratio = 1j",
    ],
)
def test_the_scan_catches_each_way_a_float_gets_in(source: str) -> None:
    assert float_uses(source)


def test_the_scan_lets_exact_arithmetic_through() -> None:
    assert float_uses("from fractions import Fraction\nshare = Fraction(1, 3) * 7 // 2\nd = Decimal('1.5')") == []
