//! STUB: `create` is being written.
#![allow(missing_docs, missing_debug_implementations, unused_variables, dead_code)]

use crate::traits::{Publisher, Subscriber};

pub struct Create<T>(core::marker::PhantomData<fn() -> T>);
pub struct Emitter<T>(core::marker::PhantomData<fn() -> T>);
pub enum Overflow {}
pub enum EmitError<T> {
    Full(T),
}
pub fn create<T>() -> Create<T> {
    todo!()
}
impl<T: Send + 'static> Publisher for Create<T> {
    type Item = T;
    fn subscribe<S: Subscriber<T> + 'static>(&self, s: S) {}
}
