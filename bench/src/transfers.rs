//! What the managed-transfer clients share: `<scenario> endpoint=URL data=DIR out=DIR`,
//! the checks of what they wrote, and the report line (the same JSON as `common`).
//!
//! Scenarios: `upload-file` (`DATA/big.bin` to `up/big`), `download-file`
//! (`big/<size>` to `OUT/big.bin`), `upload-dir` (`DATA/files/` under `up/dir/`),
//! `download-dir` (`dir/` into `OUT/dir/`).

#![allow(dead_code)] // each client uses a part of it

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::common::{fail, rusage, BUCKET};

/// The size of `big.bin` (and the object downloaded).
pub const BIG: u64 = 1 << 30;
/// The number of files of the directory scenarios, and their size.
pub const FILES: usize = 1000;
pub const FILE_SIZE: u64 = 64 * 1024;

pub struct Args {
    pub scenario: String,
    pub endpoint: String,
    pub data: PathBuf,
    pub out: PathBuf,
    pub size: u64,
}

impl Args {
    pub fn parse() -> Args {
        let mut args = std::env::args().skip(1);
        let scenario = args.next().unwrap_or_else(|| fail("usage: <client> <scenario> endpoint=URL data=DIR out=DIR [size=BYTES]"));
        let kv: HashMap<String, String> =
            args.filter_map(|a| a.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned()))).collect();
        let get = |k: &str| kv.get(k).cloned().unwrap_or_else(|| fail(format!("missing {k}=")));
        Args {
            scenario,
            endpoint: get("endpoint"),
            data: get("data").into(),
            out: get("out").into(),
            size: kv.get("size").and_then(|s| s.parse().ok()).unwrap_or(BIG),
        }
    }

    pub fn bucket(&self) -> &'static str {
        BUCKET
    }

    pub fn big_file(&self) -> PathBuf {
        self.data.join("big.bin")
    }

    pub fn files_dir(&self) -> PathBuf {
        self.data.join("files")
    }

    pub fn big_key(&self) -> String {
        format!("big/{}", self.size)
    }
}

/// Checks that `path` holds `size` bytes.
pub fn check_file(path: &Path, size: u64) {
    let len = std::fs::metadata(path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display()))).len();
    if len != size {
        fail(format!("{} has {len} bytes, not {size}", path.display()));
    }
}

/// Checks that `dir` holds the 1000 downloaded files (possibly below one subdirectory
/// level); returns their bytes.
pub fn check_dir(dir: &Path) -> u64 {
    let mut count = 0;
    let mut bytes = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| fail(format!("{}: {e}", d.display()))) {
            let entry = entry.unwrap_or_else(|e| fail(e));
            let meta = entry.metadata().unwrap_or_else(|e| fail(e));
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                count += 1;
                bytes += meta.len();
            }
        }
    }
    if count != FILES || bytes != FILES as u64 * FILE_SIZE {
        fail(format!("{}: {count} files of {bytes} bytes, not {FILES} of {FILE_SIZE}", dir.display()));
    }
    bytes
}

/// Wall and CPU time of the measured part.
pub struct Measure {
    start: std::time::Instant,
    cpu: f64,
}

impl Measure {
    pub fn start() -> Measure {
        Measure { cpu: rusage().0, start: std::time::Instant::now() }
    }

    pub fn report(self, client: &str, scenario: &str, ops: usize, bytes: u64) {
        let wall = self.start.elapsed().as_secs_f64();
        let (cpu, rss) = rusage();
        println!(
            "{{\"client\":\"{client}\",\"scenario\":\"{scenario}\",\"ops\":{ops},\"bytes\":{bytes},\"wall_s\":{wall:.6},\"cpu_s\":{:.6},\"max_rss_kib\":{rss}}}",
            cpu - self.cpu
        );
    }
}
