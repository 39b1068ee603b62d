//! Progress bars and spinners (indicatif), created only when the run decided it
//! may show them; otherwise every handle is hidden and costs nothing.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::Style;

/// A spinner with a message; hidden when progress is off.
pub fn spinner(style: &Style, message: impl Into<String>) -> ProgressBar {
    if !style.progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    let template = ProgressStyle::with_template("{spinner} {msg} {elapsed}")
        .expect("template is a valid indicatif template");
    bar.set_style(template);
    bar.set_message(message.into());
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}
