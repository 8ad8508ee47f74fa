//! The TCK over concat, concat_with, start_with, merge, merge_with, zip, zip_with, combine_latest, with_latest_from.
