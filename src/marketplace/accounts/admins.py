"""Creating admins from the command line (there is no API for it, on purpose)."""

from __future__ import annotations

from marketplace.accounts import service
from marketplace.config import Settings
from marketplace.core.security import PasswordHashing
from marketplace.db.session import create_engine, create_sessionmaker, unit_of_work


async def create_admin_account(
    settings: Settings, email: str, password: str, full_name: str
) -> bool:
    """True when a new account was created, False when an existing one was promoted."""
    engine = create_engine(settings)
    try:
        async with unit_of_work(create_sessionmaker(engine), None) as session:
            _, created = await service.create_or_promote_admin(
                session, PasswordHashing.from_settings(settings), email, password, full_name
            )
        return created
    finally:
        await engine.dispose()
