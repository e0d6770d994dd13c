"""Sending the outbox over SMTP: leased so several instances never send one e-mail twice,
retried with backoff, and never inside a request's transaction."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid, parseaddr
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from jinja2 import TemplateError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.config import Settings
from marketplace.db.base import utcnow
from marketplace.db.session import begin_write_transaction, run_alone
from marketplace.notifications import repository
from marketplace.notifications.models import LEASE, EmailStatus, OutboxEmail

if TYPE_CHECKING:
    import aiosmtplib

logger = logging.getLogger("marketplace.email")
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


def build_message(email: OutboxEmail, sender: str) -> Message:
    """The MIME message, rendered here from the row's template parameters if it has them.
    Built with the classic (compat32) classes: ``EmailMessage``'s header registry cost ~4 ms
    per e-mail to build and ~8 to serialise, these ~0.4 and ~0.4."""
    rendered = email.rendered()
    message = MIMEMultipart("alternative")
    # A display name beyond ASCII as encoded words, the address as it is.
    message["From"] = sender if sender.isascii() else formataddr(parseaddr(sender))
    message["To"] = email.recipient
    message["Subject"] = _header(rendered.subject)
    message["Message-ID"] = make_msgid(idstring=str(email.id), domain="pasar-babel.id")
    message.attach(MIMEText(rendered.text, "plain", "utf-8"))
    message.attach(MIMEText(rendered.html, "html", "utf-8"))
    return message


def _header(value: str) -> str:
    """ASCII as it is; anything else as UTF-8 encoded words (compat32 does not encode it)."""
    return value if value.isascii() else Header(value, "utf-8").encode()


class SmtpConnection:
    """One SMTP connection for a round of sends: opened at its first e-mail and kept for the
    rest (a connection per e-mail cost a TCP and SMTP handshake each); dropped after a failed
    send, so the next e-mail opens a fresh one. Without an SMTP URL e-mails are only logged."""

    def __init__(self, smtp_url: str | None) -> None:
        self._target = SmtpTarget.from_url(smtp_url) if smtp_url else None
        self._client: aiosmtplib.SMTP | None = None

    async def send(self, message: Message) -> None:
        if self._target is None:
            logger.info("e-mail (no SMTP configured) to %s: %s", message["To"], message["Subject"])
            return
        try:
            if self._client is None:
                self._client = await _connect(self._target)
            await self._client.send_message(message)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        import aiosmtplib  # noqa: PLC0415 (loaded on first use: see _send_one)

        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            client.close()


async def _connect(target: SmtpTarget) -> aiosmtplib.SMTP:
    import aiosmtplib  # noqa: PLC0415 (loaded on first use: see _send_one)

    client = aiosmtplib.SMTP(
        hostname=target.hostname,
        port=target.port,
        username=target.username,
        password=target.password,
        use_tls=target.use_tls,
        timeout=20,
    )
    await client.connect()  # logs in too when the URL names a user
    return client


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


class EmailOutbox:
    """Sends e-mails: those a commit hands over (claimed for it when written) right after
    that commit, in the background, and any others that are due when ``deliver_due`` runs."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self._sessionmaker = sessionmaker
        self._settings = settings
        self._tasks: set[asyncio.Task[int]] = set()
        self._claimed: list[OutboxEmail] = []
        self._due = False
        self._again = False

    async def wake(self, claimed: Sequence[OutboxEmail] = ()) -> None:
        """Send ``claimed`` soon, or, given none, what is due. Wake-ups during a round are
        folded into one more round, so a burst of orders never starts a burst of senders."""
        self._claimed.extend(claimed)
        self._due = self._due or not claimed
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
            claimed, self._claimed = self._claimed, []
            due, self._due = self._due, False
            sent += await self._send(claimed) if claimed else 0
            sent += await self.deliver_due() if due else 0
            if not self._again:
                return sent

    async def drain(self) -> None:
        """Wait for the sends already started (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def deliver_due(self) -> int:
        """Claim what is due now and send it; returns how many went out."""
        return await self._send(await self._claim_due())

    async def _send(self, emails: Sequence[OutboxEmail]) -> int:
        """Send ``emails`` (claimed) over one connection; the sent ones are recorded together
        after the batch (a crash mid-batch sends those again after the lease)."""
        connection = SmtpConnection(self._settings.smtp_url)
        try:
            sent = [email.id for email in emails if await self._send_one(email, connection)]
        finally:
            await connection.close()
        if sent:
            parameters = {"email_ids": sent, "sent_at": utcnow()}
            await run_alone(self._sessionmaker, repository.MARK_SENT, parameters)
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

    async def _send_one(self, email: OutboxEmail, connection: SmtpConnection) -> bool:
        try:
            # Rendered here now: a broken template or parameter fails this e-mail, not the loop.
            message = build_message(email, self._settings.email_from)
        except (TemplateError, LookupError, TypeError, ValueError) as error:
            await self._record_failure(email, error)
            return False
        # Here, not at the top: a worker that never sends mail never loads the SMTP client.
        import aiosmtplib  # noqa: PLC0415

        try:
            await connection.send(message)
        except (aiosmtplib.SMTPException, OSError, ValueError) as error:
            await self._record_failure(email, error)
            return False
        return True

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
        await run_alone(self._sessionmaker, repository.attempt_recorded(email.id, values))
