from datetime import UTC, datetime, timedelta

from babel.dates import format_datetime

from marketplace.core.formatting import WIB, format_wib
from marketplace.core.i18n import Language

LOCALES = {Language.INDONESIAN: "id_ID", Language.ENGLISH: "en_US"}


def test_times_are_shown_in_wib_as_babel_formats_them_in_both_languages() -> None:
    # every month, hours either side of midnight WIB, single-digit days and minutes
    start = datetime(2026, 1, 1, 16, 5, tzinfo=UTC)
    moments = [
        start + timedelta(days=day, hours=hour) for day in range(0, 370, 9) for hour in (0, 7, 9)
    ]
    for moment in moments:
        for language, locale in LOCALES.items():
            expected = format_datetime(moment.astimezone(WIB), "d MMM yyyy HH.mm", locale=locale)
            assert format_wib(moment, language) == f"{expected} WIB"
    assert format_wib(datetime(2026, 12, 3, 8, 0, tzinfo=UTC)) == "3 Des 2026 15.00 WIB"
    assert format_wib(datetime(2026, 8, 17, 0, 7, tzinfo=UTC), Language.ENGLISH) == (
        "17 Aug 2026 07.07 WIB"
    )
