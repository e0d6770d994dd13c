"""Screening of what sellers and buyers write, Indonesian first: abusive, SARA and adult words
(with spelling variants and leetspeak), phone numbers and links that take a deal off the
platform, goods that must not be sold, medicines without a BPOM number, and pork in a listing
not declared non-halal. Pure functions over the word lists in ``data/``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).parent / "data"
_LEET = str.maketrans(
    {
        "4": "a",
        "@": "a",
        "1": "i",
        "!": "i",
        "0": "o",
        "3": "e",
        "5": "s",
        "$": "s",
        "7": "t",
        "8": "b",
        "9": "g",
    }
)
# "!" and "$" stand for letters inside a word ("b!tch"), not at its end ("enak!!!").
_TRAILING_MARKS = re.compile(r"[!$]+(?![a-z0-9])")
_NOT_WORD = re.compile(r"[^a-z]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
# Single letters spelled apart ("a n j i n g", "a.n.j.i.n.g") are joined back.
_SPELLED_OUT = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")
_PHONE = re.compile(r"(?<!\d)(?:\+?62|0)[\s.\-]?8(?:[\s.\-]?\d){7,11}(?!\d)")
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]+\.(?:com|id|net|org|co|me|ly|link|shop|store|site|xyz|info|biz)\b(?:/\S*)?"
    r"|\bwa\.me\b|\bt\.me\b|\bbit\.ly\b",
    re.IGNORECASE,
)
_PORK = ("babi", "pork", "lard", "minyak babi", "khinzir", "b2")


@dataclass(frozen=True)
class Flag:
    """Why something was flagged: a code an admin filters on and the words that triggered it."""

    code: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "detail": self.detail}


def normalize(text: str) -> str:
    """Lower case, leetspeak undone, emphasis collapsed ("anjiiing"), words split by spaces."""
    lowered = _TRAILING_MARKS.sub(" ", text.lower()).translate(_LEET)
    words = _NOT_WORD.sub(" ", lowered)
    words = _SPELLED_OUT.sub(lambda match: match.group(0).replace(" ", ""), words)
    return " ".join(_REPEATS.sub(r"\1", word) for word in words.split())


def _read_list(name: str) -> list[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _categorised(name: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in _read_list(name):
        category, _, phrase = line.partition(":")
        pairs.append((category.strip(), normalize(phrase)))
    return tuple(pairs)


@lru_cache(maxsize=1)
def _word_lists() -> tuple[
    tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...]
]:
    return (
        _categorised("words-id.txt"),
        _categorised("prohibited-goods.txt"),
        tuple(normalize(phrase) for phrase in _read_list("allowed-phrases.txt")),
        tuple(normalize(word) for word in _read_list("medicine.txt")),
    )


def _contains(words: str, phrase: str) -> bool:
    return f" {phrase} " in f" {words} "


def _without_allowed(words: str, allowed: tuple[str, ...]) -> str:
    padded = f" {words} "
    for phrase in allowed:
        padded = padded.replace(f" {phrase} ", " ")
    return padded.strip()


def _matches(words: str, pairs: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for category, phrase in pairs:
        if _contains(words, phrase):
            found.setdefault(category, []).append(phrase)
    return found


def screen_words(text: str) -> list[Flag]:
    """Abusive, SARA and adult words, and contact details that take a deal off the platform."""
    bad_words, _, allowed, _ = _word_lists()
    words = _without_allowed(normalize(text), allowed)
    flags = [
        Flag(code=f"{category}_words", detail=", ".join(sorted(set(phrases))))
        for category, phrases in sorted(_matches(words, bad_words).items())
    ]
    return flags + screen_contacts(text)


def screen_contacts(text: str) -> list[Flag]:
    flags = []
    phones = _PHONE.findall(text)
    if phones:
        flags.append(Flag(code="phone_number", detail=", ".join(p.strip() for p in phones)))
    links = _LINK.findall(text)
    if links:
        flags.append(Flag(code="link", detail=", ".join(links)))
    return flags


def screen_listing(
    title: str, description: str, *, bpom_number: str | None = None, non_halal: bool = False
) -> list[Flag]:
    """Everything a listing's text may be flagged for; an empty list means it may go public."""
    _, prohibited, allowed, medicine = _word_lists()
    text = f"{title}\n{description}"
    flags = screen_words(text)
    words = _without_allowed(normalize(text), allowed)
    flags += [
        Flag(code=f"prohibited_{category}", detail=", ".join(sorted(set(phrases))))
        for category, phrases in sorted(_matches(words, prohibited).items())
    ]
    if bpom_number is None:
        medicines = sorted({word for word in medicine if _contains(words, word)})
        if medicines:
            flags.append(Flag(code="medicine_without_bpom", detail=", ".join(medicines)))
    if not non_halal:
        pork = sorted({word for word in _PORK if _contains(words, word)})
        if pork:
            flags.append(Flag(code="pork_not_declared_non_halal", detail=", ".join(pork)))
    return flags


_GOVERNMENT = (
    "dinas",
    "dinkes",
    "disperindag",
    "diskop",
    "diskopukm",
    "diskominfo",
    "kominfo",
    "dispar",
    "dishub",
    "disnaker",
    "pemprov",
    "pemkab",
    "pemkot",
    "pemda",
    "pemerintah",
    "kementerian",
    "kemenkop",
    "kemendag",
    "resmi",
    "official",
    "gubernur",
    "bupati",
    "walikota",
    "setda",
    "bappeda",
    "bpom",
    "polri",
    "polda",
    "polres",
)


def imitates_government(name: str) -> list[Flag]:
    """A seller name that reads like a government body ("Dinas ...", "Pemprov ...", "(Resmi)")."""
    words = normalize(name)
    found = [word for word in _GOVERNMENT if _contains(words, word)]
    return [Flag(code="government_name", detail=", ".join(found))] if found else []
