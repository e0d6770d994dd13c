"""Errors of the catalog domain."""

from __future__ import annotations

from marketplace.core.errors import AppError, Conflict, NotFound


class CategoryExists(Conflict):
    problem = "category-exists"


class ProductNotFound(NotFound):
    problem = "product-not-found"


class VariantNotFound(NotFound):
    problem = "variant-not-found"


class ImageNotFound(NotFound):
    problem = "image-not-found"


class SellerNotVerified(Conflict):
    problem = "seller-not-verified"


class SkuTaken(Conflict):
    problem = "sku-taken"


class TooManyImages(Conflict):
    problem = "too-many-images"


class TooManyVariants(Conflict):
    problem = "too-many-variants"


class MediaStorageUnavailable(AppError):
    status_code = 503
    problem = "media-storage-unavailable"


class ProductRemoved(Conflict):
    """An admin took the listing down: only an admin brings it back."""

    problem = "product-removed"


class NothingToApprove(Conflict):
    problem = "nothing-to-approve"


class NotRemoved(Conflict):
    problem = "product-not-removed"


class HalalDeclarationMissing(Conflict):
    problem = "halal-declaration-missing"
