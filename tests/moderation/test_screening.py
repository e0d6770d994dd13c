"""Screening, Indonesian first: each example is a listing a seller could write, with whether
screening must flag it and why. False positives are named: innocent words that look like bad
ones must stay unflagged."""

from __future__ import annotations

import pytest

from marketplace.moderation.screening import (
    imitates_government,
    normalize,
    screen_listing,
    screen_words,
)

# (title, description, non_halal, has_bpom, expected flag codes)
LISTINGS = [
    # abusive words, their spelling variants and leetspeak
    pytest.param("Kerupuk Anjing", "", False, False, ["abusive_words"], id="abusive-plain"),
    pytest.param(
        "Kemplang", "rasanya anjiiing enak", False, False, ["abusive_words"], id="abusive-emphasis"
    ),
    pytest.param(
        "Getas", "4nj1ng murah bgt", False, False, ["abusive_words"], id="abusive-leetspeak"
    ),
    pytest.param(
        "Getas", "a n j i n g lah", False, False, ["abusive_words"], id="abusive-spelled-out"
    ),
    pytest.param(
        "Madu", "anjir manis banget", False, False, ["abusive_words"], id="abusive-variant-anjir"
    ),
    pytest.param(
        "Kopi", "yang gak beli bangsat", False, False, ["abusive_words"], id="abusive-bangsat"
    ),
    pytest.param(
        "Kopi", "pembeli g0bl0k", False, False, ["abusive_words"], id="abusive-goblok-leet"
    ),
    pytest.param("Terasi", "dasar tolol", False, False, ["abusive_words"], id="abusive-tolol"),
    pytest.param("Batik", "jancuk keren", False, False, ["abusive_words"], id="abusive-jancuk"),
    pytest.param(
        "Batik", "K4MPR3T", False, False, ["abusive_words"], id="abusive-kampret-upper-leet"
    ),
    # SARA
    pytest.param("Kaos", "khusus bukan kafir", False, False, ["sara_words"], id="sara-kafir"),
    pytest.param("Kaos", "anti aseng", False, False, ["sara_words"], id="sara-aseng"),
    pytest.param(
        "Stiker",
        "cina babi pulang",
        False,
        False,
        ["pork_not_declared_non_halal", "sara_words"],
        id="sara-phrase",
    ),
    # adult
    pytest.param("Video", "bokep lengkap", False, False, ["adult_words"], id="adult-bokep"),
    pytest.param("Pijat", "open BO malam", False, False, ["adult_words"], id="adult-open-bo"),
    pytest.param("Foto", "model bugil", False, False, ["adult_words"], id="adult-bugil"),
    pytest.param(
        "Obat", "obat perangsang pria", False, True, ["adult_words"], id="adult-with-bpom"
    ),
    # deals taken off the platform
    pytest.param("Lada", "WA 0812-7000-1234", False, False, ["phone_number"], id="phone-dashes"),
    pytest.param(
        "Lada", "hubungi +62 812 7000 1234", False, False, ["phone_number"], id="phone-plus62"
    ),
    pytest.param(
        "Lada", "telp 081270001234 ya", False, False, ["phone_number"], id="phone-compact"
    ),
    pytest.param(
        "Lada",
        "order di wa.me/6281270001234",
        False,
        False,
        ["phone_number", "link"],
        id="wa-me-link",
    ),
    pytest.param("Lada", "cek https://shopee.co.id/lada", False, False, ["link"], id="link-https"),
    pytest.param("Lada", "toko kami www.ladamuntok.com", False, False, ["link"], id="link-www"),
    pytest.param("Lada", "lihat tokolada.id", False, False, ["link"], id="link-bare-domain"),
    # goods that must not be sold
    pytest.param("Telur Penyu Segar", "", False, False, ["prohibited_wildlife"], id="turtle-eggs"),
    pytest.param(
        "Sisik Trenggiling",
        "obat tradisional",
        False,
        False,
        ["medicine_without_bpom", "prohibited_wildlife"],
        id="pangolin-scales",
    ),
    pytest.param("Pangolin scales", "", False, False, ["prohibited_wildlife"], id="pangolin-en"),
    pytest.param("Mentilin Peliharaan", "", False, False, ["prohibited_wildlife"], id="tarsier"),
    pytest.param("Arak Bangka", "", False, False, ["prohibited_alcohol"], id="alcohol-arak"),
    pytest.param("Tuak Nira", "", False, False, ["prohibited_alcohol"], id="alcohol-tuak"),
    pytest.param("Rokok Kretek Lintingan", "", False, False, ["prohibited_tobacco"], id="tobacco"),
    pytest.param("Tembakau Iris", "", False, False, ["prohibited_tobacco"], id="tobacco-leaf"),
    pytest.param("Senapan Angin", "", False, False, ["prohibited_weapon"], id="weapon-rifle"),
    pytest.param("Bom Ikan", "", False, False, ["prohibited_weapon"], id="fish-bombs"),
    pytest.param(
        "Jamu Pegal Linu", "", False, False, ["medicine_without_bpom"], id="jamu-without-bpom"
    ),
    pytest.param("Jamu Pegal Linu", "", False, True, [], id="jamu-with-bpom"),
    pytest.param(
        "Kapsul Pelangsing", "", False, False, ["medicine_without_bpom"], id="slimming-capsules"
    ),
    # pork where the listing is not declared non-halal
    pytest.param(
        "Kerupuk Babi", "", False, False, ["pork_not_declared_non_halal"], id="pork-not-declared"
    ),
    # false positives: innocent text that must not be flagged
    pytest.param(
        "Kerupuk Babi", "kerupuk kulit babi", True, False, [], id="fp-pork-in-non-halal-listing"
    ),
    pytest.param("Batik Cual Motif Anjing Laut", "", False, False, [], id="fp-anjing-laut-batik"),
    pytest.param("Kaos Motif Penyu", "", False, False, [], id="fp-turtle-motif"),
    pytest.param(
        "Bir Pletok", "minuman rempah tanpa alkohol", False, False, [], id="fp-bir-pletok"
    ),
    pytest.param("Batik Parang Rusak", "", False, False, [], id="fp-parang-motif"),
    pytest.param(
        "Lada Putih Muntok", "P-IRT 209190501012327, 250 g", False, False, [], id="fp-pirt-digits"
    ),
    pytest.param(
        "Madu Pelawan", "Rp 150.000 untuk 1,5 kg", False, False, [], id="fp-price-and-weight"
    ),
    pytest.param(
        "Kopi Asuhan Ibu", "asuransi pengiriman", False, False, [], id="fp-asu-inside-words"
    ),
    pytest.param(
        "Kemplang Ikan Tenggiri", "renyah, 0,5 kg", False, False, [], id="fp-decimal-weight"
    ),
    pytest.param("Cokelat Bangka", "coklat kacang", False, False, [], id="fp-cok-inside-coklat"),
    pytest.param(
        "Tas Anyaman Tikar Pandan", "arak-arakan 17 Agustus", False, False, [], id="fp-arak-arakan"
    ),
    pytest.param(
        "Kerupuk Ikan Tenggiri", "BPOM RI MD 224510001234", False, False, [], id="fp-bpom-digits"
    ),
    pytest.param(
        "Pewter Miniatur Penyu",
        "",
        False,
        False,
        ["prohibited_wildlife"],
        id="turtle-word-still-flags",
    ),
]


