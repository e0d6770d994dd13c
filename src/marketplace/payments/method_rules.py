"""Who may pay which way: cards only when Stripe is configured, and cash on delivery (it
reserves stock with no payment at all) only for signed-in buyers with a confirmed e-mail and
only up to a total."""

from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.config import Settings
from marketplace.core.errors import InvalidInput
from marketplace.core.formatting import format_rupiah
from marketplace.core.i18n import translate
from marketplace.payments.exceptions import PaymentProviderUnavailable
from marketplace.payments.models import PaymentMethod


def check_method_available(settings: Settings, method: PaymentMethod) -> None:
    """A card payment needs a Stripe key; the other ways need nothing outside."""
    if method is PaymentMethod.STRIPE and not settings.stripe_secret_key.get_secret_value():
        raise PaymentProviderUnavailable()


def _refuse_cod(detail_key: str, error_type: str, **params: object) -> InvalidInput:
    message = translate(detail_key, **params)
    return InvalidInput(
        message, errors=[{"loc": ["body", "payment_method"], "msg": message, "type": error_type}]
    )


def check_cash_on_delivery_buyer(method: PaymentMethod, buyer: User | None) -> None:
    if method is not PaymentMethod.COD:
        return
    if buyer is None or not buyer.email_verified:
        raise _refuse_cod("cod-needs-verified-buyer.detail", "cod_needs_verified_buyer")


def check_cash_on_delivery_total(settings: Settings, method: PaymentMethod, total: int) -> None:
    if method is PaymentMethod.COD and total > settings.cod_max_total:
        raise _refuse_cod(
            "cod-total-too-high.detail",
            "cod_total_too_high",
            max_total=format_rupiah(settings.cod_max_total),
        )
