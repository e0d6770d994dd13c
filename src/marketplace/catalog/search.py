"""One search over two engines: PostgreSQL full text (+ trigram typo tolerance) and SQLite
FTS5. Each finds a bounded set of candidate products and a relevance score to rank them by.

Ranking costs a heap read and a score per match (at 100k products "lada putih" matches 5,000
rows and ranking them all took 10x the time of a plain page), so a relevance-ordered search
ranks at most ``SEARCH_CANDIDATES`` full-text matches, taken in the full-text index's order.
Typo tolerance (trigram word similarity on titles, PostgreSQL only) is the expensive part of a
search (scoring 200 candidates by word similarity cost more than the rest of the statement) and
only runs, both the trigram scan and the score, when full text finds fewer than
``MIN_FULL_TEXT_MATCHES``. A search is first run without it (``typos=False``), which tells how
many full-text matches there were; only when too few is it run again with it. With the trigram
branch in, PostgreSQL priced the statement's generic plan above its custom ones and planned
every search again (1.4 ms of its CPU, more than half of running it); without it, it keeps one
plan."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    String,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    select,
    table,
    union,
)
from sqlalchemy.sql import Select, Subquery

from marketplace.catalog.models import Product
from marketplace.db.queries import LIKE_ESCAPE, constant, escape_like

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_SEARCH_WORDS = 8
# Enough candidates for ten pages of twenty; a query that matches more ranks a sample of its
# matches and reads best narrowed by a filter or another word.
SEARCH_CANDIDATES = 200
# Fewer full-text matches than a default page: add titles close to the query (typos).
MIN_FULL_TEXT_MATCHES = 20

_products_fts = table("products_fts")


@dataclass(frozen=True)
class SearchMatches:
    """The matching products' ids (column ``id``) and a relevance score over ``ids`` alone
    (meaningful when the matches are ranked): a ranked page needs no other product column."""

    ids: Subquery
    relevance: ColumnElement[float]
    # Full-text matches, counted up to MIN_FULL_TEXT_MATCHES, when typos were left out.
    found: ColumnElement[int] | None = None


def search_words(query: str) -> list[str]:
    return _WORD.findall(query.lower())[:MAX_SEARCH_WORDS]


class SearchKind(StrEnum):
    """How a text is searched for; a statement is built once per kind, the text bound."""

    FULL_TEXT = "full_text"  # PostgreSQL
    FTS5 = "fts5"  # SQLite
    TITLE_SUBSTRING = "title_substring"  # SQLite, only words too short for trigrams


def search_kind(dialect: str, query: str) -> SearchKind:
    if dialect == "postgresql":
        return SearchKind.FULL_TEXT
    return SearchKind.FTS5 if sqlite_fts_query(query) else SearchKind.TITLE_SUBSTRING


def search_parameters(kind: SearchKind, query: str) -> dict[str, object]:
    """The bound values ``search_matches`` statements of ``kind`` take for ``query``."""
    if kind is SearchKind.FULL_TEXT:
        return {"search_text": query, "search_words": " ".join(search_words(query))}
    if kind is SearchKind.FTS5:
        return {"search_fts_query": sqlite_fts_query(query)}
    return {"search_title_pattern": f"%{escape_like(query)}%"}


def search_matches(
    kind: SearchKind, candidates: Select[Any], *, bounded: bool, typos: bool = True
) -> SearchMatches:
    """The products of ``candidates`` (a select of ``Product.id`` with the caller's rules and
    filters) that the bound search text finds (``search_parameters``); at most
    ``SEARCH_CANDIDATES`` per kind of match when ``bounded``. Without ``typos``, full text
    only, with the count of its matches (see ``too_few_full_text_matches``)."""
    limit = SEARCH_CANDIDATES if bounded else None
    if kind is SearchKind.FULL_TEXT:
        return postgres_matches(candidates, limit, typos=typos)
    if kind is SearchKind.FTS5:
        return sqlite_matches(candidates, limit)
    pattern = bindparam("search_title_pattern", type_=String)
    matched = candidates.where(Product.title.ilike(pattern, escape=LIKE_ESCAPE))
    ids = _bounded(matched.add_columns(literal(0.0, Float).label("score")), limit)
    return SearchMatches(ids=ids.subquery("matches"), relevance=literal(0.0, Float))


def too_few_full_text_matches(found: int | None) -> bool:
    """Whether a search run without typos must run again with them (``found``: the
    statement's count of full-text matches; None when it listed nothing)."""
    return (found or 0) < MIN_FULL_TEXT_MATCHES


def postgres_matches(candidates: Select[Any], limit: int | None, *, typos: bool) -> SearchMatches:
    """Stemmed full text in Indonesian; titles whose words are close to the query's only when
    full text finds too few (a typo: 'lada puith'), and only with ``typos``."""
    vector: ColumnElement[Any] = literal_column("products.search_vector")
    # Parsed once per statement (an InitPlan): statements are prepared and, as a generic plan,
    # a bare websearch_to_tsquery(:text) in the score was parsed and stemmed again per row.
    tsquery = select(
        func.websearch_to_tsquery(constant("indonesian"), bindparam("search_text", type_=String))
    ).scalar_subquery()
    lowered = bindparam("search_words", type_=String)
    ranked = limit is not None
    if ranked:
        # Scored where full text reads the row, so ranking reads no product again.
        scored = (func.ts_rank_cd(vector, tsquery).label("score"), Product.title.label("title"))
        candidates = candidates.add_columns(*scored)
    # Read once (a CTE used twice is materialised): both the count and the candidates.
    full_text = _bounded(candidates.where(vector.op("@@")(tsquery)), limit).cte("full_text")
    # An uncorrelated count, so PostgreSQL runs it once and skips the trigram scan entirely
    # (a one-time filter) when full text found enough.
    found = (
        select(func.count())
        .select_from(select(full_text.c.id).limit(constant(MIN_FULL_TEXT_MATCHES)).subquery())
        .scalar_subquery()
    )
    # Newest first: a seq scan's order is not stable (it may start mid-table), and pages of
    # one search must rank the same candidates.
    if not typos:
        only_full_text = select(*full_text.c).subquery("matches")
        score = only_full_text.c.score.cast(Float) if ranked else literal(0.0, Float)
        return SearchMatches(ids=only_full_text, relevance=score, found=found)
    enough = constant(MIN_FULL_TEXT_MATCHES)
    close_titles = candidates.where(
        found < enough, lowered.op("<%")(func.lower(Product.title))
    ).order_by(Product.published_at.desc(), Product.id.desc())
    ids = union(select(*full_text.c), _bounded(close_titles, limit)).subquery("matches")
    if not ranked:
        return SearchMatches(ids=ids, relevance=literal(0.0, Float))
    # Word similarity only where it can change the order: without typo matches every
    # candidate is a full-text match, which the weighted full-text rank orders.
    closeness = case(
        (found < enough, func.word_similarity(lowered, func.lower(ids.c.title))),
        else_=constant(0.0, Float()),
    )
    return SearchMatches(ids=ids, relevance=(ids.c.score + closeness).cast(Float))


MIN_TRIGRAM_WORD = 3
TITLE_WEIGHT, DESCRIPTION_WEIGHT = 10.0, 1.0


def sqlite_fts_query(query: str) -> str | None:
    """Every word of 3+ characters as a quoted substring term (the trigram tokenizer cannot
    match shorter ones); quoting keeps user text out of FTS5's query syntax."""
    words = [word for word in search_words(query) if len(word) >= MIN_TRIGRAM_WORD]
    if not words:
        return None
    return " ".join(f'"{word}"' for word in words)


def sqlite_matches(candidates: Select[Any], limit: int | None) -> SearchMatches:
    """FTS5 joined on the products rowid, in rowid order; bm25 ranks (lower is better, so
    negate)."""
    # Column weights as on PostgreSQL (title 'A' over description 'B'): without them a short
    # description that mentions the word once outranks a title match.
    score = func.bm25(literal_column("products_fts"), TITLE_WEIGHT, DESCRIPTION_WEIGHT)
    fts_query = bindparam("search_fts_query", type_=String)
    matched = (
        candidates.join(
            _products_fts,
            literal_column("products_fts.rowid") == literal_column("products.rowid"),
        )
        .where(literal_column("products_fts").op("MATCH")(fts_query))
        .add_columns((-score).cast(Float).label("score"))
    )
    ids = _bounded(matched, limit).subquery("matches")
    return SearchMatches(ids=ids, relevance=ids.c.score)


def _bounded(query: Select[Any], limit: int | None) -> Select[Any]:
    """``query`` limited, wrapped so it can stand inside a UNION on every engine."""
    if limit is None:
        return query
    limited = query.limit(constant(limit)).subquery()
    return select(*limited.c)
