"""One search function over two engines: PostgreSQL full text (+ trigram typo tolerance) and
SQLite FTS5. Each returns a WHERE condition and a relevance score for the products query."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, func, literal, literal_column, or_, table
from sqlalchemy.sql import Select

from marketplace.catalog.models import Product
from marketplace.db.queries import LIKE_ESCAPE, escape_like

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_SEARCH_WORDS = 8

_products_fts = table("products_fts")


@dataclass(frozen=True)
class SearchClause:
    condition: ColumnElement[bool]
    relevance: ColumnElement[float]


def search_words(query: str) -> list[str]:
    return _WORD.findall(query.lower())[:MAX_SEARCH_WORDS]


def postgres_search(query: str) -> SearchClause:
    """Stemmed full text in Indonesian, or a title whose words are close to the query's."""
    vector: ColumnElement[Any] = literal_column("products.search_vector")
    tsquery = func.websearch_to_tsquery("indonesian", query)
    lowered = " ".join(search_words(query))
    title = func.lower(Product.title)
    condition = or_(vector.op("@@")(tsquery), literal(lowered).op("<%")(title))
    relevance = (
        func.ts_rank_cd(vector, tsquery) + func.word_similarity(literal(lowered), title)
    ).cast(Float)
    return SearchClause(condition=condition, relevance=relevance)


MIN_TRIGRAM_WORD = 3
TITLE_WEIGHT, DESCRIPTION_WEIGHT = 10.0, 1.0


def sqlite_fts_query(query: str) -> str | None:
    """Every word of 3+ characters as a quoted substring term (the trigram tokenizer cannot
    match shorter ones); quoting keeps user text out of FTS5's query syntax."""
    words = [word for word in search_words(query) if len(word) >= MIN_TRIGRAM_WORD]
    if not words:
        return None
    return " ".join(f'"{word}"' for word in words)


def sqlite_search(
    select_query: Select[tuple[object, ...]], query: str
) -> tuple[Select[tuple[object, ...]], SearchClause]:
    """Join the FTS5 table on the products rowid; bm25 ranks (lower is better, so negate)."""
    fts_query = sqlite_fts_query(query)
    if fts_query is None:  # only words too short for trigrams: a plain substring match
        condition = Product.title.ilike(f"%{escape_like(query)}%", escape=LIKE_ESCAPE)
        return select_query, SearchClause(condition=condition, relevance=literal(0.0, Float))
    joined = select_query.join(
        _products_fts, literal_column("products_fts.rowid") == literal_column("products.rowid")
    )
    condition = literal_column("products_fts").op("MATCH")(literal(fts_query))
    # Column weights as on PostgreSQL (title 'A' over description 'B'): without them a short
    # description that mentions the word once outranks a title match with a long description.
    score = func.bm25(literal_column("products_fts"), TITLE_WEIGHT, DESCRIPTION_WEIGHT)
    relevance = (-score).cast(Float)
    return joined, SearchClause(condition=condition, relevance=relevance)
