"""The scikit-learn digits with 5 stratified cross-validation folds (numbered 1 to 5)."""

import numpy as np

CLASS_NAMES = [str(i) for i in range(10)]
N_FOLDS = 5


def get_info():
    return {
        'name': 'sklearn_digits_cross_validation',
        # the data is fixed by this code and the installed scikit-learn: a rerun of an
        # unchanged job can skip loading it
        'static': True,
        'description': 'ScikitLearn | Digits with 5-fold cross validation',
        'class_names': CLASS_NAMES,
    }


def get_data(datasets_path):
    from sklearn import datasets
    from sklearn.model_selection import StratifiedKFold
    data = datasets.load_digits()
    X = np.array(data.data)
    y = np.array(data.target)
    cv_folds = np.zeros(len(y), dtype=int)
    splitter = StratifiedKFold(n_splits=N_FOLDS, shuffle=True, random_state=0)
    for fold, (_, test_index) in enumerate(splitter.split(X, y), start=1):
        cv_folds[test_index] = fold
    return {
        'X_train': X,
        'y_train': y,
        # Cross validation needs an empty test set
        'X_test': np.array([]),
        'y_test': np.array([]),
        'class_names': CLASS_NAMES,
        'specs': {
            'cv_folds': cv_folds,
            'original_shape': np.array(data.images).shape,
        },
    }
