//! Order-preserving data parallelism for the pipeline's per-question stages:
//! the input is cut into one contiguous chunk per core, each chunk is mapped
//! on its own scoped thread, and the results are concatenated in input order.
//! The result is therefore exactly what a sequential `map` returns; only the
//! wall time depends on the number of cores.

/// Below this many items a stage runs on the calling thread: spawning costs
/// more than it saves.
const MIN_CHUNK: usize = 64;

/// `items.into_iter().map(f).collect()`, on every core.
pub fn map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads.max(1)).max(MIN_CHUNK);
    if items.len() <= chunk {
        return items.into_iter().map(f).collect();
    }
    let mut chunks: Vec<Vec<T>> = Vec::new();
    let mut rest = items.into_iter();
    loop {
        let part: Vec<T> = rest.by_ref().take(chunk).collect();
        if part.is_empty() {
            break;
        }
        chunks.push(part);
    }
    let f = &f;
    let mapped: Vec<Vec<U>> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<U>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    mapped.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_a_sequential_map_at_every_size() {
        for n in [0, 1, 63, 64, 65, 129, 1000, 4097] {
            let items: Vec<u64> = (0..n).collect();
            let want: Vec<String> = items.iter().map(|i| format!("<{}>", i * 3)).collect();
            assert_eq!(map(items, |i| format!("<{}>", i * 3)), want, "n = {n}");
        }
    }
}
