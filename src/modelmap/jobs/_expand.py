"""Expanding checked entries into configurations: limit, cartesian product, merging."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from ._canonical import canonical_json, to_plain
from ._entries import Entry
from ._model import Config
from ._problems import Problems, show
from ._unique import clash_notice, rename_clashes

_MISSING = object()


def check_limit(entries: Iterable[Entry], max_configs: int, problems: Problems) -> None:
    """Add a problem when the entries expand to more than ``max_configs`` configurations."""
    entries = list(entries)
    total = sum(entry.count for entry in entries)
    if total <= max_configs:
        return
    biggest = sorted(entries, key=lambda entry: -entry.count)[:3]
    problems.add(
        "",
        f"the job expands to {total:,} configurations, more than the limit of {max_configs:,}; "
        f"most come from {', '.join(_describe(entry) for entry in biggest)}",
        "use fewer meta-parameter values or narrower ranges, or raise the limit with "
        f"--max-configs {total} (load_job(..., max_configs={total}))",
    )


def _describe(entry: Entry) -> str:
    factors = " × ".join(f"{name}: {count:,}" for name, count in entry.meta_counts())
    return f"{entry.source} ({entry.count:,}{' = ' + factors if factors else ''})"


def expand(entries: Iterable[Entry], problems: Problems, notices: list[str],
           clashes: list[str] | None = None, kind: str = "classifiers") -> list[Config]:
    """All configurations of ``entries`` (one kind): duplicates merged, configurations that
    share a title but differ renamed (:mod:`._unique`), each clash described in
    ``clashes`` (what ``--strict`` refuses) and summed up in one notice."""
    configs: list[Config] = []
    for entry in entries:
        configs.extend(_expand_entry(entry, problems))
    return _merge(configs, notices, clashes if clashes is not None else [], kind)


def _expand_entry(entry: Entry, problems: Problems) -> list[Config]:
    names = [name for name, _ in entry.params]
    keep = entry.tuning
    configs = []
    for combination in itertools.product(*(values.values() for _, values in entry.params)):
        args = {name: to_plain(value) for name, value in zip(names, combination)}
        title, problem = entry.title.render(args, keep)
        if problem is None and not title.strip():
            problem = "the title is empty once its placeholders are filled in"
        if problem is not None:
            problems.add(f"{entry.source}.title", problem)
            continue
        configs.append(Config(title, entry.method, args, entry.source))
    return configs


def _merge(configs: list[Config], notices: list[str], clashes: list[str],
           kind: str) -> list[Config]:
    groups: dict[str, list[tuple[Config, str]]] = {}
    kept: list[Config] = []
    for config in configs:
        key = canonical_json([config.method, config.args])
        group = groups.setdefault(config.title, [])
        same = next((c for c, k in group if k == key), None)
        if same is not None:
            notice = _merge_notice(same, config)
            if notice not in notices:
                notices.append(notice)
            continue
        group.append((config, key))
        kept.append(config)
    clashing = {t: [c for c, _ in g] for t, g in groups.items() if len(g) > 1}
    if not clashing:
        return kept
    renamed = rename_clashes(clashing, set(groups))
    for group in clashing.values():
        clashes.append(_clash(group, renamed))
    changes = [(c.title, renamed[id(c)]) for c in kept if id(c) in renamed]
    notices.append(clash_notice(changes, kind))
    return [Config(renamed[id(c)], c.method, c.args, c.source) if id(c) in renamed else c
            for c in kept]


def _merge_notice(earlier: Config, later: Config) -> str:
    if earlier.source == later.source:
        return (
            f"{later.source}: '{later.title}' comes out more than once from this entry; "
            "it is trained once"
        )
    return (
        f"{later.source}: '{later.title}' is the same configuration as {earlier.source}; "
        "the two were merged"
    )


def _clash(group: list[Config], renamed: dict[int, str]) -> str:
    """What ``--strict`` says about one title given to different configurations."""
    earlier, later = group[0], group[1]
    differences, parameter = _differences(earlier, later)
    sources = ", ".join(dict.fromkeys(c.source for c in group))
    fix = (f"add a placeholder such as {{{parameter}}} to the title, or rename them"
           if parameter is not None else "rename them")
    new = ", ".join(f"'{renamed[id(c)]}'" for c in group)
    return (f"{sources}: title '{earlier.title}' is given to {len(group)} different "
            f"configurations ({differences}); titles must be unique ({fix}; without --strict "
            f"they are renamed {new})")


def _differences(earlier: Config, later: Config) -> tuple[str, str | None]:
    found: list[str] = []
    parameter = None
    if earlier.method != later.method:
        found.append(f"method: {show(later.method)} vs {show(earlier.method)}")
    for name in dict.fromkeys([*later.args, *earlier.args]):
        old, new = earlier.args.get(name, _MISSING), later.args.get(name, _MISSING)
        if old is _MISSING or new is _MISSING or canonical_json(old) != canonical_json(new):
            found.append(f"{name}: {_show(new)} vs {_show(old)}")
            if parameter is None and new is not _MISSING:
                parameter = name
    text = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
    return text, parameter


def _show(value: object) -> str:
    return "not set" if value is _MISSING else show(value)
