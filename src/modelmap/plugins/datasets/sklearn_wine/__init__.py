"""The wine recognition data set bundled with scikit-learn (178 samples, 13 features)."""

import numpy as np

CLASS_NAMES = ['Class 0', 'Class 1', 'Class 2']


def get_info():
    return {
        'name': 'sklearn_wine',
        # the data is fixed by this code and the installed scikit-learn: a rerun of an
        # unchanged job can skip loading it
        'static': True,
        'description': 'ScikitLearn | Wine',
        'class_names': CLASS_NAMES,
    }


def get_data(datasets_path):
    from sklearn import datasets
    data = datasets.load_wine()
    return {
        'X_train': np.array(data.data),
        'y_train': np.array(data.target),
        'X_test': np.array([]),
        'y_test': np.array([]),
        'class_names': CLASS_NAMES,
    }
