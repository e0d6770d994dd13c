"""Queueing e-mails: stored in the caller's transaction, sent after it commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.i18n import Language
from marketplace.db.pending_inserts import insert_values_later
from marketplace.db.session import mark_outbox_written
from marketplace.notifications.models import OutboxEmail
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
    rows = [{"recipient": recipient, "template": template, **stored} for recipient in recipients]
    if write_later:
        insert_values_later(session, OutboxEmail, rows)
    else:
        await session.execute(insert(OutboxEmail), rows)
    mark_outbox_written(session)
