"""Queueing e-mails: stored in the caller's transaction, sent after it commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.i18n import Language
from marketplace.db.base import new_id, utcnow
from marketplace.db.pending_inserts import insert_values_later
from marketplace.db.session import mark_outbox_written, outbox_delivers_after_commit
from marketplace.notifications.models import LEASE, EmailStatus, OutboxEmail
from marketplace.notifications.rendering import RenderedEmail, encode_parameters, render_email

__all__ = ["RenderedEmail", "queue_email", "render_email"]


async def queue_email(
    session: AsyncSession,
    recipients: list[str],
    template: str,
    language: Language,
    context: dict[str, Any],
    *,
    render_at_send: bool = False,
    write_later: bool = False,
) -> None:
    """One outbox row per recipient; a send is attempted as soon as the transaction commits.
    ``write_later``: the rows go with the transaction's next statement that carries pending
    rows (db/pending_inserts.py), at the latest before the commit.

    ``render_at_send``: keep the template's parameters and let the sender render them, so a
    request that queues the e-mail (a checkout) pays no template or MIME work; else the row
    holds the rendered text (e-mails whose text callers read back from the outbox)."""
    recipients = list(dict.fromkeys(recipients))
    if render_at_send:
        stored: dict[str, Any] = {
            "language": language.value,
            "parameters": encode_parameters(context),
        }
    else:
        rendered = render_email(template, language, context)
        stored = {
            "prebuilt_subject": rendered.subject,
            "prebuilt_text": rendered.text,
            "prebuilt_html": rendered.html,
        }
    claimed = outbox_delivers_after_commit(session)
    now = utcnow()
    # Claimed at birth when this session's outbox sends them right after the commit: leased
    # like a delivery round's claim (another instance's round passes them by), so sending
    # them costs no claiming statement. An instance that dies first leaves them to a later
    # round once the lease is over, as a crash in a round does.
    next_attempt_at = now + LEASE if claimed else now
    rows = [
        {
            **_unsent(now, next_attempt_at),
            "id": new_id(),
            "recipient": recipient,
            "template": template,
            **stored,
        }
        for recipient in recipients
    ]
    if write_later:
        insert_values_later(session, OutboxEmail, rows)
    else:
        await session.execute(insert(OutboxEmail), rows)
    mark_outbox_written(session, [OutboxEmail(**row) for row in rows] if claimed else [])


def _unsent(now: datetime, next_attempt_at: datetime) -> dict[str, Any]:
    return {
        "status": EmailStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": next_attempt_at,
        "created_at": now,
    }
