"""Shipping cost per seller-order: a rate table by destination regency and weight tier."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.catalog import service as catalog_service
from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import gettext
from marketplace.orders import repository
from marketplace.orders.models import ShippingMethod, ShippingRate
from marketplace.orders.repository import RatesVersion
from marketplace.orders.schemas import ShippingAddress, ShippingRateTable

_REGION_PREFIX = re.compile(r"^(kabupaten|kab\.?|kota)\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
GRAMS_PER_KILOGRAM = 1000


def _plain_place(name: str) -> str:
    """Without prefix, case or spaces: people write both ``Pangkal Pinang`` and
    ``Pangkalpinang``, ``Tanjung Pandan`` and ``Tanjungpandan``."""
    return _SPACES.sub("", _REGION_PREFIX.sub("", name.strip())).lower()


async def destination_region(session: AsyncSession, address: ShippingAddress) -> str | None:
    """The destination's regency code: given, or matched from the city (or its seat town);
    None for an address outside the province. A given code must agree with the address (a
    Jakarta address with Pangkalpinang's code paid Pangkalpinang's shipping)."""
    places = await _places(session)
    matched = places.get(_plain_place(address.city))
    if address.region_code:
        if address.region_code not in places.values():  # unknown: the catalog's 422
            await catalog_service.require_region(
                session, address.region_code, field=("shipping_address", "region_code")
            )
        agrees = (
            matched == address.region_code
            if matched is not None
            else _in_province(address.province)
        )
        if not agrees:
            raise _region_mismatch(address)
        return address.region_code
    return matched


# The regencies come with the migrations and never change while the app runs: read once per
# database, then matched in memory.
_places_by_database: dict[str, dict[str, str]] = {}


async def _places(session: AsyncSession) -> dict[str, str]:
    """Regency code by plain place name (the regency's and its seat town's)."""
    database = session.get_bind().engine.url.render_as_string()
    places = _places_by_database.get(database)
    if places is None:
        places = {}
        for region in reversed(await catalog_service.list_regions(session)):  # first wins
            places[_plain_place(region.seat or "")] = region.code
            places[_plain_place(region.name)] = region.code
        places.pop("", None)
        _places_by_database[database] = places
    return places


def _in_province(province: str) -> bool:
    """The province field names Kepulauan Bangka Belitung (however it is written)."""
    plain = _plain_place(province).replace(".", "")
    return plain == "babel" or ("bangka" in plain and "belitung" in plain)


def _region_mismatch(address: ShippingAddress) -> InvalidInput:
    message = gettext(
        "region_code %(region_code)s does not match the address's city '%(city)s'.",
        region_code=address.region_code,
        city=address.city[:80],
    )
    errors = [
        {"loc": ["body", "shipping_address", field], "msg": message, "type": "region_mismatch"}
        for field in ("region_code", "city")
    ]
    return InvalidInput(message, errors=errors)


@dataclass(frozen=True, slots=True)
class RateTier:
    max_weight_grams: int
    price: int


@dataclass(frozen=True)
class RateTable:
    """The courier rates by destination regency (None: anywhere else), lightest tier first,
    as of ``version``."""

    version: RatesVersion
    tiers: dict[str | None, list[RateTier]]

    def price(self, method: ShippingMethod, region_code: str | None, weight_grams: int) -> int:
        if method is ShippingMethod.PICKUP:
            return 0
        tiers = self.tiers.get(region_code) or self.tiers.get(None)
        return price_for_weight(tiers, weight_grams) if tiers else 0


# Read again only when the table's version (row count and newest row id: a replacement writes
# new rows) is not the one kept, so an admin's change shows at once on every worker/instance.
_rates_by_database: dict[str, RateTable] = {}


async def rate_table(session: AsyncSession) -> RateTable:
    return await rates_as_of(session, await repository.shipping_rates_version(session))


async def rates_as_of(session: AsyncSession, version: RatesVersion) -> RateTable:
    """The rate table at ``version`` (read with ``repository.RATES_VERSION``): the one kept
    when it is that version, else read again and kept."""
    database = session.get_bind().engine.url.render_as_string()
    kept = _rates_by_database.get(database)
    if kept is not None and kept.version == version:
        return kept
    tiers: dict[str | None, list[RateTier]] = {}
    for rate in await repository.all_shipping_rates(session):
        tiers.setdefault(rate.region_code, []).append(RateTier(rate.max_weight_grams, rate.price))
    for region_tiers in tiers.values():
        region_tiers.sort(key=lambda tier: tier.max_weight_grams)
    table = RateTable(version=version, tiers=tiers)
    _rates_by_database[database] = table
    return table


def price_for_weight(rates: Sequence[RateTier], weight_grams: int) -> int:
    """The first tier that holds the weight; past the last tier, its price per started kilo."""
    for rate in rates:
        if weight_grams <= rate.max_weight_grams:
            return rate.price
    top = rates[-1]
    per_kilogram = math.ceil(top.price * GRAMS_PER_KILOGRAM / top.max_weight_grams)
    extra_kilograms = math.ceil((weight_grams - top.max_weight_grams) / GRAMS_PER_KILOGRAM)
    return top.price + per_kilogram * extra_kilograms


async def list_rates(session: AsyncSession) -> list[ShippingRate]:
    return await repository.all_shipping_rates(session)


async def replace_rates(session: AsyncSession, table: ShippingRateTable) -> list[ShippingRate]:
    """The whole table at once, so no request ever sees half an edit."""
    for index, rate in enumerate(table.rates):
        if rate.region_code is not None:
            await catalog_service.require_region(
                session, rate.region_code, field=("rates", index, "region_code")
            )
    rates = [
        ShippingRate(
            region_code=rate.region_code,
            max_weight_grams=rate.max_weight_grams,
            price=rate.price,
        )
        for rate in table.rates
    ]
    await repository.replace_shipping_rates(session, rates)
    return await repository.all_shipping_rates(session)


async def quote_cart(
    session: AsyncSession,
    quantities: dict[uuid.UUID, int],
    region_code: str | None,
    method: ShippingMethod = ShippingMethod.COURIER,
) -> int:
    """What shipping a cart would cost before it is ordered: one parcel per seller, priced as
    ``placement`` prices it (unknown or unsellable variants weigh nothing)."""
    variants = await catalog_service.variants_for_sale(session, list(quantities))
    weights: dict[uuid.UUID, int] = {}
    for variant_id, quantity in quantities.items():
        variant = variants.get(variant_id)
        if variant is not None and variant.purchasable:
            weights[variant.seller_id] = weights.get(variant.seller_id, 0) + (
                variant.weight_grams * quantity
            )
    rates = await rate_table(session)
    return sum(rates.price(method, region_code, weight) for weight in weights.values())
