"""The built-in scikit-learn classifiers, one row each: adding an estimator is one row.

Each row becomes the plugin ``modelmap.plugins.classifiers.<name>`` (see ``_generated``):
its ``CLF_INFO`` is the row's ``name``, ``short``, ``description`` and ``parameters`` (the
seed's parameter format), and ``get_clf`` builds the sklearn plugin's adapter around
``estimator`` (a dotted import path) called with every declared parameter, after
``check_argument``.  Optional keys:

- ``fixed``: constant keyword arguments of the estimator;
- ``zero_is_none``: parameters whose 0 is passed as ``None`` (e.g. unlimited depth);
- ``checks``: parameter -> name of a check in ``_generated.CHECKS`` used instead of
  ``check_argument`` (it may warn and fall back to a default);
- ``wrap``: name of a wrapper in ``_generated.WRAPS`` around the estimator (e.g. calibration).

Hand-written still (they are not "one estimator and its parameters"): the references
``optimal``, ``naive`` and ``optimal_multi_label`` (no estimator), ``mlpc`` (its estimator
depends on the training labels, built in ``fit``, and it adds ``get_history``) and
``random_forest_multi_label`` (its probabilities are re-shaped from one per label).
"""

from __future__ import annotations

from typing import Any

_SEED = {'name': 'random_state', 'description': 'Random seed',
         'type': 'integer', 'range': [0, 4294967295], 'default_value': 0}
_SVC_PARAMETERS = [
    {'name': 'C', 'description': 'Regularization parameter (inverse strength)',
     'type': 'float', 'range': [1e-6, 1e6], 'default_value': 1.0},
    {'name': 'kernel', 'description': 'Kernel function',
     'type': 'string', 'range': ['linear', 'poly', 'rbf', 'sigmoid'], 'default_value': 'rbf'},
    {'name': 'gamma', 'description': "Kernel coefficient: 'scale', 'auto' or a float > 0",
     'type': 'other', 'default_value': 'scale'},
    {'name': 'degree', 'description': 'Degree of the poly kernel',
     'type': 'integer', 'range': [1, 20], 'default_value': 3},
]

