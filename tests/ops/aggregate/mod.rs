//! Reduce, collect, count, all, any; the terminal for_each and blocking first/last/collect.
