//! A running `vmsdbg` fed on a pipe, its output gathered as it arrives, so a
//! test can send a line, watch for its effect, and change the world between
//! lines.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::{Arc, Mutex};

use super::Vmsdbg;

pub struct Piped {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    pub stdout: Arc<Mutex<String>>,
    pub stderr: Arc<Mutex<String>>,
}

impl Piped {
    pub fn spawn(cmd: &Vmsdbg) -> Piped {
        let mut child = cmd
            .command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vmsdbg starts");
        Piped {
            stdout: gather(child.stdout.take().expect("piped stdout")),
            stderr: gather(child.stderr.take().expect("piped stderr")),
            stdin: child.stdin.take(),
            child,
        }
    }

    /// Writes `text` as it is; a closed pipe means vmsdbg is gone, and says why.
    pub fn write(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        let sent = stdin.write_all(text.as_bytes()).and_then(|_| stdin.flush());
        if let Err(e) = sent {
            panic!("{e}: vmsdbg gone:\n{}", self.stderr.lock().unwrap());
        }
    }
}

/// Reads `pipe` to its end on a thread, appending to the returned text.
fn gather(mut pipe: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            let chunk = String::from_utf8_lossy(&buf[..n]);
            sink.lock().unwrap().push_str(&chunk);
        }
    });
    text
}
