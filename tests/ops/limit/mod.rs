//! Take, take_while, take_until, skip, skip_while, skip_until, element_at, first, last, ignore_elements, default_if_empty, limit_request.
