//! The loom shim: the only file that names `std::sync`, `core::sync::atomic`,
//! `parking_lot` or `loom`.
//!
//! Everything else imports `crate::sync::…`. Built normally, these are the
//! standard types (and `parking_lot` locks); built with
//! `RUSTFLAGS="--cfg reactive_streams_loom"`, they are loom's, so the loom
//! models in `src/tests/loom_*.rs` explore every interleaving of the real
//! algorithms. The cfg is namespaced so that it cannot change the behaviour
//! of a dependency that reacts to a plain `cfg(loom)`.
//!
//! The API is loom's: `UnsafeCell` offers only scoped access (`with`,
//! `with_mut`) and tracked raw pointers (`get_mut`), and `Mutex::lock` never
//! returns a poison error to unwrap.
#![allow(unsafe_code)] // the std `UnsafeCell` wrapper; see the SAFETY notes below.
#![allow(clippy::disallowed_types)]

#[cfg(not(reactive_streams_loom))]
mod imp {
    #[allow(unused_imports)] // not every build uses `Weak`
    pub(crate) use std::sync::{Arc, Weak};

    /// Atomics, re-exported from `core`.
    pub(crate) mod atomic {
        pub(crate) use core::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
    }

    /// `UnsafeCell` with loom's API.
    pub(crate) mod cell {
        /// A `core::cell::UnsafeCell` that offers only loom's access methods,
        /// so code written against it runs unchanged under loom.
        #[derive(Debug, Default)]
        pub(crate) struct UnsafeCell<T: ?Sized>(core::cell::UnsafeCell<T>);

        impl<T> UnsafeCell<T> {
            pub(crate) const fn new(value: T) -> Self {
                Self(core::cell::UnsafeCell::new(value))
            }
        }

        // `with` and `with_mut` keep loom's API whole; the library itself uses
        // `get_mut`, the tests use the scoped forms.
        #[allow(dead_code)]
        impl<T: ?Sized> UnsafeCell<T> {
            /// Runs `f` with a shared raw pointer to the contents.
            pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
                f(self.0.get())
            }

            /// Runs `f` with an exclusive raw pointer to the contents.
            pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
                f(self.0.get())
            }

            /// A raw pointer whose access loom tracks until it is dropped.
            pub(crate) fn get_mut(&self) -> MutPtr<T> {
                MutPtr(self.0.get())
            }
        }

        /// A raw exclusive pointer into an [`UnsafeCell`], as loom's `MutPtr`.
        #[derive(Debug)]
        pub(crate) struct MutPtr<T: ?Sized>(*mut T);

        impl<T: ?Sized> MutPtr<T> {
            /// Dereferences the pointer.
            ///
            /// # Safety
            ///
            /// The caller must have exclusive access to the cell's contents for
            /// as long as the returned reference lives (no other reference to
            /// them exists, on any thread).
            #[allow(clippy::mut_from_ref)]
            pub(crate) unsafe fn deref(&self) -> &mut T {
                // SAFETY: the caller guarantees exclusive access (see # Safety);
                // the pointer came from a live `UnsafeCell` that outlives `self`.
                unsafe { &mut *self.0 }
            }
        }
    }

    /// A mutex whose `lock` cannot fail (no poisoning), as `parking_lot`'s.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T: ?Sized>(parking_lot::Mutex<T>);

    pub(crate) type MutexGuard<'a, T> = parking_lot::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) const fn new(value: T) -> Self {
            Self(parking_lot::const_mutex(value))
        }
    }

    impl<T: ?Sized> Mutex<T> {
        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock()
        }

        /// The guard if the lock is free now, `None` if it is held.
        #[allow(dead_code)] // not every build uses it
        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            self.0.try_lock()
        }

        /// The contents, through `&mut self`: no locking.
        pub(crate) fn get_mut(&mut self) -> &mut T {
            self.0.get_mut()
        }
    }

    /// A condition variable for the shim's [`Mutex`], with one kind of wait:
    /// until notified or a deadline, which may also return early. Code that
    /// waits with it must re-check its condition after every return, which
    /// is what lets loom model it (see the loom version).
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(parking_lot::Condvar);

    impl Condvar {
        pub(crate) const fn new() -> Self {
            Self(parking_lot::Condvar::new())
        }

        /// Releases `guard` (a guard of `mutex`), waits until notified or
        /// until `deadline`, and locks `mutex` again. May return early.
        pub(crate) fn wait_until<'a, T>(
            &self,
            mutex: &'a Mutex<T>,
            guard: MutexGuard<'a, T>,
            deadline: std::time::Instant,
        ) -> MutexGuard<'a, T> {
            let _ = mutex; // the guard knows its mutex; loom's version needs it
            let mut guard = guard;
            self.0.wait_until(&mut guard, deadline);
            guard
        }

        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }

    /// A hint inside every retry loop, so that loom can see the spin.
    #[inline]
    pub(crate) fn spin_loop() {
        core::hint::spin_loop();
    }

    /// Blocking waits with a timeout: only in ordinary builds, because loom
    /// cannot model time. Modules that block (the test subscriber, the
    /// blocking iterator, the schedulers' event loops) are compiled out of
    /// loom builds.
    #[allow(unused_imports)] // used by the blocking subscribers
    pub(crate) mod blocking {
        pub(crate) use parking_lot::{Condvar, Mutex, MutexGuard};
        pub(crate) use std::sync::{mpsc, OnceLock};
    }

    /// The identity of the running thread (the virtual-time scheduler tells a
    /// re-entrant `advance` from another thread's), and thread spawning (the
    /// elastic pool under the blocking scheduler starts its threads here).
    pub(crate) mod thread {
        #[allow(unused_imports)] // `Builder` is not used by loom-only builds' tests
        pub(crate) use std::thread::{current, Builder, ThreadId};
    }
}

