//! `DueSlot`: the one item a timed emitter has made due, and the
//! [`NoDemand`] choice applied to it when downstream has no demand.
//!
//! Shared by `interval`, `timer`, `debounce`, `sample` and `throttle_last`
//! (their stores in `timed.rs`'s engine). It lives under the engine's lock;
//! what it drops leaves through [`Effects`].

use crate::error::Error;
use crate::ops::support::timed::Effects;
use crate::ops::NoDemand;

/// At most one due item, with the choice for when it cannot be delivered.
#[derive(Debug)]
pub(crate) struct DueSlot<T> {
    item: Option<T>,
    policy: NoDemand,
    /// Names the operator in the error of [`NoDemand::Error`].
    operator: &'static str,
}

impl<T> DueSlot<T> {
    pub(crate) fn new(policy: NoDemand, operator: &'static str) -> Self {
        DueSlot {
            item: None,
            policy,
            operator,
        }
    }

    /// `item` falls due. If one is already waiting (downstream is busy, or
    /// had no demand under [`NoDemand::Latest`]), the choice applies: the
    /// newer replaces it (`Latest`), is dropped (`Drop`), or fails the
    /// stream (`Error`).
    pub(crate) fn put(&mut self, item: T, fx: &mut Effects<T>) {
        match (&self.item, self.policy) {
            (None, _) | (Some(_), NoDemand::Latest) => {
                if let Some(old) = self.item.replace(item) {
                    fx.drop_later(old);
                }
            }
            (Some(_), NoDemand::Drop) => fx.drop_later(item),
            (Some(_), _) => {
                fx.drop_later(item);
                fx.fail(self.no_demand("fell due before the previous one was delivered"));
            }
        }
    }

    /// The due item if downstream can take it; else the choice applies and
    /// `None` is returned.
    pub(crate) fn poll(&mut self, has_demand: bool, fx: &mut Effects<T>) -> Option<T> {
        let item = self.item.take()?;
        if has_demand {
            return Some(item);
        }
        match self.policy {
            NoDemand::Latest => self.item = Some(item),
            NoDemand::Drop => fx.drop_later(item),
            _ => {
                fx.drop_later(item);
                fx.fail(self.no_demand("fell due with no demand from downstream"));
            }
        }
        None
    }

    /// True when no item waits.
    pub(crate) fn is_empty(&self) -> bool {
        self.item.is_none()
    }

    fn no_demand(&self, what: &str) -> Error {
        Error::overflow(format!(
            "{}: an item {what} (§1.1); choose NoDemand::Drop or NoDemand::Latest to keep \
             going, or request more",
            self.operator
        ))
    }
}
