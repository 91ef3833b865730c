"""The year-end reports as CSV files for filing (RFC 4180, UTF-8, CRLF, a header row). Amounts
are major units with the currency's decimals (``20000.01``); a text cell starting with ``=``,
``+``, ``-`` or ``@`` gets a leading ``'`` (no spreadsheet runs it as a formula); the TIN is only
ever the masked form. One row per reportable payee, by publisher id. The layouts are documented
in architecture.md ("Tax profiles and year-end reports")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from devforge.domain.billing.money import Money
from devforge.domain.billing.tax_profile import TaxForm, TaxProfile
from devforge.domain.billing.tax_reports import Dac7Seller, Form1099K, Form1099Nec

MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_BOXES_5 = "abcdefghijkl"
_PAYEE = ("tax_year", "publisher_id", "payee_name", "entity_type", "tin_type", "tin_masked", "address")

COLUMNS_1099K = (
    *_PAYEE,
    "box_1a_gross_amount",
    "box_3_number_of_transactions",
    "box_4_federal_income_tax_withheld",
    *(f"box_5{box}_{month}" for box, month in zip(_BOXES_5, MONTHS, strict=True)),
)
COLUMNS_1099NEC = (*_PAYEE, "box_1_nonemployee_compensation", "box_4_federal_income_tax_withheld")
COLUMNS_DAC7 = (
    "reporting_period",
    "publisher_id",
    "seller_name",
    "seller_type",
    "entity_type",
    "member_state_of_residence",
    "address",
    "number_of_activities",
    "consideration_eur",
    *(f"q{q}_{what}" for q in range(1, 5) for what in ("activities", "consideration_eur", "fees_eur")),
)


def _text(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _amount(money: Money) -> str:
    return money.major_units_text()


def _payee(year: int, profile: TaxProfile) -> tuple[str, ...]:
    tin = profile.tin
    return (
        str(year),
        str(profile.publisher_id),
        _text(profile.name),
        profile.entity_type,
        tin.kind.value if tin else "",
        tin.masked if tin else "",
        _text(profile.address),
    )


def _csv(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def csv_1099k(year: int, forms: Sequence[Form1099K]) -> str:
    return _csv(
        COLUMNS_1099K,
        (
            (
                *_payee(year, form.profile),
                _amount(form.gross),
                str(form.transactions),
                _amount(form.withheld),
                *(_amount(month) for month in form.monthly),
            )
            for form in forms
        ),
    )


def csv_1099nec(year: int, forms: Sequence[Form1099Nec]) -> str:
    rows = ((*_payee(year, form.profile), _amount(form.compensation), _amount(form.withheld)) for form in forms)
    return _csv(COLUMNS_1099NEC, rows)


def csv_dac7(year: int, sellers: Sequence[Dac7Seller]) -> str:
    rows = []
    for seller in sellers:
        profile = seller.profile
        quarters = [
            cell
            for quarter in seller.quarters
            for cell in (str(quarter.sales), _amount(quarter.consideration), _amount(quarter.fees))
        ]
        rows.append(
            (
                str(year),
                str(profile.publisher_id),
                _text(profile.name),
                "individual" if profile.form is TaxForm.W8BEN else "entity",
                profile.entity_type,
                profile.country,
                _text(profile.address),
                str(seller.sales),
                _amount(seller.consideration),
                *quarters,
            )
        )
    return _csv(COLUMNS_DAC7, rows)
