//! Order-preserving data parallelism for the pipeline's per-question stages.
//! The input is cut into small contiguous chunks that one worker per core
//! takes in turn (so an expensive stretch of the input, such as one guide
//! that needs code-span repair, does not leave the other cores idle), and
//! every result lands at its input's position. The result is therefore
//! exactly what a sequential loop gives; only the wall time depends on the
//! number of cores.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Below this many items a stage runs on the calling thread: spawning costs
/// more than it saves.
const MIN_PARALLEL: usize = 64;

/// Chunks per worker: enough to even out uneven work, few enough that
/// handing them out costs nothing.
const CHUNKS_PER_WORKER: usize = 16;

/// Caps the number of worker threads (the benchmarks use `1` to time each
/// stage and emitter on its own). Never changes an output.
pub const THREADS_ENV: &str = "DECKC_THREADS";

/// Worker threads to use (decided once per process): `DECKC_THREADS` when
/// it is a positive number, otherwise one per core; less on the side of a
/// `join_beside` that leaves a core to the other.
pub fn threads() -> usize {
    // Read once: `available_parallelism` opens and reads three cgroup files
    // on each call, and the stages ask about twenty times per build.
    static ALL: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let all = *ALL.get_or_init(|| {
        std::env::var(THREADS_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    });
    CAP.with(|cap| cap.get().map_or(all, |c| all.min(c)))
}

thread_local! {
    /// The most workers the stages run on this thread may use (`join_beside`).
    static CAP: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

fn workers(len: usize, min_parallel: usize) -> usize {
    if len < min_parallel.max(2) {
        return 1;
    }
    threads()
}

/// Runs `f` on every item in place, with a per-worker state made by `state`
/// (a cache, say) that must not change what `f` does to an item.
pub fn for_each_mut<T: Send, S>(
    items: &mut [T],
    state: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &mut T) + Sync,
) {
    for_each_mut_from(items, MIN_PARALLEL, state, f)
}

/// `for_each_mut`, on several threads from `min_parallel` items on.
fn for_each_mut_from<T: Send, S>(
    items: &mut [T],
    min_parallel: usize,
    state: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &mut T) + Sync,
) {
    let workers = workers(items.len(), min_parallel);
    if workers <= 1 {
        let mut s = state();
        items.iter_mut().for_each(|t| f(&mut s, t));
        return;
    }
    let size = items.len().div_ceil(workers * CHUNKS_PER_WORKER).max(1);
    let chunks: Vec<Mutex<&mut [T]>> = items.chunks_mut(size).map(Mutex::new).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut s = state();
                while let Some(chunk) = chunks.get(next.fetch_add(1, Ordering::Relaxed)) {
                    // Each chunk is taken by one worker only, so never contended.
                    if let Ok(mut chunk) = chunk.lock() {
                        chunk.iter_mut().for_each(|t| f(&mut s, t));
                    }
                }
            });
        }
    });
}

/// `items.into_iter().map(f).collect()`, on every core.
pub fn map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    map_from(items, MIN_PARALLEL, f)
}

/// `map` for items that are each a lot of work (a slice of a file to
/// deflate): on several threads from two items on.
pub fn map_coarse<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    map_from(items, 2, f)
}

/// Runs `a` on a thread of its own while `b` runs on this one, and returns
/// both results; with one thread (`DECKC_THREADS=1`), `a` and then `b`. A
/// panic in `a` is passed on.
pub fn join<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    if threads() <= 1 {
        let a = a();
        return (a, b());
    }
    std::thread::scope(|s| {
        let a = s.spawn(a);
        let b = b();
        match a.join() {
            Ok(a) => (a, b),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// `join`, where `b`, and every stage it runs, uses one worker less than
/// `a` may (at least one). For an `a` with long stretches on one core: `b`
/// fills the core they leave instead of crowding `a`'s parallel parts,
/// and `a`'s one-core stretches keep a core of their own. With one thread,
/// `a` and then `b`.
pub fn join_beside<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    /// Puts this thread's cap back, also when `b` panics.
    struct Restore(Option<usize>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CAP.with(|cap| cap.set(self.0));
        }
    }
    let fewer = threads().saturating_sub(1).max(1);
    join(a, move || {
        let _restore = Restore(CAP.with(|cap| cap.replace(Some(fewer))));
        b()
    })
}

fn map_from<T: Send, U: Send>(
    items: Vec<T>,
    min_parallel: usize,
    f: impl Fn(T) -> U + Sync,
) -> Vec<U> {
    let mut slots: Vec<(Option<T>, Option<U>)> =
        items.into_iter().map(|t| (Some(t), None)).collect();
    for_each_mut_from(
        &mut slots,
        min_parallel,
        || (),
        |(), (t, u)| {
            if let Some(t) = t.take() {
                *u = Some(f(t));
            }
        },
    );
    slots.into_iter().filter_map(|(_, u)| u).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_a_sequential_map_at_every_size() {
        for n in [0, 1, 63, 64, 65, 129, 1000, 4097] {
            let items: Vec<u64> = (0..n).collect();
            let want: Vec<String> = items.iter().map(|i| format!("<{}>", i * 3)).collect();
            assert_eq!(
                map(items.clone(), |i| format!("<{}>", i * 3)),
                want,
                "n = {n}"
            );
            assert_eq!(
                map_coarse(items, |i| format!("<{}>", i * 3)),
                want,
                "n = {n}"
            );
        }
    }

    #[test]
    fn join_returns_both_results() {
        let (a, b) = join(|| (0..1000u64).sum::<u64>(), || "b".repeat(3));
        assert_eq!((a, b.as_str()), (499_500, "bbb"));
    }

    #[test]
    fn join_beside_leaves_the_other_side_one_worker_less() {
        let all = threads();
        let (a, b) = join_beside(threads, threads);
        if all > 1 {
            assert_eq!((a, b), (all, all - 1));
        } else {
            assert_eq!((a, b), (1, 1));
        }
        // The cap ends with `b`.
        assert_eq!(threads(), all);
        // And `b`'s stages still give a sequential map's result.
        let (_, mapped) = join_beside(|| (), || map((0..500u32).collect(), |i| i * 2));
        assert_eq!(mapped, (0..500u32).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn every_item_is_visited_once_with_a_worker_state() {
        let mut items: Vec<(u32, u32)> = (0..5000).map(|i| (i, 0)).collect();
        for_each_mut(&mut items, Vec::<u32>::new, |seen, (i, visits)| {
            seen.push(*i);
            *visits += 1;
        });
        assert!(items
            .iter()
            .enumerate()
            .all(|(k, &(i, v))| i as usize == k && v == 1));
    }
}
