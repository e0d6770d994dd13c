"""Where sellers are paid: their payout bank account (a change adds a row, so the history is
kept, and e-mails the owners), and the CSV batch of payouts a treasurer uploads to the bank."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.audit import service as audit_service
from marketplace.core.errors import InvalidInput
from marketplace.notifications import service as notifications
from marketplace.payments import ledger, repository
from marketplace.payments.banks import BANKS, bank_name
from marketplace.payments.models import LedgerEntry, PayoutAccount
from marketplace.payments.schemas import (
    BankRead,
    PayoutAccountCreate,
    PayoutAccountRead,
    PayoutAccounts,
)
from marketplace.sellers import service as sellers_service
from marketplace.sellers.models import MemberRole, Seller

EXPORT_COLUMNS = (
    "seller_id",
    "seller_name",
    "bank_code",
    "bank_name",
    "account_number",
    "account_holder",
    "amount",
    "currency",
)


class UnknownBank(InvalidInput):
    problem = "unknown-bank"


def list_banks() -> list[BankRead]:
    return [BankRead(code=code, name=name) for code, name in BANKS.items()]


def account_read(account: PayoutAccount) -> PayoutAccountRead:
    return PayoutAccountRead(
        bank_code=account.bank_code,
        bank_name=bank_name(account.bank_code),
        account_number=account.account_number,
        account_holder=account.account_holder,
        created_at=account.created_at,
    )


async def payout_accounts(session: AsyncSession, seller_id: uuid.UUID) -> PayoutAccounts:
    history = await repository.payout_account_history(session, seller_id)
    reads = [account_read(account) for account in history]
    return PayoutAccounts(current=reads[0] if reads else None, history=reads)


def _masked(number: str) -> str:
    return "•" * max(0, len(number) - 4) + number[-4:]


async def change_payout_account(
    session: AsyncSession, owner: User, seller: Seller, body: PayoutAccountCreate
) -> PayoutAccountRead:
    """A new account in use from now on; every owner is told (a changed account is how money
    gets stolen, so an owner who did not make the change notices)."""
    if body.bank_code not in BANKS:
        raise UnknownBank(params={"bank_code": body.bank_code})
    account = PayoutAccount(
        seller_id=seller.id,
        bank_code=body.bank_code,
        account_number=body.account_number,
        account_holder=body.account_holder,
        created_by=owner.id,
    )
    session.add(account)
    await session.flush()
    context = {
        "seller_name": seller.name,
        "bank_name": bank_name(account.bank_code),
        "account_number": _masked(account.account_number),
        "account_holder": account.account_holder,
        "changed_by": owner.email,
    }
    members = await sellers_service.list_members(session, seller)
    for member in members:
        if member.role is MemberRole.OWNER:
            await notifications.queue_email(
                session, [member.email], "payout_account_changed", member.language, context
            )
    return account_read(account)


def _cell(value: str) -> str:
    """A cell a spreadsheet would run as a formula is kept as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@dataclass(frozen=True)
class PayoutDue:
    """A seller with money available, and where it can be sent (None: no account yet)."""

    seller: Seller
    amount: int
    account: PayoutAccount | None


async def payouts_due(session: AsyncSession) -> list[PayoutDue]:
    """Every seller with money available to pay out, by name, with its payout account."""
    return [
        PayoutDue(seller, amount, await repository.current_payout_account(session, seller.id))
        for seller, amount in await repository.sellers_with_available(session)
    ]


async def pay_seller(
    session: AsyncSession,
    admin: User,
    seller_id: uuid.UUID,
    amount: int,
    bank_reference: str,
    note: str | None = None,
) -> LedgerEntry:
    """Record money sent to the seller's bank (409 above ``available``), with its audit entry."""
    entry = await ledger.record_payout(session, seller_id, amount, bank_reference, admin.id, note)
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action="seller.payout",
        target_type="seller",
        target_id=seller_id,
        after={"amount": amount, "bank_reference": bank_reference},
    )
    return entry


async def payout_batch_csv(session: AsyncSession) -> str:
    """One row per seller with money available and a payout account: what to transfer now.
    Sellers without an account are left out (they cannot be paid until they add one)."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for due in await payouts_due(session):
        account = due.account
        if account is None:
            continue
        writer.writerow(
            [
                str(due.seller.id),
                _cell(due.seller.name),
                account.bank_code,
                bank_name(account.bank_code),
                account.account_number,
                _cell(account.account_holder),
                str(due.amount),
                "IDR",
            ]
        )
    return output.getvalue()
