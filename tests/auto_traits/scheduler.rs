//! Auto traits of the scheduler types: handles are shared across threads,
//! the traits are dyn-compatible.

use static_assertions::{assert_impl_all, assert_not_impl_any, assert_obj_safe};

use reactive_streams::scheduler::{
    BlockingOptions, BlockingScheduler, Executor, ExecutorScheduler, ImmediateScheduler,
    ParallelScheduler, RejectReason, Rejected, Scheduler, SingleScheduler, Task, TaskHandle,
    VirtualTimeScheduler, Worker,
};

assert_obj_safe!(Scheduler, Executor);

// Scheduler handles: cheap clones, shared by operators on any thread, and
// convertible into what operators hold.
assert_impl_all!(ExecutorScheduler: Send, Sync, Unpin, Clone, std::fmt::Debug, Scheduler);
assert_impl_all!(ImmediateScheduler: Send, Sync, Unpin, Clone, Default, std::fmt::Debug, Scheduler);
assert_impl_all!(SingleScheduler: Send, Sync, Unpin, Clone, std::fmt::Debug, Scheduler);
assert_impl_all!(ParallelScheduler: Send, Sync, Unpin, Clone, std::fmt::Debug, Scheduler);
assert_impl_all!(BlockingScheduler: Send, Sync, Unpin, Clone, std::fmt::Debug, Scheduler);
assert_impl_all!(VirtualTimeScheduler: Send, Sync, Unpin, Clone, Default, std::fmt::Debug, Scheduler);
assert_impl_all!(std::sync::Arc<dyn Scheduler>: Send, Sync, From<SingleScheduler>, From<&'static VirtualTimeScheduler>);
assert_impl_all!(std::sync::Arc<dyn Scheduler>: From<ImmediateScheduler>, From<ExecutorScheduler>);
assert_impl_all!(std::sync::Arc<dyn Scheduler>: From<ParallelScheduler>, From<&'static ParallelScheduler>);
assert_impl_all!(std::sync::Arc<dyn Scheduler>: From<BlockingScheduler>, From<&'static BlockingScheduler>);
// No `Default` for the owned thread-running schedulers: each needs a name
// (its threads bear it); the shared ones come from `parallel()`/`blocking()`.
assert_not_impl_any!(ParallelScheduler: Default);
assert_not_impl_any!(BlockingScheduler: Default);

// Options are plain values, built with chained setters.
assert_impl_all!(BlockingOptions: Send, Sync, Unpin, Clone, Default, PartialEq, std::fmt::Debug);

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

#[cfg(feature = "tokio")]
assert_impl_all!(
    reactive_streams::scheduler::TokioScheduler: Send,
    Sync,
    Unpin,
    Clone,
    std::fmt::Debug
);
