use reactive_streams::{source, BoxPublisher};

/// `from`, `from - 1`, ..., `1`, then `on_complete`: one `step` call per
/// requested item, so nothing is computed ahead of demand.
pub fn countdown(from: u64) -> BoxPublisher<u64> {
    if from == 0 {
        // `generate` needs a request to find out that there is nothing;
        // `empty` completes at once (§1.4, §1.5: no demand needed for the end).
        return BoxPublisher::new(source::empty());
    }
    BoxPublisher::new(source::generate(
        move || from, // a fresh state for each subscriber (§1.11)
        |n: &mut u64, sink| {
            sink.next(*n);
            *n -= 1;
            if *n == 0 {
                sink.complete(); // with the last item: no extra request needed
            }
        },
    ))
}
