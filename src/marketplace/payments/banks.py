"""Indonesian banks a seller can be paid into, by their three-digit clearing code (kode bank),
the code a bank's bulk-transfer upload asks for."""

from __future__ import annotations

BANKS: dict[str, str] = {
    "002": "Bank Rakyat Indonesia (BRI)",
    "008": "Bank Mandiri",
    "009": "Bank Negara Indonesia (BNI)",
    "011": "Bank Danamon",
    "013": "Bank Permata",
    "014": "Bank Central Asia (BCA)",
    "016": "Maybank Indonesia",
    "019": "Bank Panin",
    "022": "CIMB Niaga",
    "028": "OCBC NISP",
    "120": "Bank Sumsel Babel",
    "147": "Bank Muamalat",
    "153": "Bank Sinarmas",
    "200": "Bank Tabungan Negara (BTN)",
    "213": "SMBC Indonesia (BTPN)",
    "426": "Bank Mega",
    "451": "Bank Syariah Indonesia (BSI)",
    "490": "Bank Neo Commerce",
    "535": "SeaBank",
    "542": "Bank Jago",
}


def bank_name(code: str) -> str:
    return BANKS.get(code, code)
