"""The demo's products: about sixty listings of the province's goods, with pictures drawn by
Pillow (nothing is downloaded)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

# (variant name, price in rupiah, stock, weight in grams)
Variant = tuple[str, int, int, int]


@dataclass(frozen=True)
class DemoProduct:
    seller_index: int
    title: str
    category: str
    description: str
    variants: tuple[Variant, ...]
    pirt: str | None = None
    bpom: str | None = None
    halal: str | None = None
    motif: str = "dots"


def _sizes(base_price: int, *, stock: int = 40, base_weight: int = 100) -> tuple[Variant, ...]:
    return (
        ("100 g", base_price, stock, base_weight + 20),
        ("250 g", base_price * 23 // 10 // 500 * 500, stock // 2, base_weight * 5 // 2 + 30),
        ("1 kg", base_price * 8 // 1000 * 1000, stock // 4, base_weight * 10 + 60),
    )


def _pirt(regency: str, number: int) -> str:
    """A well-formed P-IRT number that lapses at the end of 2028, 2029 or 2030."""
    return f"2{10 + number % 6:02d}{regency}{number % 90 + 1:02d}{number:04d}{28 + number % 3:02d}"


_PEPPER = [
    (
        "Lada Putih Muntok Premium",
        32000,
        "Lada putih asli Muntok, dijemur alami dan disortir tangan.",
    ),
    ("Lada Hitam Bangka Barat", 28000, "Lada hitam butiran utuh dari kebun petani Bangka Barat."),
    ("Bubuk Lada Putih Muntok", 35000, "Lada putih digiling halus, harum dan pedas khas Muntok."),
    ("Lada Putih Organik Jebus", 38000, "Lada putih dari kebun organik di Jebus, tanpa pestisida."),
    ("Paket Lada Oleh-oleh Muntok", 45000, "Paket lada putih dan hitam dalam kemasan oleh-oleh."),
    (
        "Lada Putih Grade A Tempilang",
        34000,
        "Butiran besar bersih, kadar air rendah, grade ekspor.",
    ),
    ("Lada Putih Curah untuk Rumah Makan", 30000, "Kemasan hemat untuk warung dan rumah makan."),
    (
        "Merica Bubuk Campur Ketumbar",
        26000,
        "Bumbu dapur praktis: lada putih dan ketumbar sangrai.",
    ),
    ("Lada Putih Muntok Kemasan Toples", 40000, "Toples kaca kedap udara, cocok untuk hadiah."),
    ("Lada Putih Muntok Sachet", 12000, "Sachet kecil lada bubuk untuk bekal dan perjalanan."),
]
_PEWTER = [
    ("Miniatur Kapal Pinisi Timah", 350000, "Miniatur kapal pinisi dari pewter, dibuat tangan."),
    ("Gantungan Kunci Pewter Babel", 35000, "Gantungan kunci logo Bangka Belitung dari pewter."),
    ("Asbak Pewter Motif Cual", 150000, "Asbak pewter dengan ukiran motif kain cual."),
    ("Plakat Pewter Menumbing", 275000, "Plakat pewter bergambar Bukit Menumbing."),
    ("Piring Hias Pewter", 225000, "Piring hias pewter untuk pajangan ruang tamu."),
    ("Bros Pewter Bunga Pelawan", 65000, "Bros pewter berbentuk bunga pelawan."),
    ("Tempat Pena Pewter", 120000, "Tempat pena meja kantor dari pewter."),
    ("Cincin Pewter Ukir", 85000, "Cincin pewter dengan ukiran tangan."),
    ("Miniatur Mercusuar Tanjung Kelayang", 300000, "Miniatur mercusuar dari timah pewter."),
    ("Gelas Pewter Tradisional", 180000, "Gelas pewter, tetap sejuk untuk minuman dingin."),
]
_HONEY = [
    (
        "Madu Pelawan Pahit Asli",
        150000,
        "Madu hutan pelawan yang pahit khas, dipanen di hutan Namang.",
    ),
    ("Madu Pelawan Manis", 120000, "Madu pelawan manis dari lebah hutan Bangka Tengah."),
    ("Madu Kelulut Bangka", 135000, "Madu lebah kelulut, asam segar dan kaya antioksidan."),
    ("Madu Pelawan Botol Kecil", 60000, "Botol 150 ml, cocok untuk oleh-oleh."),
    ("Sarang Madu Pelawan", 200000, "Sarang madu utuh langsung dari hutan."),
    ("Madu Pelawan dan Jahe", 90000, "Campuran madu pelawan dan jahe merah."),
    ("Madu Hutan Koba", 110000, "Madu hutan dari kawasan Koba, dipanen lestari."),
    ("Paket Madu Pelawan Keluarga", 280000, "Tiga botol madu pelawan ukuran keluarga."),
    ("Propolis Lebah Kelulut", 95000, "Propolis cair dari sarang lebah kelulut."),
    ("Madu Pelawan Sachet Sekali Minum", 45000, "Sepuluh sachet madu pelawan, praktis dibawa."),
]
_SNACKS = [
    ("Kemplang Ikan Tenggiri", 25000, "Kemplang panggang ikan tenggiri, renyah dan gurih."),
    ("Kerupuk Ikan Sungailiat", 22000, "Kerupuk ikan mentah, tinggal digoreng di rumah."),
    ("Getas Ikan Khas Bangka", 20000, "Getas lonjong renyah dari ikan dan sagu."),
    ("Kemplang Pedas Cabai Rawit", 27000, "Kemplang dengan bumbu cabai rawit."),
    ("Kerupuk Udang Bangka", 30000, "Kerupuk udang dengan rasa udang yang kuat."),
    ("Kericu Ikan Tenggiri", 28000, "Kericu, kerupuk tipis ikan tenggiri yang renyah."),
    ("Kemplang Cumi", 32000, "Kemplang dari cumi segar nelayan Sungailiat."),
    ("Getas Udang Mini", 24000, "Getas ukuran kecil untuk camilan anak."),
    ("Paket Kerupuk Oleh-oleh Bangka", 75000, "Tiga jenis kerupuk khas Bangka dalam satu paket."),
    ("Amplang Ikan Bangka", 26000, "Amplang ikan tenggiri, gurih dan renyah."),
]
_SEAFOOD = [
    ("Terasi Udang Rebon Toboali", 18000, "Terasi udang rebon asli Toboali, aroma kuat."),
    ("Ikan Asin Teri Medan Bangka", 40000, "Teri kering tawar, tidak terlalu asin."),
    ("Cumi Asin Kering", 85000, "Cumi asin kering hasil tangkapan nelayan Bangka Selatan."),
    ("Ikan Bilis Kering", 45000, "Ikan bilis kering untuk sambal dan tumisan."),
    ("Rusip Ikan Bilis", 25000, "Rusip, fermentasi ikan bilis khas Bangka."),
    ("Belacan Bakar Siap Pakai", 22000, "Terasi bakar yang siap dipakai untuk sambal."),
    ("Ikan Kembung Asin", 38000, "Ikan kembung asin kering, dijemur matahari."),
    ("Udang Kering Kupas", 95000, "Udang kering kupas untuk masakan berkuah."),
    ("Sambal Lingkung Ikan", 35000, "Abon ikan tenggiri pedas khas Bangka."),
    ("Paket Terasi dan Ikan Asin", 60000, "Paket hemat terasi dan ikan asin."),
]
_CLOTH = [
    ("Kain Cual Motif Kembang Kaca Piring", 1500000, "Tenun cual tradisional dengan benang emas."),
    ("Batik Cual Belitung Katun", 250000, "Batik cual motif khas Belitung di atas katun."),
    ("Selendang Cual Sutra", 650000, "Selendang tenun cual dari benang sutra."),
    ("Kemeja Batik Cual Pria", 275000, "Kemeja lengan pendek motif cual."),
    ("Syal Batik Cual", 120000, "Syal ringan motif cual untuk oleh-oleh."),
    ("Tas Anyaman Motif Cual", 185000, "Tas anyaman dengan aksen kain cual."),
    ("Kain Batik Simpor Belitung", 300000, "Batik motif daun simpor, ikon Belitung."),
    ("Dompet Kain Cual", 75000, "Dompet kecil dari sisa kain cual."),
    ("Taplak Meja Batik Belitung", 210000, "Taplak meja batik motif pantai Belitung."),
    ("Masker Kain Batik Cual", 25000, "Masker kain tiga lapis motif cual."),
]
_COFFEE = [
    ("Kopi Manggar Robusta Bubuk", 30000, "Kopi robusta bubuk racikan warung kopi Manggar."),
    ("Kopi Manggar Biji Sangrai", 45000, "Biji kopi sangrai medium untuk diseduh sendiri."),
    ("Kopi Susu Manggar Sachet", 20000, "Kopi susu instan khas warung Manggar."),
]
_SELLER_LISTS: tuple[tuple[list[tuple[str, int, str]], str, str, str], ...] = (
    (_PEPPER, "lada", "1905", "pepper"),
    (_PEWTER, "kerajinan-timah", "", "pewter"),
    (_HONEY, "madu", "1904", "honey"),
    (_SNACKS, "camilan", "1901", "snack"),
    (_SEAFOOD, "hasil-laut", "1903", "fish"),
    (_CLOTH, "kain", "", "cloth"),
    (_COFFEE, "kopi", "1906", "coffee"),
)


def demo_products() -> list[DemoProduct]:
    products = []
    for seller_index, (items, category, regency, motif) in enumerate(_SELLER_LISTS):
        for number, (title, price, description) in enumerate(items, start=1):
            is_food = bool(regency)
            products.append(
                DemoProduct(
                    seller_index=seller_index,
                    title=title,
                    category=category,
                    description=description,
                    variants=_sizes(price) if is_food else (("Satuan", price, 12, 350),),
                    pirt=_pirt(regency, seller_index * 10 + number) if is_food else None,
                    halal=f"ID{regency}0000{number:04d}0{seller_index}24" if is_food else None,
                    motif=motif,
                )
            )
    return products


_PALETTES = {
    "pepper": ((245, 240, 225), (120, 100, 70)),
    "pewter": ((210, 214, 220), (80, 88, 100)),
    "honey": ((252, 226, 150), (170, 110, 20)),
    "snack": ((250, 236, 205), (200, 120, 60)),
    "fish": ((205, 230, 240), (30, 90, 130)),
    "cloth": ((120, 30, 60), (235, 190, 80)),
    "coffee": ((110, 75, 55), (240, 225, 200)),
}


def draw_product_picture(product: DemoProduct, size: int = 640) -> bytes:
    """A flat illustration: the category's colours, a motif seeded by the title, the title."""
    background, ink = _PALETTES[product.motif]
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    seed = hashlib.sha256(product.title.encode()).digest()
    for index in range(0, 24, 2):
        x = seed[index] * size // 256
        y = seed[index + 1] * size // 256
        radius = 12 + seed[(index + 5) % 32] % 50
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=ink, width=4)
    draw.rectangle((0, size - 120, size, size), fill=ink)
    font = ImageFont.load_default(size=34)
    draw.text((24, size - 100), product.title[:30], fill=background, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
