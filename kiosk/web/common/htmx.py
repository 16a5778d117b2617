"""What screens answer htmx with: a whole-page redirect, and headers for pages that differ for htmx."""

from __future__ import annotations

from flask import Response


def hx_redirect(url: str, status: int = 204, body: str = "") -> Response:
    """Load `url` as a whole page (htmx follows HX-Redirect; a raw 302 would be swapped into the page)."""
    return Response(body, status=status, headers={"HX-Redirect": url})


def no_store(response: Response) -> Response:
    """An address answers a partial to htmx and a page to a reload, and holds what is not for a browser's cache
    (a citizen's declaration, the console's queue): an after-request hook of the screens."""
    response.vary.add("HX-Request")
    response.headers["Cache-Control"] = "no-store"
    return response