BUILTINS: list[dict[str, Any]] = [
    {'name': 'adaboost', 'short': 'AdaBoost', 'description': 'AdaBoost',
     'estimator': 'sklearn.ensemble.AdaBoostClassifier',
     'parameters': [
         {'name': 'n_estimators', 'description': 'Maximum number of boosting rounds',
          'type': 'integer', 'range': [1, 5000], 'default_value': 50},
         {'name': 'learning_rate', 'description': 'Weight of each estimator',
          'type': 'float', 'range': [1e-6, 100], 'default_value': 1.0},
         _SEED]},
    {'name': 'decisiontree', 'short': 'DT', 'description': 'Decision Tree',
     'estimator': 'sklearn.tree.DecisionTreeClassifier', 'zero_is_none': ['max_depth'],
     'parameters': [
         {'name': 'criterion', 'description': 'Split quality measure',
          'type': 'string', 'range': ['gini', 'entropy', 'log_loss'], 'default_value': 'gini'},
         {'name': 'max_depth', 'description': 'Maximum depth (0 = unlimited)',
          'type': 'integer', 'range': [0, 1000], 'default_value': 0},
         {'name': 'min_samples_split', 'description': 'Minimum samples to split a node',
          'type': 'integer', 'range': [2, 100000], 'default_value': 2},
         {'name': 'min_samples_leaf', 'description': 'Minimum samples in a leaf',
          'type': 'integer', 'range': [1, 100000], 'default_value': 1},
         _SEED]},
    {'name': 'gaussiannb', 'short': 'GNB', 'description': 'Gaussian Naive Bayes',
     'estimator': 'sklearn.naive_bayes.GaussianNB',
     'parameters': [
         {'name': 'var_smoothing', 'description': 'Share of the largest variance added to all',
          'type': 'float', 'range': [0, 1], 'default_value': 1e-9}]},
    {'name': 'gaussianprocess', 'short': 'GP', 'description': 'Gaussian Process Classifier',
     'estimator': 'sklearn.gaussian_process.GaussianProcessClassifier',
     'parameters': [
         {'name': 'max_iter_predict', 'description': 'Newton iterations (Laplace)',
          'type': 'integer', 'range': [1, 10000], 'default_value': 100},
         {'name': 'n_restarts_optimizer', 'description': 'Restarts of the kernel optimizer',
          'type': 'integer', 'range': [0, 100], 'default_value': 0},
         _SEED]},
    {'name': 'hist_gradient_boosting', 'short': 'HGB',
     'description': 'Histogram-based Gradient Boosting',
     'estimator': 'sklearn.ensemble.HistGradientBoostingClassifier',
     'parameters': [
         {'name': 'learning_rate', 'description': 'Shrinkage of each tree',
          'type': 'float', 'range': [1e-6, 10], 'default_value': 0.1},
         {'name': 'max_iter', 'description': 'Boosting iterations (trees per class)',
          'type': 'integer', 'range': [1, 10000], 'default_value': 100},
         {'name': 'max_leaf_nodes', 'description': 'Maximum leaves per tree',
          'type': 'integer', 'range': [2, 10000], 'default_value': 31},
         _SEED]},
    # The seed uses n_jobs=-1; modelmap already runs configurations in parallel, so one
    # thread per classifier avoids oversubscribing the CPU.
    {'name': 'kneighbors', 'short': 'KNN', 'description': 'k Nearest Neighbors Classifier',
     'estimator': 'sklearn.neighbors.KNeighborsClassifier', 'fixed': {'n_jobs': None},
     'parameters': [
         {'name': 'n_neighbors', 'description': 'Number of neighbors',
          'type': 'integer', 'range': [1, 1000], 'default_value': 5}]},
    {'name': 'logistic_regression', 'short': 'LogReg', 'description': 'Logistic Regression',
     'estimator': 'sklearn.linear_model.LogisticRegression',
     'parameters': [
         {'name': 'C', 'description': 'Inverse regularization strength',
          'type': 'float', 'range': [1e-6, 1e6], 'default_value': 1.0},
         {'name': 'max_iter', 'description': 'Maximum solver iterations',
          'type': 'integer', 'range': [1, 100000], 'default_value': 100},
         {'name': 'solver', 'description': 'Optimization algorithm',
          'type': 'string', 'range': ['lbfgs', 'newton-cg', 'newton-cholesky', 'sag', 'saga'],
          'default_value': 'lbfgs'},
         {**_SEED, 'description': 'Random seed (sag and saga)'}]},
    # The default reg_param is 0.01 (scikit-learn: 0.0) so that data with constant or
    # collinear features, such as the digits, still gives full-rank class covariances.
    {'name': 'qda', 'short': 'QDA', 'description': 'Quadratic Discriminant Analysis',
     'estimator': 'sklearn.discriminant_analysis.QuadraticDiscriminantAnalysis',
     'parameters': [
         {'name': 'reg_param', 'description': 'Regularization of the class covariances',
          'type': 'float', 'range': [0, 1], 'default_value': 0.01}]},
    {'name': 'randomforest', 'short': 'RF', 'description': 'Random Forest',
     'estimator': 'sklearn.ensemble.RandomForestClassifier', 'zero_is_none': ['max_depth'],
     'parameters': [
         {'name': 'n_estimators', 'description': 'Number of estimators',
          'type': 'integer', 'range': [1, 1000], 'default_value': 100},
         {'name': 'max_depth', 'description': 'Maximum depth of each tree (0 = unlimited)',
          'type': 'integer', 'range': [0, 1000], 'default_value': 0},
         _SEED]},
    # Probabilities from Platt scaling over 5 stratified folds, as scikit-learn recommends
    # instead of the deprecated SVC(probability=True); predictions: the most probable class.
    {'name': 'svm', 'short': 'SVM', 'description': 'Support Vector Machine (SVC)',
     'estimator': 'sklearn.svm.SVC', 'checks': {'gamma': 'gamma'}, 'wrap': 'calibrated',
     'parameters': _SVC_PARAMETERS},
    # Multi-label data: one calibrated SVC per label (one-vs-rest), one probability column
    # per label.
    {'name': 'svm_multi_label', 'short': 'SVM ML',
     'description': 'Support Vector Machine (multi-label, one SVC per label)',
     'estimator': 'sklearn.svm.SVC', 'checks': {'gamma': 'gamma'},
     'wrap': 'one_vs_rest_calibrated', 'parameters': _SVC_PARAMETERS},
]

