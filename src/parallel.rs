//! Independent work on all cores, results taken in order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work` on every item on up to `max_threads` threads (each with a
/// stack of `stack_bytes`), and hands each result to `take` in the order of
/// `items`, as soon as it and all before it are done, so what is printed
/// never depends on thread timing. At most two results per thread wait to be
/// taken, which bounds memory; what no thread took (none could be spawned) is
/// done on this one.
pub fn in_order<I: Sync, T: Send>(
    items: &[I],
    max_threads: usize,
    stack_bytes: usize,
    work: impl Fn(usize, &I) -> T + Sync,
    mut take: impl FnMut(usize, T),
) {
    let threads =
        std::thread::available_parallelism().map_or(1, |n| n.get()).min(max_threads).min(items.len()).max(1);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(threads * 2);
        for _ in 0..threads {
            let (tx, next, work) = (tx.clone(), &next, &work);
            let worker = std::thread::Builder::new().stack_size(stack_bytes);
            let spawned = worker.spawn_scoped(scope, move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                if tx.send((i, work(i, item))).is_err() {
                    break;
                }
            });
            if spawned.is_err() {
                break; // fewer workers; what none took is done below
            }
        }
        drop(tx);
        let mut waiting = BTreeMap::new();
        let mut due = 0;
        for (i, result) in rx {
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&due) {
                take(due, result);
                due += 1;
            }
        }
        for (i, item) in items.iter().enumerate().skip(due) {
            let result = waiting.remove(&i).unwrap_or_else(|| work(i, item));
            take(i, result);
        }
    });
}
