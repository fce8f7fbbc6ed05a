"""Turning dataset-plugin output into a validated, prepared :class:`Bundle`."""

from modelmap.data._bundle import CV_TEST, CV_TRAIN, HOLDOUT, Bundle, Split, load_bundle
from modelmap.data._prepare import call_get_data, prepare, summarise
from modelmap.data._read import columns_of as table_columns
from modelmap.data._read import kind_of as table_kind
from modelmap.data._read import read_columns as read_table
from modelmap.data._plugin_output import class_names_as_strings
from modelmap.data._selection_folds import validation_bundle

__all__ = ["Bundle", "Split", "load_bundle", "prepare", "call_get_data", "summarise",
           "HOLDOUT", "CV_TRAIN", "CV_TEST", "validation_bundle", "class_names_as_strings",
           "table_kind", "table_columns", "read_table"]
