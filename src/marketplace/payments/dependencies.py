"""The payment gateways a request works with: the ones ``create_app`` built at start-up."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from marketplace.payments.service import PaymentRuntime


async def get_payment_runtime(request: Request) -> PaymentRuntime:
    # async: FastAPI would run a plain function in a worker thread (a hop per request)
    runtime: PaymentRuntime = request.app.state.gateways.payments
    return runtime


Payments = Annotated[PaymentRuntime, Depends(get_payment_runtime)]
