"""A store filled by really running the example jobs (plus small jobs for the empty and
error states), the app served on 127.0.0.1, and Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import modelmap

EXAMPLES = Path(modelmap.__file__).parent / "examples" / "jobs"
CHROMIUM = os.environ.get("MODELMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui"
_IRIS = {"title": "Iris", "dataset": "sklearn_iris", "test_size": 0.2, "random_state": 42}

#: Small jobs made here for the states the examples do not reach.
EXTRA_JOBS = [
    {"data": {**_IRIS, "title": "All failed"},
     "classifiers": [{"title": "Broken {C}", "method": "sklearn", "estimator": "sklearn.svm.SVC",
                      "C": {"is_meta": True, "values": [-1.0, -2.0]}}]},
    {"data": {**_IRIS, "title": "One classifier"},
     "projections": [{"title": "PCA", "method": "pca"}],
     "classifiers": [{"title": "KNN 3", "method": "kneighbors", "n_neighbors": 3}]},
    {"data": {**_IRIS, "title": "No test set", "test_size": 0},
     "projections": [{"title": "PCA", "method": "pca"}],
     "classifiers": [{"title": "Naive", "method": "naive"},
                     {"title": "KNN 3", "method": "kneighbors", "n_neighbors": 3}]},
    {"data": {**_IRIS, "title": "Growing"},  # the browser test adds results while it looks
     "classifiers": [{"title": "Naive", "method": "naive"}]},
]
EXAMPLE_JOBS = ("iris.json", "multi_label.json", "digits_cross_validation.json")


def build_store(path: Path) -> Path:
    """Run the example jobs and :data:`EXTRA_JOBS` into a new store (one worker pool)."""
    from modelmap.batch import Batch
    from modelmap.execution import LocalExecutor
    from modelmap.jobs import load_job
    from modelmap.plugins import Registry

    registry = Registry.discover(None)
    jobs = [EXAMPLES / name for name in EXAMPLE_JOBS] + EXTRA_JOBS
    with warnings.catch_warnings(), modelmap.Store(path) as store, LocalExecutor(2) as pool:
        warnings.simplefilter("ignore")
        batch = Batch(store, registry, executor=pool)
        for job in jobs:
            batch.run(load_job(job, registry=registry))
    return path


@pytest.fixture(scope="session")
def ui_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("ui") / "ui.db")


@pytest.fixture(scope="session")
def ui_store(ui_store_path: Path) -> Iterator[modelmap.Store]:
    with modelmap.Store(ui_store_path) as store:
        yield store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """The API and the web app on a free 127.0.0.1 port, in a background thread."""

    def __init__(self, store: modelmap.Store, **options: object) -> None:
        """``options`` go to ``create_app`` (``host="0.0.0.0", token=...`` builds the app as
        ``serve --host 0.0.0.0`` does, still served on 127.0.0.1)."""
        import uvicorn

        from modelmap.app import create_app
        from modelmap.ui import mount

        app = create_app(store, **options)
        if not any(getattr(r, "name", None) == "ui" for r in app.routes):
            mount(app, store)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def served(ui_store: modelmap.Store) -> Iterator[Served]:
    with Served(ui_store) as running:
        yield running


def chromium_or_skip() -> str:
    """The system Chromium; tests skip without it, except in CI where they must run."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; CI must install chromium (apt-get install "
                    "chromium chromium-driver)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); set CI=1 to "
                "make this an error")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api") if not os.environ.get("CI") else \
        __import__("playwright.sync_api", fromlist=["sync_playwright"])
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def browser_context(browser) -> Iterator[object]:
    """One browser profile for the session (its cache makes each page load fast)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900},
                                  accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(browser_context, served: Served, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser tab on the app; the test fails on any console error."""
    tab = browser_context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    pending = {"n": 0}

    def started(req: object) -> None:
        pending["n"] += "_dash-update-component" in req.url

    def ended(req: object) -> None:
        pending["n"] -= "_dash-update-component" in req.url

    tab.on("request", started)
    tab.on("requestfinished", ended)
    tab.on("requestfailed", ended)
    tab.mm_pending = pending
    tab.set_default_timeout(20_000)
    tab.goto(served.url + "/")
    tab.wait_for_selector(".mm-navbar")
    yield tab
    tab.close()
    assert errors == [], f"browser console errors in {request.node.name}: {errors}"
