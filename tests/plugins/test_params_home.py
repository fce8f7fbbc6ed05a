"""The parameter checks live in the neutral ``modelmap.params``; plugins use ``tools``."""

from __future__ import annotations

import subprocess
import sys

import modelmap.params as params
import modelmap.projection as projection
from modelmap.plugins import _spec, tools


def test_tools_re_exports_the_checks_of_params() -> None:
    for name in ("RESERVED", "TYPES", "TYPE_ALIASES", "check_argument", "describe_expected",
                 "type_of", "validate_args", "validate_info"):
        assert getattr(tools, name) is getattr(params, name), name


def test_params_and_projection_load_without_the_plugins_package() -> None:
    code = ("import sys, modelmap.params, modelmap.projection; "
            "print(sorted(m for m in sys.modules if m.startswith('modelmap.plugins')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_projection_entries_use_the_same_parameter_description_as_plugins() -> None:
    entry = projection.projection_entry(projection.PROJECTIONS["tsne"])
    assert entry["parameters"] == params.describe_parameters(projection.PROJECTIONS["tsne"])
    assert entry["default_config"]["method"] == "tsne"
    assert entry["default_config"]["perplexity"] == next(
        p["default_value"] for p in projection.PROJECTIONS["tsne"]["parameters"]
        if p["name"] == "perplexity")
    assert _spec.default_config is params.default_config
