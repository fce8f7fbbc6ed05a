"""A single decision tree (scikit-learn's DecisionTreeClassifier)."""


from ...tools import check_argument as check
from ...tools import predict_via_proba, proba_of

CLF_INFO = {
    'name': 'decisiontree',
    'short': 'DT',
    'description': 'Decision Tree',
    # takes NaN in X (scikit-learn's native missing-value support): data.missing = "keep"
    'missing_values': True,
    'parameters': [
        {'name': 'criterion', 'description': 'Split quality measure',
         'type': 'string', 'range': ['gini', 'entropy', 'log_loss'], 'default_value': 'gini'},
        {'name': 'max_depth', 'description': 'Maximum depth (0 = unlimited)',
         'type': 'integer', 'range': [0, 1000], 'default_value': 0},
        {'name': 'min_samples_split', 'description': 'Minimum samples to split a node',
         'type': 'integer', 'range': [2, 100000], 'default_value': 2},
        {'name': 'min_samples_leaf', 'description': 'Minimum samples in a leaf',
         'type': 'integer', 'range': [1, 100000], 'default_value': 1},
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
        from sklearn.tree import DecisionTreeClassifier
        self.clf = DecisionTreeClassifier(
            criterion=check('criterion', args, CLF_INFO),
            max_depth=check('max_depth', args, CLF_INFO) or None,
            min_samples_split=check('min_samples_split', args, CLF_INFO),
            min_samples_leaf=check('min_samples_leaf', args, CLF_INFO),
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
