//! The Reactive Streams TCK for Rust (being written).
