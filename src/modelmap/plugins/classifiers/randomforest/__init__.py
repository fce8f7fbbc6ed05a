
# With this function we will check parameters
from ...tools import check_argument as check
from ...tools import predict_via_proba, proba_of

CLF_INFO = {
    'name': 'randomforest',
    'short': 'RF',
    'description': 'Random Forest',
    # takes NaN in X (scikit-learn's native missing-value support): data.missing = "keep"
    'missing_values': True,
    'parameters': [
        {
            'name': 'n_estimators',
            'description': 'Number of estimators',
            'type': 'integer',
            'range': [1, 1000],
            'default_value': 100
        },
        {
            'name': 'max_depth',
            'description': 'Maximum depth of each tree (0 = unlimited)',
            'type': 'integer',
            'range': [0, 1000],
            'default_value': 0
        },
        {
            'name': 'random_state',
            'description': 'Random seed',
            'type': 'integer',
            'range': [0, 4294967295],
            'default_value': 0
        },
    ]
}


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


class Classifier():
    def __init__(self, args, data_specs):
        from sklearn.ensemble import RandomForestClassifier
        self.title = args.get('title')
        n_estimators = check('n_estimators', args, CLF_INFO)
        max_depth = check('max_depth', args, CLF_INFO)
        self.clf = RandomForestClassifier(
            n_estimators=n_estimators,
            max_depth=max_depth or None,
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
