"""Gaussian Naive Bayes (scikit-learn's GaussianNB)."""


from ...tools import check_argument as check
from ...tools import predict_via_proba, proba_of

CLF_INFO = {
    'name': 'gaussiannb',
    'short': 'GNB',
    'description': 'Gaussian Naive Bayes',
    'parameters': [
        {'name': 'var_smoothing', 'description': 'Share of the largest variance added to all',
         'type': 'float', 'range': [0, 1], 'default_value': 1e-9},
    ],
}


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


class Classifier():
    def __init__(self, args, data_specs):
        from sklearn.naive_bayes import GaussianNB
        self.clf = GaussianNB(var_smoothing=check('var_smoothing', args, CLF_INFO))

    def get_info(self):
        return CLF_INFO

    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)

    def predict(self, X_test, y_test):
        return predict_via_proba(self, X_test)

    def predict_proba(self, X_test, y_test):
        return proba_of(self, X_test)
