"""Admin console HTML: autoescaped Jinja2 templates under ``templates/console/admin/`` with
one inline stylesheet, allowed by its hash in a strict Content-Security-Policy; pages are
for one admin only, so never stored by caches."""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from starlette.responses import Response

from marketplace.config import Settings
from marketplace.core.formatting import format_rupiah, format_wib
from marketplace.core.i18n import Language
from marketplace.core.templating import environment, templates_dir

if TYPE_CHECKING:
    from marketplace.consoles.admin_access import AdminConsole

STYLES = Markup((templates_dir() / "console" / "admin" / "admin.css").read_text(encoding="utf-8"))
STYLES_SOURCE = f"'sha256-{base64.b64encode(hashlib.sha256(STYLES.encode()).digest()).decode()}'"
CONTENT_POLICY = "; ".join(
    (
        "default-src 'none'",
        "img-src 'self' data:",
        f"style-src {STYLES_SOURCE}",
        "script-src 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)


def render_page(console: AdminConsole, template: str, **context: Any) -> str:
    language = console.language

    def when(moment: Any) -> str:
        return format_wib(moment, language) if moment is not None else "-"

    return (
        environment()
        .get_template(f"console/admin/{template}")
        .render(
            t=console.t,
            url=console.url,
            console=console,
            lang=language.value,
            styles=STYLES,
            csrf=console.csrf,
            rupiah=format_rupiah,
            when=when,
            **context,
        )
    )


def page_response(settings: Settings, html: str, language: Language, status_code: int) -> Response:
    headers = {
        "Content-Security-Policy": CONTENT_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "private, no-store",
        "Content-Language": language.value,
        "X-Frame-Options": "DENY",
    }
    return Response(html, status_code=status_code, media_type="text/html", headers=headers)
