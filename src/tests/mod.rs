//! In-crate tests of `pub(crate)` internals; loom models live in `loom_*.rs`.

#[cfg(reactive_streams_loom)]
mod loom_create;
