"""Creating admins from the command line (there is no API for it, on purpose)."""

from __future__ import annotations

from marketplace import cached_pages
from marketplace.accounts import service
from marketplace.config import Settings
from marketplace.core.security import PasswordHashing
from marketplace.db.session import unit_of_work


async def create_admin_account(
    settings: Settings, email: str, password: str, full_name: str
) -> bool:
    """True when a new account was created, False when an existing one was promoted."""
    async with (
        cached_pages.database(settings) as sessionmaker,
        unit_of_work(sessionmaker, None) as session,
    ):
        _, created = await service.create_or_promote_admin(
            session, PasswordHashing.from_settings(settings), email, password, full_name
        )
    return created
