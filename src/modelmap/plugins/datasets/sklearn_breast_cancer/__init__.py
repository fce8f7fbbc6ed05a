"""The Wisconsin breast cancer data set bundled with scikit-learn (569 samples, 30 features)."""

import numpy as np

CLASS_NAMES = ['Malignant', 'Benign']


def get_info():
    return {
        'name': 'sklearn_breast_cancer',
        # the data is fixed by this code and the installed scikit-learn: a rerun of an
        # unchanged job can skip loading it
        'static': True,
        'description': 'ScikitLearn | Breast Cancer Wisconsin',
        'class_names': CLASS_NAMES,
    }


def get_data(datasets_path):
    from sklearn import datasets
    data = datasets.load_breast_cancer()
    return {
        'X_train': np.array(data.data),
        'y_train': np.array(data.target),
        'X_test': np.array([]),
        'y_test': np.array([]),
        'class_names': CLASS_NAMES,
    }
