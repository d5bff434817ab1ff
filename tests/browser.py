"""A real Chromium for the tests that judge pages: Debian's `chromium`, driven by Playwright.

Playwright cannot download its own browsers here, so it launches the system executable. Pages are
checked the way a reader meets them: no sideways scrolling at phone width, no serious or critical
axe-core violation, and a screenshot kept under `PRACTICES_TEST_ARTIFACTS` (default
`.test-artifacts/` in the checkout) whenever a check fails, for a human to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")
# Headless in a closed network: without these Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def chromium_executable() -> str | None:
    """The system Chromium, or None when it is not installed."""
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def artifacts_dir() -> Path:
    """Where screenshots of failed page checks go (created on first use)."""
    path = Path(os.environ.get("PRACTICES_TEST_ARTIFACTS", REPO / ".test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _artifact_name(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-")[:120] or "page"


def keep_screenshot(page: Page, label: str) -> Path:
    """Save a full-page screenshot named after `label`; returns its path."""
    target = artifacts_dir() / f"{_artifact_name(label)}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than its viewport (0: it does not scroll sideways)."""
    width: int = page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body ? "
        "document.body.scrollWidth : 0) - document.documentElement.clientWidth"
    )
    return max(0, width)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations: list[dict[str, Any]] = results.response.get("violations", [])
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation and the first offending elements, for an assertion message."""
    lines = []
    for violation in violations:
        targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])[:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)


def assert_page_fits_and_is_accessible(page: Page, label: str) -> None:
    """The two checks every served or exported page gets; a screenshot is kept when one fails."""
    overflow = horizontal_overflow(page)
    violations = serious_violations(page)
    if overflow or violations:
        shot = keep_screenshot(page, label)
        problems = []
        if overflow:
            problems.append(f"scrolls sideways by {overflow} px at {page.viewport_size}")
        if violations:
            problems.append(describe_violations(violations))
        pytest.fail(f"{label}: " + "; ".join(problems) + f" (screenshot: {shot})")


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1", "yes"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session; skipped without one, except on CI where it fails."""
    executable = chromium_executable()
    if executable is None:
        reason = "chromium is not installed (apt-get install chromium)"
        if _on_ci():
            pytest.fail(reason + " but CI=true requires it")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            yield launched
        finally:
            launched.close()
