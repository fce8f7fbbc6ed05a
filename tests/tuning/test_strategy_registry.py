"""Strategies register themselves by name and carry the traits the package asks about."""

from __future__ import annotations

import pytest

from modelmap.errors import JobError
from modelmap.tuning import STRATEGIES, Settings, Strategy, make_strategy
from modelmap.tuning._strategy import Candidate
from modelmap.tuning.strategies import Evolutionary, Halving, Hyperband, Stepwise, strategy_class


def test_the_built_in_strategies_are_registered_in_the_listed_order() -> None:
    assert STRATEGIES == ("evolutionary", "stepwise", "tpe", "random", "halving", "hyperband")
    assert strategy_class("evolutionary") is Evolutionary
    assert strategy_class("hyperband") is Hyperband
    with pytest.raises(KeyError, match="no tuning strategy named 'nope'"):
        strategy_class("nope")


def test_traits_come_from_the_strategy_class() -> None:
    assert [strategy_class(n).position for n in STRATEGIES] == ["round"] + ["step"] * 5
    assert [n for n in STRATEGIES if strategy_class(n).multi_fidelity] == ["halving",
                                                                          "hyperband"]
    assert [n for n in STRATEGIES if not strategy_class(n).budgeted] == ["evolutionary"]
    assert Stepwise.improvement_mark == "Adopted" and Halving.improvement_mark == "New best"
    assert Settings(strategy="tpe").strategy_class.own_settings(Settings()) == ("tpe",)


def test_a_subclass_with_a_name_registers_and_a_taken_name_is_refused() -> None:
    class Fixed(Strategy):
        name = "test-fixed-strategy"

        def ask(self, n: int) -> list[Candidate]:
            return []

    try:
        assert strategy_class("test-fixed-strategy") is Fixed
        with pytest.raises(TypeError, match="two tuning strategies are named 'stepwise'"):
            type("Other", (Strategy,), {"name": "stepwise", "ask": lambda self, n: []})
        assert strategy_class("stepwise") is Stepwise
    finally:
        Strategy.registry.pop("test-fixed-strategy")


def test_a_base_without_a_name_of_its_own_is_not_registered() -> None:
    from modelmap.tuning.strategies._halving import _BracketSearch

    assert "" not in Strategy.registry
    assert _BracketSearch not in Strategy.registry.values()
    assert Halving.multi_fidelity and issubclass(Halving, _BracketSearch)


def test_make_strategy_builds_the_named_strategy_and_settings_refuse_unknown_names() -> None:
    from modelmap.tuning._space import Space

    strategy = make_strategy(Space([]), Settings(strategy="random"))
    assert strategy.name == "random"
    with pytest.raises(JobError, match="stepwise"):
        Settings().override(strategy="stepwse")
