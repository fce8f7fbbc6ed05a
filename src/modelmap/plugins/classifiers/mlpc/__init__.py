"""Multi-layer Perceptron (scikit-learn's MLPClassifier) with a per-epoch training history.

10% of the training data (stratified, seeded by ``random_state``) is held out to measure
``val_accuracy`` after each epoch; ``get_history()`` returns ``{'loss': [...],
'val_accuracy': [...]}`` with one value per epoch.  As in scikit-learn's early stopping,
the weights of the epoch with the best validation accuracy are kept.  With
``early_stopping`` training stops after 10 epochs without improvement, otherwise it runs
``max_iter`` epochs.  When the data is too small for a validation split (fewer than two
samples in a class), the history only has ``loss``.
"""

import numpy as np

from ...tools import check_argument as check
from ...tools import predict_via_proba, proba_of

VALIDATION_FRACTION = 0.1

CLF_INFO = {
    'name': 'mlpc',
    'short': 'MLPC',
    'description': 'Multi-layer Perceptron',
    'parameters': [
        {'name': 'hidden_layer_sizes', 'description': 'Neurons per hidden layer, e.g. [100, 50]',
         'type': 'array', 'range': [1, 100000], 'default_value': [100]},
        {'name': 'activation', 'description': 'Activation function',
         'type': 'string', 'range': ['relu', 'tanh', 'logistic', 'identity'],
         'default_value': 'relu'},
        {'name': 'solver', 'description': 'Optimizer',
         'type': 'string', 'range': ['adam', 'sgd'], 'default_value': 'adam'},
        {'name': 'alpha', 'description': 'L2 regularization strength',
         'type': 'float', 'range': [0, 100], 'default_value': 0.0001},
        {'name': 'learning_rate_init', 'description': 'Initial learning rate',
         'type': 'float', 'range': [1e-9, 10], 'default_value': 0.001},
        {'name': 'max_iter', 'description': 'Maximum number of epochs',
         'type': 'integer', 'range': [1, 100000], 'default_value': 200},
        {'name': 'early_stopping', 'description': 'Stop after 10 epochs without improvement',
         'type': 'boolean', 'default_value': False},
        {'name': 'random_state', 'description': 'Random seed (weights, shuffling, split)',
         'type': 'integer', 'range': [0, 4294967295], 'default_value': 0},
    ],
}


def get_clf(args, data_specs):
    return Classifier(args, data_specs)


def get_info():
    return CLF_INFO


def _can_validate(y):
    """Whether a stratified 10% validation split is possible for labels ``y``."""
    _, counts = np.unique(y, return_counts=True)
    n_val = int(np.ceil(VALIDATION_FRACTION * len(y)))
    return counts.min() >= 2 and n_val >= len(counts) and len(y) - n_val >= len(counts)


class Classifier():
    def __init__(self, args, data_specs):
        self.params = dict(
            hidden_layer_sizes=tuple(check('hidden_layer_sizes', args, CLF_INFO)),
            activation=check('activation', args, CLF_INFO),
            solver=check('solver', args, CLF_INFO),
            alpha=check('alpha', args, CLF_INFO),
            learning_rate_init=check('learning_rate_init', args, CLF_INFO),
            max_iter=check('max_iter', args, CLF_INFO),
            random_state=check('random_state', args, CLF_INFO),
        )
        self.early_stopping = check('early_stopping', args, CLF_INFO)
        self.clf = None

    def get_info(self):
        return CLF_INFO

    def fit(self, X_train, y_train):
        from sklearn.neural_network import MLPClassifier
        validate = _can_validate(np.asarray(y_train))
        patience = 10 if self.early_stopping else self.params['max_iter'] + 1
        self.clf = MLPClassifier(
            **self.params,
            early_stopping=validate,
            validation_fraction=VALIDATION_FRACTION,
            n_iter_no_change=patience,
        )
        return self.clf.fit(X_train, y_train)

    def predict(self, X_test, y_test):
        return predict_via_proba(self, X_test)

    def predict_proba(self, X_test, y_test):
        return proba_of(self, X_test)

    def get_history(self):
        history = {'loss': [float(v) for v in self.clf.loss_curve_]}
        scores = getattr(self.clf, 'validation_scores_', None)
        if scores is not None:
            history['val_accuracy'] = [float(v) for v in scores]
        return history
