"""Histogram-based gradient boosting (scikit-learn's HistGradientBoostingClassifier)."""


from ...tools import check_argument as check
from ...tools import predict_via_proba, proba_of

CLF_INFO = {
    'name': 'hist_gradient_boosting',
    'short': 'HGB',
    'description': 'Histogram-based Gradient Boosting',
    # takes NaN in X (scikit-learn's native missing-value support): data.missing = "keep"
    'missing_values': True,
    'parameters': [
        {'name': 'learning_rate', 'description': 'Shrinkage of each tree',
         'type': 'float', 'range': [1e-6, 10], 'default_value': 0.1},
        {'name': 'max_iter', 'description': 'Boosting iterations (trees per class)',
         'type': 'integer', 'range': [1, 10000], 'default_value': 100},
        {'name': 'max_leaf_nodes', 'description': 'Maximum leaves per tree',
         'type': 'integer', 'range': [2, 10000], 'default_value': 31},
        {'name': 'random_state', 'description': 'Random seed',
         'type': 'integer', 'range': [0, 4294967295], 'default_value': 0},
    ],
}


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


class Classifier():
    def __init__(self, args, data_specs):
        from sklearn.ensemble import HistGradientBoostingClassifier
        self.clf = HistGradientBoostingClassifier(
            learning_rate=check('learning_rate', args, CLF_INFO),
            max_iter=check('max_iter', args, CLF_INFO),
            max_leaf_nodes=check('max_leaf_nodes', args, CLF_INFO),
            random_state=check('random_state', args, CLF_INFO),
        )

    def get_info(self):
        return CLF_INFO

    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)

    def predict(self, X_test, y_test):
        return predict_via_proba(self, X_test)

    def predict_proba(self, X_test, y_test):
        return proba_of(self, X_test)

    def decision_function(self, X_test, y_test=None):
        return self.clf.decision_function(X_test)
