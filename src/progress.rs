//! The progress bar on stderr (indicatif), owned by the driver. It counts the
//! pipeline's stages and then the emitters, and names the step that runs. It
//! stays hidden unless stderr is a terminal, the command is not `--quiet`,
//! and the work has already taken `DELAY` (about two seconds): short builds
//! and every redirected or piped stderr (CI logs, `2>file`) never see it.
//! It never writes to stdout and never touches an output.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long the work runs before the bar appears.
pub const DELAY: Duration = Duration::from_secs(2);

/// Overrides `DELAY` in milliseconds (the tests use 0).
pub const DELAY_ENV: &str = "DECKC_PROGRESS_DELAY_MS";

/// A bar over a fixed list of steps; hidden until `DELAY` has passed.
pub struct Progress {
    bar: ProgressBar,
    steps: Vec<&'static str>,
    /// Set when the work is done, so the timer thread stops early.
    done: Arc<(Mutex<bool>, Condvar)>,
    timer: Option<JoinHandle<()>>,
}

impl Progress {
    /// A bar over `steps`, shown after the delay when `enabled` and stderr is
    /// a terminal; otherwise it draws nothing, ever.
    pub fn new(steps: Vec<&'static str>, enabled: bool) -> Self {
        let bar =
            ProgressBar::with_draw_target(Some(steps.len() as u64), ProgressDrawTarget::hidden());
        let style =
            ProgressStyle::with_template("deckc {spinner} [{elapsed}] {bar:30} {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        if let Some(first) = steps.first() {
            bar.set_message(*first);
        }
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let timer = (enabled && std::io::stderr().is_terminal()).then(|| {
            let (bar, done) = (bar.clone(), Arc::clone(&done));
            let delay = std::env::var(DELAY_ENV)
                .ok()
                .and_then(|v| v.parse().ok())
                .map_or(DELAY, Duration::from_millis);
            std::thread::spawn(move || {
                let (lock, cvar) = &*done;
                let Ok(guard) = lock.lock() else { return };
                let Ok((finished, _)) = cvar.wait_timeout_while(guard, delay, |d| !*d) else {
                    return;
                };
                if !*finished {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(100));
                }
            })
        });
        Progress {
            bar,
            steps,
            done,
            timer,
        }
    }

    /// Marks one more step as finished and names the next one.
    pub fn step(&self) {
        self.bar.inc(1);
        let pos = self.bar.position() as usize;
        let next = self.steps.get(pos).copied().unwrap_or("writing");
        self.bar.set_message(next);
    }

    /// Removes the bar (if it was ever drawn) and stops the timer.
    pub fn clear(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let (lock, cvar) = &*self.done;
        if let Ok(mut d) = lock.lock() {
            *d = true;
        }
        cvar.notify_all();
        if let Some(t) = self.timer.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.timer.is_some() || !self.bar.is_finished() {
            self.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_steps_and_names_the_next_one() {
        let p = Progress::new(vec!["parse", "normalize", "json"], false);
        assert_eq!(p.bar.message(), "parse");
        p.step();
        assert_eq!((p.bar.position(), p.bar.message()), (1, "normalize".into()));
        p.step();
        p.step();
        assert_eq!((p.bar.position(), p.bar.message()), (3, "writing".into()));
        assert!(p.bar.is_hidden(), "a disabled bar is never drawn");
        p.clear();
    }
}
