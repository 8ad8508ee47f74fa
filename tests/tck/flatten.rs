//! The TCK over flat_map, concat_map, switch_map.
