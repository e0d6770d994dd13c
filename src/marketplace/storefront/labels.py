"""The storefront's names for status and choice values (English msgids, translated in the
templates: ``{{ _(labels.ORDER_STATUS[order.status]) }}``)."""

from __future__ import annotations

from marketplace.catalog.product_queries import ProductSort
from marketplace.core.i18n import N_
from marketplace.orders.models import OrderStatus, PaymentStatus, SellerOrderStatus
from marketplace.payments.models import PaymentMethod
from marketplace.sellers.models import SellerKind

SORT = {
    ProductSort.NEWEST: N_("Newest"),
    ProductSort.PRICE_ASC: N_("Lowest price"),
    ProductSort.PRICE_DESC: N_("Highest price"),
    ProductSort.RATING: N_("Top rated"),
    ProductSort.RELEVANCE: N_("Best match"),
}
ORDER_STATUS = {
    OrderStatus.PENDING: N_("Awaiting payment"),
    OrderStatus.PROCESSING: N_("Processing"),
    OrderStatus.COMPLETED: N_("Completed"),
    OrderStatus.CANCELLED: N_("Cancelled"),
}
PAYMENT_STATUS = {
    PaymentStatus.UNPAID: N_("Unpaid"),
    PaymentStatus.PAID: N_("Paid"),
    PaymentStatus.PARTIALLY_REFUNDED: N_("Partly refunded"),
    PaymentStatus.REFUNDED: N_("Refunded"),
}
PART_STATUS = {
    SellerOrderStatus.PENDING: N_("awaiting payment"),
    SellerOrderStatus.TO_SHIP: N_("being packed"),
    SellerOrderStatus.SHIPPED: N_("shipped"),
    SellerOrderStatus.DELIVERED: N_("delivered"),
    SellerOrderStatus.CANCELLED: N_("cancelled"),
}
PAYMENT_METHOD = {
    PaymentMethod.BANK_TRANSFER: N_("Bank transfer"),
    PaymentMethod.COD: N_("Cash on delivery"),
    PaymentMethod.QRIS: N_("QRIS"),
    PaymentMethod.STRIPE: N_("Debit or credit card"),
}
SELLER_KIND = {
    SellerKind.COMMUNITY_GROUP: N_("Community information group"),
    SellerKind.COOPERATIVE: N_("Cooperative"),
    SellerKind.UMKM: N_("Small business"),
}
