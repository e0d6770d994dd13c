"""The seller console's money: the balance held and available, the ledger behind it (payouts
among its entries), and the bank account payouts go to (owners change it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from marketplace.consoles.seller_access import Desk, FormDesk, SellerDesk
from marketplace.consoles.web import ConsoleRoute
from marketplace.core.errors import AppError
from marketplace.core.i18n import N_
from marketplace.db.session import DbSession
from marketplace.payments import ledger, payouts
from marketplace.payments import service as payments_service
from marketplace.payments.models import LedgerKind
from marketplace.payments.schemas import PayoutAccountCreate

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
ShortText = Annotated[str, Form(max_length=200)]


async def _money_context(
    session: AsyncSession, desk: SellerDesk, cursor: str | None = None
) -> dict[str, Any]:
    entries = await payments_service.ledger_page(
        session, desk.console.codec("ledger"), desk.seller.id, 30, cursor
    )
    return {
        "desk": desk,
        "here": "money",
        "balance": await ledger.balance(session, desk.seller.id),
        "entries": entries,
        "payouts": [e for e in entries.items if e.kind is LedgerKind.PAYOUT],
        "accounts": await payouts.payout_accounts(session, desk.seller.id),
        "banks": [(bank.code, f"{bank.name} ({bank.code})") for bank in payouts.list_banks()],
    }


@router.get("/penjual/{seller_id}/uang")
async def money_page(
    desk: Desk,
    session: DbSession,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    context = await _money_context(session, desk, cursor)
    return desk.console.render("seller/money.html", values={}, **context)


@router.post("/penjual/{seller_id}/uang/rekening")
async def change_payout_account(
    desk: FormDesk,
    session: DbSession,
    bank_code: ShortText = "",
    account_number: ShortText = "",
    account_holder: ShortText = "",
) -> Response:
    """Owners only (403 page for staff); every owner is e-mailed about the change."""
    desk.require_owner()
    values = {
        "bank_code": bank_code,
        "account_number": account_number,
        "account_holder": account_holder,
    }
    context = await _money_context(session, desk)
    try:
        body = PayoutAccountCreate.model_validate(
            {**values, "account_number": account_number.replace(" ", "").replace("-", "")}
        )
        await payouts.change_payout_account(session, desk.console.user, desk.seller, body)
    except (AppError, ValidationError) as problem:
        raise desk.console.form_failed(
            "seller/money.html", problem, values=values, **context
        ) from problem
    return desk.console.redirect(
        desk.path("uang"), success=N_("Account saved. Every owner of the shop is told by e-mail.")
    )
