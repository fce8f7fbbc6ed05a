"""The ``modelmap`` command line (Typer): one module per command group."""

from __future__ import annotations

import typer

from modelmap.cli._cmd_cache import app as cache_app
from modelmap.cli._cmd_compare import EPILOG as COMPARE_EPILOG
from modelmap.cli._cmd_compare import compare
from modelmap.cli._cmd_setup import expand, init, plugins
from modelmap.cli._cmd_run import EPILOG as RUN_EPILOG
from modelmap.cli._cmd_run import run
from modelmap.cli._cmd_serve import EPILOG as SERVE_EPILOG
from modelmap.cli._cmd_serve import serve
from modelmap.cli._cmd_tune import EPILOG as TUNE_EPILOG, tune

app = typer.Typer(
    name="modelmap",
    help="Train, compare, tune and visualize tens to thousands of classifier configurations.\n\n"
    "Start with `modelmap init DIR`, then `modelmap run jobs/iris.json`.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command(epilog=RUN_EPILOG)(run)
app.command()(init)
app.command()(expand)
app.command()(plugins)
app.add_typer(cache_app, name="cache")
app.command(epilog=SERVE_EPILOG)(serve)
app.command(epilog=TUNE_EPILOG)(tune)
app.command(epilog=COMPARE_EPILOG)(compare)


def main() -> None:
    from modelmap import _gc

    _gc.pause()  # until the data is prepared (see modelmap._gc)
    try:
        app()
    finally:
        _gc.finish()
