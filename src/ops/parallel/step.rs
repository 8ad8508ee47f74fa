//! The per-rail subscriber of `map` and `filter`: one closure applied to
//! each item of a rail, keeping the item's source position.

use crate::error::Error;
use crate::ops::support::guard::guard;
use crate::ops::support::relay::Relay;
use crate::sync::Arc;
use crate::traits::{Subscriber, Subscription};

/// What a rail stage does to one item: a new item, or none (dropped).
pub(crate) trait RailStep<T>: Send + Sync + 'static {
    type Out;

    /// May panic (it runs user code); the caller guards it.
    fn step(&self, item: T) -> Option<Self::Out>;
}

/// One rail's subscriber of a `map` or a `filter`.
pub(crate) struct StepSubscriber<S, Op> {
    relay: Relay<S>,
    op: Arc<Op>,
}

impl<S, Op> StepSubscriber<S, Op> {
    pub(crate) fn new(downstream: S, op: Arc<Op>) -> Self {
        StepSubscriber {
            relay: Relay::new(downstream),
            op,
        }
    }
}

/// Makes one subscriber per rail, sharing `op`.
pub(crate) fn rails<S, Op>(downstream: Vec<S>, op: &Arc<Op>) -> Vec<StepSubscriber<S, Op>> {
    downstream
        .into_iter()
        .map(|rail| StepSubscriber::new(rail, Arc::clone(op)))
        .collect()
}

impl<S, Op, T> Subscriber<(u64, T)> for StepSubscriber<S, Op>
where
    Op: RailStep<T>,
    S: Subscriber<(u64, Op::Out)>,
{
    fn on_subscribe(&mut self, subscription: Arc<dyn Subscription>) {
        self.relay.on_subscribe(subscription);
    }

    #[inline]
    fn on_next(&mut self, item: (u64, T)) {
        if !self.try_on_next(item) {
            self.relay.request(1); // a dropped item is replaced
        }
    }

    #[inline]
    fn try_on_next(&mut self, (position, item): (u64, T)) -> bool {
        if self.relay.is_done() {
            return true; // §2.8: late items after our own cancel are ignored
        }
        let op = &self.op;
        match guard(|| op.step(item)) {
            Ok(Some(out)) => self.relay.downstream.try_on_next((position, out)),
            Ok(None) => false,
            Err(panic) => {
                self.relay.fail(panic);
                true
            }
        }
    }

    fn on_error(&mut self, error: Error) {
        self.relay.on_error(error);
    }

    fn on_complete(&mut self) {
        self.relay.on_complete();
    }
}
