"""Random forest for multi-label data: y is an indicator matrix (one 0/1 column per label)."""

import numpy as np

from ...tools import check_argument as check

CLF_INFO = {
    'name': 'random_forest_multi_label',
    'short': 'RF ML',
    'description': 'Random Forest (multi-label)',
    'parameters': [
        {'name': 'n_estimators', 'description': 'Number of estimators',
         'type': 'integer', 'range': [1, 1000], 'default_value': 100},
        {'name': 'max_depth', 'description': 'Maximum depth of each tree (0 = unlimited)',
         'type': 'integer', 'range': [0, 1000], 'default_value': 0},
        {'name': 'random_state', 'description': 'Random seed',
         'type': 'integer', 'range': [0, 4294967295], 'default_value': 0},
    ],
}


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


def label_probabilities(per_label, classes):
    """(n, n_labels) probability of each label being present, from per-label outputs."""
    columns = []
    for proba, labels in zip(per_label, classes):
        labels = list(labels)
        columns.append(proba[:, labels.index(1)] if 1 in labels else np.zeros(len(proba)))
    return np.column_stack(columns)


class Classifier():
    def __init__(self, args, data_specs):
        from sklearn.ensemble import RandomForestClassifier
        self.clf = RandomForestClassifier(
            n_estimators=check('n_estimators', args, CLF_INFO),
            max_depth=check('max_depth', args, CLF_INFO) or None,
            random_state=check('random_state', args, CLF_INFO),
        )

    def get_info(self):
        return CLF_INFO

    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)

    def predict(self, X_test, y_test):
        return self.clf.predict(X_test)

    def predict_proba(self, X_test, y_test):
        per_label = self.clf.predict_proba(X_test)
        if not isinstance(per_label, list):
            per_label = [per_label]
        classes = self.clf.classes_
        if self.clf.n_outputs_ == 1:
            classes = [classes]
        return label_probabilities(per_label, classes)
