"""Building blocks every view uses: ids, graphs, empty/error states and the view input."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from modelmap.errors import ModelmapError
from modelmap.ui import _theme
from modelmap.ui._data import Table, UIData

log = logging.getLogger("modelmap.ui")

#: Inputs every data view listens to (see :func:`view_inputs`).
SELECTION, COLOUR, SETTINGS = "mm-selection", "mm-colour", "mm-settings"
#: The ticked classifiers (a list of result ids, in the order ticked) that Comparison
#: compares: Comparison's list, a lasso or box on the Map or in Ranking set it.
PICKED = "mm-picked"


def vis_id(view: str) -> dict[str, str]:
    """Id of the store that says whether ``view`` is on screen (set in the browser)."""
    return {"type": "mm-vis", "view": view}


def graph(name: str, *, linked: bool = True, height: str | None = None,
          receives: bool = False, **props: Any) -> dcc.Graph:
    """A chart; ``linked`` charts take part in hover highlighting and click-to-open,
    ``receives`` charts only show the highlight (their points are not classifiers)."""
    style = {"height": height} if height else {}
    marked = linked or receives
    return dcc.Graph(id={"type": "mm-linked" if linked else "mm-graph", "name": name},
                     figure={"data": [], "layout": {}}, clear_on_unhover=True,
                     config={"displaylogo": False}, style=style,
                     className=("mm-chart mm-linked-chart" + (" mm-hover-source" if linked else "")
                                if marked else "mm-chart"), **props)


def state(text: str, *, kind: str = "secondary", icon: str = "i") -> html.Div:
    """An empty or error state: a short sentence on what is missing and what to do."""
    return html.Div([html.Span(icon, className=f"mm-state-icon text-{kind}"),
                     html.Span(text)], className=f"mm-state border-{kind}")


def error_text(exc: BaseException) -> str:
    if isinstance(exc, ModelmapError):
        return exc.message + (f" ({exc.hint})" if exc.hint else "")
    return f"{type(exc).__name__}: {exc}"


def control(label: str, component: Any, width: str | None = None) -> html.Div:
    """A labelled toolbar control."""
    style = {"minWidth": width} if width else {}
    return html.Div([html.Label(label, className="mm-control-label"), component],
                    className="mm-control", style=style)


#: What each view is for, in one line (shown under its title).
LEADS = {
    "menu": "Open a job and choose which methods to show.",
    "filter": "Narrow the classifiers every view shows: status, title, conditions on any field.",
    "table": "Every selected classifier with its numbers: sort, filter, search, export.",
    "ranking": "Which classifiers score best, column by column, and how they move between "
               "scores.",
    "map": "Which classifiers predict alike: close points make the same predictions.",
    "plot": "How parameters go with scores: any field against any other, association and "
            "importance.",
    "time": "What each extra second of training buys: score against time, with the Pareto "
            "front.",
    "summary": "One classifier in full: scores, times, parameters, confusion matrix, history.",
    "history": "How the selected classifiers learned, epoch by epoch.",
    "comparison": "The ticked classifiers pair by pair, and two side by side: is their "
                  "difference more than chance?",
    "across": "The same classifiers over several jobs (data sets): average ranks and the "
              "critical-difference diagram.",
    "data": "The samples: classes, a projection, and which ones the classifiers get wrong.",
    "settings": "Theme, colours and chart export, kept in this browser.",
    "help": "How each view works, and every plugin with its parameters.",
}


def container(view: str, title: str, controls: list[Any], body: Any,
              note_id: str | None = None) -> html.Div:
    """The frame of one view: title, its one-line purpose, controls, a loading body and a
    note line."""
    note = [html.Div(id=note_id, className="mm-note")] if note_id else []
    lead = LEADS.get(view)
    heading = html.Div([html.H2(title, className="mm-view-title"),
                        html.Div(lead, className="mm-lead") if lead else None])
    return html.Section([
        dcc.Store(id=vis_id(view), data=False),
        html.Header([heading, html.Div(controls, className="mm-controls")],
                    className="mm-view-header"),
        *note,
        dcc.Loading(html.Div(body, className="mm-view-body"), type="dot", delay_show=400,
                    parent_className="mm-loading", color="#6c757d"),
    ], id={"type": "mm-view", "view": view}, className="mm-view", style={"display": "none"},
        **{"data-view": view})


@dataclass
class ViewInput:
    """What a data view renders: the job's table, the selected rows in toolbar order,
    their colours and the settings."""

    table: Table
    rows: list[dict[str, Any]]
    colours: _theme.Colouring
    settings: dict[str, str]
    sort: str | None


def view_input(data: UIData, selection: dict | None, colour: str | None,
               settings: dict | None) -> ViewInput | str:
    """The :class:`ViewInput`, or a sentence saying why there is nothing to show."""
    chosen = _theme.settings_of(settings)
    if not selection or selection.get("job") is None:
        return "Pick a job in the Menu (or the job list at the top) to see its classifiers."
    table = data.table(int(selection["job"]))
    rows = table.rows(selection.get("ids") or [])
    if not table.items:
        return "This job has no results yet. Run it with `modelmap run`; they appear here."
    if not rows:
        return "No classifier passes the current filters. Loosen them in Filter or Menu."
    colours = _theme.colouring(rows, colour or "method", chosen, table.base_rows())
    return ViewInput(table, rows, colours, chosen, selection.get("sort"))


def guarded(fallback: Callable[[str], Any]) -> Callable:
    """Run a render function; on an error, answer ``fallback(message)`` instead of raising
    (a view shows what went wrong rather than a blank or stale screen)."""

    def wrap(render: Callable) -> Callable:
        @functools.wraps(render)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return render(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown to the user, and logged
                if not isinstance(exc, ModelmapError):
                    log.exception("view %s failed", render.__name__)
                return fallback(error_text(exc))

        return run

    return wrap


def badge(text: str, colour: str = "secondary") -> dbc.Badge:
    return dbc.Badge(text, color=colour, className="me-1 mm-badge")


def fmt(value: Any, digits: int = 3) -> str:
    """A short, readable number (or the value as text)."""
    if isinstance(value, bool) or value is None:
        return "–" if value is None else str(value)
    if isinstance(value, float):
        if value != value:
            return "–"
        if value != 0 and (abs(value) < 10 ** -digits or abs(value) >= 10 ** 6):
            return f"{value:.{digits}g}"
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if "." in f"{value:.{digits}f}" \
            else f"{value}"
    return str(value)


def url_param(search: str | None, name: str, default: Any = None, kind: str = "text") -> Any:
    """The address's ``name`` parameter (``?job=3&sort=fit_time&rank=a,b``) as the browser
    decodes it (``decode`` in ``modelmap.js``): ``kind`` ``"text"``, ``"id"`` (a whole
    number, else ``default``) or ``"list"`` (comma-separated, each item URL-decoded); a
    parameter that is absent is ``default``."""
    from urllib.parse import parse_qs, unquote

    value = parse_qs((search or "").lstrip("?")).get(name, [None])[0]
    if value is None:
        return default
    if kind == "id":
        return int(value) if value.isdigit() else default
    if kind == "list":
        return [unquote(item) for item in value.split(",")] if value else []
    return value


def first_job_of_link(search: str | None, job: Any, answered_for: Any) -> bool:
    """Whether ``job`` is the job the page opened with from the address and the callback
    has not answered for a job yet (``answered_for`` is None): its controls then take
    their values from the address, whichever of the address's restore and the job's
    first answer reaches the browser first."""
    return answered_for is None and job is not None and job == url_param(search, "job",
                                                                         kind="id")
