"""The e-mail outbox: written in the transaction that decides to send, sent after it commits."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import cast

from sqlalchemy import Index, Integer, SQLColumnExpression, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.i18n import Language
from marketplace.db.base import Base, IdMixin, enum_column_type, utcnow
from marketplace.notifications.rendering import RenderedEmail, decode_parameters, render_email

# How long a claim on an e-mail holds (a delivery round's, or its writer's: see
# notifications/service.py) before another round may send it.
LEASE = timedelta(minutes=5)


class EmailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxEmail(IdMixin, Base):
    """Either rendered when queued (``prebuilt_*``), or kept as template, language and
    parameters and rendered by the sender (``rendered()``); ``subject``, ``body_text`` and
    ``body_html`` read the same either way in Python (in SQL, only the prebuilt columns)."""

    __tablename__ = "outbox_emails"
    __table_args__ = (Index("ix_outbox_emails_status_next", "status", "next_attempt_at"),)

    recipient: Mapped[str] = mapped_column(String(254))
    template: Mapped[str] = mapped_column(String(80))
    language: Mapped[str | None] = mapped_column(String(8))
    parameters: Mapped[str | None] = mapped_column(Text)  # JSON, see rendering.encode_parameters
    prebuilt_subject: Mapped[str | None] = mapped_column("subject", String(255))
    prebuilt_text: Mapped[str | None] = mapped_column("body_text", Text)
    prebuilt_html: Mapped[str | None] = mapped_column("body_html", Text)
    status: Mapped[EmailStatus] = mapped_column(
        enum_column_type(EmailStatus), default=EmailStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    def rendered(self) -> RenderedEmail:
        if self.parameters is None or self.language is None:
            return RenderedEmail(
                subject=self.prebuilt_subject or "",
                text=self.prebuilt_text or "",
                html=self.prebuilt_html or "",
            )
        return render_email(
            self.template, Language(self.language), decode_parameters(self.parameters)
        )

    @hybrid_property
    def subject(self) -> str:
        return self.rendered().subject

    @subject.inplace.expression
    @classmethod
    def _subject_expression(cls) -> SQLColumnExpression[str]:
        return cast("SQLColumnExpression[str]", cls.prebuilt_subject)

    @hybrid_property
    def body_text(self) -> str:
        return self.rendered().text

    @body_text.inplace.expression
    @classmethod
    def _body_text_expression(cls) -> SQLColumnExpression[str]:
        return cast("SQLColumnExpression[str]", cls.prebuilt_text)

    @hybrid_property
    def body_html(self) -> str:
        return self.rendered().html

    @body_html.inplace.expression
    @classmethod
    def _body_html_expression(cls) -> SQLColumnExpression[str]:
        return cast("SQLColumnExpression[str]", cls.prebuilt_html)
