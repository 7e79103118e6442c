//! Worker threads with a time limit per task: what lets a run finish when one job hangs.
//!
//! A thread stuck in a system call cannot be stopped from outside, so a task that passes its
//! limit is given up on instead: it is reported as timed out, a fresh worker takes its place, and
//! the run goes on; whatever the stuck thread does later is ignored (the caller also flags it, so
//! it sends nothing). The threads are detached, so a stuck one ends with the process instead of
//! holding the run open. Events reach the caller on its own thread, in the order they happen.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A task given up on after its time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut {
    pub limit: Duration,
}

enum Message<T> {
    Started(usize),
    Done(usize, T),
}

/// Runs `work(id)` for each `(id, limit)` on up to `workers` threads. `started(id)` and
/// `done(id, result)` are called on the calling thread; every task gets exactly one `done`.
pub fn run<T: Send + 'static>(
    tasks: Vec<(usize, Duration)>,
    workers: usize,
    work: Arc<dyn Fn(usize) -> T + Send + Sync>,
    mut started: impl FnMut(usize),
    mut done: impl FnMut(usize, Result<T, TimedOut>),
) {
    let limits: std::collections::HashMap<usize, Duration> = tasks.iter().copied().collect();
    let mut pending = tasks.len();
    let queue = Arc::new(Mutex::new(tasks.into_iter().map(|(id, _)| id)));
    let (tx, rx) = mpsc::channel::<Message<T>>();
    let spawn = |tx: mpsc::Sender<Message<T>>| {
        let queue = queue.clone();
        let work = work.clone();
        std::thread::spawn(move || loop {
            let Some(id) = queue.lock().unwrap_or_else(|e| e.into_inner()).next() else {
                break;
            };
            if tx.send(Message::Started(id)).is_err() {
                break;
            }
            let result = work(id);
            if tx.send(Message::Done(id, result)).is_err() {
                break;
            }
        });
    };
    for _ in 0..workers.clamp(1, pending.max(1)) {
        spawn(tx.clone());
    }
    let mut running: Vec<(usize, Instant)> = Vec::new();
    while pending > 0 {
        let deadline = running.iter().map(|(id, at)| *at + limits[id]).min();
        let message = match deadline {
            Some(d) => rx.recv_timeout(d.saturating_duration_since(Instant::now())),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match message {
            Ok(Message::Started(id)) => {
                running.push((id, Instant::now()));
                started(id);
            }
            Ok(Message::Done(id, result)) => {
                // A task already given up on is not reported twice.
                if let Some(pos) = running.iter().position(|(r, _)| *r == id) {
                    running.swap_remove(pos);
                    pending -= 1;
                    done(id, Ok(result));
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                let (late, on_time): (Vec<_>, Vec<_>) = running
                    .drain(..)
                    .partition(|(id, at)| now >= *at + limits[id]);
                running = on_time;
                for (id, _) in late {
                    pending -= 1;
                    done(id, Err(TimedOut { limit: limits[&id] }));
                    // Its worker is stuck: another one takes the rest of the queue.
                    spawn(tx.clone());
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_past_its_limit_is_given_up_and_the_others_still_run() {
        let tasks = vec![
            (0, Duration::from_millis(100)),
            (1, Duration::from_secs(10)),
            (2, Duration::from_secs(10)),
            (3, Duration::from_secs(10)),
        ];
        let work: Arc<dyn Fn(usize) -> usize + Send + Sync> = Arc::new(|id| {
            if id == 0 {
                std::thread::sleep(Duration::from_secs(60)); // hangs
            }
            id * 10
        });
        let mut started = Vec::new();
        let mut results = Vec::new();
        let t = Instant::now();
        // One worker: the hung task blocks it, so the others need a replacement worker.
        run(
            tasks,
            1,
            work,
            |id| started.push(id),
            |id, r| results.push((id, r)),
        );
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
        results.sort_by_key(|(id, _)| *id);
        assert_eq!(
            results,
            vec![
                (
                    0,
                    Err(TimedOut {
                        limit: Duration::from_millis(100)
                    })
                ),
                (1, Ok(10)),
                (2, Ok(20)),
                (3, Ok(30)),
            ]
        );
        assert_eq!(started.len(), 4);
    }

    #[test]
    fn no_tasks_no_threads_no_wait() {
        let work: Arc<dyn Fn(usize) + Send + Sync> = Arc::new(|_| ());
        run(Vec::new(), 4, work, |_| panic!(), |_, _| panic!());
    }
}
