"""Logistic regression (multinomial for more than two classes)."""


from ...tools import check_argument as check
from ...tools import predict_via_proba, proba_of

CLF_INFO = {
    'name': 'logistic_regression',
    'short': 'LogReg',
    'description': 'Logistic Regression',
    'parameters': [
        {'name': 'C', 'description': 'Inverse regularization strength',
         'type': 'float', 'range': [1e-6, 1e6], 'default_value': 1.0},
        {'name': 'max_iter', 'description': 'Maximum solver iterations',
         'type': 'integer', 'range': [1, 100000], 'default_value': 100},
        {'name': 'solver', 'description': 'Optimization algorithm',
         'type': 'string', 'range': ['lbfgs', 'newton-cg', 'newton-cholesky', 'sag', 'saga'],
         'default_value': 'lbfgs'},
        {'name': 'random_state', 'description': 'Random seed (sag and saga)',
         'type': 'integer', 'range': [0, 4294967295], 'default_value': 0},
    ],
}


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


class Classifier():
    def __init__(self, args, data_specs):
        from sklearn.linear_model import LogisticRegression
        self.clf = LogisticRegression(
            C=check('C', args, CLF_INFO),
            max_iter=check('max_iter', args, CLF_INFO),
            solver=check('solver', args, CLF_INFO),
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
