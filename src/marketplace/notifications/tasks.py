"""Sending the outbox over SMTP: leased so several instances never send one e-mail twice,
retried with backoff, and never inside a request's transaction."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from jinja2 import TemplateError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.config import Settings
from marketplace.db.base import utcnow
from marketplace.db.session import begin_write_transaction
from marketplace.notifications import repository
from marketplace.notifications.models import EmailStatus, OutboxEmail

logger = logging.getLogger("marketplace.email")
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
BATCH_SIZE = 50


@dataclass(frozen=True)
class SmtpTarget:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool

    @classmethod
    def from_url(cls, url: str) -> SmtpTarget:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("MARKETPLACE_SMTP_URL looks like smtp://user:pass@host:port")
        use_tls = parts.scheme == "smtps"
        return cls(
            hostname=parts.hostname,
            port=parts.port or (465 if use_tls else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=use_tls,
        )


def build_message(email: OutboxEmail, sender: str) -> EmailMessage:
    """The MIME message, rendered here from the row's template parameters if it has them."""
    rendered = email.rendered()
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.recipient
    message["Subject"] = rendered.subject
    message["Message-ID"] = make_msgid(idstring=str(email.id), domain="pasar-babel.id")
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


class EmailOutbox:
    """Sends due e-mails; ``wake`` starts a send in the background right after a commit."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self._sessionmaker = sessionmaker
        self._settings = settings
        self._tasks: set[asyncio.Task[int]] = set()
        self._again = False

    async def wake(self) -> None:
        """Make sure one delivery loop runs soon. Wake-ups during a round are folded into one
        more round, so a burst of orders never starts a burst of competing claimers."""
        if self._tasks:
            self._again = True
            return
        task = asyncio.create_task(self._deliver_until_quiet())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver_until_quiet(self) -> int:
        sent = 0
        while True:
            self._again = False
            sent += await self.deliver_due()
            if not self._again:
                return sent

    async def drain(self) -> None:
        """Wait for the sends already started (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def deliver_due(self) -> int:
        """Send what is due now; returns how many went out. The sent ones are recorded
        together after the batch (a crash mid-batch sends those again after the lease)."""
        claimed = await self._claim_due()
        sent = [email.id for email in claimed if await self._send_one(email)]
        if sent:
            async with self._sessionmaker() as session:
                await begin_write_transaction(session)
                await repository.mark_sent(session, sent, utcnow())
                await session.commit()
        return len(sent)

    async def _claim_due(self) -> list[OutboxEmail]:
        now = utcnow()
        async with self._sessionmaker() as session:
            await begin_write_transaction(session)
            skip_locked = session.get_bind().dialect.name == "postgresql"
            claimed = await repository.claim_due(
                session, now, now + LEASE, BATCH_SIZE, skip_locked=skip_locked
            )
            await session.commit()
        return claimed

    async def _send_one(self, email: OutboxEmail) -> bool:
        try:
            # Rendered here now: a broken template or parameter fails this e-mail, not the loop.
            message = build_message(email, self._settings.email_from)
        except (TemplateError, LookupError, TypeError, ValueError) as error:
            await self._record_failure(email, error)
            return False
        # Here, not at the top: a worker that never sends mail never loads the SMTP client.
        import aiosmtplib  # noqa: PLC0415

        try:
            await self._transmit(message)
        except (aiosmtplib.SMTPException, OSError, ValueError) as error:
            await self._record_failure(email, error)
            return False
        return True

    async def _transmit(self, message: EmailMessage) -> None:
        if not self._settings.smtp_url:
            logger.info("e-mail (no SMTP configured) to %s: %s", message["To"], message["Subject"])
            return
        import aiosmtplib  # noqa: PLC0415 (see _send_one)

        target = SmtpTarget.from_url(self._settings.smtp_url)
        await aiosmtplib.send(
            message,
            hostname=target.hostname,
            port=target.port,
            username=target.username,
            password=target.password,
            use_tls=target.use_tls,
            timeout=20,
        )

    async def _record_failure(self, email: OutboxEmail, error: Exception) -> None:
        attempts = email.attempts + 1
        logger.warning(
            "e-mail %s to %s failed (attempt %d): %s", email.id, email.recipient, attempts, error
        )
        values: dict[str, object] = {"attempts": attempts, "last_error": str(error)[:1000]}
        if attempts >= MAX_ATTEMPTS:
            values["status"] = EmailStatus.FAILED
        else:
            values["next_attempt_at"] = utcnow() + retry_delay(attempts)
        await self._record(email, values)

    async def _record(self, email: OutboxEmail, values: dict[str, object]) -> None:
        async with self._sessionmaker() as session:
            await begin_write_transaction(session)
            await repository.record_attempt(session, email.id, values)
            await session.commit()
