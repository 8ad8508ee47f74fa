//! Map, filter, filter_map, scan, flat_map_iter, buffer, distinct, distinct_until_changed, inspect and the do_on_* taps, map_err.

mod filter;
mod map;
