//! Reduce, collect, count, all, any; the terminal for_each and blocking first/last/collect.

mod all;
mod any;
mod collect;
mod count;
mod reduce;
mod terminal;
