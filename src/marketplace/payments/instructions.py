"""What a buyer is told to pay by transfer or QRIS: the exact amount (total and unique code),
the account or the dynamic QRIS, and the order number as the reference."""

from __future__ import annotations

from typing import Any

from marketplace.config import Settings, UniqueCodeBooking
from marketplace.core.formatting import format_rupiah
from marketplace.core.i18n import Language
from marketplace.payments import qris, repository
from marketplace.payments.models import Payment, PaymentMethod

# Transfers and QRIS carry a unique code and are confirmed from bank statements.
CODED_METHODS = frozenset(repository.CODED_METHODS)


def bank_transfer_instructions(
    settings: Settings, amount: int, reference: str, language: Language
) -> dict[str, Any]:
    """What the buyer needs to pay by transfer; the reference identifies the order."""
    if language is Language.ENGLISH:
        text = (
            f"Transfer exactly {format_rupiah(amount)} to {settings.bank_transfer_bank_name} "
            f"account {settings.bank_transfer_account_number} "
            f"({settings.bank_transfer_account_holder}) with reference {reference}."
        )
    else:
        text = (
            f"Transfer tepat {format_rupiah(amount)} ke rekening "
            f"{settings.bank_transfer_bank_name} {settings.bank_transfer_account_number} "
            f"a.n. {settings.bank_transfer_account_holder} dengan berita {reference}."
        )
    return {
        "bank_name": settings.bank_transfer_bank_name,
        "account_number": settings.bank_transfer_account_number,
        "account_holder": settings.bank_transfer_account_holder,
        "amount": amount,
        "currency": "IDR",
        "reference": reference,
        "text": text,
    }


def describe(settings: Settings, payment: Payment, total: int, language: Language) -> None:
    """Instructions (and for QRIS the dynamic payload) for the payment's current amount."""
    booking = UniqueCodeBooking((payment.instructions or {}).get("unique_code_booking", "income"))
    reference = payment.reference or ""
    if payment.method is PaymentMethod.QRIS and settings.qris_merchant_payload:
        payment.qris_payload = qris.dynamic_payload(
            settings.qris_merchant_payload, payment.amount, reference
        )
        instructions = qris_instructions(payment.amount, reference, language)
    else:
        instructions = bank_transfer_instructions(settings, payment.amount, reference, language)
    instructions.update(
        {"order_total": total, "unique_code": payment.unique_code, "unique_code_booking": booking}
    )
    payment.instructions = instructions


def qris_instructions(amount: int, reference: str, language: Language) -> dict[str, Any]:
    if language is Language.ENGLISH:
        text = (
            f"Scan the QRIS code with any banking or e-wallet app and pay {format_rupiah(amount)}."
        )
    else:
        text = (
            f"Pindai kode QRIS dengan aplikasi bank atau dompet digital mana pun dan bayar "
            f"{format_rupiah(amount)}."
        )
    return {"amount": amount, "currency": "IDR", "reference": reference, "text": text}
