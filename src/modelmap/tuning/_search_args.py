"""Arguments of ``StepSearchCV`` checked, and AutoTune's arguments that cannot apply here
accepted with one warning each (see docs/tuning.md, "AutoTune users")."""

from __future__ import annotations

import math
import numbers
import sys
import warnings
from typing import Any

import numpy as np

from modelmap.tuning._search_prior import StepSearchError


def check_steps(value: Any, name: str) -> float:
    if isinstance(value, bool) or not (isinstance(value, numbers.Integral) or value == math.inf):
        raise StepSearchError(f"must be an integer >= 0 (or math.inf); got {value!r}",
                              where=name, hint="e.g. steps=30")
    if value < 0:
        raise StepSearchError(f"must be >= 0; got {value!r}", where=name)
    return float(value) if value == math.inf else int(value)


def call_steps(steps: Any, more_steps: Any, steps_completed: Any) -> float | None:
    if steps_completed is not None:
        warnings.warn("StepSearchCV.fit: steps_completed is ignored (the search counts its "
                      "own steps; fit again to continue it)", stacklevel=3)
    if steps is not None and more_steps is not None:
        raise StepSearchError("steps and more_steps are the same setting; give one",
                              where="fit", hint="e.g. fit(X, y, steps=20)")
    value = steps if steps is not None else more_steps
    return None if value is None else check_steps(value, "fit(steps=...)")


def seed(random_state: Any) -> int:
    """An int seed; None draws one from fresh entropy and says the search is not repeatable."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return int(random_state)
    if random_state is None:
        warnings.warn("StepSearchCV: random_state=None, so the steps are drawn from fresh "
                      "entropy and the search cannot be repeated; pass an int (AutoTune's "
                      "default was 7) to make it reproducible", stacklevel=4)
        return int(np.random.SeedSequence().entropy % (2**32))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(2**31 - 1))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(2**31 - 1))
    raise StepSearchError(f"expected an int, None or a NumPy random generator; got "
                          f"{random_state!r}", where="random_state", hint="e.g. random_state=0")


def check_autotune_arguments(search: Any) -> None:
    """AutoTune's arguments that have nothing to do here: accepted, with one warning each."""
    rule = search.step_veto_rule
    if rule is not None and not callable(rule):
        raise StepSearchError(f"must be a function (current, new) -> True to veto the step; "
                              f"got {rule!r}", where="step_veto_rule",
                              hint="e.g. lambda x, y: y <= 0 or 0.95 * y <= x <= 1.05 * y")
    bar = search.prior_best_score
    if bar is not None and not (isinstance(bar, numbers.Real) and math.isfinite(bar)):
        raise StepSearchError(f"must be a finite number (the score a step must beat); got "
                              f"{bar!r}", where="prior_best_score")
    notes = []
    if search.anticipate_changes:
        notes.append("anticipate_changes=True has no effect (AutoTune kept it 'for future "
                     "use'; steps are ranked by their anticipated change either way)")
    if search.delete_prior:
        notes.append("delete_prior=True has no effect (the search copies what it needs from "
                     "prior_results; `del` your own reference to free it)")
    if search.prior_best_score is not None and search.prior_results is None:
        notes.append("prior_best_score has no effect without prior_results (as in AutoTune, "
                     "the first score sets the bar)")
    if search.reset_session and not _keras_loaded():
        notes.append("reset_session=True: no Keras session to reset (keras is not imported); "
                     "only garbage is collected after each step")
    for note in notes:
        warnings.warn(f"StepSearchCV: {note}", stacklevel=4)


def _keras_loaded() -> bool:
    return "keras" in sys.modules or "tensorflow" in sys.modules
