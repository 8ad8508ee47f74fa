//! publish_on and subscribe_on: scenarios on real schedulers and in virtual
//! time, properties under random demand, and stress with cancels from other
//! threads. Nothing asserts on time.

mod publish_on;
mod stress;
mod subscribe_on;
