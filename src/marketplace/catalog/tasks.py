"""The daily compliance sweep: sellers are e-mailed 30 days before a listing's P-IRT number or
halal certificate lapses (once per expiry), and a public listing whose P-IRT has lapsed goes
back in review with a queue item. Safe on several instances: rows are locked (SKIP LOCKED on
PostgreSQL) and each product remembers the expiry it was e-mailed about."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.catalog import repository
from marketplace.catalog.compliance import pirt_lapse_year, pirt_lapsed
from marketplace.catalog.models import Product, ProductStatus
from marketplace.core.formatting import WIB
from marketplace.db.base import utcnow
from marketplace.db.session import Outbox, unit_of_work
from marketplace.moderation import service as moderation_service
from marketplace.moderation.models import ItemKind
from marketplace.moderation.screening import Flag
from marketplace.sellers import service as sellers_service

logger = logging.getLogger("marketplace.catalog")
NOTICE_DAYS = 30


@dataclass
class SweepReport:
    notices: int = 0  # e-mails' worth of listings (one line per listing)
    flagged: list[uuid.UUID] = field(default_factory=list)


async def sweep_compliance(
    sessionmaker: async_sessionmaker[AsyncSession],
    outbox: Outbox | None,
    now: datetime | None = None,
) -> SweepReport:
    today = (now or utcnow()).astimezone(WIB).date()
    report = SweepReport()
    async with unit_of_work(sessionmaker, outbox) as session:
        skip_locked = session.get_bind().dialect.name == "postgresql"
        products = await repository.products_with_expiring_numbers(session, skip_locked=skip_locked)
        by_seller: dict[uuid.UUID, list[dict[str, str]]] = {}
        for product in products:
            if await _flag_lapsed(session, product, today):
                report.flagged.append(product.id)
            notices = _expiring(product, today)
            key = "|".join(f"{what}:{until.isoformat()}" for what, until in notices)[:80]
            if notices and key != product.expiry_notice_key:
                product.expiry_notice_key = key
                lines = by_seller.setdefault(product.seller_id, [])
                lines += [
                    {"title": product.title, "what": what, "until": until.strftime("%d-%m-%Y")}
                    for what, until in notices
                ]
        await session.flush()
        for seller_id, lines in by_seller.items():
            await _email_seller(session, seller_id, lines)
            report.notices += len(lines)
    if report.notices or report.flagged:
        logger.info("compliance sweep: %d notices, %d flagged", report.notices, len(report.flagged))
    return report


def _expiring(product: Product, today: date) -> list[tuple[str, date]]:
    """(what, last valid day) of the numbers that lapse within the notice window."""
    found = []
    if product.pirt_number:
        until = date(pirt_lapse_year(product.pirt_number), 12, 31)
        found.append((f"P-IRT {product.pirt_number}", until))
    if product.halal_certificate and product.halal_valid_until:
        found.append((f"Halal {product.halal_certificate}", product.halal_valid_until))
    return [
        (what, until)
        for what, until in found
        if today <= until <= today + timedelta(days=NOTICE_DAYS)
    ]


async def _flag_lapsed(session: AsyncSession, product: Product, today: date) -> bool:
    """A public listing whose P-IRT lapsed leaves the public until it is renewed or approved."""
    if product.status is not ProductStatus.PUBLISHED or not product.pirt_number:
        return False
    if not pirt_lapsed(product.pirt_number, today):
        return False
    product.status = ProductStatus.IN_REVIEW
    product.updated_at = utcnow()
    reason = Flag(code="pirt_lapsed", detail=f"{product.pirt_number}")
    await moderation_service.flag(session, ItemKind.COMPLIANCE, [reason], product_id=product.id)
    return True


async def _email_seller(
    session: AsyncSession, seller_id: uuid.UUID, lines: list[dict[str, str]]
) -> None:
    seller = await sellers_service.get_seller(session, seller_id)
    if seller is None:
        return
    context = {"seller_name": seller.name, "notices": lines}
    await sellers_service.email_members(session, seller, "compliance_expiring", context)


class DailyComplianceSweep:
    """Runs the sweep at most once per WIB day inside the background timer."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], outbox: Outbox | None
    ) -> None:
        self._sessionmaker = sessionmaker
        self._outbox = outbox
        self._last_day: date | None = None

    async def run_if_due(self) -> None:
        today = utcnow().astimezone(WIB).date()
        if self._last_day == today:
            return
        await sweep_compliance(self._sessionmaker, self._outbox)
        self._last_day = today
