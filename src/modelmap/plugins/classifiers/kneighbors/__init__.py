from ...tools import check_argument as check
from ...tools import predict_via_proba, proba_of
# See 'Parameter Specification' below
CLF_INFO = {
    'name': 'kneighbors',
    'short': 'KNN',
    'description': 'k Nearest Neighbors Classifier',
    'parameters': [
        {
            'name': 'n_neighbors',
            'description': 'Number of neighbors',
            'type': 'integer',
            'range': [1, 1000],
            'default_value': 5
        }
    ]
}
# Those two functions are not important for now
def get_clf(args, data_specs):
    return Classifier(args, data_specs)
def get_info():
    return CLF_INFO
# See 'Classifier Implementation' below
class Classifier():
    def __init__(self, args, data_specs):
        from sklearn.neighbors import KNeighborsClassifier
        n_neighbors = check('n_neighbors', args, CLF_INFO)
        # The seed uses n_jobs=-1; modelmap already runs configurations in parallel,
        # so one thread per classifier avoids oversubscribing the CPU.
        self.clf = KNeighborsClassifier(n_neighbors=n_neighbors, n_jobs=None)
    def get_info(self):
        return CLF_INFO
    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)
    def predict(self, X_test, y_test):
        return predict_via_proba(self, X_test)
    def predict_proba(self, X_test, y_test):
        return proba_of(self, X_test)
