"""Honest comparisons: intervals, tests against the best, many-classifier and rank statistics.

Pure functions over stored predictions and fold scores (NumPy/SciPy), no store, server or
UI imports: the query layer, the CLI and the web app all call them.  Every result names
its method and α.  Randomness (the bootstrap) is seeded by the caller from the job's
``random_state``: two calls with the same inputs agree exactly.
"""

from __future__ import annotations

from modelmap.compare._best import (BestComparison, Truth, check_alpha, compare_to_best,
                                    fold_weights, level)
from modelmap.compare._diagram import cd_diagram
from modelmap.compare._describe import (MISSING, Association, aggregate, association_matrix,
                                        category, correlation_ratio, higher_is_better,
                                        is_categorical, parameter_importance, pareto_front,
                                        spearman)
from modelmap.compare._intervals import (RESAMPLES, bootstrap_p, bootstrap_weights,
                                         clopper_pearson, corrected_t, corrected_t_p,
                                         percentile_interval, wilson)
from modelmap.compare._pairs import (McNemar, Omnibus, cochrans_q, discordant, exact_mcnemar_p,
                                     holm, mcnemar, pairwise_mcnemar, wrong_counts,
                                     wrong_matrix)
from modelmap.compare._ranks import (RankAnalysis, average_ranks, cliques, friedman,
                                     holm_matrix, iman_davenport, nemenyi_cd, nemenyi_q,
                                     rank_analysis, rank_z_p, wilcoxon_holm, wilcoxon_p)
from modelmap.compare._scores import (MULTI_LABEL, PROBABILITY_SCORES, SINGLE_LABEL,
                                      check_score, score_names, weighted_scores)

__all__ = [
    "MISSING", "MULTI_LABEL", "PROBABILITY_SCORES", "RESAMPLES", "SINGLE_LABEL", "Association",
    "BestComparison", "McNemar", "Omnibus", "RankAnalysis", "Truth", "aggregate",
    "association_matrix", "average_ranks", "bootstrap_p", "bootstrap_weights", "category",
    "cd_diagram", "check_alpha", "check_score", "cliques", "clopper_pearson", "cochrans_q",
    "compare_to_best", "corrected_t", "corrected_t_p", "correlation_ratio", "discordant",
    "exact_mcnemar_p", "fold_weights", "friedman", "higher_is_better", "holm", "holm_matrix",
    "iman_davenport", "is_categorical", "level", "mcnemar", "nemenyi_cd", "nemenyi_q",
    "pairwise_mcnemar", "parameter_importance", "pareto_front", "percentile_interval",
    "rank_analysis", "rank_z_p", "score_names", "spearman", "weighted_scores", "wilcoxon_holm",
    "wilcoxon_p", "wilson", "wrong_counts", "wrong_matrix",
]
