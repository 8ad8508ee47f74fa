//! On_error_return, on_error_resume, retry.
