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

/// Runs `side` on a second thread while `here` runs on this one, and returns
/// both results; `side` runs here, after `here`, when no thread can be
/// spawned. A panic in either is this thread's panic.
pub fn beside<A: Send, B>(side: impl FnOnce() -> A + Send, here: impl FnOnce() -> B) -> (A, B) {
    let side = std::sync::Mutex::new(Some(side));
    let take = || side.lock().ok().and_then(|mut side| side.take());
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new().spawn_scoped(scope, || take().map(|side| side()));
        let b = here();
        let a = match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        (a.or_else(|| take().map(|side| side())).expect("`side` is run exactly once"), b)
    })
}

/// One value handed from the step that makes it to the step that uses it,
/// which may run first on another thread and wait. The maker takes the
/// [`Handoff::sender`] before it starts, so that should it panic, the user is
/// told (`None`) rather than left waiting.
pub struct Handoff<T> {
    put: std::sync::Mutex<Option<std::sync::mpsc::SyncSender<T>>>,
    take: std::sync::Mutex<std::sync::mpsc::Receiver<T>>,
}

impl<T> Default for Handoff<T> {
    fn default() -> Self {
        let (put, take) = std::sync::mpsc::sync_channel(1);
        Handoff { put: std::sync::Mutex::new(Some(put)), take: std::sync::Mutex::new(take) }
    }
}

impl<T> Handoff<T> {
    /// Where the value goes (sending never blocks); `None` once taken.
    pub fn sender(&self) -> Option<std::sync::mpsc::SyncSender<T>> {
        self.put.lock().ok().and_then(|mut put| put.take())
    }

    /// The value, once sent; `None` if its maker dropped the sender without sending.
    pub fn wait(&self) -> Option<T> {
        self.take.lock().ok().and_then(|take| take.recv().ok())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_handoff_whose_maker_panics_tells_the_waiting_user() {
        let handoff = super::Handoff::<u32>::default();
        std::thread::scope(|scope| {
            let user = scope.spawn(|| handoff.wait());
            let maker = scope.spawn(|| {
                let _sender = handoff.sender().expect("the first to ask gets it");
                panic!("the maker fails before sending");
            });
            assert!(maker.join().is_err());
            assert_eq!(user.join().unwrap(), None, "told, not left waiting");
        });
        let sent = super::Handoff::default();
        sent.sender().unwrap().send("fragment").unwrap();
        assert!(sent.sender().is_none(), "one sender");
        assert_eq!(sent.wait(), Some("fragment"));
    }

    #[test]
    fn beside_returns_both_results_and_passes_a_panic_on() {
        let items: Vec<u32> = (1..=1000).collect();
        let (a, b) = super::beside(|| items.iter().sum::<u32>(), || items.len());
        assert_eq!((a, b), (500_500, 1000));
        let panicked = std::panic::catch_unwind(|| super::beside(|| panic!("side"), || 1));
        assert!(panicked.is_err());
    }
}
