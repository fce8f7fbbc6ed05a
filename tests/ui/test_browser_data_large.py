"""The Data view of a 100,000-sample job in Chromium: the sampling note is shown, the
points are WebGL, nothing logs an error; screenshots in both themes at 1440 x 900."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import modelmap
from tests.ui.browser import GD, open_job, settle, view, wait_chart
from tests.ui.conftest import Served
from tests.ui.large import TITLE, build_large_store

pytestmark = pytest.mark.slow
SHOTS = Path(os.environ.get("MODELMAP_SHOTS", "/tmp/shots-16"))


@pytest.fixture(scope="module")
def large_served(tmp_path_factory) -> Iterator[Served]:
    path = build_large_store(tmp_path_factory.mktemp("large-ui") / "large.db")
    with modelmap.Store(path) as store, Served(store) as running:
        yield running


@pytest.fixture
def large_page(browser, large_served: Served) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    pending = {"n": 0}
    tab.on("request", lambda r: pending.__setitem__(
        "n", pending["n"] + ("_dash-update-component" in r.url)))
    for event in ("requestfinished", "requestfailed"):
        tab.on(event, lambda r: pending.__setitem__(
            "n", pending["n"] - ("_dash-update-component" in r.url)))
    tab.mm_pending = pending
    tab.set_default_timeout(60_000)
    tab.goto(large_served.url + "/")
    tab.wait_for_selector(".mm-navbar")
    yield tab
    context.close()
    assert errors == [], f"browser console errors: {errors}"


def samples_traces(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(f"""() => {{
      const gd = ({GD})("samples");
      return (gd.data || []).map(t => ({{type: t.type, n: (t.x || []).length}}));
    }}""")


def show_data(page: Any) -> list[dict[str, Any]]:
    view(page, "data")
    wait_chart(page, "samples", timeout=60_000)
    page.wait_for_function("() => (document.getElementById('mm-data-note') || {})"
                           ".textContent?.startsWith('Showing')")
    settle(page, quiet_ms=800, timeout_ms=60_000)
    page.wait_for_timeout(500)  # WebGL draws after the figure is set
    return samples_traces(page)


def test_the_data_view_of_100000_samples_is_sampled_and_drawn_with_webgl(large_page):
    page = large_page
    open_job(page, TITLE)
    traces = show_data(page)
    points = [t for t in traces if t["n"]]
    assert [t["type"] for t in points] == ["scattergl", "scattergl"]
    assert sum(t["n"] for t in points) == 20_000
    note = page.inner_text("#mm-data-note")
    assert page.locator("#mm-data-note").is_visible()
    assert note.startswith("Showing 20,000 of 100,000 samples (4,000 of 20,000 test, "
                           "16,000 of 80,000 train): sampled above 20,000")
    assert "of all 20,000" in note and "not counted" in note
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "data-100000-bright.png"))
    view(page, "settings")
    page.click("#mm-set-theme input[value=dark]")
    page.wait_for_function("() => document.documentElement.getAttribute('data-bs-theme')"
                           " === 'dark'")
    traces = show_data(page)
    assert [t["type"] for t in traces if t["n"]] == ["scattergl", "scattergl"]
    page.screenshot(path=str(SHOTS / "data-100000-dark.png"))