#[cfg(reactive_streams_loom)]
mod imp {
    // `Arc` stays std's under loom: the traits hand out `Arc<dyn Subscription>`,
    // and loom's `Arc` cannot coerce to a trait object on stable Rust. All the
    // synchronization loom must see goes through the atomics below.
    #[allow(unused_imports)] // not every build uses `Weak`
    pub(crate) use std::sync::{Arc, Weak};

    /// Atomics, from loom.
    pub(crate) mod atomic {
        pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
    }

    /// `UnsafeCell`, from loom.
    pub(crate) mod cell {
        pub(crate) use loom::cell::{MutPtr, UnsafeCell};
    }

    /// loom's mutex with the poison error taken away.
    #[derive(Debug)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);

    pub(crate) type MutexGuard<'a, T> = loom::sync::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Self {
            Self(loom::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            match self.0.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            }
        }

        #[allow(dead_code)] // not every build uses it
        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            match self.0.try_lock() {
                Ok(guard) => Some(guard),
                Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => None,
            }
        }

        pub(crate) fn get_mut(&mut self) -> &mut T {
            match self.0.get_mut() {
                Ok(value) => value,
                Err(poisoned) => poisoned.into_inner(),
            }
        }
    }

    impl<T: Default> Default for Mutex<T> {
        fn default() -> Self {
            Self::new(T::default())
        }
    }

    /// The identity of the running (loom) thread, and loom's thread spawning.
    pub(crate) mod thread {
        pub(crate) use loom::thread::{current, Builder, ThreadId};
    }

    /// Under loom a timed wait returns at once, as if it timed out (or woke
    /// spuriously, which a real wait may also do): the lock is released and
    /// taken again, so loom explores every interleaving of the waiter
    /// re-checking its condition with the threads that change it, and a model
    /// never blocks on a clock. Notifications are then no-ops. Models that
    /// wait this way use a zero timeout, so that "the deadline passed" holds
    /// on every return and the run is deterministic.
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(());

    impl Condvar {
        pub(crate) fn new() -> Self {
            Self(())
        }

        pub(crate) fn wait_until<'a, T>(
            &self,
            mutex: &'a Mutex<T>,
            guard: MutexGuard<'a, T>,
            _deadline: std::time::Instant,
        ) -> MutexGuard<'a, T> {
            drop(guard);
            loom::thread::yield_now();
            mutex.lock()
        }

        pub(crate) fn notify_one(&self) {}

        pub(crate) fn notify_all(&self) {}
    }

    /// Under loom a spin must yield, or the model never lets the other thread run.
    #[inline]
    pub(crate) fn spin_loop() {
        loom::thread::yield_now();
    }
}

pub(crate) use imp::*;
