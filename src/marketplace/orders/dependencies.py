"""Request parts the orders API reads: the guest order token and the Idempotency-Key."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

OrderToken = Annotated[
    str | None,
    Header(alias="X-Order-Token", max_length=200, description="A guest's order access token"),
]
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="A unique key per attempt (a UUID); a retry sends the same key",
    ),
]
