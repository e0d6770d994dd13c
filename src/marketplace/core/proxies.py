"""Which peers' ``X-Forwarded-For`` to believe (``MARKETPLACE_TRUSTED_PROXIES``)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from marketplace.config import Settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address_of(peer: str, forwarded_for: str | None, settings: Settings) -> str:
    """``peer`` itself unless it is a trusted proxy; then the right-most address of
    ``forwarded_for`` that is not a trusted proxy (what the outermost proxy saw)."""
    networks = _networks(tuple(settings.trusted_proxies))
    if not networks or not forwarded_for or not _is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else peer
