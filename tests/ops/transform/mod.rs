//! Map, filter, filter_map, scan, flat_map_iter, buffer, distinct, distinct_until_changed, inspect and the do_on_* taps, map_err.

mod buffer;
mod distinct;
mod distinct_until_changed;
mod do_on_cancel;
mod do_on_complete;
mod do_on_error;
mod do_on_request;
mod do_on_subscribe;
mod filter;
mod filter_map;
mod flat_map_iter;
mod map;
mod map_err;
mod on_next_taps;
mod scan;
