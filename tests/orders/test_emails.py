"""Order e-mails, received by a real SMTP server on loopback: to the buyer when an order is
placed, shipped and delivered, to the seller's members when there is something to ship. Sent
after the commit; a server that is down delays them and never fails or loses the order."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.formatting import format_rupiah
from marketplace.core.i18n import Language
from marketplace.db.base import utcnow
from marketplace.db.session import unit_of_work
from marketplace.notifications import service as notifications
from marketplace.notifications.models import LEASE, EmailStatus, OutboxEmail
from marketplace.orders.tasks import expire_due_orders
from tests.conftest import make_settings
from tests.factories import (
    DEFAULT_PASSWORD,
    Account,
    add_member,
    confirm_payment,
    count_rows,
    counting_statements,
    http_client,
    mark_email_verified,
    open_shop,
    order_body,
    order_line,
    place_order,
    placed_order,
    running_app,
    set_order_expiry,
    ship_seller_order,
    sign_in,
    unique_email,
)
from tests.servers import free_port


@dataclass
class Mail:
    recipients: list[str]
    message: EmailMessage
    connection: object = None  # the sending client's address and port

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert isinstance(part, EmailMessage)
        return str(part.get_content())

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert isinstance(part, EmailMessage)
        return str(part.get_content())


# The address confirmation each registration sends (accounts' e-mails, not the orders' ones).
ADDRESS_CONFIRMATIONS = frozenset({"Konfirmasi alamat email Anda", "Confirm your e-mail address"})


@dataclass
class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    mails: list[Mail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        if message["Subject"] in ADDRESS_CONFIRMATIONS:
            return "250 Message accepted for delivery"  # every registration sends one
        with self.lock:
            self.mails.append(Mail([str(r) for r in envelope.rcpt_tos], message, session.peer))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Mail]:
        with self.lock:
            return [mail for mail in self.mails if address in mail.recipients]

    def clear(self) -> None:
        with self.lock:
            self.mails.clear()


def start_smtp_server(inbox: Inbox, port: int) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = start_smtp_server(inbox, port)
    yield inbox, port
    controller.stop()


@pytest.fixture
def inbox(smtp_server: tuple[Inbox, int]) -> Inbox:
    smtp_server[0].clear()
    return smtp_server[0]


@pytest.fixture(scope="session")
async def mail_app(
    migrated_database: str,
    smtp_server: tuple[Inbox, int],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[FastAPI]:
    """An instance sending its e-mails to the loopback SMTP server (same database as ``app``)."""
    settings = make_settings(
        migrated_database,
        smtp_url=f"smtp://127.0.0.1:{smtp_server[1]}",
        media_root=tmp_path_factory.mktemp("mail-media"),
    )
    async with running_app(settings) as application:
        yield application


@pytest.fixture
async def mail_client(mail_app: FastAPI, app: FastAPI) -> AsyncIterator[AsyncClient]:
    # ``app`` is requested so the shared clean-up empties the tables after the test
    async with http_client(mail_app) as http:
        yield http
    await mail_app.state.gateways.mailer.drain()


async def sent(app: FastAPI) -> None:
    """Wait for the sends the last commits started."""
    await app.state.gateways.mailer.drain()


async def create_account_in(client: AsyncClient, *, language: str) -> Account:
    email = unique_email("anggota")
    registered = await client.post(
        "/api/v1/auth/register",
        json={
            "email": email,
            "password": DEFAULT_PASSWORD,
            "full_name": "Rudi Hartono",
            "language": language,
        },
    )
    assert registered.status_code == 201, registered.text
    await mark_email_verified(client, email)
    tokens = await sign_in(client, email)
    return Account(
        id=registered.json()["id"],
        email=email,
        password=DEFAULT_PASSWORD,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
    )


async def test_guest_receives_order_received_in_indonesian_with_totals_and_transfer_details(
    mail_app: FastAPI, mail_client: AsyncClient, inbox: Inbox
) -> None:
    # given pepper at Rp 55.000
    shop = await open_shop(mail_app, mail_client)

    # when a guest orders 2 by bank transfer
    order = await placed_order(mail_client, order_body(order_line(shop.variant_id, 2)))
    await sent(mail_app)

    # then only the buyer is written to (nothing to ship before the money arrives)
    [mail] = inbox.to("budi@contoh.id")
    assert [m.recipients for m in inbox.mails] == [["budi@contoh.id"]]
    assert mail.subject == f"Pesanan {order['number']} diterima"
    assert mail.message["From"] == "Pasar Babel <no-reply@pasar-babel.id>"
    assert mail.message["To"] == "budi@contoh.id"
    text = mail.text
    assert "Halo Budi Santoso, terima kasih atas pesanan Anda." in text
    assert "- 2 x Lada Putih Muntok - 250 g: Rp 110.000" in text
    assert "Subtotal: Rp 110.000" in text
    assert "Ongkos kirim: Rp 12.000" in text
    assert "Total: Rp 122.000" in text
    # the amount to transfer is the total plus the order's unique code (1..999)
    amount = order["payment"]["amount"]
    assert amount == 122_000 + order["payment"]["unique_code"]
    assert f"Transfer tepat {format_rupiah(amount)} ke rekening Bank Sumsel Babel" in text
    assert f"dengan berita {order['number']}." in text
    assert "Mohon bayar sebelum" in text
    assert "WIB" in text
    assert "<strong>Total: Rp 122.000</strong>" in mail.html
    assert '<html lang="id">' in mail.html


async def test_order_placed_in_english_gets_an_english_email(
    mail_app: FastAPI, mail_client: AsyncClient, inbox: Inbox
) -> None:
    shop = await open_shop(mail_app, mail_client)

    order = await placed_order(
        mail_client, order_body(order_line(shop.variant_id, 2), language="en")
    )
    await sent(mail_app)

    [mail] = inbox.to("budi@contoh.id")
    assert mail.subject == f"Order {order['number']} received"
    assert "Hello Budi Santoso, thank you for your order." in mail.text
    assert "Shipping: Rp 12.000" in mail.text
    assert f"Transfer exactly {format_rupiah(order['payment']['amount'])}" in mail.text
    assert "Please pay before" in mail.text


async def test_guest_whose_browser_prefers_english_gets_an_english_email(
    mail_app: FastAPI, mail_client: AsyncClient, inbox: Inbox
) -> None:
    shop = await open_shop(mail_app, mail_client)

    order = await placed_order(
        mail_client,
        order_body(order_line(shop.variant_id, 2)),
        headers={"Accept-Language": "en-GB,en;q=0.9,id;q=0.5"},
    )
    await sent(mail_app)

    [mail] = inbox.to("budi@contoh.id")
    assert mail.subject == f"Order {order['number']} received"


async def test_seller_members_get_new_order_to_ship_for_cash_on_delivery_in_their_language(
    mail_app: FastAPI, mail_client: AsyncClient, inbox: Inbox
) -> None:
    # given pepper sold by a seller with an owner and an English-speaking staff member,
    # and honey by another seller
    pepper = await open_shop(mail_app, mail_client)
    staff = await create_account_in(mail_client, language="en")
    await add_member(mail_client, pepper.owner, pepper.seller_id, staff.email)
    honey = await open_shop(
        mail_app,
        mail_client,
        admin=pepper.admin,
        seller_name="KUB Madu Pelawan",
        title="Madu Pelawan",
        price=120_000,
        weight_grams=500,
    )
    await sent(mail_app)
    inbox.clear()  # the staff member's invitation

    # when a buyer orders 2 pepper and 1 honey cash on delivery
    order = await placed_order(
        mail_client,
        order_body(
            order_line(pepper.variant_id, 2),
            order_line(honey.variant_id, 1),
            payment_method="cod",
        ),
    )
    await sent(mail_app)

    # then the pepper owner is told in Indonesian what to ship and what cash to collect
    [to_owner] = inbox.to(pepper.owner.email)
    assert to_owner.subject == f"Pesanan baru {order['number']} siap dikirim"
    assert "KIM Lada Muntok mendapat pesanan baru untuk dikirim:" in to_owner.text
    assert "- 2 x Lada Putih Muntok - 250 g: Rp 110.000" in to_owner.text
    assert "Madu" not in to_owner.text
    assert "Kirim ke: Budi Santoso, +6281234567890" in to_owner.text
    assert "Jl. Jenderal Sudirman No. 5, Batin Tikal, Taman Sari, Kota Pangkalpinang" in (
        to_owner.text
    )
    assert "Bayar di tempat: tagih Rp 122.000." in to_owner.text
    # and the staff member in English
    [to_staff] = inbox.to(staff.email)
    assert to_staff.subject == f"New order {order['number']} to ship"
    assert "Cash on delivery: collect Rp 122.000." in to_staff.text
    # and the honey seller about its own part only
    [to_honey] = inbox.to(honey.owner.email)
    assert "- 1 x Madu Pelawan - 250 g: Rp 120.000" in to_honey.text
    assert "Bayar di tempat: tagih Rp 132.000." in to_honey.text
    # and the buyer learns to pay in cash
    [to_buyer] = inbox.to("budi@contoh.id")
    assert "Anda membayar tunai saat paket tiba." in to_buyer.text
    assert "Total: Rp 254.000" in to_buyer.text


async def test_sellers_hear_of_a_bank_transfer_order_once_the_admin_confirms_it(
    mail_app: FastAPI, mail_client: AsyncClient, inbox: Inbox
) -> None:
    shop = await open_shop(mail_app, mail_client)
    order = await placed_order(mail_client, order_body(order_line(shop.variant_id, 2)))
    await sent(mail_app)
    assert inbox.to(shop.owner.email) == []

    confirmed = await confirm_payment(mail_client, shop.admin, order["payment"]["id"])
    await sent(mail_app)

    assert confirmed.status_code == 200, confirmed.text
    [mail] = inbox.to(shop.owner.email)
    assert mail.subject == f"Pesanan baru {order['number']} siap dikirim"
    assert "Bayar di tempat" not in mail.text


async def test_buyer_is_told_the_tracking_number_when_shipped_and_then_of_delivery(
    mail_app: FastAPI, mail_client: AsyncClient, inbox: Inbox
) -> None:
    # given a cash on delivery order
    shop = await open_shop(mail_app, mail_client)
    order = await placed_order(
        mail_client, order_body(order_line(shop.variant_id, 2), payment_method="cod")
    )
    part_id = order["seller_orders"][0]["id"]
    await sent(mail_app)
    inbox.clear()

    # when the seller ships it with SiCepat
    shipped = await ship_seller_order(
        mail_client, shop.owner, part_id, courier="SiCepat", tracking_number="004512345678"
    )
    await sent(mail_app)

    # then the buyer gets the courier and tracking number
    assert shipped.status_code == 200, shipped.text
    [mail] = inbox.to("budi@contoh.id")
    assert mail.subject == f"Pesanan {order['number']} sedang dikirim"
    assert "KIM Lada Muntok telah mengirim paket Anda melalui SiCepat" in mail.text
    assert "nomor resi 004512345678" in mail.text
    assert "<strong>004512345678</strong>" in mail.html

    # and when it is delivered, a delivery e-mail follows
    delivered = await mail_client.post(
        f"/api/v1/seller-orders/{part_id}/deliver", headers=shop.owner.headers
    )
    await sent(mail_app)
    assert delivered.status_code == 200, delivered.text
    subjects = [mail.subject for mail in inbox.to("budi@contoh.id")]
    assert subjects == [
        f"Pesanan {order['number']} sedang dikirim",
        f"Pesanan {order['number']} telah diterima",
    ]


async def test_order_refused_for_stock_sends_no_email(
    mail_app: FastAPI,
    mail_client: AsyncClient,
    inbox: Inbox,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    shop = await open_shop(mail_app, mail_client, stock=1)

    response = await place_order(
        mail_client, order_body(order_line(shop.variant_id, 2), payment_method="cod")
    )
    await sent(mail_app)

    assert response.status_code == 409
    assert inbox.mails == []
    assert await count_rows(sessionmaker, OutboxEmail) == 0


async def outbox_row(sessionmaker: async_sessionmaker[AsyncSession]) -> OutboxEmail:
    async with sessionmaker() as session:
        [row] = (
            await session.scalars(select(OutboxEmail).where(OutboxEmail.template != "verify_email"))
        ).all()
    return row


@pytest.fixture
async def app_with_smtp_down(
    migrated_database: str, app: FastAPI, tmp_path: Path
) -> AsyncIterator[tuple[FastAPI, int]]:
    """An instance whose SMTP server is not up: nothing listens on its port yet."""
    port = free_port()
    settings = make_settings(
        migrated_database, smtp_url=f"smtp://127.0.0.1:{port}", media_root=tmp_path
    )
    async with running_app(settings) as application:
        yield application, port


async def test_smtp_server_down_never_fails_the_order_and_the_email_goes_out_later(
    app_with_smtp_down: tuple[FastAPI, int], sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given an instance whose SMTP server is down
    down_app, port = app_with_smtp_down

    # when a guest places a bank transfer order
    async with http_client(down_app) as client:
        shop = await open_shop(down_app, client)
        response = await place_order(client, order_body(order_line(shop.variant_id, 2)))
    await down_app.state.gateways.mailer.drain()

    # then the order is placed, and its e-mail waits in the outbox after one failed attempt
    assert response.status_code == 201, response.text
    number = response.json()["number"]
    waiting = await outbox_row(sessionmaker)
    assert (waiting.status, waiting.attempts) == (EmailStatus.PENDING, 1)
    assert waiting.last_error
    assert waiting.next_attempt_at > utcnow()
    assert waiting.subject == f"Pesanan {number} diterima"

    # when the server comes up and the retry is due
    later = Inbox()
    controller = start_smtp_server(later, port)
    try:
        async with sessionmaker() as session, session.begin():
            await session.execute(
                update(OutboxEmail).values(next_attempt_at=utcnow() - timedelta(seconds=1))
            )
        delivered = await down_app.state.gateways.mailer.deliver_due()
    finally:
        controller.stop()

    # then it is sent once and recorded as sent
    assert delivered == 1
    [mail] = later.to("budi@contoh.id")
    assert mail.subject == f"Pesanan {number} diterima"
    assert "Total: Rp 122.000" in mail.text
    sent_row = await outbox_row(sessionmaker)
    assert sent_row.status is EmailStatus.SENT
    assert sent_row.sent_at is not None
    assert await down_app.state.gateways.mailer.deliver_due() == 0


async def test_expiry_sweep_commit_wakes_the_outbox_so_the_buyer_is_told_at_once(
    mail_app: FastAPI, mail_client: AsyncClient, inbox: Inbox
) -> None:
    # given a bank-transfer order past its expiry, its "received" e-mail already sent
    shop = await open_shop(mail_app, mail_client)
    order = await placed_order(mail_client, order_body(order_line(shop.variant_id, 2)))
    await sent(mail_app)
    inbox.clear()
    sessionmaker = mail_app.state.sessionmaker
    await set_order_expiry(sessionmaker, order["id"], utcnow() - timedelta(minutes=1))

    # when the background sweep expires it (no delivery round of the outbox is run)
    assert await expire_due_orders(sessionmaker, mail_app.state.gateways) == 1
    await sent(mail_app)

    # then the sweep's commit ran the after-commit hooks, as a request's does: the mail is out
    [mail] = inbox.to("budi@contoh.id")
    assert mail.subject == f"Pesanan {order['number']} kedaluwarsa"


async def test_checkout_queues_the_order_email_as_parameters_and_the_sender_renders_it(
    mail_app: FastAPI,
    mail_client: AsyncClient,
    inbox: Inbox,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # given a shop
    shop = await open_shop(mail_app, mail_client)

    # when a guest places a bank transfer order
    order = await placed_order(mail_client, order_body(order_line(shop.variant_id, 2)))
    await sent(mail_app)

    # then the outbox row holds what to render, not the rendered text
    row = await outbox_row(sessionmaker)
    assert row.template == "order_placed"
    assert row.language == "id"
    assert row.parameters is not None
    assert order["number"] in row.parameters
    assert (row.prebuilt_subject, row.prebuilt_text, row.prebuilt_html) == (None, None, None)
    # and the mail the sender rendered from it says when to pay, in WIB
    [mail] = inbox.to("budi@contoh.id")
    assert mail.subject == f"Pesanan {order['number']} diterima"
    assert "Total: Rp 122.000" in mail.text
    assert "WIB" in mail.text


async def test_an_email_queued_already_rendered_is_sent_as_it_was_written(
    mail_app: FastAPI, inbox: Inbox, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given a row written before e-mails were rendered at send time: text only, no parameters
    async with sessionmaker() as session, session.begin():
        session.add(
            OutboxEmail(
                recipient="lama@contoh.id",
                template="order_placed",
                prebuilt_subject="Pesanan BB261201-AAAAAA diterima",
                prebuilt_text="Halo Budi,\nTotal: Rp 10.000",
                prebuilt_html="<p>Halo Budi</p>",
                next_attempt_at=utcnow() - timedelta(seconds=1),
            )
        )

    # when the sender runs
    delivered = await mail_app.state.gateways.mailer.deliver_due()

    # then it goes out with exactly that text
    assert delivered == 1
    [mail] = inbox.to("lama@contoh.id")
    assert mail.subject == "Pesanan BB261201-AAAAAA diterima"
    assert mail.text.splitlines() == ["Halo Budi,", "Total: Rp 10.000"]
    assert mail.html.strip() == "<p>Halo Budi</p>"


async def test_an_email_whose_parameters_do_not_render_fails_alone_and_the_rest_go_out(
    mail_app: FastAPI, inbox: Inbox, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given two due e-mails: one whose parameters lack what its template needs, one fine
    due = utcnow() - timedelta(seconds=1)
    async with sessionmaker() as session, session.begin():
        session.add_all(
            [
                OutboxEmail(
                    recipient="rusak@contoh.id",
                    template="order_placed",
                    language="id",
                    parameters="{}",
                    next_attempt_at=due,
                ),
                OutboxEmail(
                    recipient="lama@contoh.id",
                    template="order_placed",
                    prebuilt_subject="Pesanan BB261201-AAAAAA diterima",
                    prebuilt_text="Halo Budi",
                    prebuilt_html="<p>Halo Budi</p>",
                    next_attempt_at=due,
                ),
            ]
        )

    # when the sender runs
    delivered = await mail_app.state.gateways.mailer.deliver_due()

    # then the good one went out, and the broken one waits for a retry with its error kept
    assert delivered == 1
    assert [mail.subject for mail in inbox.to("lama@contoh.id")] == [
        "Pesanan BB261201-AAAAAA diterima"
    ]
    async with sessionmaker() as session:
        broken = await session.scalar(
            select(OutboxEmail).where(OutboxEmail.recipient == "rusak@contoh.id")
        )
    assert broken is not None
    assert (broken.status, broken.attempts) == (EmailStatus.PENDING, 1)
    assert "undefined" in (broken.last_error or "")


async def test_a_round_of_due_emails_goes_out_over_one_smtp_connection_text_intact(
    mail_app: FastAPI, inbox: Inbox, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given three due e-mails, one with a subject and text beyond ASCII
    due = utcnow() - timedelta(seconds=1)
    recipients = ["satu@contoh.id", "dua@contoh.id", "tiga@contoh.id"]
    async with sessionmaker() as session, session.begin():
        session.add_all(
            OutboxEmail(
                recipient=recipient,
                template="order_placed",
                prebuilt_subject="Pesanan — diterima ✓",
                prebuilt_text="Halo Budi ✓",
                prebuilt_html="<p>Halo Budi ✓</p>",
                next_attempt_at=due,
            )
            for recipient in recipients
        )

    # when the sender runs
    delivered = await mail_app.state.gateways.mailer.deliver_due()

    # then all three went out over a single connection, each with its text as written
    assert delivered == 3
    mails = [mail for recipient in recipients for mail in inbox.to(recipient)]
    assert len(mails) == 3
    assert len({mail.connection for mail in mails}) == 1
    assert {mail.subject for mail in mails} == {"Pesanan — diterima ✓"}
    assert {mail.text.strip() for mail in mails} == {"Halo Budi ✓"}
    assert {mail.html.strip() for mail in mails} == {"<p>Halo Budi ✓</p>"}


def outbox_reads_and_updates(statements: list[str]) -> list[str]:
    """The statements that claim or mark e-mails (their INSERT may ride on another's CTE)."""
    return [
        statement
        for statement in statements
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE"))
        and "outbox_emails" in statement.split("WHERE")[0]
    ]


async def test_a_checkout_email_is_claimed_when_written_so_sending_it_takes_one_statement(
    mail_app: FastAPI,
    mail_client: AsyncClient,
    inbox: Inbox,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # given a shop, its own e-mails sent
    shop = await open_shop(mail_app, mail_client)
    await sent(mail_app)

    # when a guest places an order and the e-mail goes out
    with counting_statements(mail_app) as statements:
        order = await placed_order(mail_client, order_body(order_line(shop.variant_id, 2)))
        await sent(mail_app)

    # then it was sent with no claiming statement: only its mark as sent was written after
    [mail] = inbox.to("budi@contoh.id")
    assert mail.subject == f"Pesanan {order['number']} diterima"
    [mark] = outbox_reads_and_updates(statements)
    assert mark.lstrip().upper().startswith("UPDATE OUTBOX_EMAILS SET STATUS")
    row = await outbox_row(sessionmaker)
    assert row.status is EmailStatus.SENT
    assert row.attempts == 0


class DeadInstance:
    """An instance that died right after its commit, before sending what it had claimed."""

    async def wake(self, claimed: object = ()) -> None:
        return None


async def test_an_email_claimed_by_an_instance_that_died_goes_out_once_its_lease_is_over(
    mail_app: FastAPI, app: FastAPI, inbox: Inbox, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # given an e-mail queued and committed by an instance that died before sending it
    async with unit_of_work(sessionmaker, DeadInstance()) as session:
        await notifications.queue_email(
            session,
            ["yatim@contoh.id"],
            "password_reset",
            Language.INDONESIAN,
            {"token": "t", "minutes": 30},
        )
    [row] = await claimed_rows(sessionmaker, "yatim@contoh.id")
    assert row.next_attempt_at > utcnow() + LEASE - timedelta(minutes=1)

    # when another instance's delivery round runs within the lease
    # then it passes the e-mail by: its writer still holds it
    assert await mail_app.state.gateways.mailer.deliver_due() == 0
    assert inbox.to("yatim@contoh.id") == []

    # when the lease is over
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(OutboxEmail).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )

    # then the next round sends it, once
    assert await mail_app.state.gateways.mailer.deliver_due() == 1
    assert len(inbox.to("yatim@contoh.id")) == 1
    [row] = await claimed_rows(sessionmaker, "yatim@contoh.id")
    assert row.status is EmailStatus.SENT


async def claimed_rows(
    sessionmaker: async_sessionmaker[AsyncSession], recipient: str
) -> list[OutboxEmail]:
    async with sessionmaker() as session:
        rows = await session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == recipient))
        return list(rows)
