"""A browser tab that records what a page requests and reports, for the tests run in Chromium."""

from __future__ import annotations

from urllib.parse import urlsplit

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


class Watched:
    """A page with every request, failed request and console error recorded."""

    def __init__(self, browser, viewport="desktop", **context_options):
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], **context_options)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("requestfailed", self._failed)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on(
            "console", lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None
        )
        self.page.on(
            "response",
            lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )

    def _failed(self, request):
        # A request the browser itself cancels when the page navigates on (the favicon, during
        # instant navigation on a busy machine) is no fault of the site; a missing file answers 404.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def open(self, url):
        # Until "load": every resource the page names has been requested, so outside requests show up.
        self.page.goto(url, wait_until="load")
        return self.page

    def forget(self):
        """Start a new record: what earlier pages of this tab requested or reported is not this one's."""
        self.requests.clear()
        self.problems.clear()

    def outside_requests(self):
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"
        ]

    def close(self):
        self.context.close()
