"""Any scikit-learn estimator, named by its import path (only scikit-learn's modules).

    {"title": "Ridge", "method": "sklearn",
     "estimator": "sklearn.linear_model.RidgeClassifier", "alpha": 0.5}

Every parameter other than ``title``, ``method``, ``fold`` and ``estimator`` is passed
to the estimator as a keyword argument (``random_state`` only when the estimator has
one).  ``predict_proba`` and ``decision_function`` exist exactly when the estimator has
them; otherwise reading them raises ``AttributeError``.
"""

import importlib
import inspect

import numpy as np

from modelmap.errors import ArgumentError

from ..._svc_decision import decision_function as svc_decision_function
from ...tools import check_argument as check
from ...tools import predict_via_proba, proba_of, recall, remember

CLF_INFO = {
    'name': 'sklearn',
    'short': 'sklearn',
    'description': 'Any scikit-learn estimator by import path (other parameters are passed on)',
    # Parameters other than 'estimator' depend on the estimator and are not declared here
    'any_parameters': True,
    'parameters': [
        {'name': 'estimator', 'description': 'Import path of the estimator class',
         'type': 'string', 'default_value': 'sklearn.linear_model.LogisticRegression'},
    ],
}

NOT_PASSED = ('title', 'method', 'fold', 'estimator')
_HINT = 'give the dotted path of an estimator class, e.g. "sklearn.linear_model.RidgeClassifier".'


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


def load_estimator_class(path):
    """The estimator class at dotted ``path``, or an :class:`ArgumentError` saying why not."""
    module_name, _, attr = path.rpartition('.')
    if not module_name or not attr:
        raise ArgumentError(f'The estimator {path!r} is not a dotted import path.',
                            where='estimator', hint=_HINT)
    if module_name != 'sklearn' and not module_name.startswith('sklearn.'):
        # a job file names it: import nothing but scikit-learn (as tuning.stepwise.meta_learner)
        raise ArgumentError(f'The estimator {path!r} is not in scikit-learn: only modules of '
                            'scikit-learn (sklearn.…) are imported for a name in a job file.',
                            where='estimator', hint=_HINT + ' Wrap an estimator of another '
                            'library in a classifier plugin.')
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ArgumentError(f'Cannot import the estimator {path!r}: {exc}.',
                            where='estimator', hint=_HINT) from exc
    cls = getattr(module, attr, None)
    if cls is None:
        raise ArgumentError(f'The module {module_name!r} has no {attr!r}.',
                            where='estimator', hint=_HINT)
    from sklearn.base import BaseEstimator

    if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)
            and callable(getattr(cls, 'fit', None)) and callable(getattr(cls, 'predict', None))):
        raise ArgumentError(
            f'{path!r} is not a scikit-learn estimator class with fit and predict.',
            where='estimator', hint=_HINT)
    return cls


def estimator_parameters(cls):
    """Names of the keyword arguments the estimator's constructor accepts."""
    signature = inspect.signature(cls.__init__)
    return [p.name for p in signature.parameters.values()
            if p.name != 'self' and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def make_estimator(path, args):
    cls = load_estimator_class(path)
    valid = estimator_parameters(cls)
    kwargs = {k: v for k, v in args.items() if k not in NOT_PASSED}
    if 'random_state' not in valid:
        kwargs.pop('random_state', None)
    unknown = sorted(k for k in kwargs if k not in valid)
    if unknown:
        raise ArgumentError(
            f"The estimator {path} has no parameter {', '.join(repr(k) for k in unknown)}.",
            where='parameters',
            hint=f"valid parameters of {cls.__name__}: {', '.join(valid) or '(none)'}.")
    return cls(**kwargs)


# Estimators whose predict() is exactly classes_[argmax(predict_proba())]: for these the
# probabilities are computed once and the predictions taken from them, so storing every
# probability costs nothing extra.
ARGMAX_PREDICTORS = {
    'KNeighborsClassifier', 'RandomForestClassifier', 'ExtraTreesClassifier',
    'DecisionTreeClassifier', 'ExtraTreeClassifier', 'LogisticRegression', 'MLPClassifier',
    'GaussianNB', 'BernoulliNB', 'MultinomialNB', 'ComplementNB', 'CategoricalNB',
    'HistGradientBoostingClassifier', 'GradientBoostingClassifier',
}


def _votes_from_decision(clf):
    """True for an SVC/NuSVC whose predict() is the libsvm one-vs-one vote (the default).

    ``probability`` is False by default, or the string ``'deprecated'`` from scikit-learn
    1.9 on (which also means no probabilities), so only an explicit True is excluded."""
    return (type(clf).__name__ in ('SVC', 'NuSVC')
            and getattr(clf, 'probability', True) is not True
            and not getattr(clf, 'break_ties', True)
            and getattr(clf, 'decision_function_shape', None) == 'ovr')


class Classifier():
    """The adapter: any estimator in the plugin contract.  The built-ins of ``_table`` give
    their own ``info`` and ``build(args) -> (import path, estimator)``."""

    def __init__(self, args, data_specs, info=CLF_INFO, build=None):
        self.info = info
        if build is None:
            self.estimator = check('estimator', args, CLF_INFO)
            self.clf = make_estimator(self.estimator, args)
        else:
            self.estimator, self.clf = build(args)

    def get_info(self):
        return self.info

    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)

    def predict(self, X_test, y_test=None):
        if type(self.clf).__name__ in ARGMAX_PREDICTORS and hasattr(self.clf, 'predict_proba'):
            return predict_via_proba(self, X_test)
        if _votes_from_decision(self.clf):
            return self._predict_via_decision(X_test)
        return self.clf.predict(X_test)

    def _predict_via_decision(self, X_test):
        """SVC's prediction from its one-vs-rest decision function, which the framework
        asks for next anyway (each call evaluates the kernel against every support
        vector; ``_svc_decision`` does that with matrix products).  For two classes the
        sign decides; for more, the decision values are the one-vs-one votes plus a
        confidence term smaller than 1/3 in size, so rounding gives the votes back, and
        the first class with most votes wins, as in libsvm."""
        values = remember(self, 'decision_function', X_test,
                          svc_decision_function(self.clf, X_test))
        if values.ndim == 1:
            return self.clf.classes_[(values >= 0).astype(int)]
        return self.clf.classes_[np.argmax(np.rint(values), axis=1)]

    def _method(self, name):
        if not hasattr(self.clf, name):
            raise AttributeError(f'The estimator {self.estimator} has no {name}.')
        method = getattr(self.clf, name)
        return lambda X_test, y_test=None: method(X_test)

    @property
    def predict_proba(self):
        self._method('predict_proba')  # raises AttributeError if the estimator has none
        return lambda X_test, y_test=None: proba_of(self, X_test)

    @property
    def decision_function(self):
        self._method('decision_function')  # raises AttributeError if the estimator has none
        # SVC/NuSVC values from matrix products; any other estimator's own, unchanged
        compute = lambda X_test: svc_decision_function(self.clf, X_test)  # noqa: E731
        return lambda X_test, y_test=None: recall(self, 'decision_function', X_test, compute)
