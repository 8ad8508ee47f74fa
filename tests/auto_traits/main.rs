//! Send/Sync/Unpin promises of every public type, positive and negative:
//! the core types here, each operator family in its own module.

mod aggregate;
mod author;
mod backpressure;
mod combine;
mod core;
mod errors;
mod flatten;
mod interop;
mod limit;
mod multicast;
mod rate;
mod scheduler;
mod time;
mod transform;