@pytest.mark.parametrize(("title", "description", "non_halal", "has_bpom", "codes"), LISTINGS)
def test_screening_of_indonesian_listings(
    title: str, description: str, non_halal: bool, has_bpom: bool, codes: list[str]
) -> None:
    flags = screen_listing(
        title,
        description,
        bpom_number="MD 224510001234" if has_bpom else None,
        non_halal=non_halal,
    )

    assert sorted(flag.code for flag in flags) == sorted(codes)


def test_the_table_holds_at_least_forty_examples_with_true_and_false_positives() -> None:
    false_positives = [case for case in LISTINGS if str(case.id).startswith("fp-")]
    assert len(LISTINGS) >= 40
    assert len(false_positives) >= 10


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("ANJIIIIING!!!", "anjing"),
        ("4nj1ng", "anjing"),
        ("a.n.j.i.n.g", "anjing"),
        ("Kerupuk   Babi", "kerupuk babi"),
    ],
)
def test_normalization_undoes_spelling_tricks(raw: str, normalized: str) -> None:
    assert normalize(raw) == normalized


def test_review_text_is_screened_for_words_and_contacts_only() -> None:
    assert [flag.code for flag in screen_words("Penjual goblok, mending WA 081270001234")] == [
        "abusive_words",
        "phone_number",
    ]
    assert screen_words("Lada asli, wangi, pengiriman cepat. Mantap!") == []


@pytest.mark.parametrize(
    ("name", "flagged"),
    [
        ("Dinas Koperasi Provinsi Babel (Resmi)", True),
        ("Pemprov Babel Store", True),
        ("Diskominfo Bangka Tengah", True),
        ("Toko Official Pemkab Bangka", True),
        ("KIM Lada Muntok", False),
        ("Koperasi Produsen Madu Pelawan", False),
        ("UMKM Dinasti Kopi", False),
    ],
)
def test_seller_names_that_imitate_government_bodies(name: str, flagged: bool) -> None:
    assert bool(imitates_government(name)) is flagged
