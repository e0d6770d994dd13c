"""Seller teams grow by invitation: an owner invites an e-mail address, the person accepts
while signed in with that (confirmed) address. The answer to the owner is the same whether
or not the address has an account, so inviting cannot be used to find out who is registered."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts import service as accounts_service
from marketplace.accounts.exceptions import EmailNotVerified
from marketplace.accounts.models import User
from marketplace.config import Settings
from marketplace.core.security import hash_opaque_token, new_opaque_token
from marketplace.db.base import utcnow
from marketplace.notifications import service as notifications
from marketplace.sellers import repository
from marketplace.sellers.exceptions import AlreadyMember, InvitationNotFound
from marketplace.sellers.models import Seller, SellerInvitation, SellerMember
from marketplace.sellers.schemas import InvitationRead, MemberCreate, MemberRead

ROLE_NAMES = {"owner": ("pemilik", "owner"), "staff": ("staf", "staff")}


async def invite_member(
    session: AsyncSession, settings: Settings, seller: Seller, inviter: User, data: MemberCreate
) -> InvitationRead:
    email_normalized = accounts_service.normalize_email(data.email)
    if await repository.is_member_email(session, seller.id, email_normalized):
        raise AlreadyMember()
    token = new_opaque_token()
    now = utcnow()
    session.add(
        SellerInvitation(
            seller_id=seller.id,
            email=str(data.email),
            email_normalized=email_normalized,
            role=data.role,
            token_hash=hash_opaque_token(token),
            invited_by_user_id=inviter.id,
            expires_at=now + timedelta(days=settings.invitation_days),
        )
    )
    await session.flush()
    invitee = await accounts_service.find_user_by_email(session, email_normalized)
    language = invitee.language if invitee is not None else inviter.language
    indonesian, english = ROLE_NAMES[data.role.value]
    context = {
        "seller_name": seller.name,
        "role": english if language.value == "en" else indonesian,
        "token": token,
        "days": settings.invitation_days,
    }
    await notifications.queue_email(
        session, [str(data.email)], "seller_invitation", language, context
    )
    return InvitationRead(email=str(data.email), role=data.role, status="invited")


async def accept_invitation(session: AsyncSession, user: User, token: str) -> MemberRead:
    now = utcnow()
    invitation = await repository.get_open_invitation(session, hash_opaque_token(token), now)
    if invitation is None or invitation.email_normalized != user.email_normalized:
        raise InvitationNotFound()
    if not user.email_verified:
        raise EmailNotVerified()
    if await repository.get_member_role(session, invitation.seller_id, user.id) is not None:
        raise AlreadyMember()
    if not await repository.mark_invitation_accepted(session, invitation.id, now):
        raise InvitationNotFound()
    member = SellerMember(seller_id=invitation.seller_id, user_id=user.id, role=invitation.role)
    try:
        async with session.begin_nested():
            session.add(member)
            await session.flush()
    except IntegrityError as error:
        raise AlreadyMember() from error
    return MemberRead(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=member.role,
        language=user.language,
        created_at=member.created_at,
    )
