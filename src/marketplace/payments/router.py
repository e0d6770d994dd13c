"""/webhooks/stripe, sellers' balances and ledgers, payouts and anomalies for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from marketplace.accounts.dependencies import AdminUser, CurrentUser
from marketplace.audit import service as audit_service
from marketplace.core.dependencies import cursor_codec
from marketplace.core.errors import NotFound, problem_responses
from marketplace.core.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, CursorCodec
from marketplace.core.schemas import Page
from marketplace.db.session import DbSession
from marketplace.payments import ledger, webhooks
from marketplace.payments import service as payments_service
from marketplace.payments.schemas import (
    AnomalyRead,
    BalanceRead,
    LedgerEntryRead,
    PayoutCreate,
    WebhookAck,
)
from marketplace.sellers.dependencies import SellerById
from marketplace.sellers.models import MemberRole

router = APIRouter(tags=["payments"])
admin_router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/webhooks/stripe", response_model=WebhookAck, responses=problem_responses(400, 404))
async def stripe_webhook(request: Request, session: DbSession) -> WebhookAck:
    """Signed Stripe events (Stripe-Signature, 300 s tolerance). A duplicate is acknowledged
    and ignored; an empty webhook secret disables this endpoint (404)."""
    gateway = payments_service.runtime_of(session).gateway
    if not gateway.webhooks_enabled:
        raise NotFound()
    payload = await request.body()
    event = gateway.verify_event(payload, request.headers.get("stripe-signature"))
    return WebhookAck(outcome=await webhooks.handle_event(session, event))


@router.get(
    "/sellers/{seller_id}/balance",
    response_model=BalanceRead,
    responses=problem_responses(401, 403, 404),
)
async def read_balance(
    user: CurrentUser, seller_access: SellerById, session: DbSession
) -> BalanceRead:
    """What the marketplace owes the seller: the sum of its ledger entries."""
    seller = seller_access.require(MemberRole.OWNER, MemberRole.STAFF, admin=True)
    return BalanceRead(seller_id=seller.id, balance=await ledger.balance(session, seller.id))


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
    """Money sent to the seller's bank account, with the bank's reference; 409 above the balance."""
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
