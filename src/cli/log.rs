//! What the program prints on standard error besides its output: the library's tracing events
//! (a server's access log, reloads, a scheduled run's progress) and the program's own messages,
//! through one subscriber, so `-q`, `-v` and `RUST_LOG` govern them all.
//!
//! By default the wording is the plain one people read: `error: …`, `warning: …`, and
//! information with no prefix, no time stamp and no colour (NO_COLOR or not, nothing here is
//! coloured). `-v` adds `debug:` lines, `-vv` `trace:` lines with where they came from.

use std::fmt;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// The level `-q`/`-v` ask for: information by default; `-q` warnings and errors, `-qq` errors
/// only; `-v` debugging, `-vv` everything.
pub fn level(quiet: u8, verbose: u8) -> Level {
    match (quiet, verbose) {
        (0, 0) => Level::INFO,
        (1, _) => Level::WARN,
        (_, 0) => Level::ERROR,
        (_, 1) => Level::DEBUG,
        _ => Level::TRACE,
    }
}

/// Installs the subscriber: `RUST_LOG` when set (a level, and `target=level` pairs:
/// `warn,bilateral::access=off`), else the level of `-q`/`-v`.
pub fn init(quiet: u8, verbose: u8) {
    let level = level(quiet, verbose);
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => spec.trim().parse().unwrap_or_else(|e| {
            eprintln!("warning: RUST_LOG: {e}; using {level}");
            Targets::new().with_default(level)
        }),
        _ => Targets::new().with_default(level),
    };
    // A second call (tests that run the CLI in-process) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(LevelFilter::TRACE)
        .event_format(Plain)
        .finish()
        .with(filter)
        .try_init();
}

/// `error: message`, `warning: message`, `message`; `debug: target: message` and `trace: …`.
struct Plain;

impl<S, N> FormatEvent<S, N> for Plain
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        match *meta.level() {
            Level::ERROR => write!(writer, "error: ")?,
            Level::WARN => write!(writer, "warning: ")?,
            Level::INFO => {}
            Level::DEBUG => write!(writer, "debug: {}: ", meta.target())?,
            Level::TRACE => write!(writer, "trace: {}: ", meta.target())?,
        }
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_to_levels() {
        assert_eq!(level(0, 0), Level::INFO);
        assert_eq!(level(1, 0), Level::WARN);
        assert_eq!(level(2, 0), Level::ERROR);
        assert_eq!(level(0, 1), Level::DEBUG);
        assert_eq!(level(0, 3), Level::TRACE);
    }
}
