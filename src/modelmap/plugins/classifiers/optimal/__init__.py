"""Reference: a perfect prediction (returns the true labels) to show the best possible result."""

import numpy as np


CLF_INFO = {
    'name': 'optimal',
    'short': 'Optimal',
    'description': 'Optimal classifier (reference: predicts the true labels)',
    'parameters': [],
}


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


class Classifier():
    def __init__(self, args, data_specs):
        self.num_classes = data_specs.get('num_classes')

    def get_info(self):
        return CLF_INFO

    def fit(self, X_train, y_train):
        if self.num_classes is None and len(y_train):
            self.num_classes = int(np.max(y_train)) + 1
        return self

    def predict(self, X_test, y_test):
        return np.array(y_test)

    def predict_proba(self, X_test, y_test):
        y = np.asarray(y_test, dtype=int)
        num_classes = self.num_classes or (int(y.max()) + 1 if len(y) else 0)
        proba = np.zeros((len(y), num_classes))
        proba[np.arange(len(y)), y] = 1.0
        return proba
