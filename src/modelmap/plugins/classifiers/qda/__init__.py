"""Quadratic Discriminant Analysis.

The default ``reg_param`` is 0.01 (scikit-learn: 0.0) so that data with constant or
collinear features, such as the digits, still gives full-rank class covariances.
"""


from ...tools import check_argument as check

CLF_INFO = {
    'name': 'qda',
    'short': 'QDA',
    'description': 'Quadratic Discriminant Analysis',
    'parameters': [
        {'name': 'reg_param', 'description': 'Regularization of the class covariances',
         'type': 'float', 'range': [0, 1], 'default_value': 0.01},
    ],
}


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


class Classifier():
    def __init__(self, args, data_specs):
        from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
        self.clf = QuadraticDiscriminantAnalysis(reg_param=check('reg_param', args, CLF_INFO))

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
