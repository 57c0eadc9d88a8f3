//! Progress on stderr for long commands.

use std::io::IsTerminal;
use std::time::Duration;

/// A spinner with a message and the elapsed time on stderr, for work that takes more than a
/// moment (imports, builds); shown only when stderr is a terminal.
pub struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    pub fn start() -> Progress {
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        if std::io::stderr().is_terminal() {
            let shown = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(400));
                if !shown.is_finished() {
                    shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Progress { bar }
    }

    pub fn say(&self, message: &str) {
        self.bar.set_message(message.to_string());
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
