"""Each problem's title and default detail by its slug (the ``type`` URI's last part).

English msgids marked with ``N_``; translated when a problem is rendered, in the request's
language. A detail may hold ``%(name)s`` placeholders filled from the error's ``params``.
"""

from __future__ import annotations

from marketplace.core.i18n import N_

PROBLEM_TITLES: dict[str, str] = {
    "already-member": N_("Already a member"),
    "bad-request": N_("Bad request"),
    "broken-image": N_("Broken image"),
    "category-exists": N_("Category already exists"),
    "complaint-exists": N_("A complaint was already filed"),
    "complaint-not-allowed": N_("A complaint is not possible"),
    "complaint-not-found": N_("Complaint not found"),
    "complaint-resolved": N_("The complaint is already resolved"),
    "conflict": N_("State conflict"),
    "csrf-failed": N_("Form expired"),
    "email-not-verified": N_("E-mail not verified"),
    "email-taken": N_("Email already registered"),
    "featured-entry-not-found": N_("Featured entry not found"),
    "forbidden": N_("Forbidden"),
    "halal-declaration-missing": N_("Halal declaration required"),
    "idempotency-in-flight": N_("Request in progress"),
    "idempotency-key-reused": N_("Idempotency-Key reused"),
    "image-not-found": N_("Image not found"),
    "image-too-large": N_("Image too large"),
    "image-too-many-pixels": N_("Image resolution too large"),
    "insufficient-stock": N_("Insufficient stock"),
    "internal-error": N_("Internal server error"),
    "invalid-account-token": N_("Invalid code"),
    "invalid-credentials": N_("Wrong email or password"),
    "invalid-refresh-token": N_("Invalid refresh token"),
    "invalid-webhook-signature": N_("Invalid webhook signature"),
    "invitation-not-found": N_("Invitation not found"),
    "last-owner": N_("Last owner"),
    "media-storage-unavailable": N_("Media storage unavailable"),
    "method-not-allowed": N_("Method not allowed"),
    "moderation-item-not-found": N_("Moderation item not found"),
    "moderation-item-resolved": N_("Already decided"),
    "not-found": N_("Not found"),
    "nothing-to-approve": N_("Nothing to approve"),
    "oembed-format-not-implemented": N_("Format not implemented"),
    "oembed-unknown-url": N_("Unknown URL"),
    "order-already-shipped": N_("Order already shipped"),
    "order-not-found": N_("Order not found"),
    "order-status-conflict": N_("Order status conflict"),
    "payload-too-large": N_("Payload too large"),
    "payment-not-found": N_("Payment not found"),
    "payment-provider-error": N_("Payment provider error"),
    "payment-provider-unavailable": N_("Payment provider unavailable"),
    "payout-exceeds-balance": N_("Payout exceeds balance"),
    "product-already-featured": N_("Product already featured"),
    "product-not-found": N_("Product not found"),
    "product-not-removed": N_("Product not taken down"),
    "product-removed": N_("Product taken down by an admin"),
    "proof-link-invalid": N_("Proof link not valid"),
    "proof-not-accepted": N_("Proof of transfer not accepted"),
    "qris-unavailable": N_("QRIS unavailable"),
    "receipt-not-confirmable": N_("Receipt cannot be confirmed"),
    "refund-exceeds-paid": N_("Refund exceeds what was paid"),
    "review-already-replied": N_("Already replied"),
    "review-exists": N_("Review exists"),
    "review-not-allowed": N_("Cannot review"),
    "review-not-found": N_("Review not found"),
    "seller-not-found": N_("Seller not found"),
    "seller-not-verified": N_("Seller not verified"),
    "seller-order-not-found": N_("Seller order not found"),
    "seller-status-conflict": N_("Seller status conflict"),
    "service-busy": N_("Server busy"),
    "sku-taken": N_("SKU already used"),
    "statement-unreadable": N_("Bank statement unreadable"),
    "too-many-images": N_("Too many images"),
    "too-many-variants": N_("Too many variants"),
    "too-many-requests": N_("Too many requests"),
    "too-many-review-photos": N_("Too many photos"),
    "transfer-codes-exhausted": N_("No unique transfer code is free"),
    "unauthorized": N_("Authentication required"),
    "unknown-bank": N_("Unknown bank"),
    "unsupported-image-type": N_("Unsupported image type"),
    "unsupported-media-type": N_("Unsupported media type"),
    "validation-error": N_("Invalid data"),
    "variant-not-found": N_("Variant not found"),
    "wrong-current-password": N_("Wrong current password"),
    "console-no-file": N_("No file chosen"),
}

