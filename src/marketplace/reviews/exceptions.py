"""Errors of reviews."""

from __future__ import annotations

from marketplace.core.errors import Conflict, Forbidden, NotFound


class ReviewNotAllowed(Forbidden):
    """No delivered seller-order of the caller holds the product."""

    problem = "review-not-allowed"


class ReviewExists(Conflict):
    problem = "review-exists"


class ReviewNotFound(NotFound):
    problem = "review-not-found"


class AlreadyReplied(Conflict):
    problem = "review-already-replied"


class TooManyReviewPhotos(Conflict):
    problem = "too-many-review-photos"
