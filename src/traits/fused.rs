//! The hooks of fusion: how this crate's stages run as one loop where the
//! protocol allows it.
//!
//! Two hooks, both hidden methods whose token type, [`Fused`], only this crate
//! can build or name, so code outside the crate can neither call nor
//! override them (the public API does not change):
//!
//! - [`Subscriber::try_on_next_fused`](crate::Subscriber::try_on_next_fused):
//!   the source engine's per-item call, behind which `map`, `filter` and
//!   `filter_map` skip their own checks (`source/pull.rs`, "Fusion").
//! - [`Publisher::fused_source`](crate::Publisher::fused_source): a
//!   synchronous source handed over as its pull, so that `flat_map` and
//!   `concat_map` run such an inner inside their own drain, and `merge` and
//!   `zip` of such sources become one pull, instead of subscribing them.
//!   `map` over such a source is one too (its function applied in the
//!   pull). `filter` and `filter_map` are not: a pull that skipped rejected
//!   items would loop past the engine's per-item cancel check, so that a
//!   cancel could not stop a filter that rejects everything.
//!
//! This is the one place where the traits depend on the rest of the crate
//! (the source engine's `Pull`); splitting the traits into a crate of their
//! own would make the token a `#[doc(hidden)]` public type.

use crate::author::pull::{Pull, Step};
use crate::error::Error;

/// The caller's proof that it is this crate's own code.
///
/// It is public only in name: it sits in a private module and its field is
/// crate-private, so no code outside the crate can build one (and so call
/// a fused method) or name it (and so override one).
#[derive(Clone, Copy, Debug)]
pub struct Fused(pub(crate) ());

/// A synchronous source taken out of its publisher: the pull behind `range`,
/// `from_iter`, `just`, `empty`, `error` or `generate`, for an operator to
/// run inside its own drain.
///
/// It is itself a [`Pull`]: `next` for the next item or the end, `finished`
/// for the end when it is known without pulling (an empty source ends at
/// once, without demand). Its `next` never says "pending": only sources that
/// always have an item or the end at hand offer one (`never` does not).
pub struct FusedSource<T>(Box<dyn Pull<Item = T>>);

impl<T: Send + 'static> FusedSource<T> {
    /// Wraps the pull of a source.
    pub(crate) fn new(pull: impl Pull<Item = T>) -> Self {
        FusedSource(Box::new(pull))
    }
}

impl<T: Send + 'static> FusedSource<T> {
    /// Subscribes `subscriber` to the source after all, through the source
    /// engine, as the publisher it came from would have: for an operator
    /// that probed its sources and cannot fuse them all.
    pub(crate) fn subscribe<S>(self, subscriber: S)
    where
        S: crate::traits::Subscriber<T> + 'static,
    {
        crate::author::pull::subscribe(self, subscriber);
    }
}

impl<T: Send + 'static> Pull for FusedSource<T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Step<T> {
        self.0.next()
    }

    #[inline]
    fn finished(&mut self) -> Option<Result<(), Error>> {
        self.0.finished()
    }
}

impl<T> core::fmt::Debug for FusedSource<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("FusedSource")
    }
}
