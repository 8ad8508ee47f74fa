//! Flat_map, concat_map, switch_map.
