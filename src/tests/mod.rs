//! In-crate tests of `pub(crate)` internals; loom models live in `loom_*.rs`.