PROBLEM_DETAILS: dict[str, str] = {
    "already-member": N_("This user is already a member of this seller."),
    "broken-image": N_("The image file is damaged or incomplete. Try uploading it again."),
    "category-exists": N_("A category with slug '%(slug)s' already exists."),
    "complaint-exists": N_("This seller-order already has a complaint."),
    "complaint-not-allowed": N_(
        "A complaint can only be filed for a shipped or delivered "
        "order whose money has not been released to the seller yet "
        "(now: %(current)s)."
    ),
    "csrf-failed": N_("Reload the page and send the form again."),
    "email-not-verified": N_(
        "Confirm your e-mail address first (the code was sent when you registered)."
    ),
    "email-taken": N_("An account with this email already exists."),
    "forbidden": N_("Your account lacks the role this action needs."),
    "halal-declaration-missing": N_(
        "Food and beverages need a halal certificate number or an "
        "explicit non-halal declaration (non_halal), as halal "
        "certification is mandatory since 17 October 2026."
    ),
    "idempotency-in-flight": N_(
        "A request with the same Idempotency-Key is still being processed. Retry shortly."
    ),
    "idempotency-key-reused": N_(
        "This Idempotency-Key was already used for a request with a different body."
    ),
    "image-too-large": N_("An image file may be at most %(max_megabytes)s MB."),
    "image-too-many-pixels": N_("An image may have at most %(max_megapixels)s megapixels."),
    "insufficient-stock": N_("Not enough stock for %(count)s variant(s); nothing was reserved."),
    "internal-error": N_(
        "An unexpected error occurred. Quote request id %(request_id)s when contacting us."
    ),
    "invalid-account-token": N_("This code is unknown, already used, or expired."),
    "invalid-credentials": N_("The email or password does not match any account."),
    "invalid-refresh-token": N_(
        "The refresh token is unknown, already used, revoked or expired. Please sign in again."
    ),
    "invitation-not-found": N_(
        "This invitation does not exist, was used, expired, or is for another e-mail address."
    ),
    "last-owner": N_("A seller must keep at least one owner."),
    "media-storage-unavailable": N_("The photo cannot be stored right now. Try again shortly."),
    "moderation-item-resolved": N_("An admin already decided this item."),
    "not-found": N_("The requested resource does not exist."),
    "nothing-to-approve": N_("This product is a draft and is not waiting for approval."),
    "oembed-format-not-implemented": N_("Only format=json is available."),
    "oembed-unknown-url": N_(
        "This URL is not the address of a product this marketplace can embed."
    ),
    "order-already-shipped": N_("An order with anything shipped can no longer be cancelled."),
    "order-status-conflict": N_("Cannot move from '%(current)s' to '%(target)s'."),
    "payment-provider-unavailable": N_(
        "Card payments are not configured. Choose bank transfer or cash on delivery."
    ),
    "payout-exceeds-balance": N_(
        "A payout of %(amount)s exceeds the seller's available balance of %(balance)s."
    ),
    "product-already-featured": N_(
        "This product is already on the featured list; change or delete its entry."
    ),
    "product-not-removed": N_("Only a product an admin took down can be sent for another review."),
    "product-removed": N_(
        "An admin took this product down (reason: %(reason)s); the "
        "seller cannot publish it again. Ask for a review once it is "
        "fixed."
    ),
    "proof-not-accepted": N_(
        "A proof of transfer is only for a bank-transfer or QRIS payment not yet confirmed."
    ),
    "qris-unavailable": N_("QRIS payments are not configured. Choose bank transfer."),
    "receipt-not-confirmable": N_(
        "Receipt of this order was already confirmed, or its complaint awaits an admin's decision."
    ),
    "refund-exceeds-paid": N_(
        "A refund of %(amount)s exceeds the %(refundable)s that can still be refunded."
    ),
    "review-already-replied": N_("The seller can reply only once."),
    "review-exists": N_("This product of this order has been reviewed already."),
    "review-not-allowed": N_(
        "Only a buyer whose delivered order holds this product can review it."
    ),
    "seller-not-verified": N_("Products can be published once an admin has verified the seller."),
    "seller-status-conflict": N_("A seller in status '%(current)s' cannot become '%(target)s'."),
    "service-busy": N_(
        "Too many requests are being processed. Try again in %(retry_after)s seconds."
    ),
    "sku-taken": N_("SKU %(skus)s is already used by another product of this seller."),
    "statement-unreadable": N_("The statement does not fit the %(format)s format: %(reason)s"),
    "too-many-images": N_("A product can have at most %(limit)s images."),
    "too-many-variants": N_("A product can have at most %(limit)s variants."),
    "too-many-requests": N_("Too many attempts. Try again in %(retry_after)s seconds."),
    "too-many-review-photos": N_("A review holds at most %(limit)s photos."),
    "transfer-codes-exhausted": N_(
        "Every unique code is held by an unpaid transfer. Try again later or pay another way."
    ),
    "unauthorized": N_("The access token is missing, invalid or expired."),
    "unknown-bank": N_("Bank code %(bank_code)s is not in the list of banks (GET /banks)."),
    "unsupported-image-type": N_("Upload a JPEG, PNG or WebP image."),
    "validation-error": N_("Check the fields listed in 'errors'."),
    "variant-not-found": N_("Variant %(variant_id)s does not belong to this product or seller."),
    "wrong-current-password": N_("The current password does not match."),
    "console-no-file": N_("Choose or take a photo/file first, then send again."),
}
