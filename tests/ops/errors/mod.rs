//! On_error_return, on_error_resume, retry.

mod on_error_resume;
mod on_error_return;
mod retry;
