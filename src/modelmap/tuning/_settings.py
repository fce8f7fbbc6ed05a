"""The settings of a tuning run: the job's ``"tuning"`` section, the seed's ``data`` keys, and
command-line overrides — each checked with a message that names the field.

.. code-block:: javascript

    "tuning": {
        "strategy": "stepwise",   // evolutionary (default) | stepwise | tpe | random
        "budget": 60,             // candidates to train (default: 50; evolutionary: its rounds)
        "time_budget": null,      // seconds for the search
        "cv": 3,                  // validation folds inside the training data
        "metric": "accuracy",     // validation score to select on
        "keep": 5,                // configs in <job>.result.json (evolutionary: tuning_population)
        "batch_size": 1,          // candidates proposed and trained at once
        "random_state": 42,       // default: data.random_state
        "stepwise": {"step_number_vars": 1, "tradeoff_scr_per_sec": 0.0, ...},
        "tpe": {"n_startup_trials": 10}
    }
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from modelmap.errors import JobError
from modelmap.jobs import DATA_DEFAULTS, Problems, is_number, join_path, listing, show, suggest
from modelmap.tuning._fidelity import PARAM, SAMPLERS, SUBSAMPLE, Fidelity, HalvingSettings
from modelmap.tuning.strategies import STRATEGIES, Strategy, strategy_class

DEFAULT_BUDGET = 50
LOWER_IS_BETTER = ("log_loss", "hamming_loss")
METRICS = ("accuracy", "balanced_accuracy", "f1_macro", "f1_weighted", "f1_micro",
           "precision_macro", "precision_weighted", "precision_micro", "recall_macro",
           "recall_weighted", "recall_micro", "roc_auc", "log_loss", "hamming_loss")
UNCERTAINTY = ("bootstrap", "bayesian", "none")

Check = tuple[Callable[[Any], bool], str]
_INT1: Check = (lambda v: _is_int(v) and v >= 1, "an integer >= 1")
_INT0: Check = (lambda v: _is_int(v) and v >= 0, "an integer >= 0")
_POS: Check = (lambda v: is_number(v) and v > 0, "a number > 0")
_NONNEG: Check = (lambda v: is_number(v) and v >= 0, "a number >= 0")
_RATE: Check = (lambda v: is_number(v) and 0 <= v <= 1, "a number in [0, 1]")
_NUMBER: Check = (is_number, "a number")
_BOOL: Check = (lambda v: isinstance(v, bool), "true or false")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional(check: Check) -> Check:
    return (lambda v: v is None or check[0](v), f"{check[1]} or null")


def _one_of(options: tuple[str, ...]) -> Check:
    return (lambda v: v in options, f"one of {listing(options)}")


@dataclass(frozen=True)
class StepwiseSettings:
    """The step-by-step search (names and meanings of the AutoTune seed)."""

    step_number_vars: int = 1
    step_rules: Mapping[str, float] = field(
        default_factory=lambda: {"multiply_scale": 1.0, "add_scale": 0.0})
    step_threshold: float = 0.0001
    max_fit_time: float | None = None
    meta_learner: str | None = None  # dotted class name of a scikit-learn regressor
    explore_rt_init: float = 1.0
    explore_rt_decay: float = 0.25
    explore_rt_min: float = 0.5
    anticipation_draws: int = 25
    tradeoff_scr_per_sec: float = 0.0
    uncertainty: str = "bootstrap"
    extending_lists: bool = True
    veto: float = 0.05  # steps changing a value by less than this fraction are vetoed
    confidence: float = 1.64  # pessimistic estimate = mean + confidence * std
    optimism: float = 0.0  # rank anticipated steps by score + optimism * std (0: the seed)
    adapt_steps: bool = True  # grow a parameter's steps on success or a flat score, else shrink
    stall_steps: int = 8  # after this many unadopted steps in a row, bolder steps (0: off)
    stall_growth: float = 1.5  # step-size factor per stall level
    random_starts: int = 3  # configs drawn from the ranges after the initial ones (0: the seed)
    score_floor_quantile: float = 0.75  # the score model sees scores raised to this quantile


_STEPWISE: dict[str, Check] = {
    "step_number_vars": _INT1, "step_rules": (lambda v: isinstance(v, Mapping), "an object"),
    "step_threshold": _NUMBER, "max_fit_time": _optional(_POS),
    "meta_learner": (lambda v: v is None or isinstance(v, str),
                     'the dotted name of a regressor class, e.g. "sklearn.linear_model.Ridge"'),
    "explore_rt_init": _RATE, "explore_rt_decay": _NONNEG, "explore_rt_min": _RATE,
    "anticipation_draws": _INT1, "tradeoff_scr_per_sec": _NUMBER,
    "uncertainty": _one_of(UNCERTAINTY), "extending_lists": _BOOL, "veto": _RATE,
    "confidence": _NONNEG, "adapt_steps": _BOOL, "optimism": _NONNEG,
    "stall_steps": _INT0, "stall_growth": (lambda v: is_number(v) and v >= 1, "a number >= 1"),
    "random_starts": _INT0,
    "score_floor_quantile": (lambda v: is_number(v) and 0 <= v < 1, "a number in [0, 1)"),
}
_STEP_RULES: dict[str, Check] = {"multiply_scale": _NONNEG, "add_scale": _NONNEG}
_TPE: dict[str, Check] = {"n_startup_trials": _INT0, "multivariate": _BOOL}


# fields of Settings that belong to one strategy or another (see Strategy.own_settings)
_STRATEGY_FIELDS = ("rounds", "population", "offspring", "stepwise", "tpe", "eta", "fidelity",
                    "halving")


@dataclass(frozen=True)
class Settings:
    """Everything a tuning run needs besides the space."""

    strategy: str = "evolutionary"
    budget: int | None = None
    time_budget: float | None = None
    cv: int = 3
    metric: str = "accuracy"
    keep: int = 5
    batch_size: int = 1
    random_state: int = DATA_DEFAULTS["random_state"]  # the data section's, unless given
    rounds: int = 3
    population: int = 10
    offspring: int = 5
    stepwise: StepwiseSettings = field(default_factory=StepwiseSettings)
    tpe: Mapping[str, Any] = field(default_factory=lambda: {"n_startup_trials": 10,
                                                            "multivariate": True})
    eta: float = 3  # halving, hyperband: keep the best 1/eta of a rung
    fidelity: Fidelity = field(default_factory=Fidelity)
    halving: HalvingSettings = field(default_factory=HalvingSettings)

    @property
    def greater_is_better(self) -> bool:
        return self.metric not in LOWER_IS_BETTER

    @property
    def strategy_class(self) -> type[Strategy]:
        """The class of the strategy named in ``strategy`` (its traits)."""
        return strategy_class(self.strategy)

    @property
    def max_evaluations(self) -> int | None:
        """The budget in candidates (None: the strategy's rounds decide, evolutionary's)."""
        if self.budget is not None:
            return self.budget
        return DEFAULT_BUDGET if self.strategy_class.budgeted else None

    def identity(self) -> dict[str, Any]:
        """What makes two runs the same run (budgets may grow on ``--resume``)."""
        fields = dataclasses.asdict(self)
        for name in ("budget", "time_budget", "keep"):
            fields.pop(name)
        own = self.strategy_class.own_settings(self)
        for name in _STRATEGY_FIELDS:
            if name not in own:
                fields.pop(name)
        return fields

    def override(self, *, strategy: str | None = None, budget: int | None = None,
                 time_budget: float | None = None, batch_size: int | None = None) -> Settings:
        """These settings with command-line values; bad values raise naming the option."""
        changes: dict[str, Any] = {}
        for option, value, check in (("--strategy", strategy, _one_of(STRATEGIES)),
                                     ("--budget", budget, _INT1),
                                     ("--time-budget", time_budget, _POS),
                                     ("--batch-size", batch_size, _INT1)):
            if value is None:
                continue
            if not check[0](value):
                hint = suggest(str(value), STRATEGIES) if option == "--strategy" else ""
                raise JobError(f"must be {check[1]}; got {show(value)}{hint}", where=option)
            changes[option[2:].replace("-", "_")] = value
        return dataclasses.replace(self, **changes)


_TUNING: dict[str, Check] = {
    "strategy": _one_of(STRATEGIES), "budget": _optional(_INT1),
    "time_budget": _optional(_POS), "cv": (lambda v: _is_int(v) and v >= 2, "an integer >= 2"),
    "metric": _one_of(METRICS), "keep": _INT1, "batch_size": _INT1, "random_state": _INT0,
    "stepwise": (lambda v: isinstance(v, Mapping), "an object"),
    "tpe": (lambda v: isinstance(v, Mapping), "an object"),
    "eta": (lambda v: is_number(v) and v >= 2, "a number >= 2"),
    "fidelity": (lambda v: isinstance(v, Mapping), "an object"),
    "halving": (lambda v: isinstance(v, Mapping), "an object"),
}
_HALVING: dict[str, Check] = {"sampler": _one_of(SAMPLERS), "asynchronous": _optional(_BOOL)}


def parse_settings(section: Any, data: Mapping[str, Any], problems: Problems) -> Settings:
    """Settings from the ``"tuning"`` section (may be None) and the data section."""
    values = _checked(section if section is not None else {}, "tuning", _TUNING, problems)
    stepwise = _checked(values.pop("stepwise", {}), "tuning.stepwise", _STEPWISE, problems)
    if "step_rules" in stepwise:
        rules = _checked(stepwise["step_rules"], "tuning.stepwise.step_rules", _STEP_RULES,
                         problems)
        stepwise["step_rules"] = {"multiply_scale": 1.0, "add_scale": 0.0, **rules}
    tpe = _checked(values.pop("tpe", {}), "tuning.tpe", _TPE, problems)
    halving = _checked(values.pop("halving", {}), "tuning.halving", _HALVING, problems)
    if "fidelity" in values:
        values["fidelity"] = parse_fidelity(values["fidelity"], values.get("eta", 3), problems)
    seed_keys = {"rounds": "tuning_rounds", "population": "tuning_population",
                 "offspring": "tuning_offspring"}
    for name, key in seed_keys.items():
        if data.get(key) is not None:
            values[name] = data[key]
    if "keep" not in values and data.get("tuning_population") is not None:
        values["keep"] = data["tuning_population"]
    values.setdefault("random_state", data.get("random_state", Settings.random_state))
    return Settings(**values, stepwise=StepwiseSettings(**stepwise),
                    tpe={"n_startup_trials": 10, "multivariate": True, **tpe},
                    halving=HalvingSettings(**halving))


def _checked(section: Any, path: str, checks: Mapping[str, Check], problems: Problems
             ) -> dict[str, Any]:
    if not isinstance(section, Mapping):
        problems.add(path, f"must be an object; got {show(section)}")
        return {}
    values = {}
    for key, value in section.items():
        where = join_path(path, key)
        if key not in checks:
            problems.add(where, f"unknown key{suggest(key, checks)}",
                         f"valid keys are: {listing(checks)}")
        elif not checks[key][0](value):
            problems.add(where, f"must be {checks[key][1]}; got {show(value)}"
                         f"{suggest(str(value), STRATEGIES) if key == 'strategy' else ''}")
        else:
            values[key] = value
    return values


# -- the fidelity of halving and hyperband (see _fidelity) ------------------------------------
def parse_fidelity(value: Any, eta: float, problems: Problems) -> Fidelity:
    """``{"subsample": {"min": 0.05}}`` or ``{"param": "n_estimators", "min": 10, "max": 400}``."""
    path = "tuning.fidelity"
    if not isinstance(value, Mapping):
        problems.add(path, f"must be an object; got {show(value)}",
                     'e.g. {"subsample": {"min": 0.05}} or '
                     '{"param": "n_estimators", "min": 10, "max": 400}')
        return Fidelity()
    if SUBSAMPLE in value:
        return _subsample(value, path, eta, problems)
    if PARAM in value:
        return _param(value, path, eta, problems)
    problems.add(path, f"needs \"subsample\" or \"param\"; got {listing(map(str, value))}",
                 'e.g. {"subsample": {"min": 0.05}} or '
                 '{"param": "n_estimators", "min": 10, "max": 400}')
    return Fidelity()


def _subsample(value: Mapping[str, Any], path: str, eta: float, problems: Problems
               ) -> Fidelity:
    extra = [k for k in value if k != SUBSAMPLE]
    for key in extra:
        problems.add(join_path(path, key), "unknown key next to \"subsample\"",
                     "a fidelity is either a subsample or a parameter")
    body = value[SUBSAMPLE]
    where = join_path(path, SUBSAMPLE)
    if body is None or body is True:
        body = {}
    if not isinstance(body, Mapping):
        problems.add(where, f"must be an object; got {show(body)}", 'e.g. {"min": 0.05}')
        return Fidelity()
    for key in body:
        if key not in ("min", "max"):
            problems.add(join_path(where, key), f"unknown key{suggest(key, ('min', 'max'))}",
                         "valid keys are: min, max")
    low, high = body.get("min"), body.get("max", 1.0)
    if is_number(high) and 0 < high < 1:  # the evaluator's top rung is every training row
        problems.add(join_path(where, "max"), f"must be 1 (the top rung trains on the whole "
                     f"training set, as the chosen configs are scored); got {show(high)}",
                     "remove max; to tune on fewer rows, set data.subset_train")
        return Fidelity()
    for key, number in (("min", low), ("max", high)):
        if number is not None and not (is_number(number) and 0 < number <= 1):
            problems.add(join_path(where, key), f"must be a fraction in (0, 1]; got "
                         f"{show(number)}", "e.g. 0.05 for 5 % of the training rows")
            return Fidelity()
    if low is not None and low >= high:
        problems.add(join_path(where, "min"), f"min {show(low)} is not smaller than max "
                     f"{show(high)}", "the lowest rung must train on fewer rows than the top")
        return Fidelity()
    if low is not None and low * eta > high * (1 + 1e-9):
        problems.add(join_path(where, "min"), f"min {show(low)} leaves a single rung with "
                     f"eta {show(eta)}", f"set min to at most {high / eta:.4g}")
    return Fidelity(SUBSAMPLE, low, None if high == 1.0 else high)


def _param(value: Mapping[str, Any], path: str, eta: float, problems: Problems) -> Fidelity:
    for key in value:
        if key not in ("param", "min", "max"):
            problems.add(join_path(path, key), f"unknown key{suggest(key, ('min', 'max'))}",
                         "valid keys are: param, min, max")
    name, low, high = value.get(PARAM), value.get("min"), value.get("max")
    if not isinstance(name, str) or not name:
        problems.add(join_path(path, PARAM), f"must be a parameter name; got {show(name)}",
                     'e.g. "n_estimators"')
        return Fidelity()
    for key, number in (("min", low), ("max", high)):
        if not (is_number(number) and number > 0):
            problems.add(join_path(path, key), f"must be a number > 0; got {show(number)}",
                         f"the {key}imum value of {name} the rungs use")
            return Fidelity()
    if low >= high:
        problems.add(join_path(path, "min"), f"min {show(low)} is not smaller than max "
                     f"{show(high)}", f"the lowest rung must use a smaller {name} than the top")
        return Fidelity()
    if low * eta > high * (1 + 1e-9):
        problems.add(join_path(path, "min"), f"min {show(low)} and max {show(high)} leave a "
                     f"single rung with eta {show(eta)}", f"set min to at most {high / eta:.4g}")
    return Fidelity(PARAM, low, high, name)


def check_fidelity_param(fidelity: Fidelity, job: Any, registry: Any, problems: Problems
                         ) -> None:
    """The fidelity parameter must be a parameter of every family's plugin, and not tuned."""
    if fidelity.kind != PARAM or registry is None:
        return
    for index, config in enumerate(job.classifiers):
        declared = registry.parameters("classifier", config.method)
        names = [p.get("name") for p in declared] if declared is not None else None
        where = join_path("tuning.fidelity", PARAM)
        if names is not None and fidelity.param not in names:
            problems.add(where, f"classifier '{config.method}' (classifiers[{index}]) has no "
                         f"parameter '{fidelity.param}'{suggest(str(fidelity.param), names)}",
                         f"its parameters are: {listing(names)}")
        value = config.args.get(fidelity.param)
        if isinstance(value, Mapping) and value.get("tune"):
            problems.add(where, f"'{fidelity.param}' is tuned in classifiers[{index}]",
                         "the fidelity parameter is set by the rungs; remove \"tune\" from it")
