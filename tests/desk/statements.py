"""Bank statement files as the tests upload them."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response

from tests.factories import Account


def generic_statement(*lines: tuple[str, str, str]) -> bytes:
    """The contract's generic CSV: ``date,description,amount``, credits positive."""
    rows = ["date,description,amount", *(",".join(f'"{cell}"' for cell in line) for line in lines)]
    return ("\r\n".join(rows) + "\r\n").encode()


async def upload_statement(
    client: AsyncClient,
    admin: Account,
    content: bytes,
    *,
    statement_format: str = "generic",
    apply: bool = False,
    filename: str = "mutasi.csv",
) -> Response:
    params = {"apply": "true"} if apply else {}
    return await client.post(
        "/api/v1/admin/bank-statements",
        params=params,
        data={"format": statement_format},
        files={"file": (filename, content, "text/csv")},
        headers=admin.headers,
    )


def matched_of(response: Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    matched: list[dict[str, Any]] = response.json()["matched"]
    return matched
