"""AdaBoost over decision stumps (scikit-learn's AdaBoostClassifier)."""


from ...tools import check_argument as check

CLF_INFO = {
    'name': 'adaboost',
    'short': 'AdaBoost',
    'description': 'AdaBoost',
    'parameters': [
        {'name': 'n_estimators', 'description': 'Maximum number of boosting rounds',
         'type': 'integer', 'range': [1, 5000], 'default_value': 50},
        {'name': 'learning_rate', 'description': 'Weight of each estimator',
         'type': 'float', 'range': [1e-6, 100], 'default_value': 1.0},
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
        from sklearn.ensemble import AdaBoostClassifier
        self.clf = AdaBoostClassifier(
            n_estimators=check('n_estimators', args, CLF_INFO),
            learning_rate=check('learning_rate', args, CLF_INFO),
            random_state=check('random_state', args, CLF_INFO),
        )

    def get_info(self):
        return CLF_INFO

    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)

    def predict(self, X_test, y_test):
        return self.clf.predict(X_test)

    def predict_proba(self, X_test, y_test):
        return self.clf.predict_proba(X_test)

    def decision_function(self, X_test, y_test=None):
        return self.clf.decision_function(X_test)
