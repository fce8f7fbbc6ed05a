"""The seed document's example plugins, verbatim (indentation restored), as file texts."""

SEED_KNN = '''from sklearn.neighbors import KNeighborsClassifier
from ...tools import check_argument as check
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
'''

SEED_RANDOM_FOREST = '''from sklearn.ensemble import RandomForestClassifier
# With this function we will check parameters
from ...tools import check_argument as check
# Similar to the dataset, each classifier needs to have a name and description
CLF_INFO = {
    # The name is referenced in batch jobs later
    # (only characters from a-zA-Z0-9 and _)
    'name': 'randomforest',
    # A short version of the name
    'short': 'RF',
    # The description is shown in the frontends menu and help page
    'description': 'Random Forest',
    # Define the parameters for you classifier here
    'parameters': [
        {
            # Some names are forbidden such as method, title and fold
            'name': 'n_estimators',
            'description': 'Number of estimators',
            # Type may be string, integer, float, boolean, other
            # (other will not be checked)
            'type': 'integer',
            # Specify a valid range for checking
            # For strings, all valid values are specified: ['relu', 'tanh']
            # For numbers, minimum and maximum are specified
            # For booleans, the range is [True, False] and not specified here
            'range': [1, 1000],
            # The default is used if the batch job
            # does not specify the parameter's value
            'default_value': 100
        },
        # More parameters...
    ]
}
# Boilerplate, no need to change this
def get_clf(args, data_specs):
    return Classifier(args, data_specs)
# Boilerplate, no need to change this
def get_info():
    return CLF_INFO
class Classifier():
    # The __init__ function is given the
    # - parameters as a dictionary {'param_name':value}
    # - data_specs as it comes from the dataset
    def __init__(self, args, data_specs):
        # The classifier's title is also passed as parameter
        self.title = args['title']
        # You should check your parameters
        # This also uses the default value
        # ff the parameter is not specified in the batch job
        n_estimators = check('n_estimators', args, CLF_INFO)
        # data_specs also includes some information
        # that you can use for output or saving your model
        self.job_title = data_specs['job_title']
        self.dataset_name = data_specs['dataset_name']
        self.num_classes = data_specs['num_classes']
        # Initialize your classifier here
        self.clf = RandomForestClassifier(n_estimators=n_estimators)
    # Boilerplate, no need to change this
    def get_info(self):
        return CLF_INFO
    # This function gets the training data
    # Train your classifier here
    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)
    # This function gets the test data
    # Predict class labels here
    def predict(self, X_test, y_test):
        return self.clf.predict(X_test)
    # This function gets the test data
    # Predict class probabilities here
    def predict_proba(self, X_test, y_test):
        return self.clf.predict_proba(X_test)
'''

SEED_IRIS = '''from sklearn import datasets
import numpy as np
def get_info():
    return {
        'name': 'sklearn_iris',
        'description': 'ScikitLearn | Iris',
        'class_names': ['Iris Setosa', 'Iris Versicolor', 'Iris Virginica']
    }
def get_data(datasets_path):
    data = datasets.load_iris()
    return {
        'X_train': np.array(data.data),
        'y_train': np.array(data.target),
        'X_test': np.array([]),
        'y_test': np.array([]),
        'class_names': ['Iris Setosa', 'Iris Versicolor', 'Iris Virginica']
    }
'''
