"""``load_job``: read a job, check it, expand it, and (with a registry) check plugin names."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from modelmap.errors import JobError

from ._canonical import to_plain
from ._entries import Entry, parse_entry
from ._expand import check_limit, expand
from ._model import Job
from ._problems import Problems, join_path, listing, show, suggest
from ._reader import SKELETON_HINT, check_tree, parse_job_text, read_job_file
from ._schema import validate_data

TOP_LEVEL_KEYS = ("data", "projections", "classifiers")
_KINDS = {"projections": "projection", "classifiers": "classifier"}
_CLASSIFIER_EXAMPLE = 'e.g. "classifiers": [{"title": "Naive", "method": "naive"}]'


class Registry(Protocol):
    """What :func:`load_job` needs from a plugin registry."""

    def dataset_names(self) -> list[str]: ...
    def classifier_names(self) -> list[str]: ...
    def projection_names(self) -> list[str]: ...
    def parameters(self, kind: str, name: str) -> list[dict] | None: ...


def load_job(
    source: str | os.PathLike | Mapping[str, Any],
    *,
    registry: Registry | None = None,
    max_configs: int = 10_000,
    allow_tuning: bool = False,
) -> Job:
    """Read, validate and expand a batch job; raise :class:`JobError` listing every problem.

    ``source`` is a job file path, a mapping (reported as ``<job>``), or JSON5 text
    starting with ``{``.  With ``registry`` the dataset and plugin names are checked and
    parameters a plugin does not declare become notices; a classifier plugin that failed
    to load is accepted (its configs are recorded as failed when the job runs).
    ``allow_tuning`` keeps ``{"tune": true, ...}`` parameters unexpanded (for ``modelmap
    tune``, which refuses a classifier plugin that failed to load, with its error).
    """
    raw, origin, path = _read(source)
    problems = Problems(origin)
    _check_top_level(raw, problems)
    data = validate_data(raw["data"], problems) if "data" in raw else None
    entries = {kind: _parse_entries(raw, kind, problems, allow_tuning) for kind in _KINDS}
    if registry is not None:
        _check_plugin_names(registry, raw, entries, problems, tuning=allow_tuning)
    problems.check()
    check_limit([*entries["projections"], *entries["classifiers"]], max_configs, problems)
    problems.check()
    unknown = _unknown_parameters(registry, entries) if registry is not None else []
    notices = list(unknown)
    clashes: list[str] = []
    configs = {kind: tuple(expand(entries[kind], problems, notices, clashes, kind))
               for kind in _KINDS}
    problems.check()
    assert data is not None
    return Job(
        title=data.title,
        data=data,
        projections=configs["projections"],
        classifiers=configs["classifiers"],
        notices=tuple(notices),
        path=path,
        raw=raw,
        unknown_parameters=tuple(unknown),
        title_clashes=tuple(clashes),
    )


def _read(source: Any) -> tuple[dict, str, Path | None]:
    if isinstance(source, Mapping):
        try:
            raw = to_plain(source)
        except TypeError as exc:
            raise JobError(f"not a JSON-like job: {exc}", where="<job>") from None
        problems = Problems("<job>")
        check_tree(raw, "", problems)
        problems.check()
        return raw, "<job>", None
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return parse_job_text(source), "<job>", None
    if isinstance(source, (str, os.PathLike)):
        return read_job_file(source), str(source), Path(source)
    raise TypeError(f"load_job() needs a path, a mapping or JSON text; got {type(source).__name__}")


def _check_top_level(raw: dict, problems: Problems) -> None:
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            problems.add(
                join_path("", key),
                f"unknown top-level key{suggest(key, TOP_LEVEL_KEYS)}",
                f"valid keys are: {listing(TOP_LEVEL_KEYS)}",
            )
    for key in ("data", "classifiers"):
        if key not in raw:
            problems.add(key, 'missing; a job needs "data" and "classifiers"', SKELETON_HINT)


def _parse_entries(raw: dict, kind: str, problems: Problems, allow_tuning: bool) -> list[Entry]:
    if kind not in raw:
        return []
    items = raw[kind]
    if not isinstance(items, list):
        problems.add(kind, f"must be a list of configurations; got {show(items)}")
        return []
    if kind == "classifiers" and not items:
        problems.add(kind, "is empty; a job needs at least one classifier", _CLASSIFIER_EXAMPLE)
    entries = [
        parse_entry(item, join_path(kind, index), problems, allow_tuning)
        for index, item in enumerate(items)
    ]
    return [entry for entry in entries if entry is not None]


def _check_plugin_names(
    registry: Registry, raw: dict, entries: dict[str, list[Entry]], problems: Problems,
    tuning: bool = False,
) -> None:
    data = raw.get("data")
    dataset = data.get("dataset") if isinstance(data, Mapping) else None
    if (not _refuse_failed(registry, "dataset", dataset, "data.dataset", problems)
            and isinstance(dataset, str) and dataset.strip()):
        _check_name(dataset, registry.dataset_names(), "data.dataset", "dataset", problems)
    for kind, singular in _KINDS.items():
        names = _names(registry, singular)
        failed = _failed(registry, singular) if not tuning else set()
        for entry in entries[kind]:
            path = f"{entry.source}.method"
            if entry.method in failed:
                continue  # its configs are recorded as failed, the job's others train
            if not _refuse_failed(registry, singular, entry.method, path, problems):
                _check_name(entry.method, names, path, singular, problems)


def _refuse_failed(registry: Registry, kind: str, name: Any, path: str,
                   problems: Problems) -> bool:
    """Add the load error of plugin ``name`` when it failed to load; True if it did."""
    problem = getattr(registry, "problem", None)
    if not (problem and isinstance(name, str) and kind in ("dataset", "classifier")):
        return False
    failed = problem(kind, name)
    if failed is None:
        return False
    problems.add(path, f"the {kind} plugin '{name}' failed to load: {failed.error}",
                 f"fix the plugin at {failed.location} and run again")
    return True


def _names(registry: Registry, singular: str) -> list[str]:
    if singular == "classifier":
        return list(registry.classifier_names())
    return list(registry.projection_names())


def _failed(registry: Registry, singular: str) -> set[str]:
    """Classifier plugins that have a folder but failed to load (an optional registry
    method: a registry without it has none)."""
    failed_names = getattr(registry, "failed_names", None)
    return set(failed_names(singular)) if singular == "classifier" and failed_names else set()


def _check_name(name: str, names: list[str], path: str, what: str, problems: Problems) -> None:
    if name not in names:
        problems.add(
            path,
            f"unknown {what} '{name}'{suggest(name, names)}; available: {listing(sorted(names))}",
        )


def _unknown_parameters(registry: Registry, entries: dict[str, list[Entry]]) -> list[str]:
    notices = []
    for kind, singular in _KINDS.items():
        failed = _failed(registry, singular)
        for entry in entries[kind]:
            if entry.method in failed:
                continue
            specs = registry.parameters(singular, entry.method)
            if specs is None:
                continue
            known = [spec["name"] for spec in specs]
            for name, _ in entry.params:
                if name not in known:
                    notices.append(
                        f"{entry.source}: {entry.method} has no parameter '{name}'"
                        f"{suggest(name, known)}; it is passed to the plugin unchanged"
                    )
    return notices


