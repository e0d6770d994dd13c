"""Order traffic for bench/orders.py: a wrk Lua script that POSTs checkouts with a fresh
Idempotency-Key each, its run, and a burst of concurrent orders for one scarce variant.

Every request is a guest's checkout paid by bank transfer and shipped to Pangkalpinang. A cart
takes one random variant (quantity 1) from each of its pools: one pool of every seller's
variants for the one-seller cart, one pool per seller for the three-seller cart.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from _load import LoadResult, require_loopback, run_wrk_script

BUYER = {"name": "Budi Santoso", "email": "budi@contoh.id", "phone": "081234567890"}
ADDRESS = {
    "recipient": "Budi Santoso",
    "phone": "0812-3456-7890",
    "street": "Jl. Jenderal Sudirman No. 5",
    "village": "Batin Tikal",
    "district": "Taman Sari",
    "city": "Kota Pangkalpinang",
    "province": "Kepulauan Bangka Belitung",
    "postal_code": "33121",
}
PAYMENT_METHOD = "bank_transfer"
BURST_TIMEOUT_SECONDS = 120.0
_STATUSES_LINE = re.compile(r"^statuses:(.*)$", re.MULTILINE)

# {run}, {pools}, {head} and {tail} are filled in; the rest is Lua. Each wrk thread has its own
# Lua state: keys are unique as run-thread-counter, and done() sums the threads' status counts.
_SCRIPT = """
local run = "{run}"
local pools = {pools}
local head = [==[{head}]==]
local tail = [==[{tail}]==]
local counter = 0
local threads = {{}}
statuses = {{}}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  math.randomseed(thread_number * 7919)
end

function request()
  counter = counter + 1
  local lines = {{}}
  for i, pool in ipairs(pools) do
    lines[i] = '{{"variant_id":"' .. pool[math.random(#pool)] .. '","quantity":1}}'
  end
  local headers = {{
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run .. "-" .. thread_number .. "-" .. counter,
  }}
  return wrk.format("POST", nil, headers, head .. table.concat(lines, ",") .. tail)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {{}}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {{}}) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {{}}
  for status, count in pairs(total) do
    table.insert(parts, status .. "=" .. count)
  end
  table.sort(parts)
  io.write("statuses: " .. table.concat(parts, " ") .. "\\n")
end
"""


def order_body(variant_ids: list[uuid.UUID]) -> dict[str, Any]:
    return {
        "items": [{"variant_id": str(variant), "quantity": 1} for variant in variant_ids],
        "buyer": BUYER,
        "shipping_address": ADDRESS,
        "payment_method": PAYMENT_METHOD,
    }


def lua_script(pools: list[list[uuid.UUID]]) -> str:
    """The script for carts of one random variant from each pool; a fresh run id, so keys
    never repeat across runs against the same database."""
    body = json.dumps(order_body([]), separators=(",", ":"))
    head, tail = body.split("[]", 1)
    lua_pools = (
        "{"
        + ", ".join("{" + ", ".join(f'"{variant}"' for variant in pool) + "}" for pool in pools)
        + "}"
    )
    return _SCRIPT.format(run=uuid.uuid4().hex, pools=lua_pools, head=head + "[", tail="]" + tail)


@dataclass(frozen=True)
class OrderLoad:
    load: LoadResult
    statuses: Counter[int]

    @property
    def created(self) -> int:
        return sum(count for status, count in self.statuses.items() if 200 <= status < 300)


def parse_statuses(output: str) -> Counter[int]:
    match = _STATUSES_LINE.search(output)
    counts: Counter[int] = Counter()
    if match is None:
        return counts
    for part in match.group(1).split():
        status, count = part.split("=")
        counts[int(status)] += int(count)
    return counts


def load_orders(
    url: str, pools: list[list[uuid.UUID]], seconds: float, *, connections: int, threads: int
) -> OrderLoad:
    """wrk POSTing carts to ``url`` for ``seconds``: its figures and the count per status."""
    with tempfile.TemporaryDirectory(prefix="bench-orders-lua-") as folder:
        script = Path(folder) / "orders.lua"
        script.write_text(lua_script(pools))
        load, output = run_wrk_script(
            url, seconds, script, connections=connections, threads=threads
        )
    return OrderLoad(load=load, statuses=parse_statuses(output))


@dataclass(frozen=True)
class Burst:
    requests: int
    statuses: Counter[int]
    seconds: float
    slowest_ms: float

    @property
    def created(self) -> int:
        return sum(count for status, count in self.statuses.items() if 200 <= status < 300)


async def burst_orders(url: str, variant_id: uuid.UUID, requests: int) -> Burst:
    """``requests`` orders of one unit of ``variant_id``, all sent at once on their own
    connections; every reply is awaited (a transport error counts as status 0)."""
    require_loopback(url)
    body = order_body([variant_id])
    limits = httpx.Limits(max_connections=requests, max_keepalive_connections=requests)
    async with httpx.AsyncClient(
        limits=limits, timeout=BURST_TIMEOUT_SECONDS, trust_env=False
    ) as client:

        async def one() -> tuple[int, float]:
            sent = time.perf_counter()
            try:
                response = await client.post(
                    url, json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
                )
            except httpx.HTTPError:
                return 0, (time.perf_counter() - sent) * 1000
            return response.status_code, (time.perf_counter() - sent) * 1000

        started = time.perf_counter()
        replies = await asyncio.gather(*(one() for _ in range(requests)))
        elapsed = time.perf_counter() - started
    return Burst(
        requests=requests,
        statuses=Counter(status for status, _ in replies),
        seconds=elapsed,
        slowest_ms=max(ms for _, ms in replies),
    )
