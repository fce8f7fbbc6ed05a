"""The ``modelmap`` command line."""

from __future__ import annotations


def main() -> None:  # replaced by the Typer app
    raise SystemExit("modelmap CLI not built yet")
