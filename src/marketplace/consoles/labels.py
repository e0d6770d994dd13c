"""The consoles' names for status and choice values (English msgids, translated where shown:
``{{ _(labels.PRODUCT_STATUS[product.status]) }}`` in a template, ``gettext_in(...)`` in Python).
The values the storefront names too (payment methods, seller kinds) use its labels."""

from __future__ import annotations

from marketplace.catalog.models import ProductStatus
from marketplace.complaints.models import ComplaintReason
from marketplace.core.i18n import N_
from marketplace.orders.models import SellerOrderStatus
from marketplace.payments.models import LedgerBucket, LedgerKind
from marketplace.sellers.models import MemberRole, SellerStatus
from marketplace.storefront.labels import PAYMENT_METHOD, SELLER_KIND

SELLER_ORDER_STATUS = {
    SellerOrderStatus.PENDING: N_("awaiting payment"),
    SellerOrderStatus.TO_SHIP: N_("to ship"),
    SellerOrderStatus.SHIPPED: N_("shipped"),
    SellerOrderStatus.DELIVERED: N_("delivered"),
    SellerOrderStatus.CANCELLED: N_("cancelled"),
}
PRODUCT_STATUS = {
    ProductStatus.DRAFT: N_("draft"),
    ProductStatus.IN_REVIEW: N_("in review"),
    ProductStatus.PUBLISHED: N_("published"),
    ProductStatus.ARCHIVED: N_("archived"),
    ProductStatus.REMOVED: N_("taken down"),
}
COMPLAINT_REASON = {
    ComplaintReason.DAMAGED: N_("item damaged"),
    ComplaintReason.NOT_AS_DESCRIBED: N_("item not as described"),
    ComplaintReason.NOT_RECEIVED: N_("item not received"),
    ComplaintReason.OTHER: N_("other"),
}
SELLER_STATUS = {
    SellerStatus.PENDING: N_("Waiting for verification"),
    SellerStatus.REJECTED: N_("Profile rejected"),
    SellerStatus.SUSPENDED: N_("Shop suspended"),
    SellerStatus.VERIFIED: N_("Verified"),
}
SELLER_STATUS_HINT = {
    SellerStatus.PENDING: N_(
        "You can add products now. They appear in the shop once the admins verify you."
    ),
    SellerStatus.REJECTED: N_("Fix the profile, then contact the office's admins."),
    SellerStatus.SUSPENDED: N_("Your products are hidden. Contact the office's admins."),
}
MEMBER_ROLE = {
    MemberRole.OWNER: N_("owner"),
    MemberRole.STAFF: N_("staff"),
}
LEDGER_KIND = {
    LedgerKind.SALE: N_("Sale"),
    LedgerKind.COMMISSION: N_("Platform commission"),
    LedgerKind.REFUND: N_("Refund"),
    LedgerKind.COMMISSION_RETURN: N_("Commission returned"),
    LedgerKind.PAYOUT: N_("Payout"),
    LedgerKind.SETTLEMENT: N_("Money released"),
    LedgerKind.COD_COMMISSION: N_("COD commission"),
    LedgerKind.COD_REVERSAL: N_("COD correction"),
}
LEDGER_BUCKET = {
    LedgerBucket.PENDING: N_("held"),
    LedgerBucket.AVAILABLE: N_("available"),
}
# Why a listing waits for an admin (``moderation.reasons[].code``).
MODERATION_REASON = {
    "edit_of_reviewed_listing": N_("A text change waits for review"),
    "link": N_("The text contains a link"),
    "medicine_without_bpom": N_("Medicine or herbal remedy without a BPOM number"),
    "new_photo": N_("A new photo waits for review"),
    "phone_number": N_("The text contains a phone number"),
    "pirt_lapsed": N_("The P-IRT number has lapsed"),
    "pre_review": N_("Every new listing is checked by an admin first"),
}
SELLER_NAV = {
    "home": N_("Home"),
    "products": N_("Products"),
    "orders": N_("Orders"),
    "money": N_("Money"),
    "team": N_("Team"),
    "import": N_("Import"),
}
# A problem page's title by status, when the problem has no title of its own.
PROBLEM_TITLE_BY_STATUS = {
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("Cannot be done now"),
    413: N_("File too large"),
    415: N_("File type not supported"),
    422: N_("Some fields are not right"),
    429: N_("Too many tries"),
}
OTHER_PROBLEM_TITLE = N_("Something went wrong")
# A form field's error by pydantic's error type; params from the error's ``ctx``.
INVALID_VALUE = {
    "enum": N_("Choose one of the options."),
    "greater_than": N_("Must be more than %(gt)s."),
    "greater_than_equal": N_("At least %(ge)s."),
    "int_parsing": N_("Enter a whole number."),
    "int_type": N_("Enter a whole number."),
    "less_than_equal": N_("At most %(le)s."),
    "literal_error": N_("Choose one of the options."),
    "missing": N_("Required."),
    "string_pattern_mismatch": N_("The format is not right."),
    "string_too_long": N_("Too long (at most %(max_length)s characters)."),
    "string_too_short": N_("Too short (at least %(min_length)s characters)."),
}
INVALID_OTHER = N_("This value is not valid.")

__all__ = [
    "COMPLAINT_REASON",
    "INVALID_OTHER",
    "INVALID_VALUE",
    "LEDGER_BUCKET",
    "LEDGER_KIND",
    "MEMBER_ROLE",
    "MODERATION_REASON",
    "OTHER_PROBLEM_TITLE",
    "PAYMENT_METHOD",
    "PROBLEM_TITLE_BY_STATUS",
    "PRODUCT_STATUS",
    "SELLER_KIND",
    "SELLER_NAV",
    "SELLER_ORDER_STATUS",
    "SELLER_STATUS",
    "SELLER_STATUS_HINT",
]
