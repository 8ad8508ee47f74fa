//! The pieces operators share, so that each operator file holds only what is
//! its own. None of them is a publisher.
//!
//! | piece | what it is |
//! |---|---|
//! | `guard` | runs a user closure; a panic becomes an `Error` |
//! | `relay` | the downstream, the upstream subscription and "done" of a synchronous operator |
//! | `upstream` | the upstream subscription of an operator's subscriber |
//! | `peek` | the one operator behind `inspect` and the `do_on_*` taps |
//! | `fold`, `scalar` | the subscriber of the aggregates; a one-item result that waits for a request |
//! | `deferred`, `serializer`, `until` | the two-upstream stages `take_until` and `skip_until` |
//! | `arbiter`, `sources`, `combining` | switching upstreams with demand carried over (`concat`, `retry`, `on_error_resume`); lists of sources; the inner subscriber of `merge`, `zip`, `combine_latest` |
//! | `inner` | the inner subscriber of `flat_map`, `concat_map`, `switch_map` |
//! | `buffered` | the drain engine of the buffering backpressure operators |
//! | `timed`, `due` | the engine of the timed emitters (a timer, a store, a drain within demand); the one due item and the no-demand choice |
//! | `latest`, `stamp` | the store of `debounce`, `sample`, `throttle_last`; the subscriber of `timestamp` and `elapsed` |

pub(crate) mod arbiter;
pub(crate) mod buffered;
pub(crate) mod combining;
pub(crate) mod deferred;
pub(crate) mod due;
pub(crate) mod fold;
pub(crate) mod guard;
pub(crate) mod inner;
pub(crate) mod latest;
pub(crate) mod peek;
pub(crate) mod relay;
pub(crate) mod scalar;
pub(crate) mod serializer;
pub(crate) mod sources;
pub(crate) mod stamp;
pub(crate) mod timed;
pub(crate) mod until;
pub(crate) mod upstream;
