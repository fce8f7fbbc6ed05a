"""Menu (issue 14, part B), in Chromium: per-fold results in the listing, deleting a job or
the selected classifiers after a confirmation (cancel keeps them), and no deleting on a
non-loopback bind.  Each test fails on any browser console error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.ui.browser import open_job, screenshot, selected_count, settle, view
from tests.ui.conftest import Served

pytestmark = pytest.mark.slow
SHOTS = Path("/tmp/shots-14b")


def card(page: Any, title: str) -> Any:
    name = page.locator(".mm-job-title", has_text=re.compile("^" + re.escape(title) + "$"))
    return page.locator(".mm-job-card").filter(has=name)


def shot(page: Any, name: str) -> None:
    path = screenshot(page, name)
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)


def test_include_per_fold_results_adds_them_to_the_listing(page, ui_store):
    rows = ui_store.result_rows("Digits CV")
    n_base = sum(r["fold"] is None for r in rows)
    assert len(rows) > n_base  # the example keeps per-fold results
    open_job(page, "Digits CV")
    view(page, "table")
    page.wait_for_function("(n) => window.dash_ag_grid && dash_ag_grid.getApi('mm-grid')"
                           " && dash_ag_grid.getApi('mm-grid').getDisplayedRowCount() === n",
                           arg=n_base)
    view(page, "menu")
    page.click("label[for=mm-folds]")
    view(page, "table")
    page.wait_for_function("(n) => dash_ag_grid.getApi('mm-grid').getDisplayedRowCount()"
                           " === n", arg=len(rows))
    view(page, "menu")
    page.click("label[for=mm-folds]")
    settle(page)


def test_deleting_a_job_asks_first_cancel_keeps_it_confirm_removes_it(page, ui_store):
    from tests.ui.synthetic import fill

    fill(ui_store, 5, "Delete me")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.reload()
    page.wait_for_selector(".mm-navbar")
    view(page, "menu")
    card(page, "Delete me").get_by_role("button", name="Delete").click()
    page.wait_for_selector("#mm-delete-modal", state="visible")
    assert "Delete the job Delete me with its 5 results" in page.inner_text("#mm-delete-text")
    shot(page, "menu-delete-job-light")
    page.click("#mm-delete-cancel")
    page.wait_for_selector("#mm-delete-modal", state="hidden")
    settle(page)
    assert ui_store.job("Delete me") is not None and card(page, "Delete me").count() == 1
    card(page, "Delete me").get_by_role("button", name="Delete").click()
    page.wait_for_selector("#mm-delete-modal", state="visible")
    page.click("#mm-delete-confirm")
    page.wait_for_selector("#mm-delete-modal", state="hidden")
    page.wait_for_function("() => ![...document.querySelectorAll('.mm-job-title')]"
                           ".some(e => e.textContent === 'Delete me')")
    assert ui_store.job("Delete me") is None


def test_deleting_the_selected_classifiers_refreshes_the_views(page, ui_store):
    from tests.ui.synthetic import fill

    if ui_store.job("Delete some") is None:
        fill(ui_store, 14, "Delete some")
    page.reload()
    page.wait_for_selector(".mm-navbar")
    open_job(page, "Delete some")
    page.fill("#mm-top-n", "3")
    page.press("#mm-top-n", "Enter")
    page.wait_for_function("() => document.getElementById('mm-selection-count')"
                           ".textContent === '3 of 14 selected'")
    page.click("#mm-delete-results")
    page.wait_for_selector("#mm-delete-modal", state="visible")
    assert "Delete 3 classifiers of Delete some" in page.inner_text("#mm-delete-text")
    page.click("#mm-delete-cancel")
    page.wait_for_selector("#mm-delete-modal", state="hidden")
    assert len(ui_store.result_rows("Delete some")) == 14
    page.click("#mm-delete-results")
    page.wait_for_selector("#mm-delete-modal", state="visible")
    page.click("#mm-delete-confirm")
    page.wait_for_function("() => document.getElementById('mm-selection-count')"
                           ".textContent === '3 of 11 selected'")
    assert len(ui_store.result_rows("Delete some")) == 11
    page.fill("#mm-top-n", "")
    page.press("#mm-top-n", "Enter")
    page.wait_for_function("() => document.getElementById('mm-selection-count')"
                           ".textContent === '11 of 11 selected'")
    assert selected_count(page) == (11, 11)


def test_on_a_non_loopback_bind_delete_is_disabled_with_the_reason(browser, ui_store):
    with Served(ui_store, host="0.0.0.0", token="t0ken") as served:  # serve --host 0.0.0.0
        tab = browser.new_page(viewport={"width": 1440, "height": 900})
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            tab.goto(served.url + "/")
            tab.wait_for_selector(".mm-job-card")
            tab.wait_for_function("() => document.getElementById('mm-delete-reason')"
                                  ".textContent.startsWith('Deleting is off')")
            assert tab.is_disabled("#mm-delete-results")
            buttons = tab.locator(".mm-job-card button", has_text=re.compile("^Delete$"))
            assert buttons.count() >= 1 and all(
                buttons.nth(k).is_disabled() for k in range(buttons.count()))
            shot(tab, "menu-read-only-light")
        finally:
            tab.close()
        assert errors == []
