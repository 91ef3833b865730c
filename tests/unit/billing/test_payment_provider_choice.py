"""One setting picks the payment provider: the sandbox in the embedded profile, Stripe in
production; Stripe needs its key and webhook secrets, the sandbox derives its own secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from devforge.adapters.payments.sandbox_payment_gateway import SandboxPaymentGateway
from devforge.adapters.payments.sandbox_webhook_dispatcher import NoWebhooksToDispatch, SandboxWebhookDispatcher
from devforge.adapters.payments.stripe_payment_gateway import StripePaymentGateway
from devforge.application.billing.payment_gateway import PaymentGateway
from devforge.application.billing.sandbox_checkout import ProviderWebhookDispatcher
from devforge.bootstrap.container import check_selected_adapters, make_container
from devforge.bootstrap.providers.payments import webhook_secrets
from devforge.bootstrap.settings import Settings, SettingsError, load_settings
from devforge.bootstrap.settings.billing import BillingSettings
from tests.conftest import settings_for_tests


async def resolved(settings: Settings) -> tuple[object, object]:
    container = make_container(settings)
    try:
        return await container.get(PaymentGateway), await container.get(ProviderWebhookDispatcher)
    finally:
        await container.close()


async def test_the_embedded_profile_pays_in_the_sandbox(tmp_path: Path) -> None:
    gateway, dispatcher = await resolved(settings_for_tests(data_dir=str(tmp_path)))
    assert isinstance(gateway, SandboxPaymentGateway) and isinstance(dispatcher, SandboxWebhookDispatcher)


async def test_stripe_is_one_setting_away(tmp_path: Path) -> None:
    settings = settings_for_tests(
        data_dir=str(tmp_path), payment_provider="stripe", stripe_api_key="sk_test_1", webhook_secrets=["whsec_1"]
    )
    gateway, dispatcher = await resolved(settings)
    assert isinstance(gateway, StripePaymentGateway) and isinstance(dispatcher, NoWebhooksToDispatch)


async def test_stripe_without_its_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="DEVFORGE_STRIPE_API_KEY"):
        await resolved(settings_for_tests(data_dir=str(tmp_path), payment_provider="stripe", webhook_secrets=["w"]))


def test_production_defaults_to_stripe_and_needs_its_webhook_secrets() -> None:
    production = {"profile": "production", "database_url": "postgresql+asyncpg://db.internal/devforge"}
    settings = settings_for_tests(**production, stripe_api_key="sk_live_1")
    assert settings.section(BillingSettings).payment_provider == "stripe"
    with pytest.raises(SettingsError, match="DEVFORGE_WEBHOOK_SECRETS must be set: the Stripe payment provider"):
        check_selected_adapters(settings)


def test_the_sandbox_secret_is_derived_from_the_secret_key_and_configured_ones_win() -> None:
    derived = webhook_secrets(settings_for_tests())
    assert derived == webhook_secrets(settings_for_tests()) and derived[0].startswith("whsec_")
    assert derived != webhook_secrets(settings_for_tests(secret_key="another-secret-key-with-enough-length-000"))
    assert webhook_secrets(settings_for_tests(webhook_secrets=["whsec_a", "whsec_b"])) == ["whsec_a", "whsec_b"]


def test_payment_settings_load_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "DEVFORGE_DATA_DIR": str(tmp_path),
            "DEVFORGE_PAYMENT_PROVIDER": "stripe",
            "DEVFORGE_STRIPE_API_KEY": "sk_test_1",
            "DEVFORGE_STRIPE_API_BASE": "http://127.0.0.1:12111",
            "DEVFORGE_WEBHOOK_SECRETS": "whsec_new, whsec_old",
        }
    )
    billing = settings.section(BillingSettings)
    assert billing.webhook_secrets == ["whsec_new", "whsec_old"]
    assert (billing.stripe_api_base, billing.payment_provider) == ("http://127.0.0.1:12111", "stripe")
    assert "sk_test_1" not in repr(settings) and "whsec_new" not in repr(settings)
    with pytest.raises(SettingsError, match="DEVFORGE_PAYMENT_PROVIDER"):
        load_settings({"DEVFORGE_DATA_DIR": str(tmp_path), "DEVFORGE_PAYMENT_PROVIDER": "paypal"})
