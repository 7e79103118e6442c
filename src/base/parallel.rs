//! Work spread over the cores in contiguous chunks, results in input order.
//!
//! Loading reads, parses and checks thousands of independent files, and a long PDF has hundreds
//! of independent streams to compress; a scheduled run's small machine has two cores. Scoped
//! threads and one chunk per core are all these need, so there is no thread pool to carry.
//! A panic in a worker is a bug and is resumed on the caller's thread as the panic it was.

/// Below this many items a thread costs more than it saves.
const MIN_PARALLEL: usize = 64;

thread_local! {
    /// At most this many threads for work started on this thread (None: one per core).
    static CAP: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with the work it spreads limited to `threads` threads: a scheduled run's jobs run
/// side by side, and each spreading its work over every core would start jobs × cores threads.
#[cfg_attr(not(feature = "jobs"), allow(dead_code))] // only the scheduler caps its jobs
pub fn with_cap<R>(threads: usize, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<usize>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CAP.set(self.0);
        }
    }
    let _restore = Restore(CAP.replace(Some(threads.max(1))));
    f()
}

/// Items per chunk: one chunk per core, or everything in one when parallelism does not pay.
fn chunk_len(len: usize, min: usize) -> usize {
    chunks_of(len, min, 1)
}

/// The cores this process may use, asked once (the standard library reads the cgroup's quota
/// files on every call).
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// Items per chunk for `per_core` chunks a core.
fn chunks_of(len: usize, min: usize, per_core: usize) -> usize {
    let cores = cores();
    let threads = CAP.get().unwrap_or(usize::MAX).min(cores * per_core);
    if threads < 2 || len < min {
        len.max(1)
    } else {
        len.div_ceil(threads)
    }
}

fn joined<U>(handle: std::thread::ScopedJoinHandle<'_, U>) -> U {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// `items.into_iter().map(f).collect()`, on every core.
pub fn map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let per = chunk_len(items.len(), MIN_PARALLEL);
    map_in(items, per, f)
}

/// [`map`] for work that waits on the disk as well as computing (reading and parsing files): two
/// threads a core, so that one thread's reads overlap another's parsing (6% off loading 10,000
/// files on two cores, where the system keeps only part of them in its cache).
pub fn map_io<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let per = chunks_of(items.len(), MIN_PARALLEL, 2);
    map_in(items, per, f)
}

fn map_in<T: Send, U: Send>(items: Vec<T>, per: usize, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let len = items.len();
    if per >= len {
        return items.into_iter().map(f).collect();
    }
    let mut chunks: Vec<Vec<T>> = Vec::new();
    let mut rest = items.into_iter();
    loop {
        let chunk: Vec<T> = rest.by_ref().take(per).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(f).collect::<Vec<U>>()))
            .collect();
        concat(handles.into_iter().map(joined).collect(), len)
    })
}

/// `items.iter().map(f).collect()`, on every core.
pub fn map_ref<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let parts = map_chunks(items, |chunk| chunk.iter().map(&f).collect::<Vec<U>>());
    concat(parts, items.len())
}

/// The parts one after the other, moved once into a vector of the right size (collecting a
/// flattened iterator grows and copies 100,000 large rows several times over).
fn concat<U>(parts: Vec<Vec<U>>, len: usize) -> Vec<U> {
    let mut all = Vec::with_capacity(len);
    for mut part in parts {
        all.append(&mut part);
    }
    all
}

/// `f` on each chunk of `items`, on every core; one result per chunk, in order.
pub fn map_chunks<T: Sync, U: Send>(items: &[T], f: impl Fn(&[T]) -> U + Sync) -> Vec<U> {
    let per = chunk_len(items.len(), MIN_PARALLEL);
    if per >= items.len() {
        return vec![f(items)];
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(per)
            .map(|chunk| scope.spawn(move || f(chunk)))
            .collect();
        handles.into_iter().map(joined).collect()
    })
}

/// `a()` and `b()`, side by side when there is more than one core to run them on.
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if chunk_len(2, 2) >= 2 {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let first = scope.spawn(a);
        let second = b();
        (joined(first), second)
    })
}

/// `f` on each item, on every core (any count: the items are expected to be large).
pub fn for_each_mut<T: Send>(items: &mut [T], f: impl Fn(&mut T) + Sync) {
    let per = chunk_len(items.len(), 2);
    let f = &f;
    std::thread::scope(|scope| {
        for chunk in items.chunks_mut(per) {
            scope.spawn(move || chunk.iter_mut().for_each(f));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cap_of_one_thread_keeps_work_on_the_calling_thread() {
        assert_eq!(with_cap(1, || chunk_len(10_000, 64)), 10_000);
        let here = std::thread::current().id();
        let ids = with_cap(1, || {
            map((0..1000).collect(), |_| std::thread::current().id())
        });
        assert!(ids.iter().all(|id| *id == here));
        let ids = with_cap(1, || {
            map_io((0..1000).collect(), |_| std::thread::current().id())
        });
        assert!(
            ids.iter().all(|id| *id == here),
            "the cap holds for map_io too"
        );
    }

    #[test]
    fn order_is_kept() {
        let v: Vec<usize> = (0..1000).collect();
        assert_eq!(
            map(v.clone(), |x| x * 2),
            v.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        let sums = map_chunks(&v, |c| c.iter().sum::<usize>());
        assert_eq!(sums.iter().sum::<usize>(), v.iter().sum::<usize>());
        let mut w = v.clone();
        for_each_mut(&mut w, |x| *x += 1);
        assert_eq!(w, (1..1001).collect::<Vec<_>>());
        assert!(map(Vec::<u8>::new(), |x| x).is_empty());
        assert_eq!(
            map_io(v.clone(), |x| x + 1),
            v.iter().map(|x| x + 1).collect::<Vec<_>>()
        );
        assert_eq!(map_chunks(&[] as &[u8], |c| c.len()), vec![0]);
        assert_eq!(
            map_ref(&v, |x| x * 3),
            v.iter().map(|x| x * 3).collect::<Vec<_>>()
        );
        assert!(map_ref(&[] as &[u8], |x| *x).is_empty());
        assert_eq!(join(|| 1, || 2), (1, 2));
        assert_eq!(with_cap(1, || join(|| 1, || 2)), (1, 2));
    }

    #[test]
    #[should_panic(expected = "worker bug")]
    fn a_worker_panic_reaches_the_caller() {
        map((0..1000).collect(), |x: i32| {
            if x == 999 {
                panic!("worker bug");
            }
            x
        });
    }
}
