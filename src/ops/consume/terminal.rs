//! The blocking terminal methods of [`PublisherExt`](crate::PublisherExt):
//! `for_each`, `blocking_first`, `blocking_last`, `blocking_collect`.
//!
//! All of them subscribe a [`BlockingIter`] and wait on the calling thread
//! (so they are left out of loom builds, like the iterator). The one-item
//! forms subscribe it to `first`, `last` or `collect` with a prefetch of 1:
//! the folding runs on the emitting thread, and one item crosses to the
//! waiting one.

use crate::error::Error;
use crate::subscriber::BlockingIter;
use crate::traits::Publisher;

/// Calls `f` with every item on the calling thread, until the end.
pub(crate) fn for_each<P, F>(publisher: &P, mut f: F) -> Result<(), Error>
where
    P: Publisher + ?Sized,
    F: FnMut(P::Item),
{
    let items = BlockingIter::subscribe(publisher, BlockingIter::<P::Item>::DEFAULT_PREFETCH);
    for item in items {
        f(item?);
    }
    Ok(())
}

/// Waits for the one item of a publisher of at most one.
pub(crate) fn single<P>(publisher: &P) -> Result<Option<P::Item>, Error>
where
    P: Publisher + ?Sized,
{
    // Dropping the iterator afterwards cancels whatever is left (§3.12).
    BlockingIter::subscribe(publisher, 1).next().transpose()
}
