//! Scheduled runs: the jobs file (`file`), when a job is due (`schedule`), the state kept between
//! runs with its lock and archive (`state`), and the runner that drives the same pipeline as
//! `brief` for each job (`runner`).

pub mod file;
mod paths;
mod pool;
pub mod runner;
pub mod schedule;
pub mod state;
