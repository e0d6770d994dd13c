"""Queueing e-mails: rendered now, stored in the caller's transaction, sent after it commits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.i18n import Language
from marketplace.core.templating import environment
from marketplace.db.session import mark_outbox_written
from marketplace.notifications.models import OutboxEmail


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, language: Language, context: dict[str, Any]) -> RenderedEmail:
    """``templates/email/<template>.txt`` and ``.html``; the first text line is the subject."""
    env = environment()
    values = {**context, "lang": language.value}
    text = env.get_template(f"email/{template}.txt").render(values)
    subject, _, body = text.partition("\n")
    html = env.get_template(f"email/{template}.html").render(values)
    return RenderedEmail(subject=subject.strip(), text=body.lstrip("\n"), html=html)


async def queue_email(
    session: AsyncSession,
    recipients: list[str],
    template: str,
    language: Language,
    context: dict[str, Any],
) -> None:
    """One outbox row per recipient; a send is attempted as soon as the transaction commits."""
    rendered = render_email(template, language, context)
    for recipient in dict.fromkeys(recipients):
        session.add(
            OutboxEmail(
                recipient=recipient,
                subject=rendered.subject,
                body_text=rendered.text,
                body_html=rendered.html,
                template=template,
            )
        )
    await session.flush()
    mark_outbox_written(session)
