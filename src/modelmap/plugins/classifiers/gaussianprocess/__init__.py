"""Gaussian Process classifier with an RBF kernel (slow on large data: O(n^3))."""


from ...tools import check_argument as check

CLF_INFO = {
    'name': 'gaussianprocess',
    'short': 'GP',
    'description': 'Gaussian Process Classifier',
    'parameters': [
        {'name': 'max_iter_predict', 'description': 'Newton iterations (Laplace)',
         'type': 'integer', 'range': [1, 10000], 'default_value': 100},
        {'name': 'n_restarts_optimizer', 'description': 'Restarts of the kernel optimizer',
         'type': 'integer', 'range': [0, 100], 'default_value': 0},
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
        from sklearn.gaussian_process import GaussianProcessClassifier
        self.clf = GaussianProcessClassifier(
            max_iter_predict=check('max_iter_predict', args, CLF_INFO),
            n_restarts_optimizer=check('n_restarts_optimizer', args, CLF_INFO),
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
