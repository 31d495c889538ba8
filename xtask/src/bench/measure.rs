//! Wall time, CPU time and peak memory of a command and everything it starts, as
//! `/usr/bin/time -v` reports them: `wait4` returns the child's resource usage
//! together with that of the descendants it waited for, so for `cargo build` the peak
//! RSS is that of the largest rustc.

use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

/// What a finished command used.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    pub wall_s: f64,
    pub cpu_s: f64,
    pub max_rss_kib: u64,
}

impl Usage {
    pub fn max_rss_mib(&self) -> f64 {
        self.max_rss_kib as f64 / 1024.0
    }
}

/// Runs `cmd` to completion and measures it; a non-zero exit is an error.
pub fn run(cmd: &mut Command) -> Result<Usage> {
    let start = Instant::now();
    let child = cmd.spawn().with_context(|| format!("cannot run {cmd:?}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `wait4` writes the status and the zeroed `rusage` it is given; the child
    // is ours and not waited for elsewhere (`child` is forgotten below, never waited).
    let (ret, usage) = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        let ret = libc::wait4(pid, &mut status, 0, &mut usage);
        (ret, usage)
    };
    let wall_s = start.elapsed().as_secs_f64();
    std::mem::forget(child);
    if ret != pid {
        bail!("waiting for {cmd:?} failed: {}", std::io::Error::last_os_error());
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        bail!("{cmd:?} failed (wait status {status})");
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(Usage { wall_s, cpu_s: secs(usage.ru_utime) + secs(usage.ru_stime), max_rss_kib: usage.ru_maxrss as u64 })
}

/// The median of some measurements (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn measures_a_child_and_its_children() {
        // A shell whose child fills 100 MiB: the peak reported is that grandchild's.
        let usage = run(Command::new("sh").args(["-c", "python3 -c \"b = b'x' * (100 << 20)\"; true"])).unwrap();
        assert!(usage.max_rss_kib > 100 * 1024, "{usage:?}");
        assert!(usage.wall_s > 0.0 && usage.cpu_s > 0.0, "{usage:?}");
        let err = run(Command::new("sh").args(["-c", "exit 3"])).unwrap_err();
        assert!(err.to_string().contains("failed"), "{err}");
    }
}
