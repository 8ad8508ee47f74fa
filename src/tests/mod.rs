//! In-crate tests of `pub(crate)` internals: unit tests (run under Miri too)
//! and loom models (`loom_*.rs`, built only with `--cfg reactive_streams_loom`).
#![allow(unsafe_code)] // the recording subscribers below share a shim `UnsafeCell`, see SAFETY notes.

#[cfg(not(reactive_streams_loom))]
mod author;
#[cfg(not(reactive_streams_loom))]
mod demand;
#[cfg(not(reactive_streams_loom))]
mod drain;
#[cfg(not(reactive_streams_loom))]
mod interop_internals;
#[cfg(not(reactive_streams_loom))]
mod pull;
#[cfg(not(reactive_streams_loom))]
mod queue_spsc;
#[cfg(not(reactive_streams_loom))]
mod scheduler_event_loop;
#[cfg(not(reactive_streams_loom))]
mod scheduler_timer;

#[cfg(reactive_streams_loom)]
mod loom_arbiter;
#[cfg(reactive_streams_loom)]
mod loom_author;
#[cfg(reactive_streams_loom)]
mod loom_cancel_handle;
#[cfg(reactive_streams_loom)]
mod loom_combine_latest;
#[cfg(reactive_streams_loom)]
mod loom_concat;
#[cfg(reactive_streams_loom)]
mod loom_concat_map;
#[cfg(reactive_streams_loom)]
mod loom_create;
#[cfg(reactive_streams_loom)]
mod loom_demand;
#[cfg(reactive_streams_loom)]
mod loom_drain;
#[cfg(reactive_streams_loom)]
mod loom_elastic;
#[cfg(reactive_streams_loom)]
mod loom_flat_map;
#[cfg(reactive_streams_loom)]
mod loom_flat_map_iter;
#[cfg(reactive_streams_loom)]
mod loom_from_stream;
#[cfg(reactive_streams_loom)]
mod loom_into_stream;
#[cfg(reactive_streams_loom)]
mod loom_limit_rate;
#[cfg(reactive_streams_loom)]
mod loom_map_async;
#[cfg(reactive_streams_loom)]
mod loom_merge;
#[cfg(reactive_streams_loom)]
mod loom_multicast;
#[cfg(reactive_streams_loom)]
mod loom_on_backpressure_buffer;
#[cfg(reactive_streams_loom)]
mod loom_on_backpressure_drop;
#[cfg(reactive_streams_loom)]
mod loom_on_backpressure_latest;
#[cfg(reactive_streams_loom)]
mod loom_on_error_return;
#[cfg(reactive_streams_loom)]
mod loom_peek;
#[cfg(reactive_streams_loom)]
mod loom_poll_adaptive;
#[cfg(reactive_streams_loom)]
mod loom_pull;
#[cfg(reactive_streams_loom)]
mod loom_queue_spsc;
#[cfg(reactive_streams_loom)]
mod loom_replay;
#[cfg(reactive_streams_loom)]
mod loom_scalar;
#[cfg(reactive_streams_loom)]
mod loom_scan;
#[cfg(reactive_streams_loom)]
mod loom_share;
#[cfg(reactive_streams_loom)]
mod loom_skip_until;
#[cfg(reactive_streams_loom)]
mod loom_switch_map;
#[cfg(reactive_streams_loom)]
mod loom_take;
#[cfg(reactive_streams_loom)]
mod loom_take_until;
#[cfg(reactive_streams_loom)]
mod loom_task_cap;
#[cfg(reactive_streams_loom)]
mod loom_throttle_rate;
#[cfg(reactive_streams_loom)]
mod loom_timed;
#[cfg(reactive_streams_loom)]
mod loom_timeout;
#[cfg(reactive_streams_loom)]
mod loom_unicast;
#[cfg(reactive_streams_loom)]
mod loom_with_latest_from;
#[cfg(reactive_streams_loom)]
mod loom_worker;
#[cfg(reactive_streams_loom)]
mod loom_zip;
#[cfg(reactive_streams_loom)]
mod manual;
#[cfg(reactive_streams_loom)]
pub(crate) mod manual_executor;
#[cfg(reactive_streams_loom)]
pub(crate) mod manual_future;
#[cfg(reactive_streams_loom)]
pub(crate) mod manual_source;
#[cfg(reactive_streams_loom)]
mod manual_upstream;

pub(crate) mod recording;
