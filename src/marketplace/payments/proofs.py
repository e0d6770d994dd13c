"""Proofs of transfer: the buyer's photo of a receipt, re-encoded like product photos (no
metadata, WebP), stored privately, shown to admins through short-lived links only: an S3
presigned URL, or on the local backend a link signed by the app that expires."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.config import MediaBackend, Settings
from marketplace.media.images import WEBP_CONTENT_TYPE, process_image_async
from marketplace.media.storage import MediaStorage, StorageError
from marketplace.payments import repository
from marketplace.payments.exceptions import ProofLinkInvalid, ProofNotAccepted
from marketplace.payments.models import Payment, PaymentAttemptStatus, PaymentProof
from marketplace.payments.repository import CODED_METHODS

MAX_PROOFS_PER_PAYMENT = 5
_PROOF_SIDE = 1600


@dataclass(frozen=True)
class ProofLink:
    proof: PaymentProof
    url: str
    expires_at: int


async def store_proof(
    session: AsyncSession,
    settings: Settings,
    storage: MediaStorage,
    payment: Payment,
    raw: bytes,
    uploaded_by: uuid.UUID | None,
) -> PaymentProof:
    """Check, re-encode and store the photo; 409 unless the payment is an unconfirmed
    transfer or QRIS (or already has its fill of proofs)."""
    if payment.method not in CODED_METHODS or payment.status not in (
        PaymentAttemptStatus.PENDING,
        PaymentAttemptStatus.CANCELLED,
    ):
        raise ProofNotAccepted()
    if await repository.count_proofs(session, payment.id) >= MAX_PROOFS_PER_PAYMENT:
        raise ProofNotAccepted()
    image = await process_image_async(
        raw,
        max_bytes=settings.payment_proof_max_bytes,
        max_pixels=settings.max_image_pixels,
        max_side=_PROOF_SIDE,
        quality=85,
    )
    key = f"private/payment-proofs/{payment.id}/{uuid.uuid4().hex}.webp"
    await storage.put(key, image.data, WEBP_CONTENT_TYPE)
    proof = PaymentProof(
        payment_id=payment.id,
        storage_key=key,
        width=image.width,
        height=image.height,
        byte_size=len(image.data),
        uploaded_by=uploaded_by,
    )
    session.add(proof)
    try:
        await session.flush()
    except Exception:
        await _forget(storage, key)
        raise
    return proof


async def _forget(storage: MediaStorage, key: str) -> None:
    try:
        await storage.delete(key)
    except StorageError:  # pragma: no cover - the row was not written either way
        pass


async def proof_links(
    session: AsyncSession, settings: Settings, storage: MediaStorage, payment_id: uuid.UUID
) -> list[ProofLink]:
    """Every proof of the payment with a link that stops working after a few minutes."""
    links = []
    expires_at = int(time.time()) + settings.payment_proof_link_seconds
    for proof in await repository.proofs_of(session, [payment_id]):
        if settings.media_backend is MediaBackend.S3:
            url = await storage.presigned_url(proof.storage_key)
        else:
            url = local_link(settings, proof.id, expires_at)
        links.append(ProofLink(proof, url, expires_at))
    return links


def _signature(settings: Settings, proof_id: uuid.UUID, expires_at: int) -> str:
    key = settings.secret_key.get_secret_value().encode()
    message = f"payment-proof:{proof_id}:{expires_at}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def local_link(settings: Settings, proof_id: uuid.UUID, expires_at: int) -> str:
    signature = _signature(settings, proof_id, expires_at)
    return (
        f"{settings.public_url}/api/v1/payment-proofs/{proof_id}"
        f"?expires={expires_at}&signature={signature}"
    )


async def proof_by_signed_link(
    session: AsyncSession, settings: Settings, proof_id: uuid.UUID, expires: int, signature: str
) -> PaymentProof:
    """The proof a local signed link names; 404 when forged, expired or gone."""
    expected = _signature(settings, proof_id, expires)
    if not hmac.compare_digest(expected, signature) or expires < time.time():
        raise ProofLinkInvalid()
    proof = await repository.get_proof(session, proof_id)
    if proof is None:
        raise ProofLinkInvalid()
    return proof
