"""The 8x8 handwritten digits bundled with scikit-learn (1797 samples, flattened to 64)."""

import numpy as np

CLASS_NAMES = [str(i) for i in range(10)]


def get_info():
    return {
        'name': 'sklearn_digits',
        # the data is fixed by this code and the installed scikit-learn: a rerun of an
        # unchanged job can skip loading it
        'static': True,
        'description': 'ScikitLearn | Digits (8x8 images)',
        'class_names': CLASS_NAMES,
    }


def get_data(datasets_path):
    from sklearn import datasets
    data = datasets.load_digits()
    images = np.array(data.images)
    return {
        'X_train': images.reshape(len(images), -1),
        'y_train': np.array(data.target),
        'X_test': np.array([]),
        'y_test': np.array([]),
        'class_names': CLASS_NAMES,
        'specs': {
            # Classifiers that need images reshape to (n,) + original_shape[1:]
            'original_shape': images.shape,
        },
    }
