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
    "csrf-failed": ("Formulir kedaluwarsa", "Form expired"),
    "csrf-failed.detail": (
        "Muat ulang halaman lalu kirim formulir sekali lagi.",
        "Reload the page and send the form again.",
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
    "featured.reason.product_in_review": (
        "produk menunggu tinjauan admin",
        "the product waits for an admin's review",
    ),
    "featured.reason.product_removed": (
        "produk diturunkan admin",
        "an admin took the product down",
    ),
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
    # abuse resistance and account self-service (issue 10)
    "service-busy": ("Server sedang sibuk", "Server busy"),
    "service-busy.detail": (
        "Terlalu banyak permintaan yang sedang diproses. Coba lagi dalam {retry_after} detik.",
        "Too many requests are being processed. Try again in {retry_after} seconds.",
    ),
    "invalid-account-token": ("Kode tidak valid", "Invalid code"),
    "invalid-account-token.detail": (
        "Kode ini tidak dikenal, sudah dipakai, atau kedaluwarsa.",
        "This code is unknown, already used, or expired.",
    ),
    "wrong-current-password": ("Kata sandi saat ini salah", "Wrong current password"),
    "wrong-current-password.detail": (
        "Kata sandi saat ini tidak cocok.",
        "The current password does not match.",
    ),
    "email-not-verified": ("Email belum dikonfirmasi", "E-mail not verified"),
    "email-not-verified.detail": (
        "Konfirmasikan alamat email Anda terlebih dahulu (kodenya dikirim saat mendaftar).",
        "Confirm your e-mail address first (the code was sent when you registered).",
    ),
    "invitation-not-found": ("Undangan tidak ditemukan", "Invitation not found"),
    "invitation-not-found.detail": (
        "Undangan ini tidak ada, sudah dipakai, kedaluwarsa, atau untuk alamat email lain.",
        "This invitation does not exist, was used, expired, or is for another e-mail address.",
    ),
    "quantity-over-cap": (
        "Paling banyak {max_quantity} per pesanan untuk produk ini.",
        "At most {max_quantity} per order for this product.",
    ),
    "cod-not-allowed": ("Bayar di tempat tidak tersedia", "Cash on delivery not available"),
    "cod-needs-verified-buyer.detail": (
        "Bayar di tempat hanya untuk pembeli yang masuk dengan email yang sudah dikonfirmasi.",
        "Cash on delivery is only for signed-in buyers with a confirmed e-mail address.",
    ),
    "cod-total-too-high.detail": (
        "Bayar di tempat hanya untuk total sampai {max_total}; pilih metode pembayaran lain.",
        "Cash on delivery is only for totals up to {max_total}; choose another payment method.",
    ),
    "region-address-mismatch": (
        "region_code {region_code} tidak cocok dengan kota '{city}' pada alamat.",
        "region_code {region_code} does not match the address's city '{city}'.",
    ),
    "invalid-url": ("URL tidak valid", "Invalid URL"),
    "value-too-long": (
        "Terlalu panjang (paling banyak {max_length} karakter).",
        "Too long (at most {max_length} characters).",
    ),
    # Admin desk and Indonesian payments (issue 11)
    "transfer-codes-exhausted": (
        "Kode unik transfer habis",
        "No unique transfer code is free",
    ),
    "transfer-codes-exhausted.detail": (
        "Semua kode unik sedang dipakai transfer yang belum dibayar. Coba lagi nanti atau pilih "
        "cara bayar lain.",
        "Every unique code is held by an unpaid transfer. Try again later or pay another way.",
    ),
    "qris-unavailable": ("QRIS tidak tersedia", "QRIS unavailable"),
    "qris-unavailable.detail": (
        "Pembayaran QRIS belum dikonfigurasi. Pilih transfer bank.",
        "QRIS payments are not configured. Choose bank transfer.",
    ),
    "proof-not-accepted": ("Bukti transfer tidak diterima", "Proof of transfer not accepted"),
    "proof-not-accepted.detail": (
        "Bukti transfer hanya untuk pembayaran transfer bank atau QRIS yang belum dikonfirmasi.",
        "A proof of transfer is only for a bank-transfer or QRIS payment not yet confirmed.",
    ),
    "proof-link-invalid": ("Tautan bukti transfer tidak berlaku", "Proof link not valid"),
    "statement-unreadable": ("Mutasi rekening tidak terbaca", "Bank statement unreadable"),
    "statement-unreadable.detail": (
        "Berkas mutasi tidak sesuai format {format}: {reason}",
        "The statement does not fit the {format} format: {reason}",
    ),
    # --- storefront (issue 14) ---
    "storefront.site": ("Pasar Babel", "Pasar Babel"),
    "storefront.nav": ("Menu utama", "Main menu"),
    "storefront.cart": ("Keranjang", "Cart"),
    "storefront.account": ("Akun", "Account"),
    "storefront.search": ("Cari", "Search"),
    "storefront.search-label": ("Cari produk", "Search products"),
    "storefront.search-placeholder": ("lada, madu, kerupuk…", "pepper, honey, crackers…"),
    "storefront.footer": (
        "Produk daerah Kepulauan Bangka Belitung dari KIM, UMKM, dan koperasi.",
        "Regional products of the Bangka Belitung Islands from community groups, small "
        "businesses and cooperatives.",
    ),
    "storefront.home-title": ("Produk Bangka Belitung", "Products of Bangka Belitung"),
    "storefront.home-link": ("Ke beranda", "Go to the home page"),
    "storefront.categories": ("Kategori", "Categories"),
    "storefront.regions": ("Kabupaten dan kota", "Regencies and cities"),
    "storefront.newest": ("Produk terbaru", "Newest products"),
    "storefront.see-all": ("Lihat semua produk", "See all products"),
    "storefront.more": ("Muat lebih banyak", "Load more"),
    "storefront.first-page": ("Kembali ke halaman pertama", "Back to the first page"),
    "storefront.search-title": ("Cari produk", "Search products"),
    "storefront.search-title-q": ("Hasil untuk “{q}”", "Results for “{q}”"),
    "storefront.category": ("Kategori", "Category"),
    "storefront.filters": ("Saring dan urutkan", "Filter and sort"),
    "storefront.region": ("Wilayah", "Region"),
    "storefront.all": ("Semua", "All"),
    "storefront.min-price": ("Harga terendah (Rp)", "Lowest price (Rp)"),
    "storefront.max-price": ("Harga tertinggi (Rp)", "Highest price (Rp)"),
    "storefront.sort": ("Urutkan", "Sort by"),
    "storefront.sort.default": ("Bawaan", "Default"),
    "storefront.sort.relevance": ("Paling cocok", "Best match"),
    "storefront.sort.newest": ("Terbaru", "Newest"),
    "storefront.sort.price_asc": ("Harga termurah", "Lowest price"),
    "storefront.sort.price_desc": ("Harga termahal", "Highest price"),
    "storefront.sort.rating": ("Penilaian tertinggi", "Top rated"),
    "storefront.no-results": ("Tidak ada produk yang cocok.", "No matching products."),
    "storefront.not-found": ("Halaman tidak ditemukan", "Page not found"),
    "storefront.not-found.detail": (
        "Halaman ini tidak ada atau tidak dapat Anda lihat.",
        "This page does not exist or you may not see it.",
    ),
    "storefront.photo-n": ("Foto {n} {title}", "Photo {n} of {title}"),
    "storefront.from": ("mulai", "from"),
    "storefront.in-stock": ("Stok tersedia", "In stock"),
    "storefront.stock-n": ("stok {n}", "{n} in stock"),
    "storefront.rating": (
        "Nilai {average} dari 5 ({count} ulasan)",
        "Rated {average} of 5 ({count} reviews)",
    ),
    "storefront.choose-variant": ("Pilih varian", "Choose a variant"),
    "storefront.quantity": ("Jumlah", "Quantity"),
    "storefront.quantity-of": ("Jumlah {title}", "Quantity of {title}"),
    "storefront.add-to-cart": ("Tambah ke keranjang", "Add to cart"),
    "storefront.description": ("Deskripsi", "Description"),
    "storefront.compliance": ("Izin dan sertifikat", "Permits and certificates"),
    "storefront.halal": ("Halal", "Halal"),
    "storefront.seller": ("Penjual", "Seller"),
    "storefront.whatsapp": ("Chat penjual lewat WhatsApp", "Chat with the seller on WhatsApp"),
    "storefront.whatsapp-message": (
        "Halo, saya tertarik dengan {title} ({url})",
        "Hello, I am interested in {title} ({url})",
    ),
    "storefront.whatsapp-seller": (
        "Halo {seller}, saya ingin bertanya.",
        "Hello {seller}, I have a question.",
    ),
    "storefront.share": ("Bagikan", "Share"),
    "storefront.products": ("Produk", "Products"),
    "storefront.kind.community_group": (
        "Kelompok Informasi Masyarakat",
        "Community information group",
    ),
    "storefront.kind.umkm": ("UMKM", "Small business"),
    "storefront.kind.cooperative": ("Koperasi", "Cooperative"),
    "storefront.region-title": ("Produk dari {region}", "Products from {region}"),
    "storefront.seat": ("Ibu kota: {seat}", "Seat: {seat}"),
    "storefront.item": ("Barang", "Item"),
    "storefront.line-total": ("Jumlah harga", "Line total"),
    "storefront.update": ("Ubah", "Update"),
    "storefront.subtotal": ("Subtotal", "Subtotal"),
    "storefront.checkout": ("Lanjut ke pembayaran", "Check out"),
    "storefront.cart-empty": ("Keranjang Anda kosong.", "Your cart is empty."),
    "storefront.cart-changed": (
        "Sebagian barang di keranjang tidak dijual lagi dan tidak ikut dipesan.",
        "Some items in your cart are no longer for sale and were left out.",
    ),
    "storefront.field-invalid": ("Periksa isian ini.", "Check this field."),
    "storefront.form-errors": ("Beberapa isian perlu diperbaiki.", "Some fields need fixing."),
    "storefront.guest-or": ("Pesan sebagai tamu, atau", "Order as a guest, or"),
    "storefront.sign-in": ("Masuk", "Sign in"),
    "storefront.sign-out": ("Keluar", "Sign out"),
    "storefront.signed-in-as": ("Anda masuk sebagai {name}.", "You are signed in as {name}."),
    "storefront.password": ("Kata sandi", "Password"),
    "storefront.shipping": ("Ongkos kirim", "Shipping"),
    "storefront.shipping-choose": ("pilih kabupaten/kota", "choose a regency"),
    "storefront.buyer": ("Pembeli", "Buyer"),
    "storefront.name": ("Nama lengkap", "Full name"),
    "storefront.email": ("Email", "E-mail"),
    "storefront.phone": ("Nomor HP", "Phone number"),
    "storefront.address": ("Alamat pengiriman", "Shipping address"),
    "storefront.regency": ("Kabupaten/kota", "Regency or city"),
    "storefront.choose": ("Pilih…", "Choose…"),
    "storefront.quote": ("Hitung ongkos kirim", "Quote shipping"),
    "storefront.street": ("Jalan dan nomor rumah", "Street and number"),
    "storefront.village": ("Kelurahan/desa", "Village"),
    "storefront.district": ("Kecamatan", "District"),
    "storefront.postal-code": ("Kode pos", "Postal code"),
    "storefront.notes": ("Catatan (boleh kosong)", "Notes (optional)"),
    "storefront.payment": ("Pembayaran", "Payment"),
    "storefront.method.bank_transfer": ("Transfer bank", "Bank transfer"),
    "storefront.method.stripe": ("Kartu debit/kredit", "Debit or credit card"),
    "storefront.method.cod": ("Bayar di tempat (COD)", "Cash on delivery"),
    "storefront.method.qris": ("QRIS", "QRIS"),
    "storefront.place-order": ("Buat pesanan", "Place order"),
    "storefront.order-title": ("Pesanan {number}", "Order {number}"),
    "storefront.status": ("Status", "Status"),
    "storefront.order-status.pending": ("Menunggu pembayaran", "Awaiting payment"),
    "storefront.order-status.processing": ("Diproses", "Processing"),
    "storefront.order-status.completed": ("Selesai", "Completed"),
    "storefront.order-status.cancelled": ("Dibatalkan", "Cancelled"),
    "storefront.payment-status.unpaid": ("Belum dibayar", "Unpaid"),
    "storefront.payment-status.paid": ("Lunas", "Paid"),
    "storefront.payment-status.refunded": ("Dikembalikan", "Refunded"),
    "storefront.payment-status.partially_refunded": ("Dikembalikan sebagian", "Partly refunded"),
    "storefront.part-status.pending": ("menunggu pembayaran", "awaiting payment"),
    "storefront.part-status.to_ship": ("sedang dikemas", "being packed"),
    "storefront.part-status.shipped": ("dikirim", "shipped"),
    "storefront.part-status.delivered": ("diterima", "delivered"),
    "storefront.part-status.cancelled": ("dibatalkan", "cancelled"),
    "storefront.how-to-pay": ("Cara membayar", "How to pay"),
    "storefront.transfer-exactly": ("Transfer tepat sejumlah:", "Transfer exactly:"),
    "storefront.bank": ("Bank", "Bank"),
    "storefront.account-number": ("Nomor rekening", "Account number"),
    "storefront.account-holder": ("Atas nama", "Account holder"),
    "storefront.reference": ("Berita transfer", "Reference"),
    "storefront.pay-before": ("Bayar sebelum {time}.", "Pay before {time}."),
    "storefront.qris": ("Atau pindai QRIS ini:", "Or scan this QRIS:"),
    "storefront.qris-alt": ("Kode QRIS untuk {amount}", "QRIS code for {amount}"),
    "storefront.card-pay": ("Bayar dengan kartu", "Pay by card"),
    "storefront.card-wait": ("Memproses pembayaran…", "Processing the payment…"),
    "storefront.card-failed": ("Pembayaran gagal.", "The payment failed."),
    "storefront.card-needs-js": (
        "Pembayaran kartu memerlukan JavaScript.",
        "Card payment needs JavaScript.",
    ),
    "storefront.cod-note": (
        "Siapkan {amount} tunai saat paket tiba.",
        "Have {amount} in cash ready when the parcel arrives.",
    ),
    "storefront.items": ("Barang", "Items"),
    "storefront.tracking": (
        "Dikirim dengan {courier}, resi {number}",
        "Shipped by {courier}, tracking {number}",
    ),
    "storefront.cancel-order": ("Batalkan pesanan", "Cancel order"),
    # --- trust and safety (moderation, screening, compliance, reviews) ---
    "product-removed": ("Produk diturunkan admin", "Product taken down by an admin"),
    "product-removed.detail": (
        "Produk ini diturunkan admin (alasan: {reason}) dan tidak dapat diterbitkan lagi oleh "
        "penjual. Ajukan peninjauan ulang setelah memperbaikinya.",
        "An admin took this product down (reason: {reason}); the seller cannot publish it "
        "again. Ask for a review once it is fixed.",
    ),
    "nothing-to-approve": ("Tidak ada yang perlu disetujui", "Nothing to approve"),
    "nothing-to-approve.detail": (
        "Produk ini masih draf dan tidak menunggu persetujuan.",
        "This product is a draft and is not waiting for approval.",
    ),
    "product-not-removed": ("Produk tidak diturunkan", "Product not taken down"),
    "product-not-removed.detail": (
        "Peninjauan ulang hanya untuk produk yang diturunkan admin.",
        "Only a product an admin took down can be sent for another review.",
    ),
    "halal-declaration-missing": (
        "Keterangan halal wajib diisi",
        "Halal declaration required",
    ),
    "halal-declaration-missing.detail": (
        "Makanan dan minuman wajib mencantumkan nomor sertifikat halal atau menyatakan "
        "produk tidak halal (non_halal), sesuai kewajiban sertifikasi halal sejak "
        "17 Oktober 2026.",
        "Food and beverages need a halal certificate number or an explicit non-halal "
        "declaration (non_halal), as halal certification is mandatory since 17 October 2026.",
    ),
    "halal-and-non-halal": (
        "Produk tidak dapat bersertifikat halal sekaligus dinyatakan tidak halal.",
        "A product cannot both carry a halal certificate and be declared non-halal.",
    ),
    "moderation-item-not-found": ("Antrean moderasi tidak ditemukan", "Moderation item not found"),
    "moderation-item-resolved": ("Sudah diputuskan", "Already decided"),
    "moderation-item-resolved.detail": (
        "Item antrean ini sudah diputuskan admin.",
        "An admin already decided this item.",
    ),
    "review-not-allowed": ("Tidak dapat mengulas", "Cannot review"),
    "review-not-allowed.detail": (
        "Ulasan hanya dari pembeli yang pesanannya berisi produk ini sudah diterima.",
        "Only a buyer whose delivered order holds this product can review it.",
    ),
    "review-exists": ("Ulasan sudah ada", "Review exists"),
    "review-exists.detail": (
        "Produk dari pesanan ini sudah diulas.",
        "This product of this order has been reviewed already.",
    ),
    "review-not-found": ("Ulasan tidak ditemukan", "Review not found"),
    "review-already-replied": ("Sudah dibalas", "Already replied"),
    "review-already-replied.detail": (
        "Penjual hanya dapat membalas satu kali.",
        "The seller can reply only once.",
    ),
    "featured.rating": ("{average} dari 5 ({count} ulasan)", "{average} of 5 ({count} reviews)"),
    "featured.non-halal": ("Non-halal", "Non-halal"),
    "too-many-review-photos": ("Terlalu banyak foto", "Too many photos"),
    "too-many-review-photos.detail": (
        "Satu ulasan paling banyak {limit} foto.",
        "A review holds at most {limit} photos.",
    ),
    # reports
    "reports.range-inverted": (
        "Tanggal awal (from) harus sebelum atau sama dengan tanggal akhir (to).",
        "from must be on or before to.",
    ),
    "reports.range-too-long": (
        "Rentang laporan paling panjang lima tahun.",
        "A report covers at most five years.",
    ),
    "reports.range-out-of-bounds": (
        "Tanggal laporan harus antara tahun 2000 dan 2100.",
        "Report dates must be between the years 2000 and 2100.",
    ),
    "reports.total": ("Total", "Total"),
    "reports.week-of": ("Minggu mulai {day}", "Week of {day}"),
    "reports.kind.community_group": ("Kelompok masyarakat", "Community group"),
    "reports.kind.umkm": ("UMKM", "Small business (UMKM)"),
    "reports.kind.cooperative": ("Koperasi", "Cooperative"),
    "reports.embed-title": ("Dampak ekonomi", "Economic impact"),
    "reports.embed-intro": (
        "Penjualan produk masyarakat Kepulauan Bangka Belitung, {first} sampai {last}.",
        "Sales of Bangka Belitung community products, {first} to {last}.",
    ),
    "reports.gross": ("Penjualan", "Sales"),
    "reports.orders": ("Pesanan", "Orders"),
    "reports.buyers": ("Pembeli", "Buyers"),
    "reports.sellers": ("Penjual aktif", "Active sellers"),
    "reports.by-region": ("Penjualan per kabupaten/kota", "Sales by regency"),
    "reports.by-month": ("Penjualan per bulan", "Sales by month"),
    "reports.withheld": (
        "disembunyikan (kurang dari 5 pembeli)",
        "withheld (fewer than 5 buyers)",
    ),
    "reports.no-data": ("Belum ada penjualan.", "No sales yet."),
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
    # --- consoles: shared layer (consoles/web.py, templates/console/) ---
    "console.name": ("Konsol", "Console"),
    "console.skip": ("Langsung ke isi", "Skip to content"),
    "console.sign-out": ("Keluar", "Sign out"),
    "console.to-store": ("Ke toko", "To the shop"),
    "console.back-home": ("Kembali ke beranda", "Back to home"),
    "console.fix-below": ("Perbaiki isian yang ditandai di bawah.", "Fix the marked fields below."),
    "console.check-fields": ("Ada isian yang belum benar.", "Some fields are not right yet."),
    "console.invalid": ("Isian ini tidak valid.", "This value is not valid."),
    "console.invalid.missing": ("Wajib diisi.", "Required."),
    "console.invalid.string_too_short": (
        "Terlalu pendek (minimal {min_length} huruf).",
        "Too short (at least {min_length} characters).",
    ),
    "console.invalid.string_too_long": (
        "Terlalu panjang (maksimal {max_length} huruf).",
        "Too long (at most {max_length} characters).",
    ),
    "console.invalid.int_parsing": ("Isi dengan angka bulat.", "Enter a whole number."),
    "console.invalid.greater_than_equal": ("Paling kecil {ge}.", "At least {ge}."),
    "console.invalid.greater_than": ("Harus lebih dari {gt}.", "Must be more than {gt}."),
    "console.invalid.less_than_equal": ("Paling besar {le}.", "At most {le}."),
    "console.invalid.enum": ("Pilih salah satu pilihan.", "Choose one of the options."),
    "console.invalid.literal_error": ("Pilih salah satu pilihan.", "Choose one of the options."),
    "console.invalid.string_pattern_mismatch": (
        "Bentuknya tidak sesuai.",
        "The format is not right.",
    ),
    "console.confirm-title": ("Yakin?", "Are you sure?"),
    "console.confirm-yes": ("Ya, lanjutkan", "Yes, go ahead"),
    "console.confirm-no": ("Batal", "Cancel"),
    "console.problem.403": ("Tidak boleh", "Not allowed"),
    "console.problem.404": ("Tidak ditemukan", "Not found"),
    "console.problem.409": ("Belum bisa dilakukan", "Cannot be done now"),
    "console.problem.413": ("Berkas terlalu besar", "File too large"),
    "console.problem.415": ("Jenis berkas tidak didukung", "File type not supported"),
    "console.problem.422": ("Isian belum benar", "Some fields are not right"),
    "console.problem.429": ("Terlalu sering", "Too many tries"),
    "console.problem.other": ("Ada masalah", "Something went wrong"),
    # --- end consoles: shared layer ---
    # --- consoles: seller console (consoles/seller_*.py, templates/console/seller/) ---
    "console.choose": ("- pilih -", "- choose -"),
    "console.seller.name": ("Konsol Penjual", "Seller Console"),
    "console.seller.menu": ("Menu penjual", "Seller menu"),
    "console.seller.nav.home": ("Beranda", "Home"),
    "console.seller.nav.products": ("Produk", "Products"),
    "console.seller.nav.orders": ("Pesanan", "Orders"),
    "console.seller.nav.money": ("Uang", "Money"),
    "console.seller.nav.team": ("Tim", "Team"),
    "console.seller.nav.import": ("Impor", "Import"),
    "console.seller.owner-only": (
        "Hanya pemilik toko yang boleh melakukan ini.",
        "Only the shop's owner may do this.",
    ),
    "console.seller.start-title": ("Toko saya", "My shops"),
    "console.seller.choose": ("Pilih toko yang ingin dikelola.", "Choose the shop to manage."),
    "console.seller.no-profile": (
        "Anda belum punya profil penjual. Buat dulu agar bisa berjualan.",
        "You have no seller profile yet. Create one to start selling.",
    ),
    "console.seller.create": ("Buat profil penjual", "Create seller profile"),
    "console.seller.create-another": ("Buat toko lain", "Create another shop"),
    "console.seller.create-hint": (
        "Admin dinas akan memeriksa profil ini sebelum produk Anda tampil di toko.",
        "The office's admins check this profile before your products appear in the shop.",
    ),
    "console.seller.create-submit": ("Kirim untuk diverifikasi", "Send for verification"),
    "console.seller.created": (
        "Profil penjual dibuat. Tunggu verifikasi dari admin.",
        "Seller profile created. Wait for the admins to verify it.",
    ),
    "console.seller.f.name": ("Nama toko atau kelompok", "Shop or group name"),
    "console.seller.f.kind": ("Jenis usaha", "Kind of seller"),
    "console.seller.f.region": ("Kabupaten/kota", "Regency/city"),
    "console.seller.f.whatsapp": ("Nomor WhatsApp", "WhatsApp number"),
    "console.seller.f.whatsapp-hint": ("Contoh: 081234567890", "For example: 081234567890"),
    "console.seller.f.address": ("Alamat", "Address"),
    "console.seller.f.description": ("Tentang toko", "About the shop"),
    "console.seller.kind.community_group": (
        "Kelompok Informasi Masyarakat (KIM)",
        "Community information group (KIM)",
    ),
    "console.seller.kind.umkm": ("UMKM", "Small business (UMKM)"),
    "console.seller.kind.cooperative": ("Koperasi", "Cooperative"),
    "console.seller.role.owner": ("pemilik", "owner"),
    "console.seller.role.staff": ("staf", "staff"),
    "console.seller.status.pending": ("Menunggu verifikasi", "Waiting for verification"),
    "console.seller.status.verified": ("Terverifikasi", "Verified"),
    "console.seller.status.rejected": ("Profil ditolak", "Profile rejected"),
    "console.seller.status.suspended": ("Toko dibekukan", "Shop suspended"),
    "console.seller.status-hint.pending": (
        "Anda sudah bisa menambah produk. Produk tampil di toko setelah admin memverifikasi.",
        "You can add products now. They appear in the shop once the admins verify you.",
    ),
    "console.seller.status-hint.rejected": (
        "Perbaiki profil lalu hubungi admin dinas.",
        "Fix the profile, then contact the office's admins.",
    ),
    "console.seller.status-hint.suspended": (
        "Produk Anda tidak tampil. Hubungi admin dinas.",
        "Your products are hidden. Contact the office's admins.",
    ),
    "console.seller.todo": ("Yang perlu dikerjakan", "What to do now"),
    "console.seller.to-ship": ("pesanan perlu dikirim", "orders to ship"),
    "console.seller.open-complaints": ("keluhan terbuka", "open complaints"),
    "console.seller.held": ("produk perlu diperiksa", "listings held for review"),
    "console.seller.low-stock": ("varian hampir habis", "variants running low"),
    "console.seller.units": ("sisa {count}", "{count} left"),
    "console.seller.balance": ("Saldo", "Balance"),
    "console.seller.pending": ("Ditahan (menunggu pesanan selesai)", "Held (until orders settle)"),
    "console.seller.available": ("Bisa dicairkan", "Available to pay out"),
    "console.seller.add-product": ("Tambah produk", "Add product"),
    "console.product-status.draft": ("draf", "draft"),
    "console.product-status.published": ("tayang", "published"),
    "console.product-status.archived": ("diarsipkan", "archived"),
    "console.product-status.in_review": ("diperiksa admin", "in review"),
    "console.product-status.removed": ("diturunkan admin", "taken down"),
    "console.all": ("Semua", "All"),
    "console.show": ("Tampilkan", "Show"),
    "console.more": ("Berikutnya", "More"),
    "console.optional": ("boleh kosong", "optional"),
    "console.save": ("Simpan", "Save"),
    "console.saved": ("Perubahan disimpan.", "Changes saved."),
    "console.delete": ("Hapus", "Delete"),
    "console.upload": ("Unggah", "Upload"),
    "console.uploading": ("Sedang mengunggah", "Uploading"),
    "console-no-file": ("Belum ada berkas", "No file chosen"),
    "console-no-file.detail": (
        "Pilih atau ambil foto/berkas dulu, lalu kirim lagi.",
        "Choose or take a photo/file first, then send again.",
    ),
    "console.invalid.int_type": ("Isi dengan angka bulat.", "Enter a whole number."),
    "console.product.status": ("Status", "Status"),
    "console.product.none": ("Belum ada produk di sini.", "No products here yet."),
    "console.product.sold-out": ("habis", "sold out"),
    "console.product.photo": ("Foto produk", "Product photo"),
    "console.product.photo-hint": (
        "Ketuk untuk memotret dengan kamera HP atau memilih foto (JPEG, PNG, WebP).",
        "Tap to take a picture with the phone's camera or choose one (JPEG, PNG, WebP).",
    ),
    "console.product.f.title": ("Nama produk", "Product name"),
    "console.product.f.category": ("Kategori", "Category"),
    "console.product.f.description": ("Keterangan", "Description"),
    "console.product.variant-n": ("Varian {n}", "Variant {n}"),
    "console.product.f.variant-name": ("Nama varian", "Variant name"),
    "console.product.f.variant-name-hint": (
        "Misalnya ukuran: 250 gram. Satu varian saja? Tulis: Biasa.",
        "For example a size: 250 grams. Just one? Write: Regular.",
    ),
    "console.product.f.price": ("Harga (Rp)", "Price (Rp)"),
    "console.product.f.stock": ("Stok", "Stock"),
    "console.product.f.weight": ("Berat (gram)", "Weight (grams)"),
    "console.product.permits": ("Izin: P-IRT, BPOM", "Permits: P-IRT, BPOM"),
    "console.product.f.pirt": ("Nomor P-IRT", "P-IRT number"),
    "console.product.f.bpom": ("Nomor BPOM", "BPOM number"),
    "console.product.save-draft": ("Simpan sebagai draf", "Save as draft"),
    "console.product.created": (
        "Produk disimpan sebagai draf. Tayangkan bila sudah siap.",
        "Product saved as a draft. Publish it when ready.",
    ),
    "console.product.see-in-shop": ("Lihat di toko", "See it in the shop"),
    "console.product.wait-verification": (
        "Produk bisa ditayangkan setelah profil penjual Anda diverifikasi admin.",
        "You can publish once the admins have verified your seller profile.",
    ),
    "console.product.why-held": ("Mengapa produk ini ditahan", "Why this listing is held"),
    "console.product.takedown": ("Diturunkan admin: {reason}", "Taken down by an admin: {reason}"),
    "console.product.pending-changes": (
        "Perubahan Anda menunggu persetujuan admin.",
        "Your changes are waiting for an admin's approval.",
    ),
    "console.product.publish": ("Tayangkan", "Publish"),
    "console.product.published": ("Produk sudah tayang di toko.", "The product is in the shop."),
    "console.product.sent-to-review": (
        "Produk dikirim ke admin untuk diperiksa dulu.",
        "The product was sent to the admins for review first.",
    ),
    "console.product.archive": ("Arsipkan", "Archive"),
    "console.product.archive?": (
        "Arsipkan \u201c{title}\u201d? Produk hilang dari toko; Anda bisa menayangkannya lagi.",
        "Archive \u201c{title}\u201d? It leaves the shop; you can publish it again later.",
    ),
    "console.product.archived": (
        "Produk diarsipkan. Tekan Tayangkan untuk membatalkan.",
        "Product archived. Press Publish to undo.",
    ),
    "console.product.photos": ("Foto", "Photos"),
    "console.product.photo-n": ("Foto {n}", "Photo {n}"),
    "console.product.no-photos": ("Belum ada foto.", "No photos yet."),
    "console.product.add-photo": ("Tambah foto", "Add a photo"),
    "console.product.photo-added": ("Foto ditambahkan.", "Photo added."),
    "console.product.delete-photo?": (
        "Hapus foto ini? Foto yang dihapus tidak bisa dikembalikan.",
        "Delete this photo? A deleted photo cannot be brought back.",
    ),
    "console.product.photo-deleted": ("Foto dihapus.", "Photo deleted."),
    "console.product.stock-price": ("Stok dan harga", "Stock and prices"),
    "console.product.save-stock": ("Simpan stok dan harga", "Save stock and prices"),
    "console.product.details": ("Data produk", "Product details"),
    "console.reason.pirt_lapsed": ("Nomor P-IRT sudah kedaluwarsa", "The P-IRT number has lapsed"),
    "console.reason.pre_review": (
        "Semua produk baru diperiksa admin dulu",
        "Every new listing is checked by an admin first",
    ),
    "console.reason.phone_number": (
        "Ada nomor telepon di teks produk",
        "The text contains a phone number",
    ),
    "console.reason.link": ("Ada tautan di teks produk", "The text contains a link"),
    "console.reason.medicine_without_bpom": (
        "Obat atau jamu tanpa nomor BPOM",
        "Medicine or herbal remedy without a BPOM number",
    ),
    "console.reason.new_photo": ("Foto baru menunggu pemeriksaan", "A new photo waits for review"),
    "console.reason.edit_of_reviewed_listing": (
        "Perubahan teks menunggu pemeriksaan",
        "A text change waits for review",
    ),
    "console.order-status.pending": ("menunggu pembayaran", "awaiting payment"),
    "console.order-status.to_ship": ("perlu dikirim", "to ship"),
    "console.order-status.shipped": ("dikirim", "shipped"),
    "console.order-status.delivered": ("sampai", "delivered"),
    "console.order-status.cancelled": ("dibatalkan", "cancelled"),
    "console.payment.stripe": ("kartu", "card"),
    "console.payment.bank_transfer": ("transfer bank", "bank transfer"),
    "console.payment.cod": ("bayar di tempat (COD)", "cash on delivery"),
    "console.order.filter": ("Saring pesanan", "Filter orders"),
    "console.order.none": ("Tidak ada pesanan di sini.", "No orders here."),
    "console.order.title": ("Pesanan {number}", "Order {number}"),
    "console.order.complaint": ("Keluhan pembeli", "Buyer's complaint"),
    "console.order.slip": ("Slip pengiriman", "Packing slip"),
    "console.order.item": ("Barang", "Item"),
    "console.order.quantity": ("Jumlah", "Qty"),
    "console.order.line-total": ("Subtotal", "Subtotal"),
    "console.order.shipping": ("Ongkos kirim", "Shipping"),
    "console.order.total": ("Total", "Total"),
    "console.order.address": ("Kirim ke", "Ship to"),
    "console.order.notes": ("Catatan pembeli", "Buyer's note"),
    "console.order.ship": ("Kirim pesanan", "Ship the order"),
    "console.order.f.courier": ("Kurir", "Courier"),
    "console.order.f.courier-hint": ("Misalnya JNE, J&T, POS Indonesia", "E.g. JNE, J&T, POS"),
    "console.order.f.tracking": ("Nomor resi", "Tracking number"),
    "console.order.ship-submit": ("Tandai sudah dikirim", "Mark as shipped"),
    "console.order.shipped": (
        "Pesanan ditandai dikirim. Pembeli diberi tahu nomor resinya.",
        "Order marked as shipped. The buyer is told the tracking number.",
    ),
    "console.order.mark-delivered": ("Tandai sudah sampai", "Mark as delivered"),
    "console.order.cash-received": (
        "Sudah sampai dan uang COD diterima",
        "Delivered and COD cash received",
    ),
    "console.order.delivered?": (
        "Pesanan {number} sudah sampai ke pembeli?",
        "Has order {number} reached the buyer?",
    ),
    "console.order.cash-received?": (
        "Pesanan {number} sudah sampai dan uang {amount} sudah Anda terima?",
        "Has order {number} arrived and have you received the {amount} in cash?",
    ),
    "console.order.delivered": ("Pesanan ditandai sudah sampai.", "Order marked as delivered."),
    "console.order.cancel": ("Batalkan pesanan", "Cancel the order"),
    "console.order.cancel?": (
        "Batalkan pesanan {number}? Pembatalan tidak bisa diurungkan; stok dikembalikan.",
        "Cancel order {number}? This cannot be undone; the stock returns.",
    ),
    "console.order.cancelled": ("Pesanan dibatalkan.", "Order cancelled."),
    "console.order.back": ("Kembali ke pesanan", "Back to the order"),
    "console.order.print-hint": (
        "Cetak halaman ini dari menu peramban.",
        "Print this page from the browser's menu.",
    ),
    "console.order.from": ("Dari", "From"),
    "console.order.collect": ("tagih {amount}", "collect {amount}"),
    "console.money.paid-out": ("Sudah dicairkan", "Paid out"),
    "console.money.how": (
        "Uang penjualan ditahan sampai pembeli menerima barang (atau masa tunggu lewat tanpa "
        "keluhan), lalu bisa dicairkan ke rekening toko.",
        "Sales money is held until the buyer receives the goods (or the waiting period passes "
        "without a complaint), then it can be paid out to the shop's account.",
    ),
    "console.money.account": ("Rekening pencairan", "Payout bank account"),
    "console.money.no-account": (
        "Belum ada rekening. Uang tidak bisa dicairkan sebelum rekening diisi.",
        "No account yet. Money cannot be paid out until one is set.",
    ),
    "console.money.change-account": ("Ganti rekening", "Change the account"),
    "console.money.f.bank": ("Bank", "Bank"),
    "console.money.f.number": ("Nomor rekening", "Account number"),
    "console.money.f.holder": ("Nama pemilik rekening", "Account holder"),
    "console.money.f.holder-hint": (
        "Persis seperti di buku tabungan.",
        "Exactly as in the bank book.",
    ),
    "console.money.owner-changes": (
        "Hanya pemilik toko yang bisa mengganti rekening.",
        "Only the shop's owners can change the account.",
    ),
    "console.money.account-changed": (
        "Rekening disimpan. Semua pemilik toko diberi tahu lewat email.",
        "Account saved. Every owner of the shop is told by e-mail.",
    ),
    "console.money.payouts": ("Pencairan", "Payouts"),
    "console.money.no-payouts": ("Belum ada pencairan.", "No payouts yet."),
    "console.money.ledger": ("Riwayat saldo", "Ledger"),
    "console.money.no-entries": ("Belum ada catatan.", "No entries yet."),
    "console.money.when": ("Waktu", "When"),
    "console.money.what": ("Keterangan", "What"),
    "console.money.amount": ("Jumlah", "Amount"),
    "console.ledger.sale": ("Penjualan", "Sale"),
    "console.ledger.commission": ("Komisi platform", "Platform commission"),
    "console.ledger.refund": ("Pengembalian dana", "Refund"),
    "console.ledger.commission_return": ("Komisi dikembalikan", "Commission returned"),
    "console.ledger.payout": ("Pencairan", "Payout"),
    "console.ledger.settlement": ("Dana dilepas", "Money released"),
    "console.ledger.cod_commission": ("Komisi COD", "COD commission"),
    "console.ledger.cod_reversal": ("Koreksi COD", "COD correction"),
    "console.bucket.pending": ("ditahan", "held"),
    "console.bucket.available": ("tersedia", "available"),
    "console.team.remove": ("Keluarkan", "Remove"),
    "console.team.remove?": (
        "Keluarkan {name} dari tim? Ia tidak bisa lagi mengelola toko ini.",
        "Remove {name} from the team? They can no longer manage this shop.",
    ),
    "console.team.removed": ("Anggota dikeluarkan.", "Member removed."),
    "console.team.invite": ("Undang anggota", "Invite a member"),
    "console.team.invite-hint": (
        "Kami kirim kode undangan ke email ini. Staf mengelola produk dan pesanan; pemilik "
        "juga mengatur rekening dan tim.",
        "We send an invitation code to this e-mail. Staff manage products and orders; owners "
        "also manage the bank account and the team.",
    ),
    "console.team.f.email": ("Email", "E-mail"),
    "console.team.f.role": ("Peran", "Role"),
    "console.team.send": ("Kirim undangan", "Send invitation"),
    "console.team.invited": ("Undangan dikirim ke {email}.", "Invitation sent to {email}."),
    "console.team.owner-invites": (
        "Hanya pemilik toko yang bisa mengundang anggota.",
        "Only the shop's owners can invite members.",
    ),
    "console.team.have-code": ("Punya kode undangan?", "Have an invitation code?"),
    "console.team.f.code": ("Kode dari email undangan", "Code from the invitation e-mail"),
    "console.team.accept": ("Gabung ke toko", "Join the shop"),
    "console.team.joined": ("Anda sudah bergabung dengan toko.", "You have joined the shop."),
    "console.import.title": ("Impor produk", "Import products"),
    "console.import.how": (
        "Unduh daftar produk Anda, ubah di spreadsheet, lalu unggah lagi sebagai CSV atau "
        "XLSX. Baris tanpa product_slug membuat produk baru (draf).",
        "Download your products, edit them in a spreadsheet, then upload again as CSV or "
        "XLSX. Rows without a product_slug make new products (drafts).",
    ),
    "console.import.download": ("Unduh produk (CSV)", "Download products (CSV)"),
    "console.import.file": ("Berkas CSV atau XLSX (maks. 2 MB)", "CSV or XLSX file (max 2 MB)"),
    "console.import.submit": ("Unggah dan impor", "Upload and import"),
    "console.import.done": ("Impor selesai.", "Import finished."),
    "console.import.counts": (
        "{created} produk baru, {updated} produk diubah, {variants} varian disimpan.",
        "{created} new products, {updated} products changed, {variants} variants saved.",
    ),
    "console.import.row-errors": ("{count} baris ditolak", "{count} rows refused"),
    "console.import.row": ("Baris", "Row"),
    "console.import.problem": ("Masalah", "Problem"),
    "console.import.fix-rows": (
        "Perbaiki baris ini di berkas lalu unggah lagi; baris lain sudah tersimpan.",
        "Fix these rows in the file and upload again; the other rows are saved.",
    ),
    "console.order.f.answer": ("Jawaban Anda untuk pembeli", "Your answer to the buyer"),
    "console.order.answer": ("Kirim jawaban", "Send the answer"),
    "console.order.answered": (
        "Jawaban terkirim. Admin memutuskan keluhan ini.",
        "Answer sent. The admins decide the complaint.",
    ),
    "console.seller.profile": ("Profil toko", "Shop profile"),
    "console.seller.pending-name": (
        "Nama baru \u201c{name}\u201d menunggu persetujuan admin.",
        "The new name \u201c{name}\u201d waits for an admin's approval.",
    ),
    "console.seller.owner-edits": (
        "Hanya pemilik toko yang bisa mengubah profil.",
        "Only the shop's owners can change the profile.",
    ),
    # --- end consoles: seller console ---
}


def translate(key: str, **params: object) -> str:
    """The text for ``key`` in the current request's language, with ``params`` filled in."""
    return translate_to(current_language.get(), key, **params)


def translate_to(language: Language, key: str, **params: object) -> str:
    indonesian, english = MESSAGES[key]
    template = english if language is Language.ENGLISH else indonesian
    return template.format(**params) if params else template
