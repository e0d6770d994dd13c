"""Which listed products can still be among the top ones: the bound that lets the marketplace's
top products be summed exactly for a few candidates instead of every listed one."""

from __future__ import annotations

from datetime import date

from marketplace.reports.market import LeaderLists

MONTH, FIRST_DAY, SECOND_DAY = date(2026, 6, 1), date(2026, 5, 30), date(2026, 5, 31)
# Lists two deep: a month and a day are full, the other day is short (all it sold)
LEADERS = [
    ("month", MONTH, "pepper", 100),
    ("month", MONTH, "honey", 90),
    ("day", FIRST_DAY, "tin", 50),
    ("day", FIRST_DAY, "pepper", 10),
    ("day", SECOND_DAY, "tin", 5),
]


def test_a_product_whose_most_is_below_the_leaders_least_is_left_out() -> None:
    lists = LeaderLists.of(LEADERS, depth=2)

    # pepper: at least 110 (month 100 + day 10), at most 110 (the short day holds all it sold);
    # honey: at least 90, at most 90 + the full day's last entry 10 = 100, below 110;
    # tin: at least 55, at most 55 + the month's last entry 90 = 145
    assert lists.could_lead(1) == ["pepper", "tin"]
    # a second place needs 90: honey can reach it
    assert lists.could_lead(2) == ["honey", "pepper", "tin"]
    # what a product in no list grossed at most: the full lists' last entries
    assert lists.unlisted_most == 90 + 10


def test_with_short_lists_only_a_products_least_is_its_most() -> None:
    lists = LeaderLists.of(LEADERS, depth=3)

    assert lists.last_gross == {}
    assert lists.could_lead(1) == ["pepper"]  # every list is complete: sums are exact
    assert lists.could_lead(5) == ["honey", "pepper", "tin"]


def test_a_tie_with_the_last_leader_is_kept() -> None:
    tied = [("month", MONTH, "pepper", 100), ("month", MONTH, "honey", 100)]

    assert LeaderLists.of(tied, depth=2).could_lead(1) == ["honey", "pepper"]
