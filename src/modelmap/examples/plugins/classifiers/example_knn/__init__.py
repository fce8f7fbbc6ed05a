# An example classifier plugin, copied from the seed documentation (only the name differs
# from the built-in kneighbors). Edit it, or copy the folder to start your own.
from sklearn.neighbors import KNeighborsClassifier
from ...tools import check_argument as check

# See 'Parameter Specification' in docs/plugins.md
CLF_INFO = {
    'name': 'example_knn',
    'short': 'KNN',
    'description': 'k Nearest Neighbors Classifier (example plugin)',
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


# See 'Classifier Implementation' in docs/plugins.md
class Classifier():
    def __init__(self, args, data_specs):
        n_neighbors = check('n_neighbors', args, CLF_INFO)
        self.clf = KNeighborsClassifier(n_neighbors=n_neighbors, n_jobs=-1)

    def get_info(self):
        return CLF_INFO

    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)

    def predict(self, X_test, y_test):
        return self.clf.predict(X_test)

    def predict_proba(self, X_test, y_test):
        return self.clf.predict_proba(X_test)
