//! In-crate tests of `pub(crate)` internals: unit tests (run under Miri too)
//! and loom models (`loom_*.rs`, built only with `--cfg reactive_streams_loom`).
#![allow(unsafe_code)] // the recording subscribers below share a shim `UnsafeCell`, see SAFETY notes.

#[cfg(not(reactive_streams_loom))]
mod demand;
#[cfg(not(reactive_streams_loom))]
mod drain;
#[cfg(not(reactive_streams_loom))]
mod pull;

#[cfg(reactive_streams_loom)]
mod loom_cancel_handle;
#[cfg(reactive_streams_loom)]
mod loom_concat_map;
#[cfg(reactive_streams_loom)]
mod loom_create;
#[cfg(reactive_streams_loom)]
mod loom_demand;
#[cfg(reactive_streams_loom)]
mod loom_drain;
#[cfg(reactive_streams_loom)]
mod loom_flat_map;
#[cfg(reactive_streams_loom)]
mod loom_pull;
#[cfg(reactive_streams_loom)]
mod loom_switch_map;

pub(crate) mod recording;
