//! Publish, share, replay, the multicast and unicast processors.