#: For each row, recorded when the built-ins moved from one folder each into this table:
#: (the row's code fingerprint then, the ``source_hash`` of its old folder).  While a
#: row's fingerprint is still the recorded one, its plugin reports the old hash, so stored
#: results keep their keys; once the row or the adapter changes, the new fingerprint is
#: the hash (and those results are trained again, as for any edited plugin).  'sklearn'
#: is the adapter's own folder (its fingerprint: the folder's source_hash).
LEGACY_HASHES: dict[str, tuple[str, str]] = {
    'adaboost': ('c2388c85e102c823498cb2673661054a1c7d9c330581f2a711584f96942e4f17',
                 'ec27a0b1f053ee5c5a5bd32507e80d1e32710652c69a032d229375bc5b8bd700'),
    'decisiontree': ('f422637b03dd8297394ef8eb652267d0ebfff56844f47bf8c1572cb0048ecbdf',
                     'e5d6142b8caccf032355c24cb1e960861a3dbcac33e25cc776afedd4e96d777b'),
    'gaussiannb': ('669b4f610b181dd5465648dcbc77f546cf1c051c40596616d13cfed3c5b251b7',
                   '3e2bf8c5dcda59c391b076537f63f6e95ace630c90f56e2fdf6566006e688ec9'),
    'gaussianprocess': ('05a2668ad0d12342049b12ec79d71ec380176c147b93d02b65468160b933dd31',
                        'a7967edd1cafbedd3afe4bcfe2d6266348d632a05535f21fcb12dff5d28892b1'),
    'hist_gradient_boosting': ('3ceb297487e11931045a4cda582f8ed254528c921c623754e76a895b3dfeba64',
                               '18c88c1e5ef222b4029e1936cba5e11fe08ed841c0939abe421f511c04e6ba5e'),
    'kneighbors': ('7e1c05457d3fdd6fe6dd53558be5dc6fe00285855da32386222cdef96d87a776',
                   'dd1b305ce6d6f489b176dc1a6927b7a491fc45818d9f265670799d32a62a973c'),
    'logistic_regression': ('e901a558a28cf939ab0236d2cc1309f7a3198e3aa5ede97971bf4ac233084ffd',
                            '234ecb654a67983b3d5abe618f95ed8b32297baa6852fb114b215d78e80f0d6c'),
    'qda': ('71ca7c02b8f27d411053ca5ad64591c30c3a2f49f60fa2bb5ea14f8adbcee433',
            'f7531ff9a25293dbab6b7a300fd1aa20810959e717fb20db61c9af71da4ac849'),
    'randomforest': ('19aa62c1b7da82ecdee8e1f43737c7c9c85ff7c5a38be8c8365be36dff043c24',
                     'c993a552a4a20a615d0bb883c3e93e771641066308faeb8d273e5f51629d8c22'),
    'sklearn': ('ebf1db7c64c5267c024dd6563405fb2be0db40f1cfc2560cc4f581c7384c5e2e',
                'f40201f80f637b015af98558f05e903a061b3cbf8d403603d84f816aadb43b6f'),
    'svm': ('302df22fb2cc5cbcd82cb4116f50a0240336d113f39d7678b1e459b35c6349ce',
            '3d8028211d37a04da10c1c390dea01313ec3665586246137d1f212ab838061d3'),
    'svm_multi_label': ('88ab0f4ef72ab812b270233e101cc055f42e862d804a6560b1b09ff181e9cdd5',
                        '17cd2e5efcabe3eb3d8cbd4a76221f86aaa0821bc37614a02eb798c66fc2222e'),
}
