"""Headless Chromium (Debian's package) driven by Playwright, with the network blocked.

Every request that would leave the machine is aborted and recorded, so a test can assert
that a page rendered fully from disk or loopback. Playwright never downloads a browser here:
it is pointed at /usr/bin/chromium.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@dataclass
class Traffic:
    blocked: list[str] = field(default_factory=list)  # requests that tried to leave the machine
    failed: list[str] = field(default_factory=list)  # requests that failed for any reason


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Debian's chromium is not installed (make test installs it with apt-get when run as root)")
    return path


@contextmanager
def offline_page(viewport: dict | None = None) -> Iterator[tuple[object, Traffic]]:
    from playwright.sync_api import sync_playwright

    traffic = Traffic()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})

            def guard(route) -> None:
                url = urlparse(route.request.url)
                if url.scheme in ("file", "data", "blob", "about") or url.hostname in LOCAL_HOSTS:
                    route.continue_()
                else:
                    traffic.blocked.append(route.request.url)
                    route.abort()

            context.route("**/*", guard)
            page = context.new_page()
            page.on("requestfailed", lambda req: traffic.failed.append(req.url))
            yield page, traffic
        finally:
            browser.close()
