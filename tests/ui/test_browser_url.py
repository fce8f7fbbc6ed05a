"""Shareable state (issue 14, part B), in Chromium: the job, the views, the selection and
the views' options live in the address; a link opened in a new tab (no session state)
restores every control.  Each test fails on any browser console error."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.ui.browser import (beside, new_tab, open_job, pick, screenshot, settle, view,
                              wait_chart)

pytestmark = pytest.mark.slow


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_link_restores_the_selection_and_every_views_options(page, ui_store):
    open_job(page, "Iris")
    pick(page, "mm-sort", "fit time")
    settle(page)
    page.click("#mm-sort-desc")  # worst first
    pick(page, "mm-colour", "status")
    page.fill("#mm-top-n", "12")
    page.press("#mm-top-n", "Enter")
    settle(page)
    view(page, "ranking")
    pick(page, "mm-rank-group", "method")
    settle(page)
    view(page, "map")
    wait_chart(page, "map")
    pick(page, "mm-map-projection", "MDS")
    settle(page)
    view(page, "comparison")
    settle(page)
    pick(page, "mm-compare-alpha", "α = 0.01")
    page.click("#mm-compare-many")  # untick the last ticked classifier
    page.get_by_role("option", selected=True).last.click()
    page.keyboard.press("Escape")
    settle(page)
    beside(page, "across")
    page.click("#mm-across-by input[value=title]")
    settle(page)
    shown = {sel: page.inner_text(sel) for sel in (
        "#mm-sort", "#mm-sort-desc", "#mm-colour", "#mm-rank-group", "#mm-map-projection",
        "#mm-compare-alpha", "#mm-compare-many", "#mm-selection-count")}
    assert shown["#mm-sort-desc"] == "worst first" and shown["#mm-selection-count"].startswith(
        "12 of")
    link = page.url
    expected = params(link)
    assert {"sort", "flip", "colour", "top", "group", "proj", "alpha", "pick", "by"} <= set(
        expected), expected
    assert len(expected["pick"][0].split(",")) == 9
    fresh, errors = new_tab(page)  # a new tab: no session state, only the link
    try:
        fresh.goto(link)
        fresh.wait_for_selector("section.mm-view[data-view=comparison]", state="visible")
        fresh.wait_for_selector("section.mm-view[data-view=across]", state="visible")
        fresh.wait_for_function("() => document.getElementById('mm-selection-count')"
                                ".textContent.startsWith('12 of')")
        settle(fresh, quiet_ms=800)
        again = {sel: fresh.inner_text(sel) for sel in shown}
        assert again == shown
        assert fresh.input_value("#mm-top-n") == "12"
        assert fresh.locator("#mm-across-by input[value=title]").is_checked()
        # every control came back as it was, Ranking's columns and Plot's axes in views
        # that are not shown included (the first job's answer takes them from the address)
        assert params(fresh.url) == expected
        screenshot(fresh, "url-restored")
    finally:
        fresh.close()
    assert errors == []
