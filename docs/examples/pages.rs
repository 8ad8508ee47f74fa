use std::collections::VecDeque;
use std::sync::Arc;

use reactive_streams::author::{subscribe_pull, Pull, Step};
use reactive_streams::{Error, Publisher, Subscriber};

/// The one thing we need from the database: up to `limit` rows from
/// `offset` on (fewer at the end of the table), or an error.
pub trait Table: Send + Sync + 'static {
    /// A fetched row.
    type Row: Send + 'static;

    /// Rows `offset..offset + limit`, fewer at the end.
    fn fetch(&self, offset: u64, limit: usize) -> Result<Vec<Self::Row>, Error>;
}

/// Every row of a table, fetched a page at a time, and only as fast as the
/// subscriber asks: a page is fetched when the previous one is used up and
/// there is demand for another row.
pub struct Rows<T> {
    table: Arc<T>,
    page_size: usize,
}

impl<T> Rows<T> {
    /// Rows of `table`, `page_size` (at least 1) at a time.
    pub fn new(table: T, page_size: usize) -> Self {
        Rows {
            table: Arc::new(table),
            page_size: page_size.max(1),
        }
    }
}

impl<T: Table> Publisher for Rows<T> {
    type Item = T::Row;

    fn subscribe<S: Subscriber<T::Row> + 'static>(&self, subscriber: S) {
        // A fresh cursor per subscriber (§1.11); the emitter does the rest.
        let cursor = Cursor {
            table: Arc::clone(&self.table),
            page_size: self.page_size,
            offset: 0,
            page: VecDeque::new(),
            started: false,
            last_page: false,
        };
        subscribe_pull(cursor, subscriber);
    }
}

/// The state of one subscription: where we are in the table, and the rest
/// of the current page.
struct Cursor<T: Table> {
    table: Arc<T>,
    page_size: usize,
    offset: u64,
    page: VecDeque<T::Row>,
    /// The first page was fetched (the query ran).
    started: bool,
    /// The last fetch returned less than a full page: the table ends there.
    last_page: bool,
}

impl<T: Table> Cursor<T> {
    /// Fetches the next page if the current one is used up.
    fn fill(&mut self) -> Result<(), Error> {
        if self.page.is_empty() && !self.last_page {
            let rows = self.table.fetch(self.offset, self.page_size)?;
            self.started = true;
            self.last_page = rows.len() < self.page_size;
            self.offset += rows.len() as u64;
            self.page = rows.into();
        }
        Ok(())
    }
}

impl<T: Table> Pull for Cursor<T> {
    type Item = T::Row;

    /// Called only when the subscriber wants a row (§1.1), by one thread at
    /// a time (§1.3).
    fn next(&mut self) -> Step<T::Row> {
        if let Err(error) = self.fill() {
            return Step::End(Err(error)); // §1.4: on_error, then nothing
        }
        match self.page.pop_front() {
            Some(row) => Step::Next(row),
            None => Step::End(Ok(())),
        }
    }

    /// Asked when the subscription starts and whenever demand runs out.
    /// The first time, it runs the query, so that a table that cannot be
    /// read fails at once, without waiting for demand (§1.4); after that it
    /// reports the end as soon as the last row is out, so that
    /// `on_complete` needs no extra request (§1.5).
    fn finished(&mut self) -> Option<Result<(), Error>> {
        if !self.started {
            if let Err(error) = self.fill() {
                return Some(Err(error));
            }
        }
        (self.last_page && self.page.is_empty()).then_some(Ok(()))
    }
}
