"""Settings read from the environment (prefix ``MARKETPLACE_``)."""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRET_KEY = "dev-secret-key-change-me-in-production"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class MediaBackend(StrEnum):
    LOCAL = "local"
    S3 = "s3"


class UniqueCodeBooking(StrEnum):
    """How a bank transfer's unique code is booked: added to the amount and kept as platform
    income, or taken off the amount as a discount the platform pays."""

    INCOME = "income"
    DISCOUNT = "discount"


class ListingReview(StrEnum):
    POST = "post"  # published at once; flagged listings and edits wait for an admin
    PRE = "pre"  # nothing is public before an admin approves it


class Settings(BaseSettings):
    """Every knob of the service. Field names map to ``MARKETPLACE_<NAME>`` variables."""

    model_config = SettingsConfigDict(env_prefix="MARKETPLACE_", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = "sqlite:///./var/marketplace.db"
    database_pool_size: int = Field(default=20, ge=1, le=200)  # per process, kept open
    database_echo: bool = False
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET_KEY)
    public_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    log_json: bool = True
    access_log: bool = False

    access_token_ttl_seconds: int = Field(default=900, ge=30)
    refresh_token_ttl_days: int = Field(default=30, ge=1)
    # argon2id cost; tests lower these, production keeps the library defaults (RFC 9106).
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=65536, ge=8)

    # Sign-in attempts per account from one address (counted before the password is checked;
    # a success gives its attempt back).
    login_attempts_per_account: str = "5/15 minutes"
    redis_url: str | None = None
    # Serve repeated public catalog reads from a cache keyed by catalog version.
    response_cache_enabled: bool = True
    # Without Redis: the most each worker's in-process response cache holds (its pages' bytes).
    response_cache_max_bytes: int = Field(default=4 * 1024 * 1024, ge=0)
    # How long one process trusts the catalog version it last read (cache hits then skip the
    # database); a change shows on cached pages at most this late. 0 reads it every time.
    catalog_version_ttl_seconds: float = Field(default=1.0, ge=0, le=60)

    media_backend: MediaBackend = MediaBackend.LOCAL
    media_root: Path = Path("./var/media")
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    # Where browsers fetch objects from (a CDN or the bucket's public endpoint); default: endpoint.
    s3_public_url: str | None = None
    s3_presigned_url_seconds: int = Field(default=900, ge=1, le=604800)
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # Decoded size cap: a small file that decodes to a huge bitmap is a decompression bomb.
    max_image_pixels: int = Field(default=40_000_000, ge=1)

    stripe_secret_key: SecretStr = SecretStr("")
    stripe_webhook_secret: SecretStr = SecretStr("")
    stripe_api_base: str | None = None
    # The platform's share of each paid seller-order's goods (not shipping), in basis points:
    # 500 = 5 %. Zero is allowed (the programme may charge nothing).
    platform_commission_basis_points: int = Field(default=0, ge=0, le=10_000)
    # Escrow: a delivered seller-order's money is released to its seller this many days after
    # the seller marked it delivered (sooner when the buyer confirms), unless a complaint is open.
    settlement_hold_days: int = Field(default=3, ge=0, le=60)

    smtp_url: str | None = None
    email_from: str = "Pasar Babel <no-reply@pasar-babel.id>"

    # Unpaid orders give their stock back after this long (cash on delivery never waits).
    order_expiry_minutes_bank_transfer: int = Field(default=24 * 60, ge=1)
    order_expiry_minutes_stripe: int = Field(default=60, ge=1)
    bank_transfer_bank_name: str = "Bank Sumsel Babel"
    bank_transfer_account_number: str = "150.00.12345.6"
    bank_transfer_account_holder: str = "Koperasi Pasar Digital Babel"
    # The expiry sweep and the e-mail sender run inside ``serve`` on this interval.
    background_tasks_enabled: bool = True
    background_interval_seconds: float = Field(default=30.0, gt=0)
    embed_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Where a featured card links to: a URL template with {slug} and/or {id}, e.g.
    # ``https://pasar.babelprov.go.id/produk/{slug}``; unset, this service's storefront page
    # ``{public_url}/produk/{slug}``.
    storefront_url: str | None = None

    # Browser origins allowed to call the JSON API from scripts (CORS), comma-separated, e.g.
    # ``https://pasar.babelprov.go.id``; empty: none (same-origin pages and servers still work).
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Serve Prometheus figures at /metrics (keep it off the public internet: see README).
    metrics_enabled: bool = True

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_cors_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    # --- Abuse resistance and accounts (issue 10) ---
    # argon2 runs in at most this many threads per process; a short queue waits, the rest 503.
    password_hash_concurrency: int = Field(default=2, ge=1, le=64)
    password_hash_queue: int = Field(default=8, ge=0, le=1000)
    registrations_per_address: str = "10/hour"
    # Sign-in attempts per account from all addresses together: a much higher ceiling than
    # per address, so nobody can lock a chosen account from elsewhere.
    login_attempts_per_account_total: str = "100/15 minutes"
    # Peers (IP addresses or CIDR networks) whose X-Forwarded-For is believed: the proxy.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    password_resets_per_address: str = "20/hour"
    # Codes e-mailed to one account (verification, password reset): a mailbox is not a target.
    account_emails_per_account: str = "3/hour"
    password_reset_minutes: int = Field(default=30, ge=1, le=24 * 60)
    email_verification_hours: int = Field(default=72, ge=1)
    invitation_days: int = Field(default=7, ge=1)
    orders_per_address: str = "30/hour"
    orders_per_buyer_email: str = "10/hour"
    # Cash on delivery: orders above this total need another payment method.
    cod_max_total: int = Field(default=2_000_000, ge=0)
    # A cash-on-delivery seller-order not shipped within this many days is cancelled.
    cod_ship_days: int = Field(default=3, ge=1)
    docs_enabled: bool = True

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            value = [proxy.strip() for proxy in value.split(",") if proxy.strip()]
        if isinstance(value, list):
            for proxy in value:
                ipaddress.ip_network(str(proxy), strict=False)  # ValueError names a bad entry
        return value

    # Admin desk and Indonesian payments (issue 11).
    bank_transfer_unique_code_booking: UniqueCodeBooking = UniqueCodeBooking.INCOME
    # Proofs of transfer live here (never under media_root, which /media serves to anyone).
    private_media_root: Path = Path("./var/private")
    # S3: proofs go to this bucket, never public (default: "<s3_bucket>-private"; created by
    # `marketplace media init`).
    s3_private_bucket: str | None = None
    payment_proof_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    payment_proof_link_seconds: int = Field(default=300, ge=10, le=3600)
    # The merchant's static QRIS string; unset, "qris" is not offered.
    qris_merchant_payload: str | None = None
    order_expiry_minutes_qris: int = Field(default=30, ge=1)
    # A reminder e-mail this many hours before an unpaid transfer expires (0: none).
    payment_reminder_hours: float = Field(default=6, ge=0)
    # Storefront (human pages): how long a sign-in cookie lasts, and Stripe.js for the card
    # form (the publishable key; the script's address, pointed at a fake in tests).
    web_session_days: int = Field(default=14, ge=1, le=90)
    stripe_publishable_key: str = ""
    stripe_js_url: str = "https://js.stripe.com/v3/"
    # Trust and safety: when listings and their edits are reviewed, and how often the public
    # may report listings (per address).
    listing_review: ListingReview = ListingReview.POST
    product_reports_per_address: str = "10/hour"

    @field_validator("embed_allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("public_url")
    @classmethod
    def _strip_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            secret = self.secret_key.get_secret_value()
            if secret == DEFAULT_SECRET_KEY or len(secret) < 32:
                raise ValueError(
                    "MARKETPLACE_SECRET_KEY must be set to a random value of at least "
                    "32 characters in production"
                )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
