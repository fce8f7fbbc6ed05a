# An example dataset plugin, copied from the seed documentation (only the name differs
# from the built-in sklearn_iris). Edit it, or copy the folder to start your own.
from sklearn import datasets
import numpy as np


# This function is needed to identify the plugin
# and let the frontend know the class names
def get_info():
    return {
        # The name is referenced in batch jobs later
        # (only characters from a-zA-Z0-9 and _)
        'name': 'example_iris',
        # The description is shown in the frontends menu and help page
        'description': 'Example plugin | Iris',
        # Class names must be strings,
        # one name for each class you dataset has
        'class_names': ['Iris Setosa', 'Iris Versicolor', 'Iris Virginica']
    }


# This function returns the data, that is later
# passed to the classifier plugins
def get_data(datasets_path):
    # You can use any Python code and library to
    # load and preprocess the data
    data = datasets.load_iris()
    return {
        # Training data
        'X_train': np.array(data.data),
        # Training class labels
        'y_train': np.array(data.target),
        # Test data may be empty and splitted as defined in the batch job.
        # Or you can pass a pre-defined split here
        'X_test': np.array([]),
        'y_test': np.array([]),
        # Class names must be the same as above
        'class_names': ['Iris Setosa', 'Iris Versicolor', 'Iris Virginica']
    }
