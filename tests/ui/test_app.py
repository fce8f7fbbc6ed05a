"""The web app without a browser: mounting, assets, the data layer, figures and CSV."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import numpy as np
import pytest

from modelmap import queries
from modelmap.ui import _theme
from modelmap.ui._data import UIData, fields_of, flatten, label
from modelmap.ui._state import table_csv
from modelmap.ui.views import VIEWS, _comparison, _data, _plot, _ranking
from modelmap.ui.views._common import view_input


@pytest.fixture(scope="module")
def client(ui_store):
    from fastapi.testclient import TestClient

    from modelmap.app import create_app
    from modelmap.ui import mount

    app = create_app(ui_store)
    mount(app, ui_store)
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.fixture(scope="module")
def data(ui_store) -> UIData:
    return UIData(ui_store)


def selection(data: UIData, title: str) -> dict:
    job = data.store.job(title)
    ids = data.select(job["id"], methods=None, statuses=["ok", "failed", "timeout"], filters=[],
                      q=None, sort="-test_accuracy,title", include_folds=False)
    return {"job": job["id"], "ids": ids, "sort": "test_accuracy"}


def test_app_is_served_at_the_root_and_the_api_stays_under_api(client):
    page = client.get("/")
    assert page.status_code == 200 and "<title>modelmap</title>" in page.text
    assert client.get("/api/health").json()["status"] == "ok"
    layout = client.get("/_dash-layout").json()
    assert "mm-navbar" in str(layout)


def test_no_asset_comes_from_the_internet(client):
    page = client.get("/").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    css = [s for s in sources if s.endswith(".css") or ".css?" in s]
    assert any("bootstrap.min.css" in s for s in css)
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_every_view_of_the_design_is_in_the_page(client):
    layout = str(client.get("/_dash-layout").json())
    for name, _ in VIEWS:
        assert f"'data-view': '{name}'" in layout
    for part in ("mm-statusbar", "mm-legend", "mm-beside", "mm-export", "mm-poll"):
        assert part in layout


def test_flat_fields_follow_the_store_columns(ui_store):
    frame = ui_store.results("Iris")
    item = {"id": 1, "title": "t", "method": "m", "status": "ok", "fold": None,
            "scores": {"test": {"accuracy": 0.5}, "test_std": {"accuracy": 0.1}},
            "times": {"fit": 1.0}, "args": {"C": 2}, "tags": {"round": 1}}
    flat = flatten(item)
    assert flat["test_accuracy"] == 0.5 and flat["test_std_accuracy"] == 0.1
    assert flat["fit_time"] == 1.0 and flat["param_C"] == 2 and flat["tag_round"] == 1
    fields = fields_of([flat])
    assert fields.scores == ["test_accuracy", "test_std_accuracy"]
    assert set(fields.params) == {"param_C", "tag_round"}
    assert {"test_accuracy", "fit_time"} <= set(frame.columns)
    assert label("param_C") == "C" and label("test_f1_macro") == "test f1 macro"


def test_selection_is_sorted_and_filtered_by_the_query_layer(data):
    chosen = selection(data, "Iris")
    rows = data.table(chosen["job"]).rows(chosen["ids"])
    accuracies = [r["test_accuracy"] for r in rows]
    assert accuracies == sorted(accuracies, reverse=True)
    svm = data.select(chosen["job"], methods=["svm"], statuses=["ok"], filters=["param_C>=1"],
                      q=None, sort=None, include_folds=False)
    table = data.table(chosen["job"])
    assert svm and all(table.flat[i]["method"] == "svm" and table.flat[i]["param_C"] >= 1
                       for i in svm)


def test_ranking_figure_has_one_bar_per_classifier_and_a_linked_line(data):
    given = view_input(data, selection(data, "Iris"), "method", None)
    columns = ["test_accuracy", "train_accuracy"]
    entities = _ranking._entities(given.rows, columns, "none", "mean")
    fig = _ranking.figure(entities, columns, given.colours, given.settings)
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [len(t["y"]) for t in bars] == [len(given.rows)] * 2
    assert sorted(bars[1]["y"]) == list(range(len(given.rows)))  # each column ranks all
    assert fig["data"][-1]["meta"]["mm"] == "highlight"
    assert fig["data"][-1]["meta"]["sources"] == [0]


def test_ranking_groups_by_method_with_a_representative(data):
    given = view_input(data, selection(data, "Iris"), "method", None)
    groups = _ranking._entities(given.rows, ["test_accuracy"], "method", "best")
    methods = {r["method"] for r in given.rows}
    assert len(groups) == len(methods)
    best_knn = max(r["test_accuracy"] for r in given.rows if r["method"] == "kneighbors")
    knn = next(g for g in groups if g["title"].startswith("kneighbors"))
    assert knn["values"][0] == best_knn
    assert given.table.flat[knn["id"]]["test_accuracy"] == best_knn


def test_categorical_axes_and_association_in_plot(data):
    given = view_input(data, selection(data, "Iris"), "method", None)
    fig = _plot.scatter(given, "method", "test_accuracy", None, 0.0)
    assert fig["layout"]["xaxis"]["tickmode"] == "array"
    assert all(float(x).is_integer() for x in fig["data"][0]["x"])  # no jitter asked
    matrix = _plot.association(given)["data"][0]
    assert any(y.startswith("method (η)") for y in matrix["y"])
    importance = _plot.importance(given, "test_accuracy")["data"][0]
    assert abs(sum(importance["x"]) - 1) < 1e-9


def test_hard_samples_count_the_wrong_classifiers(data):
    given = view_input(data, selection(data, "Iris"), "method", None)
    labels = data.projections(given.table.job["id"])
    projection = labels["projections"][0]
    fig, note = _data.samples_figure(data, given, projection, labels, "hard")
    hard = fig["data"][1]
    y_test = data.labels(given.table.job["id"])[1]
    ok = [r["id"] for r in given.rows if r["status"] == "ok"
          and r["method"] not in ("optimal", "naive")]  # references are not counted
    ids, preds = data.predictions(ok)
    assert hard["marker"]["color"] == (preds != y_test).sum(axis=0).tolist()
    lookup = fig["data"][-1]["meta"]["lookup"]
    assert lookup[str(ids[0])] == np.flatnonzero(preds[0] != y_test).tolist()
    assert "got each test sample wrong" in note and "not counted" in note
    counted, _ = _data.samples_figure(data, given, projection, labels, "hard", True)
    naive = next(r["id"] for r in given.rows if r["method"] == "naive")
    _, naive_pred = data.predictions([naive])
    assert counted["data"][1]["marker"]["color"] == (
        np.asarray(hard["marker"]["color"]) + (naive_pred[0] != y_test)).tolist()


def test_mcnemar_verdict_uses_out_of_fold_labels_for_cross_validation(data):
    chosen = selection(data, "Digits CV")
    a, b = (data.result(i) for i in chosen["ids"][:2])
    text = str(_comparison.verdict(data, a, b))
    assert "out-of-fold samples" in text and "p = " in text


def test_colouring_is_consistent_and_numeric_fields_get_a_scale():
    rows = [{"id": 1, "method": "svm", "x": 0.0}, {"id": 2, "method": "knn", "x": 1.0},
            {"id": 3, "method": "svm", "x": None}]
    settings = _theme.settings_of(None)
    by_method = _theme.colouring(rows, "method", settings)
    assert by_method.of(1) == by_method.of(3) != by_method.of(2)
    by_x = _theme.colouring(rows, "x", settings)
    assert by_x.kind == "numeric" and (by_x.low, by_x.high) == (0.0, 1.0)
    assert by_x.of(3) == _theme.MUTED["bright"]
    assert _theme.settings_of({"theme": "neon", "colormap": "plasma"})["theme"] == "bright"


def test_colours_are_stable_under_filtering_and_distinct_for_many_methods():
    every = [{"id": k, "method": f"method{k:02d}"} for k in range(14)]
    settings = _theme.settings_of(None)
    all_colours = _theme.colouring(every, "method", settings, every)
    assert len({all_colours.of(k) for k in range(14)}) == 14  # no repeats for 14 methods
    some = _theme.colouring(every[5:9], "method", settings, every)
    assert [some.of(k) for k in range(5, 9)] == [all_colours.of(k) for k in range(5, 9)]
    assert [name for name, _ in some.categories] == [f"method{k:02d}" for k in range(5, 9)]
    safe = _theme.colouring(every, "method", {**settings, "palette": "okabe-ito"}, every)
    assert safe.of(0) == "#E69F00"


def test_csv_of_the_table_keeps_order_and_defuses_formulas(data):
    chosen = selection(data, "Iris")
    table = data.table(chosen["job"])
    rows = table.rows(chosen["ids"])
    text = table_csv(rows, table.fields)
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["id"]) for r in parsed] == chosen["ids"]
    stored = {item["id"]: item["title"] for item in table.items}
    marked = list(csv.DictReader(io.StringIO(table_csv(rows, table.fields, stored))))
    optimal = next(r for r in marked if r["method"] == "optimal")
    assert (optimal["title"], optimal["shown_title"]) == ("🟊 Optimal", "★ Optimal")
    tricky = [{**rows[0], "title": "=HYPERLINK(1)"}]
    assert "'=HYPERLINK(1)" in table_csv(tricky, table.fields)


def test_help_is_a_handful_of_components_however_many_plugins(data):
    from dash.development.base_component import Component

    from modelmap.ui.views import _help

    def count(node) -> int:
        if isinstance(node, (list, tuple)):
            return sum(count(n) for n in node)
        if isinstance(node, Component):
            return 1 + count(getattr(node, "children", None))
        return 0

    info = data.info()
    body = _help.body(info)
    plugins = sum(len(info[k]) for k in ("classifiers", "datasets", "projections"))
    parameters = sum(len(e.get("parameters") or []) for k in ("classifiers", "datasets",
                                                              "projections") for e in info[k])
    # the Dash renderer pays for every component on each update: a component per table
    # cell (7 per parameter) made Help take 16-27 s to appear in the browser
    assert count(body) <= 3 * len(_help.USAGE) + 6 * plugins + 10 < 7 * parameters
    text = str(body)
    assert "kneighbors" in text and "n_neighbors" in text


def test_ranking_carries_the_compare_layers_intervals_and_ties(data):
    from modelmap import queries

    given = view_input(data, selection(data, "Iris"), "method", None)
    fig, _, _, note = _ranking._render(given, ["test_accuracy", "fit_time"], "none", "mean",
                                       data)
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    texts = [t for t in fig["data"] if (t.get("meta") or {}).get("mm") == "values"]
    answer = queries.compare_job(data.store, given.table.job["id"], score="test_accuracy")
    key_of = {item["id"]: item["key"] for item in given.table.items}
    by_key = {r["key"]: r for r in answer["rows"] + answer["references"]}
    unit = _ranking.BAR / 1.0  # scores in [0, 1] use the full scale
    for i, rid in enumerate(bars[0]["customdata"]):
        row = by_key[key_of[rid]]
        assert abs(bars[0]["error_x"]["array"][i] - (row["ci_high"] - row["score"]) * unit) \
            < 1e-9
        assert ("≈best" in texts[0]["text"][i]) == bool(row["tied_with_best"])
    assert answer["method"] in note
    assert "error_x" not in bars[1]  # only the first column's score is tested


def test_pairwise_takes_the_job_when_a_key_is_in_several_jobs(data):
    from tests.ui.synthetic import fill

    store = data.store
    for title in ("Twice A", "Twice B"):  # generated keys are the same in both jobs
        if store.job(title) is None:
            fill(store, 4, title, seed=1 if title.endswith("A") else 2)
    keys = [r["key"] for r in store.result_rows("Twice B")][:3]
    with pytest.raises(queries.InvalidQueryError, match="several jobs"):
        queries.compare_pairwise(store, keys)
    answer = queries.compare_pairwise(store, keys, job="Twice B")
    assert answer["job"] == "Twice B" and len(answer["p_holm"]) == 3
    other = queries.compare_pairwise(store, keys, job="Twice A")
    assert other["job"] == "Twice A"


def test_the_address_spec_names_every_control_once_with_its_layout_default(data):
    from modelmap.ui import _state, create_dash

    spec = _state.url_spec()
    assert len({e["param"] for e in spec}) == len(spec)  # one parameter per control
    kinds = {e["param"]: e["kind"] for e in spec}
    assert kinds["pick"] == "numbers" and kinds["top"] == "number" and kinds["folds"] == \
        "switch" and kinds["sort"] == "text" and kinds["status"] == "list"
    app = create_dash(data.store)
    defaults = dict(zip((e["param"] for e in spec), _state.layout_values(app.layout, spec)))
    assert defaults["proj"] == "pca" and defaults["alpha"] == 0.05 and defaults["by"] == "method"


def _callback(app: Any, first_output: str) -> Any:
    """The Python function of the callback whose outputs start with ``first_output``."""
    key = next(k for k in app.callback_map if k.startswith(f"..{first_output}."))
    return app.callback_map[key]["callback"].__wrapped__


def test_a_links_ranking_columns_and_plot_axes_win_over_the_first_job_answer(ui_store, data):
    """The first job's answer can reach the browser before the address's restore has set
    the controls (a slow machine): the callbacks then take the link's values themselves."""
    from dash import no_update

    from modelmap.ui._app import create_dash

    app = create_dash(ui_store)
    rank, axes = _callback(app, "mm-rank-columns"), _callback(app, "mm-plot-x")
    chosen = selection(data, "Iris")
    link = f"?job={chosen['job']}&rank=train_accuracy,fit_time&x=param_max_depth&y=fit_time"
    first = rank(chosen, "method", None, False, None, "auto", "mean", None, link)
    assert first[1] == ["train_accuracy", "fit_time"]
    plain = rank(chosen, "method", None, False, None, "auto", "mean", None, "")
    assert plain[1] == ["test_accuracy", "test_f1_macro", "train_accuracy"]  # the defaults
    later = rank(chosen, "method", None, False, ["fit_time"], "auto", "mean", first[0], link)
    assert later[1] is no_update  # after the first answer the dropdown's value counts
    x_opts, x, y_opts, y, *_ = axes(chosen, None, None, None, link)
    assert (x, y) == ("param_max_depth", "fit_time")
    assert axes(chosen, None, None, chosen["job"], link)[1:4:2] != ("param_max_depth",
                                                                    "fit_time")
