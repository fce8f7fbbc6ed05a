"""Plugins written the way the seed system's own plugins are (``CLF_INFO``, ``from ...tools
import check_argument as check``, ``'parameters': None``), for the compatibility tests."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

SEED_NAIVE = '''\
import numpy as np

CLF_INFO = {
    'name': 'naive',
    'short': 'Naive',
    'description': 'Naive classifier (seed, predicts the majority class)',
    'parameters': None
}
def get_clf(args, data_specs):
    return Classifier(args, data_specs)
def get_info():
    return CLF_INFO
class Classifier():
    def __init__(self, args, data_specs):
        self.num_classes = data_specs['num_classes']
    def get_info(self):
        return CLF_INFO
    def fit(self, X_train, y_train):
        self.majority = int(np.bincount(y_train).argmax())
    def predict(self, X_test, y_test):
        return np.full(len(X_test), self.majority)
    def predict_proba(self, X_test, y_test):
        proba = np.zeros((len(X_test), self.num_classes))
        proba[:, self.majority] = 1
        return proba
'''

SEED_GAUSSIAN_NB = '''\
from sklearn.naive_bayes import GaussianNB

CLF_INFO = {
    'name': 'gaussian_nb_seed',
    'short': 'GNB',
    'description': 'Gaussian Naive Bayes',
    'parameters': None
}
def get_clf(args, data_specs):
    return Classifier(args, data_specs)
def get_info():
    return CLF_INFO
class Classifier():
    def __init__(self, args, data_specs):
        self.clf = GaussianNB()
    def get_info(self):
        return CLF_INFO
    def fit(self, X_train, y_train):
        return self.clf.fit(X_train, y_train)
    def predict(self, X_test, y_test):
        return self.clf.predict(X_test)
    def predict_proba(self, X_test, y_test):
        return self.clf.predict_proba(X_test)
'''

#: A dataset plugin whose classes are named by their numbers, as some seed plugins do.
SEED_INT_CLASSES = '''\
from sklearn import datasets
import numpy as np
def get_info():
    return {
        'name': 'iris_numbers',
        'description': 'Iris with classes 0, 1, 2',
        'class_names': [0, 1, 2]
    }
def get_data(datasets_path):
    data = datasets.load_iris()
    return {
        'X_train': np.array(data.data),
        'y_train': np.array(data.target),
        'X_test': np.array([]),
        'y_test': np.array([]),
        'class_names': [0, 1, 2]
    }
'''


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def classifier(ws: Path, folder: str, text: str) -> Path:
    return write(ws / "plugins" / "classifiers" / folder / "__init__.py", text)


def dataset(ws: Path, folder: str, text: str) -> Path:
    return write(ws / "plugins" / "datasets" / folder / "__init__.py", text)


def job(ws: Path, name: str, body: dict) -> Path:
    """A job file as the seed writes them (JSON5 with a comment)."""
    text = "// written like the seed's own jobs\n" + json.dumps(body, indent=2,
                                                                 ensure_ascii=False)
    return write(ws / "jobs" / f"{name}.json", text)

#: The seed's Keras MLP plugin, shortened: it imports Keras at the top, as the seed's does.
SEED_MLPC_KERAS = '''\
from keras.models import Sequential
from keras.layers import Dropout, Dense, Activation
from keras import optimizers
from ...tools import check_argument as check
CLF_INFO = {
    'name': 'mlpc_keras',
    'short': 'MLPC (k)',
    'description': 'Multi-layer Perceptron (Keras)',
    'parameters': [
        {
            'name': 'dropout',
            'description': 'Dropout',
            'type': 'float',
            'range': [0, 1],
            'default_value': 0.5
        }
    ]
}
def get_clf(args, data_specs):
    return Classifier(args, data_specs)
def get_info():
    return CLF_INFO
class Classifier():
    def __init__(self, args, data_specs):
        self.dropout = check('dropout', args, CLF_INFO)
'''

#: The seed's naive plugin with coloured output from a small third-party package.
SEED_NAIVE_TERMCOLOR = "from termcolor import colored\n" + SEED_NAIVE

#: Iris with three cross-validation folds numbered 1 to 3, in the seed's ``specs`` style.
SEED_IRIS_CV = '''\
from sklearn import datasets
import numpy as np
def get_info():
    return {
        'name': 'iris_cv',
        'description': 'Iris with 3 folds',
        'class_names': ['Setosa', 'Versicolor', 'Virginica']
    }
def get_data(datasets_path):
    data = datasets.load_iris()
    cv_folds = np.arange(len(data.target)) % 3 + 1
    return {
        'X_train': np.array(data.data),
        'y_train': np.array(data.target),
        'X_test': np.array([]),
        'y_test': np.array([]),
        'class_names': ['Setosa', 'Versicolor', 'Virginica'],
        'specs': {
            'cv_folds': cv_folds
        }
    }
'''

#: A k-NN that saves its "model" by title, as the seed's cifar10_cnn plugin does.
SEED_SAVES_BY_TITLE = '''\
import os
from sklearn.neighbors import KNeighborsClassifier
from ...tools import check_argument as check
CLF_INFO = {
    'name': 'knn_saved',
    'short': 'KNN (saved)',
    'description': 'k-NN that saves its model by title',
    'parameters': [
        {
            'name': 'save_model',
            'description': 'Save the model',
            'type': 'boolean',
            'default_value': True
        }
    ]
}
def get_clf(args, data_specs):
    return Classifier(args, data_specs)
def get_info():
    return CLF_INFO
class Classifier():
    def __init__(self, args, data_specs):
        self.title = args['title']
        self.job_title = data_specs['job_title']
        self.save_model = check('save_model', args, CLF_INFO)
        self.clf = KNeighborsClassifier(n_neighbors=3)
    def get_info(self):
        return CLF_INFO
    def fit(self, X_train, y_train):
        self.clf.fit(X_train, y_train)
        if self.save_model:
            save_dir = os.path.join(os.getcwd(), 'saved_models', self.job_title)
            if not os.path.isdir(save_dir):
                os.makedirs(save_dir)
            model_path = os.path.join(save_dir, f'{self.title}.txt')
            with open(model_path, 'w') as f:
                f.write(str(len(X_train)))
            print(f'Saved trained model at {model_path}')
    def predict(self, X_test, y_test):
        return self.clf.predict(X_test)
    def predict_proba(self, X_test, y_test):
        return self.clf.predict_proba(X_test)
'''
