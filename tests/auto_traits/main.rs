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
<<<<<<< HEAD
mod parallel;
=======
mod schedule;
>>>>>>> bc1a2664f0eeb060b8c0dc7ff2139b3f9ce6d924
mod scheduler;
mod time;
mod transform;
