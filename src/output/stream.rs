//! Where streamed remote output goes: straight to our stdout/stderr as it
//! arrives, or, under `@all` fan-out, into the session's buffer so its block is
//! printed whole.

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::ssh::OutputSink;

pub type Capture = Arc<Mutex<Vec<u8>>>;

pub struct Stream {
    capture: Option<Capture>,
}

impl Stream {
    pub fn new(capture: Option<Capture>) -> Stream {
        Stream { capture }
    }

    fn buffer(&self, data: &[u8]) -> bool {
        let Some(capture) = &self.capture else {
            return false;
        };
        // The buffer is plain bytes; a poisoned lock still holds them.
        capture
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(data);
        true
    }
}

impl OutputSink for Stream {
    fn stdout(&mut self, data: &[u8]) {
        if self.buffer(data) {
            return;
        }
        let mut out = std::io::stdout().lock();
        match out.write_all(data).and_then(|_| out.flush()) {
            Ok(()) => {}
            // The reader went away (`| head`): stop quietly, as a pipeline expects.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
            Err(e) => {
                drop(out);
                eprintln!("vmsdbg: cannot write output: {e}");
                std::process::exit(crate::error::exit::FAILED);
            }
        }
    }

    fn stderr(&mut self, data: &[u8]) {
        if self.buffer(data) {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(data).and_then(|_| err.flush());
    }
}
