"""Bahasa Indonesia first, English second: language choice and the message catalogue."""

from __future__ import annotations

from contextvars import ContextVar
from enum import StrEnum


class Language(StrEnum):
    INDONESIAN = "id"
    ENGLISH = "en"


DEFAULT_LANGUAGE = Language.INDONESIAN
current_language: ContextVar[Language] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


def negotiate_language(accept_language: str | None) -> Language:
    """Pick ``en`` or ``id`` from an Accept-Language header; Indonesian unless English wins."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    best_language, best_quality = DEFAULT_LANGUAGE, -1.0
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in ("id", "in", "en") and quality > best_quality:
            best_language = Language.ENGLISH if primary == "en" else Language.INDONESIAN
            best_quality = quality
    return best_language


# key -> (Indonesian, English). Placeholders use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    "bad-request": ("Permintaan tidak valid", "Bad request"),
    "not-found": ("Tidak ditemukan", "Not found"),
    "not-found.detail": (
        "Sumber daya yang diminta tidak ada.",
        "The requested resource does not exist.",
    ),
    "method-not-allowed": ("Metode tidak diizinkan", "Method not allowed"),
    "validation-error": ("Data tidak valid", "Invalid data"),
    "validation-error.detail": (
        "Periksa kolom yang disebutkan di 'errors'.",
        "Check the fields listed in 'errors'.",
    ),
    "internal-error": ("Terjadi kesalahan pada server", "Internal server error"),
    "internal-error.detail": (
        "Kesalahan tak terduga. Sebutkan ID permintaan {request_id} saat menghubungi kami.",
        "An unexpected error occurred. Quote request id {request_id} when contacting us.",
    ),
    "unauthorized": ("Perlu masuk", "Authentication required"),
    "unauthorized.detail": (
        "Token akses tidak ada, tidak valid, atau kedaluwarsa.",
        "The access token is missing, invalid or expired.",
    ),
    "forbidden": ("Akses ditolak", "Forbidden"),
    "forbidden.detail": (
        "Akun Anda tidak memiliki peran yang diperlukan untuk tindakan ini.",
        "Your account lacks the role this action needs.",
    ),
    "conflict": ("Konflik status", "State conflict"),
    "payload-too-large": ("Data terlalu besar", "Payload too large"),
    "unsupported-media-type": ("Jenis media tidak didukung", "Unsupported media type"),
    "too-many-requests": ("Terlalu banyak permintaan", "Too many requests"),
    "too-many-requests.detail": (
        "Terlalu banyak percobaan. Coba lagi dalam {retry_after} detik.",
        "Too many attempts. Try again in {retry_after} seconds.",
    ),
    "invalid-credentials": ("Email atau kata sandi salah", "Wrong email or password"),
    "invalid-credentials.detail": (
        "Email atau kata sandi tidak cocok dengan akun mana pun.",
        "The email or password does not match any account.",
    ),
    "invalid-refresh-token": ("Token penyegar tidak valid", "Invalid refresh token"),
    "invalid-refresh-token.detail": (
        "Token penyegar tidak dikenal, sudah dipakai, dicabut, atau kedaluwarsa. "
        "Silakan masuk lagi.",
        "The refresh token is unknown, already used, revoked or expired. Please sign in again.",
    ),
    "email-taken": ("Email sudah terdaftar", "Email already registered"),
    "email-taken.detail": (
        "Sudah ada akun dengan email ini.",
        "An account with this email already exists.",
    ),
    "weak-password": ("Kata sandi terlalu lemah", "Password too weak"),
    "password-too-short": (
        "Kata sandi minimal {min_length} karakter.",
        "The password needs at least {min_length} characters.",
    ),
    "password-too-common": (
        "Kata sandi ini terlalu umum dan mudah ditebak.",
        "This password is too common and easy to guess.",
    ),
    "invalid-cursor": ("Kursor tidak valid", "Invalid cursor"),
    "invalid-cursor.detail": (
        "Nilai 'cursor' rusak atau bukan dari daftar ini. Mulai lagi dari halaman pertama.",
        "The 'cursor' value is damaged or not from this list. Start again from the first page.",
    ),
    "seller-not-found": ("Penjual tidak ditemukan", "Seller not found"),
    "seller-status-conflict": ("Status penjual tidak dapat diubah", "Seller status conflict"),
    "seller-status-conflict.detail": (
        "Penjual berstatus '{current}' tidak dapat diubah menjadi '{target}'.",
        "A seller in status '{current}' cannot become '{target}'.",
    ),
    "unknown-region": (
        "Kode wilayah '{code}' tidak dikenal.",
        "Region code '{code}' is unknown.",
    ),
    "user-not-registered": (
        "Belum ada akun terdaftar dengan email ini.",
        "No account is registered with this email.",
    ),
    "already-member": ("Sudah menjadi anggota", "Already a member"),
    "already-member.detail": (
        "Pengguna ini sudah menjadi anggota penjual ini.",
        "This user is already a member of this seller.",
    ),
    "last-owner": ("Pemilik terakhir", "Last owner"),
    "last-owner.detail": (
        "Penjual harus memiliki setidaknya satu pemilik.",
        "A seller must keep at least one owner.",
    ),
    "category-exists": ("Kategori sudah ada", "Category already exists"),
    "category-exists.detail": (
        "Sudah ada kategori dengan slug '{slug}'.",
        "A category with slug '{slug}' already exists.",
    ),
    "product-not-found": ("Produk tidak ditemukan", "Product not found"),
    "variant-not-found": ("Varian tidak ditemukan", "Variant not found"),
    "variant-not-found.detail": (
        "Varian {variant_id} tidak ada pada produk atau penjual ini.",
        "Variant {variant_id} does not belong to this product or seller.",
    ),
    "image-not-found": ("Foto tidak ditemukan", "Image not found"),
    "seller-not-verified": ("Penjual belum terverifikasi", "Seller not verified"),
    "seller-not-verified.detail": (
        "Produk baru dapat diterbitkan setelah penjual diverifikasi admin.",
        "Products can be published once an admin has verified the seller.",
    ),
    "sku-taken": ("SKU sudah dipakai", "SKU already used"),
    "sku-taken.detail": (
        "SKU {skus} sudah dipakai produk lain milik penjual ini.",
        "SKU {skus} is already used by another product of this seller.",
    ),
    "too-many-images": ("Terlalu banyak foto", "Too many images"),
    "too-many-images.detail": (
        "Satu produk paling banyak memiliki {limit} foto.",
        "A product can have at most {limit} images.",
    ),
    "product-archived": ("Produk diarsipkan", "Product archived"),
    "product-archived.detail": (
        "Produk yang diarsipkan tidak dapat diubah; terbitkan ulang terlebih dahulu.",
        "An archived product cannot be changed; publish it again first.",
    ),
    "duplicate-sku": (
        "SKU '{sku}' muncul lebih dari sekali.",
        "SKU '{sku}' appears more than once.",
    ),
    "duplicate-variant": (
        "Varian {variant_id} disebut lebih dari sekali.",
        "Variant {variant_id} is listed more than once.",
    ),
    "price-range-inverted": (
        "Harga minimum lebih besar dari harga maksimum.",
        "The minimum price is above the maximum price.",
    ),
    "order-not-found": ("Pesanan tidak ditemukan", "Order not found"),
    "seller-order-not-found": ("Pesanan penjual tidak ditemukan", "Seller order not found"),
    "payment-not-found": ("Pembayaran tidak ditemukan", "Payment not found"),
    "insufficient-stock": ("Stok tidak cukup", "Insufficient stock"),
    "insufficient-stock.detail": (
        "Stok tidak cukup untuk {count} varian; tidak ada yang dipesan.",
        "Not enough stock for {count} variant(s); nothing was reserved.",
    ),
    "order-status-conflict": ("Status pesanan tidak dapat diubah", "Order status conflict"),
    "order-status-conflict.detail": (
        "Tidak dapat mengubah status dari '{current}' menjadi '{target}'.",
        "Cannot move from '{current}' to '{target}'.",
    ),
    "order-already-shipped": ("Pesanan sudah dikirim", "Order already shipped"),
    "order-already-shipped.detail": (
        "Pesanan yang sebagian sudah dikirim tidak dapat dibatalkan.",
        "An order with anything shipped can no longer be cancelled.",
    ),
    "idempotency-in-flight": ("Permintaan sedang diproses", "Request in progress"),
    "idempotency-in-flight.detail": (
        "Permintaan dengan Idempotency-Key yang sama masih diproses. Coba lagi sebentar.",
        "A request with the same Idempotency-Key is still being processed. Retry shortly.",
    ),
    "idempotency-key-reused": ("Idempotency-Key dipakai ulang", "Idempotency-Key reused"),
    "idempotency-key-reused.detail": (
        "Idempotency-Key ini sudah dipakai untuk permintaan dengan isi berbeda.",
        "This Idempotency-Key was already used for a request with a different body.",
    ),
    "payment-provider-unavailable": (
        "Penyedia pembayaran tidak tersedia",
        "Payment provider unavailable",
    ),
    "payment-provider-unavailable.detail": (
        "Pembayaran kartu belum dikonfigurasi. Pilih transfer bank atau bayar di tempat.",
        "Card payments are not configured. Choose bank transfer or cash on delivery.",
    ),
    "variant-unavailable": (
        "Varian ini tidak ada atau tidak sedang dijual.",
        "This variant does not exist or is not on sale.",
    ),
    "duplicate-line": (
        "Varian ini sudah ada di baris lain; gabungkan jumlahnya.",
        "This variant is already on another line; combine the quantities.",
    ),
    "payment-provider-error": ("Gangguan penyedia pembayaran", "Payment provider error"),
    "invalid-webhook-signature": ("Tanda tangan webhook tidak valid", "Invalid webhook signature"),
    "webhooks-disabled": ("Webhook dinonaktifkan", "Webhooks disabled"),
    "payout-exceeds-balance": ("Saldo tidak cukup", "Payout exceeds balance"),
    "payout-exceeds-balance.detail": (
        "Pencairan {amount} melebihi saldo tersedia penjual {balance}.",
        "A payout of {amount} exceeds the seller's available balance of {balance}.",
    ),
    "media-storage-unavailable": (
        "Penyimpanan foto tidak tersedia",
        "Media storage unavailable",
    ),
    "media-storage-unavailable.detail": (
        "Foto tidak dapat disimpan sekarang. Coba lagi sebentar lagi.",
        "The photo cannot be stored right now. Try again shortly.",
    ),
    "unknown-category": (
        "Kategori '{slug}' tidak dikenal.",
        "Category '{slug}' is unknown.",
    ),
    "image-too-large": ("Gambar terlalu besar", "Image too large"),
    "image-too-large.detail": (
        "Ukuran berkas gambar paling besar {max_megabytes} MB.",
        "An image file may be at most {max_megabytes} MB.",
    ),
    "unsupported-image-type": ("Jenis gambar tidak didukung", "Unsupported image type"),
    "unsupported-image-type.detail": (
        "Unggah gambar JPEG, PNG, atau WebP.",
        "Upload a JPEG, PNG or WebP image.",
    ),
    "broken-image": ("Gambar rusak", "Broken image"),
    "broken-image.detail": (
        "Berkas gambar rusak atau tidak lengkap. Coba unggah lagi.",
        "The image file is damaged or incomplete. Try uploading it again.",
    ),
    "image-too-many-pixels": ("Resolusi gambar terlalu besar", "Image resolution too large"),
    "image-too-many-pixels.detail": (
        "Gambar paling banyak {max_megapixels} megapiksel.",
        "An image may have at most {max_megapixels} megapixels.",
    ),
    "csv-wrong-type": (
        "Unggah berkas CSV berupa teks UTF-8 (di Excel: Simpan Sebagai > CSV UTF-8) atau "
        "buku kerja Excel (.xlsx).",
        "Upload a CSV file as UTF-8 text (in Excel: Save As > CSV UTF-8) or an Excel "
        "workbook (.xlsx).",
    ),
    "xlsx-unreadable": (
        "Berkas ini bukan buku kerja Excel (.xlsx) yang dapat dibaca; simpan ulang dari Excel.",
        "This file is not a readable Excel workbook (.xlsx); save it again from Excel.",
    ),
    "csv-too-large": (
        "Berkas CSV paling besar {max_megabytes} MB; bagi menjadi beberapa berkas.",
        "A CSV file may be at most {max_megabytes} MB; split it into several files.",
    ),
    "csv-too-many-rows": (
        "Berkas CSV paling banyak {max_rows} baris; bagi menjadi beberapa berkas.",
        "A CSV file may have at most {max_rows} rows; split it into several files.",
    ),
    "csv-not-utf8": (
        "Teks di baris ini bukan UTF-8. Simpan berkas sebagai CSV UTF-8.",
        "The text on this row is not UTF-8. Save the file as CSV UTF-8.",
    ),
    "csv-unreadable": (
        "Baris ini tidak dapat dibaca sebagai CSV: {reason}",
        "This row cannot be read as CSV: {reason}",
    ),
    "csv-header-mismatch": (
        "Baris judul harus persis: {columns}",
        "The header row must be exactly: {columns}",
    ),
    "csv-column-count": (
        "Baris ini berisi {found} kolom, seharusnya {expected}.",
        "This row has {found} columns instead of {expected}.",
    ),
    "csv-required": ("wajib diisi", "required"),
    "csv-whole-number": (
        "harus bilangan bulat, tanpa titik, koma, atau desimal",
        "must be a whole number, without dots, commas or decimals",
    ),
    "csv-value-differs": (
        "berbeda dengan baris {row} untuk produk yang sama; kosongkan atau samakan",
        "differs from row {row} of the same product; leave it empty or make it the same",
    ),
    "csv-duplicate-variant": (
        "varian yang sama sudah ada di baris {row}",
        "the same variant is already on row {row}",
    ),
    "csv-too-many-variants": (
        "Satu produk paling banyak memiliki {limit} varian.",
        "A product can have at most {limit} variants.",
    ),
    "csv-unknown-product": (
        "produk '{slug}' tidak dikenal",
        "product '{slug}' is unknown",
    ),
    "csv-invalid-slug": (
        "hanya huruf kecil, angka, dan tanda hubung (paling banyak 100 karakter)",
        "only lowercase letters, digits and hyphens (at most 100 characters)",
    ),
    "csv-product-skipped": (
        "Dilewati: produk ini berisi kesalahan di baris {row}.",
        "Skipped: this product has errors on row {row}.",
    ),
    "csv-conflict": (
        "Bentrok dengan perubahan lain yang terjadi bersamaan; coba impor lagi.",
        "Conflicted with another change made at the same time; import again.",
    ),
    # featured products and embeds
    "featured-entry-not-found": ("Entri unggulan tidak ditemukan", "Featured entry not found"),
    "product-already-featured": ("Produk sudah diunggulkan", "Product already featured"),
    "product-already-featured.detail": (
        "Produk ini sudah ada di daftar unggulan; ubah atau hapus entrinya.",
        "This product is already on the featured list; change or delete its entry.",
    ),
    "unknown-product": (
        "Produk '{product_id}' tidak dikenal.",
        "Product '{product_id}' is unknown.",
    ),
    "featured-window-inverted": (
        "Waktu berakhir (ends_at) harus setelah waktu mulai (starts_at).",
        "ends_at must be after starts_at.",
    ),
    "oembed-unknown-url": ("URL tidak dikenali", "Unknown URL"),
    "oembed-unknown-url.detail": (
        "URL ini bukan alamat produk yang dapat disematkan dari marketplace ini.",
        "This URL is not the address of a product this marketplace can embed.",
    ),
    "oembed-format-not-implemented": ("Format tidak tersedia", "Format not implemented"),
    "oembed-format-not-implemented.detail": (
        "Hanya format=json yang tersedia.",
        "Only format=json is available.",
    ),
    "featured.state.active": ("Tayang sekarang", "Showing now"),
    "featured.state.active-until": ("Tayang sampai {ends_at}", "Showing until {ends_at}"),
    "featured.state.scheduled": ("Dijadwalkan mulai {starts_at}", "Scheduled from {starts_at}"),
    "featured.state.expired": ("Berakhir {ends_at}", "Ended {ends_at}"),
    "featured.state.hidden": ("Disembunyikan: {reason}", "Hidden: {reason}"),
    "featured.reason.product_draft": ("produk masih draf", "the product is a draft"),
    "featured.reason.product_archived": ("produk diarsipkan", "the product is archived"),
    "featured.reason.seller_pending": (
        "penjual belum diverifikasi",
        "the seller is not verified yet",
    ),
    "featured.reason.seller_rejected": ("penjual ditolak", "the seller was rejected"),
    "featured.reason.seller_suspended": ("penjual dibekukan", "the seller is suspended"),
    "featured.page-title": (
        "Produk Unggulan Bangka Belitung",
        "Featured products of Bangka Belitung",
    ),
    "featured.intro": (
        "Produk pilihan kelompok informasi masyarakat, UMKM, dan koperasi di Kepulauan Bangka "
        "Belitung.",
        "Selected products of community information groups, small businesses and cooperatives "
        "of the Bangka Belitung Islands.",
    ),
    "featured.embed-title": ("Produk unggulan", "Featured products"),
    "featured.product-title": ("Produk: {title}", "Product: {title}"),
    "featured.empty": ("Belum ada produk unggulan.", "No featured products yet."),
    "featured.out-of-stock": ("Stok habis", "Out of stock"),
    "featured.sold-by": ("oleh {seller}", "by {seller}"),
    "featured.view": ("Lihat produk", "View product"),
    "featured.new-tab": ("(membuka tab baru)", "(opens in a new tab)"),
    "featured.photo": ("Foto {title}", "Photo of {title}"),
    "featured.no-photo": ("Belum ada foto", "No photo yet"),
    "featured.see-all": ("Lihat semua produk unggulan", "See all featured products"),
    "featured.provider": ("Pasar Babel", "Pasar Babel"),
    # the pages behind problem type URIs (/problems/<slug>)
    "problem-page.status.4xx": (
        "Permintaan ini tidak dijalankan dan tidak ada yang berubah. Perbaiki permintaan sesuai "
        "keterangan di atas (dan kolom 'errors' bila ada), lalu kirim lagi.",
        "This request was not carried out and nothing changed. Correct it as described above "
        "(and in the 'errors' field, when present), then send it again.",
    ),
    "problem-page.status.5xx": (
        "Server tidak dapat menyelesaikan permintaan ini. Coba lagi nanti; bila berulang, "
        "sebutkan 'request_id' dari jawaban saat menghubungi kami.",
        "The server could not complete this request. Try again later; if it keeps happening, "
        "quote the answer's 'request_id' when contacting us.",
    ),
    # Escrow, complaints and payouts
    "complaint-not-found": ("Keluhan tidak ditemukan", "Complaint not found"),
    "complaint-not-allowed": ("Keluhan tidak dapat diajukan", "A complaint is not possible"),
    "complaint-not-allowed.detail": (
        "Keluhan hanya dapat diajukan untuk pesanan yang sudah dikirim atau diterima dan "
        "dananya belum diteruskan ke penjual (status sekarang: {current}).",
        "A complaint can only be filed for a shipped or delivered order whose money has not "
        "been released to the seller yet (now: {current}).",
    ),
    "complaint-exists": ("Keluhan sudah diajukan", "A complaint was already filed"),
    "complaint-exists.detail": (
        "Pesanan penjual ini sudah memiliki keluhan.",
        "This seller-order already has a complaint.",
    ),
    "complaint-resolved": ("Keluhan sudah diselesaikan", "The complaint is already resolved"),
    "refund-exceeds-paid": ("Pengembalian melebihi pembayaran", "Refund exceeds what was paid"),
    "refund-exceeds-paid.detail": (
        "Pengembalian {amount} melebihi sisa yang dapat dikembalikan {refundable}.",
        "A refund of {amount} exceeds the {refundable} that can still be refunded.",
    ),
    "receipt-not-confirmable": (
        "Penerimaan tidak dapat dikonfirmasi",
        "Receipt cannot be confirmed",
    ),
    "receipt-not-confirmable.detail": (
        "Penerimaan pesanan ini sudah dikonfirmasi, atau keluhannya masih menunggu keputusan "
        "admin.",
        "Receipt of this order was already confirmed, or its complaint awaits an admin's decision.",
    ),
    "complaint-reason.not_received": ("barang tidak diterima", "item not received"),
    "complaint-reason.damaged": ("barang rusak", "item damaged"),
    "complaint-reason.not_as_described": (
        "barang tidak sesuai deskripsi",
        "item not as described",
    ),
    "complaint-reason.other": ("lainnya", "other"),
    "unknown-bank": ("Bank tidak dikenal", "Unknown bank"),
    "unknown-bank.detail": (
        "Kode bank {bank_code} tidak ada dalam daftar bank (GET /banks).",
        "Bank code {bank_code} is not in the list of banks (GET /banks).",
    ),
}


def translate(key: str, **params: object) -> str:
    """The text for ``key`` in the current request's language, with ``params`` filled in."""
    return translate_to(current_language.get(), key, **params)


def translate_to(language: Language, key: str, **params: object) -> str:
    indonesian, english = MESSAGES[key]
    template = english if language is Language.ENGLISH else indonesian
    return template.format(**params) if params else template
