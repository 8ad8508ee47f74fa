//! Subscribers: closures, blocking iteration, and a subscriber for tests.
//!
//! STUB: being written (LambdaSubscriber, CancelHandle, TestSubscriber, BlockingIter).
#![allow(missing_docs, missing_debug_implementations, unused_variables, dead_code)]

use crate::error::{Error, ErrorKind};
use crate::sync::Arc;
use crate::traits::{Publisher, Subscriber, Subscription};

pub struct CancelHandle;
impl CancelHandle {
    pub fn cancel(&self) {}
    pub fn is_terminated(&self) -> bool {
        todo!()
    }
}

pub struct LambdaSubscriber<T> {
    f: Box<dyn FnMut(T) + Send>,
}
impl<T> LambdaSubscriber<T> {
    pub fn new<F: FnMut(T) + Send + 'static>(f: F) -> Self {
        Self { f: Box::new(f) }
    }
    pub fn handle(&self) -> CancelHandle {
        CancelHandle
    }
    pub fn on_error<G>(self, g: G) -> Self {
        self
    }
}
impl<T> Subscriber<T> for LambdaSubscriber<T> {
    fn on_subscribe(&mut self, s: Arc<dyn Subscription>) {
        s.request(crate::UNBOUNDED)
    }
    fn on_next(&mut self, item: T) {
        (self.f)(item)
    }
    fn on_error(&mut self, e: Error) {}
    fn on_complete(&mut self) {}
}

#[cfg(not(reactive_streams_loom))]
pub struct BlockingIter<T>(core::marker::PhantomData<T>);
#[cfg(not(reactive_streams_loom))]
impl<T: Send + 'static> BlockingIter<T> {
    pub const DEFAULT_PREFETCH: usize = 256;
    pub fn subscribe<P: Publisher<Item = T> + ?Sized>(p: &P, prefetch: usize) -> Self {
        todo!()
    }
}
#[cfg(not(reactive_streams_loom))]
impl<T> Iterator for BlockingIter<T> {
    type Item = Result<T, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        todo!()
    }
}

#[cfg(not(reactive_streams_loom))]
#[derive(Clone)]
pub struct TestSubscriber<T>(core::marker::PhantomData<T>);
#[cfg(not(reactive_streams_loom))]
impl<T: Send + 'static> TestSubscriber<T> {
    pub fn new(initial: u64) -> Self {
        todo!()
    }
    pub fn unbounded() -> Self {
        todo!()
    }
    pub fn request(&self, n: u64) {}
    pub fn cancel(&self) {}
    pub fn assert_values(&self, v: &[T]) -> &Self {
        self
    }
    pub fn assert_no_values(&self) -> &Self {
        self
    }
    pub fn assert_complete(&self) -> &Self {
        self
    }
    pub fn assert_not_terminated(&self) -> &Self {
        self
    }
    pub fn assert_subscribed(&self) -> &Self {
        self
    }
    pub fn assert_error_message(&self, m: &str) -> &Self {
        self
    }
    pub fn assert_error_kind(&self, k: ErrorKind) -> &Self {
        self
    }
}
#[cfg(not(reactive_streams_loom))]
impl<T: Send> Subscriber<T> for TestSubscriber<T> {
    fn on_subscribe(&mut self, s: Arc<dyn Subscription>) {}
    fn on_next(&mut self, item: T) {}
    fn on_error(&mut self, e: Error) {}
    fn on_complete(&mut self) {}
}
