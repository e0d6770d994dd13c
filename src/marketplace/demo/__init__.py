"""Ready-made data for ``marketplace demo``: ``seeding`` (accounts, sellers, products),
``catalog`` (the products and their pictures) and ``orders`` (orders in each state, featured
entries)."""

from marketplace.demo.seeding import (
    ADMIN_EMAIL,
    BUYER_EMAIL,
    DEMO_PASSWORD,
    SELLER_EMAIL,
    seed_demo,
)

__all__ = ["ADMIN_EMAIL", "BUYER_EMAIL", "DEMO_PASSWORD", "SELLER_EMAIL", "seed_demo"]
