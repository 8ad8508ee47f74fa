//! Auto traits of the scheduler types: handles are shared across threads,
//! the traits are dyn-compatible.

use static_assertions::{assert_impl_all, assert_not_impl_any, assert_obj_safe};

use reactive_streams::scheduler::{
    Executor, ExecutorScheduler, ImmediateScheduler, RejectReason, Rejected, Scheduler,
    SingleScheduler, Task, TaskHandle, VirtualTimeScheduler, Worker,
};

assert_obj_safe!(Scheduler, Executor);

// Scheduler handles: cheap clones, shared by operators on any thread, and
// convertible into what operators hold.
assert_impl_all!(ExecutorScheduler: Send, Sync, Unpin, Clone, std::fmt::Debug, Scheduler);
assert_impl_all!(ImmediateScheduler: Send, Sync, Unpin, Clone, Default, std::fmt::Debug, Scheduler);
assert_impl_all!(SingleScheduler: Send, Sync, Unpin, Clone, std::fmt::Debug, Scheduler);
assert_impl_all!(VirtualTimeScheduler: Send, Sync, Unpin, Clone, Default, std::fmt::Debug, Scheduler);
assert_impl_all!(std::sync::Arc<dyn Scheduler>: Send, Sync, From<SingleScheduler>, From<&'static VirtualTimeScheduler>);
assert_impl_all!(std::sync::Arc<dyn Scheduler>: From<ImmediateScheduler>, From<ExecutorScheduler>);

// Workers and task handles move into operators and cross threads.
assert_impl_all!(Worker: Send, Sync, Unpin, Clone, std::fmt::Debug);
assert_impl_all!(TaskHandle: Send, Sync, Unpin, Clone, std::fmt::Debug);

// A task runs exactly once: it moves to the executor's thread, and cannot
// be cloned (its `&self` method only reads whether it was cancelled).
assert_impl_all!(Task: Send, Sync, Unpin, std::fmt::Debug);
assert_not_impl_any!(Task: Clone);

// The rejection is an error value operators keep and clone.
assert_impl_all!(Rejected: Send, Sync, Clone, PartialEq, std::error::Error);
assert_impl_all!(RejectReason: Send, Sync, Clone, PartialEq, std::fmt::Display);
