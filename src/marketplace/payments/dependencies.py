"""The payment gateways a request works with: the ones ``create_app`` built at start-up."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from marketplace.payments.service import PaymentRuntime


def get_payment_runtime(request: Request) -> PaymentRuntime:
    runtime: PaymentRuntime = request.app.state.gateways.payments
    return runtime


Payments = Annotated[PaymentRuntime, Depends(get_payment_runtime)]
