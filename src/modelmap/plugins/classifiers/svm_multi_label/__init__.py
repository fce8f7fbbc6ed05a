"""Support Vector Machines for multi-label data: one calibrated SVC per label (one-vs-rest)."""


from ...tools import check_argument as check
from ..svm import check_gamma

CLF_INFO = {
    'name': 'svm_multi_label',
    'short': 'SVM ML',
    'description': 'Support Vector Machine (multi-label, one SVC per label)',
    'parameters': [
        {'name': 'C', 'description': 'Regularization parameter (inverse strength)',
         'type': 'float', 'range': [1e-6, 1e6], 'default_value': 1.0},
        {'name': 'kernel', 'description': 'Kernel function',
         'type': 'string', 'range': ['linear', 'poly', 'rbf', 'sigmoid'], 'default_value': 'rbf'},
        {'name': 'gamma', 'description': "Kernel coefficient: 'scale', 'auto' or a float > 0",
         'type': 'other', 'default_value': 'scale'},
        {'name': 'degree', 'description': 'Degree of the poly kernel',
         'type': 'integer', 'range': [1, 20], 'default_value': 3},
    ],
}


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


class Classifier():
    def __init__(self, args, data_specs):
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import SVC
        svc = SVC(
            C=check('C', args, CLF_INFO),
            kernel=check('kernel', args, CLF_INFO),
            gamma=check_gamma(args, CLF_INFO),
            degree=check('degree', args, CLF_INFO),
        )
        self.clf = OneVsRestClassifier(CalibratedClassifierCV(svc, ensemble=False))

    def get_info(self):
        return CLF_INFO

    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)

    def predict(self, X_test, y_test):
        return self.clf.predict(X_test)

    def predict_proba(self, X_test, y_test):
        # One column per label: the probability that the label is present
        return self.clf.predict_proba(X_test)
