"""A small synthetic multi-label data set: y is an indicator matrix of 5 labels."""

import numpy as np

CLASS_NAMES = ['Label A', 'Label B', 'Label C', 'Label D', 'Label E']


def get_info():
    return {
        'name': 'multi_label_test',
        # the data is fixed by this code and the installed scikit-learn: a rerun of an
        # unchanged job can skip loading it
        'static': True,
        'description': 'Synthetic | Multi-label test (300 samples, 5 labels)',
        'class_names': CLASS_NAMES,
    }


def get_data(datasets_path):
    from sklearn.datasets import make_multilabel_classification
    X, Y = make_multilabel_classification(
        n_samples=300, n_features=20, n_classes=5, random_state=0
    )
    return {
        'X_train': np.array(X, dtype=float),
        # One row per sample, one 0/1 column per label
        'y_train': np.array(Y, dtype=int),
        'X_test': np.array([]),
        'y_test': np.array([]),
        'class_names': CLASS_NAMES,
        'specs': {'multi_label': True},
    }
