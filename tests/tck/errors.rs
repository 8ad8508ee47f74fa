//! The TCK over on_error_return, on_error_resume, retry.
