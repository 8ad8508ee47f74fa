//! The TCK over publish, share, replay, the multicast and unicast processors.
