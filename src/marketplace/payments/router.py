"""/webhooks/stripe, sellers' balances and ledgers, payouts and anomalies for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from marketplace.accounts.dependencies import AdminUser, CurrentUser
from marketplace.audit import service as audit_service
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import NotFound, problem_responses
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession
from marketplace.payments import ledger, payouts, webhooks
from marketplace.payments import service as payments_service
from marketplace.payments.dependencies import Payments
from marketplace.payments.schemas import (
    AnomalyRead,
    BalanceRead,
    BankRead,
    LedgerEntryRead,
    PayoutAccountCreate,
    PayoutAccountRead,
    PayoutAccounts,
    PayoutCreate,
    WebhookAck,
)
from marketplace.sellers.dependencies import SellerById
from marketplace.sellers.models import MemberRole

router = APIRouter(tags=["payments"])
admin_router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/webhooks/stripe", response_model=WebhookAck, responses=problem_responses(400, 404))
async def stripe_webhook(request: Request, session: DbSession, payments: Payments) -> WebhookAck:
    """Signed Stripe events (Stripe-Signature, 300 s tolerance). A duplicate is acknowledged
    and ignored; an empty webhook secret disables this endpoint (404)."""
    gateway = payments.gateway
    if not gateway.webhooks_enabled:
        raise NotFound()
    payload = await request.body()
    event = gateway.verify_event(payload, request.headers.get("stripe-signature"))
    return WebhookAck(outcome=await webhooks.handle_event(session, payments, event))


@router.get(
    "/sellers/{seller_id}/balance",
    response_model=BalanceRead,
    responses=problem_responses(401, 403, 404),
)
async def read_balance(
    user: CurrentUser, seller_access: SellerById, session: DbSession
) -> BalanceRead:
    """What the marketplace holds for the seller (``pending``), what it may pay out
    (``available``) and what it has paid out, each a sum of ledger entries."""
    seller = seller_access.require(MemberRole.OWNER, MemberRole.STAFF, admin=True)
    current = await ledger.balance(session, seller.id)
    return BalanceRead(
        seller_id=seller.id,
        pending=current.pending,
        available=current.available,
        paid_out=current.paid_out,
        balance=current.owed,
    )


@router.get(
    "/sellers/{seller_id}/ledger",
    response_model=Page[LedgerEntryRead],
    responses=problem_responses(401, 403, 404, 422),
)
async def read_ledger(
    user: CurrentUser,
    seller_access: SellerById,
    session: DbSession,
    codec: Annotated[CursorCodec, Depends(cursor_codec("ledger"))],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Page[LedgerEntryRead]:
    """The entries behind the balance, newest first."""
    seller = seller_access.require(MemberRole.OWNER, MemberRole.STAFF, admin=True)
    return await payments_service.ledger_page(session, codec, seller.id, limit, cursor)


@admin_router.post(
    "/sellers/{seller_id}/payouts",
    status_code=status.HTTP_201_CREATED,
    response_model=LedgerEntryRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def record_payout(
    body: PayoutCreate, admin: AdminUser, seller_access: SellerById, session: DbSession
) -> LedgerEntryRead:
    """Money sent to the seller's bank account, with the bank's reference; 409 above what is
    ``available`` (money still held for unsettled orders cannot be paid out)."""
    seller = seller_access.require(admin=True)
    entry = await ledger.record_payout(
        session, seller.id, body.amount, body.bank_reference, admin.id, body.note
    )
    await audit_service.record_admin_action(
        session,
        actor_id=admin.id,
        action="seller.payout",
        target_type="seller",
        target_id=seller.id,
        after={"amount": body.amount, "bank_reference": body.bank_reference},
    )
    return LedgerEntryRead.model_validate(entry)


@admin_router.get(
    "/payment-anomalies",
    response_model=list[AnomalyRead],
    responses=problem_responses(401, 403),
)
async def list_anomalies(
    admin: AdminUser,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
) -> list[AnomalyRead]:
    """What providers said that was refused (amount mismatches) or made elsewhere (refunds)."""
    return await payments_service.list_anomalies(session, limit)


@router.get("/banks", response_model=list[BankRead])
async def list_banks() -> list[BankRead]:
    """Banks a seller can be paid into, by their three-digit clearing code."""
    return payouts.list_banks()


@router.get(
    "/sellers/{seller_id}/payout-account",
    response_model=PayoutAccounts,
    responses=problem_responses(401, 403, 404),
)
async def read_payout_account(
    user: CurrentUser, seller_access: SellerById, session: DbSession
) -> PayoutAccounts:
    """The bank account payouts go to, and the accounts used before."""
    seller = seller_access.require(MemberRole.OWNER, MemberRole.STAFF, admin=True)
    return await payouts.payout_accounts(session, seller.id)


@router.put(
    "/sellers/{seller_id}/payout-account",
    response_model=PayoutAccountRead,
    responses=problem_responses(401, 403, 404, 422),
)
async def change_payout_account(
    body: PayoutAccountCreate, user: CurrentUser, seller_access: SellerById, session: DbSession
) -> PayoutAccountRead:
    """Owners only. The earlier account stays in the history; every owner is e-mailed."""
    seller = seller_access.require(MemberRole.OWNER)
    return await payouts.change_payout_account(session, user, seller, body)


@admin_router.get(
    "/payouts/export.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403),
    },
)
async def export_payout_batch(admin: AdminUser, session: DbSession) -> Response:
    """The payouts to make now, as a CSV for the bank's bulk transfer: one row per seller with
    money available and a payout account (``amount`` = all of ``available``)."""
    return Response(
        content=await payouts.payout_batch_csv(session),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="payouts.csv"'},
    )
