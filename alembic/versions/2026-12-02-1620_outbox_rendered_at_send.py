"""Outbox e-mails rendered at send time: a row may keep its template's language and
parameters (JSON) instead of the rendered subject and bodies, which become nullable. Rows
already queued keep their rendered text and still send as they are. Downgrading renders the
rows that have only parameters, so none is lost.

Revision ID: 5c1e0a9b7d42
Revises: b24225aee8bc
Create Date: 2026-12-02 16:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from marketplace.core.i18n import Language
from marketplace.notifications.rendering import decode_parameters, render_email

revision: str = "5c1e0a9b7d42"
down_revision: str | None = "b24225aee8bc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RENDERED = (("subject", sa.String(length=255)), ("body_text", sa.Text()), ("body_html", sa.Text()))


def upgrade() -> None:
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("parameters", sa.Text(), nullable=True))
        for name, column_type in _RENDERED:
            batch_op.alter_column(name, existing_type=column_type, nullable=True)


def downgrade() -> None:
    _render_parameter_rows()
    with op.batch_alter_table("outbox_emails", schema=None) as batch_op:
        for name, column_type in _RENDERED:
            batch_op.alter_column(name, existing_type=column_type, nullable=False)
        batch_op.drop_column("parameters")
        batch_op.drop_column("language")


def _render_parameter_rows() -> None:
    """The old schema holds only rendered text: render what waits as parameters."""
    outbox = sa.table(
        "outbox_emails",
        sa.column("id"),
        sa.column("template", sa.String()),
        sa.column("language", sa.String()),
        sa.column("parameters", sa.Text()),
        *(sa.column(name, column_type) for name, column_type in _RENDERED),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(outbox.c.id, outbox.c.template, outbox.c.language, outbox.c.parameters).where(
            outbox.c.parameters.is_not(None)
        )
    ).all()
    for row in rows:
        rendered = render_email(
            row.template, Language(row.language), decode_parameters(row.parameters)
        )
        connection.execute(
            sa.update(outbox)
            .where(outbox.c.id == row.id)
            .values(subject=rendered.subject, body_text=rendered.text, body_html=rendered.html)
        )
