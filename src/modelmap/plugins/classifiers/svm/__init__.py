"""Support Vector Machine (scikit-learn's SVC) with calibrated probability estimates.

Probabilities come from Platt scaling over 5 stratified folds, as scikit-learn recommends
instead of the deprecated ``SVC(probability=True)``: ``CalibratedClassifierCV(SVC(),
ensemble=False)``.  Predictions are the most probable class.
"""

import numbers
import warnings


from modelmap.errors import ArgumentWarning

from ...tools import check_argument as check

CLF_INFO = {
    'name': 'svm',
    'short': 'SVM',
    'description': 'Support Vector Machine (SVC)',
    'parameters': [
        {'name': 'C', 'description': 'Regularization parameter (inverse strength)',
         'type': 'float', 'range': [1e-6, 1e6], 'default_value': 1.0},
        {'name': 'kernel', 'description': 'Kernel function',
         'type': 'string', 'range': ['linear', 'poly', 'rbf', 'sigmoid'], 'default_value': 'rbf'},
        {'name': 'gamma', 'description': "Kernel coefficient: 'scale', 'auto' or a float > 0",
         'type': 'other', 'default_value': 'scale'},
        {'name': 'degree', 'description': 'Degree of the poly kernel',
         'type': 'integer', 'range': [1, 20], 'default_value': 3},
    ],
}


def check_gamma(args, info):
    """``gamma`` is 'scale', 'auto' or a positive number; otherwise warn and use 'scale'."""
    value = check('gamma', args, info)
    if value in ('scale', 'auto'):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and value > 0:
        return float(value)
    warnings.warn(
        f"The 'gamma' parameter of {info['name']} must be 'scale', 'auto' or a float > 0; "
        f"got {value!r}. Using the default 'scale'.",
        ArgumentWarning, stacklevel=2,
    )
    return 'scale'


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


class Classifier():
    def __init__(self, args, data_specs):
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import SVC
        svc = SVC(
            C=check('C', args, CLF_INFO),
            kernel=check('kernel', args, CLF_INFO),
            gamma=check_gamma(args, CLF_INFO),
            degree=check('degree', args, CLF_INFO),
        )
        self.clf = CalibratedClassifierCV(svc, ensemble=False)

    def get_info(self):
        return CLF_INFO

    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)

    def predict(self, X_test, y_test):
        return self.clf.predict(X_test)

    def predict_proba(self, X_test, y_test):
        return self.clf.predict_proba(X_test)
