"""The desk tests reuse the loopback SMTP server of the order e-mail tests."""

from tests.orders.test_emails import inbox, mail_app, mail_client, smtp_server

__all__ = ["inbox", "mail_app", "mail_client", "smtp_server"]
