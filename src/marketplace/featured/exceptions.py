"""Errors of the featured domain."""

from __future__ import annotations

from marketplace.core.errors import AppError, Conflict, NotFound


class FeaturedEntryNotFound(NotFound):
    problem = "featured-entry-not-found"


class ProductAlreadyFeatured(Conflict):
    problem = "product-already-featured"


class OEmbedUrlNotFound(NotFound):
    """Not a product page of ours, a product nobody may see, or another site's address."""

    problem = "oembed-unknown-url"


class OEmbedFormatNotImplemented(AppError):
    """oEmbed 1.0 (section 2.3.4): a format the provider does not serve is a 501."""

    status_code = 501
    problem = "oembed-format-not-implemented"
