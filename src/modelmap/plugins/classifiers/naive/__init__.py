"""Reference: always predicts the most common training class, to show what accuracy means."""

import numpy as np

CLF_INFO = {
    'name': 'naive',
    'short': 'Naive',
    'description': 'Naive classifier (reference: predicts the most common training class)',
    'parameters': [],
}


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


class Classifier():
    def __init__(self, args, data_specs):
        self.num_classes = data_specs.get('num_classes')
        self.frequencies = None

    def get_info(self):
        return CLF_INFO

    def fit(self, X_train, y_train):
        y = np.asarray(y_train, dtype=int)
        num_classes = max(self.num_classes or 0, int(y.max()) + 1 if len(y) else 0)
        counts = np.bincount(y, minlength=num_classes)
        self.frequencies = counts / max(len(y), 1)
        # Ties go to the lowest class index
        self.most_common = int(np.argmax(counts))
        return self

    def predict(self, X_test, y_test):
        return np.full(len(X_test), self.most_common, dtype=int)

    def predict_proba(self, X_test, y_test):
        return np.tile(self.frequencies, (len(X_test), 1))
