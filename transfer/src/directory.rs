//! Directory transfers (beyond boto3): a local tree uploaded under a key prefix, or a
//! prefix downloaded into a directory, files in parallel (at most `max_concurrency`
//! at once, each with its own parts), with include/exclude patterns and a choice
//! between stopping at the first failure and reporting every failure. Keys that are
//! not safe relative paths (`..`, `.`, empty segments, absolute, backslashes, NUL)
//! are refused and never written, so nothing lands outside the destination.

use std::future::Future;
use std::path::{Path, PathBuf};

use crate::args::{DownloadArgs, UploadArgs};
use crate::error::{DirectoryError, ErrorKind, TransferError};
use crate::window::Window;
use crate::{s3_url, TransferManager};

/// How a directory transfer picks files and handles failures.
#[derive(Clone, Debug, Default)]
pub struct DirectoryOptions {
    /// Glob patterns (`*` any characters, `/` included; `?` one character) matched
    /// against the path relative to the directory or prefix (with `/`): when any are
    /// given, only matching files are transferred.
    pub include: Vec<String>,
    /// Glob patterns of files to skip (applied after `include`).
    pub exclude: Vec<String>,
    /// Keep going after a failure and report all of them (default: stop at the first,
    /// cancelling the transfers in flight).
    pub continue_on_error: bool,
}

/// What a directory transfer did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DirectoryOutput {
    /// The keys uploaded or downloaded, sorted.
    pub transferred: Vec<String>,
    /// Their bytes.
    pub bytes: u64,
}

impl DirectoryOptions {
    fn wants(&self, relative: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|p| glob(p, relative)))
            && !self.exclude.iter().any(|p| glob(p, relative))
    }
}

/// `*` and `?` wildcards, as `fnmatch` (the AWS CLI's filters).
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The local relative path of `relative` (a key below the prefix), or why not.
pub(crate) fn safe_relative(relative: &str) -> Result<PathBuf, &'static str> {
    if relative.is_empty() {
        return Err("the key is the prefix itself");
    }
    if relative.contains('\\') || relative.contains('\0') {
        return Err("backslashes and NUL cannot be in a local path");
    }
    let mut out = PathBuf::new();
    for segment in relative.split('/') {
        match segment {
            "" => return Err("empty path segment (absolute path or `//`)"),
            "." | ".." => return Err("`.` or `..` path segment"),
            s if s.len() >= 2 && s.as_bytes()[1] == b':' => return Err("drive letter"),
            s => out.push(s),
        }
    }
    Ok(out)
}

struct Outcome {
    succeeded: Vec<(String, u64)>,
    failed: Vec<TransferError>,
    skipped: Vec<PathBuf>,
}

impl Outcome {
    /// Runs `jobs`, at most `max` at once, each as `start` makes it; unless
    /// `continue_on_error`, none is started after the first failure (those in flight are
    /// cancelled) and the rest are reported as skipped (`path_of`).
    async fn run<J, F>(&mut self, max: usize, continue_on_error: bool, jobs: Vec<J>, path_of: fn(J) -> PathBuf, start: impl Fn(J) -> F)
    where
        F: Future<Output = Result<(String, u64), TransferError>> + Send + 'static,
    {
        let mut window = Window::new(max);
        let mut pending = jobs.into_iter();
        loop {
            let stop = !continue_on_error && !self.failed.is_empty();
            if !stop && !window.is_full() {
                if let Some(job) = pending.next() {
                    window.spawn(0, start(job));
                    continue;
                }
            }
            if stop {
                break;
            }
            match window.next().await {
                Some(Ok((_, done))) => self.succeeded.push(done),
                Some(Err(e)) => self.failed.push(e),
                None => break,
            }
        }
        self.skipped = pending.map(path_of).collect();
    }

    fn finish(mut self) -> Result<DirectoryOutput, DirectoryError> {
        self.succeeded.sort();
        if self.failed.is_empty() {
            let bytes = self.succeeded.iter().map(|(_, n)| n).sum();
            return Ok(DirectoryOutput { transferred: self.succeeded.into_iter().map(|(k, _)| k).collect(), bytes });
        }
        Err(DirectoryError { succeeded: self.succeeded.into_iter().map(|(k, _)| k).collect(), failed: self.failed, skipped: self.skipped })
    }
}

impl TransferManager {
    /// Uploads every file under `dir` to `bucket` with keys `prefix` + the relative
    /// path (`/`-separated). Symbolic links are not followed.
    pub async fn upload_directory(
        &self,
        dir: impl AsRef<Path>,
        bucket: &str,
        prefix: &str,
        args: &UploadArgs,
        options: &DirectoryOptions,
    ) -> Result<DirectoryOutput, DirectoryError> {
        let dir = dir.as_ref();
        let mut outcome = Outcome { succeeded: Vec::new(), failed: Vec::new(), skipped: Vec::new() };
        let mut files = Vec::new();
        if let Err(e) = walk(dir, dir, &mut files) {
            outcome.failed.push(e);
            return outcome.finish();
        }
        files.sort();
        let mut jobs = Vec::new();
        for (path, relative) in files {
            match relative {
                Some(rel) if options.wants(&rel) => jobs.push((path, format!("{prefix}{rel}"))),
                Some(_) => {}
                None => outcome.failed.push(
                    TransferError::new(ErrorKind::InvalidKey, path.display().to_string(), "key").with_source("the path is not UTF-8"),
                ),
            }
        }
        let (tm, bucket, args) = (self.clone(), bucket.to_owned(), args.clone());
        let start = move |(path, key): (PathBuf, String)| {
            let (tm, bucket, args) = (tm.clone(), bucket.clone(), args.clone());
            async move {
                let out = tm.upload_file(&path, &bucket, &key, &args).await?;
                Ok((key, out.size))
            }
        };
        outcome.run(self.config.max_concurrency, options.continue_on_error, jobs, |(path, _)| path, start).await;
        outcome.finish()
    }

    /// Downloads every object under `prefix` into `dir` (the key below the prefix is the
    /// relative path; keys ending in `/` are folder markers and skipped). Keys that are
    /// not safe relative paths are refused, each reported as a failure. An object the
    /// listing shows below the multipart threshold is fetched with one GetObject and no
    /// HeadObject before it; larger ones as [`download_file`](Self::download_file).
    pub async fn download_directory(
        &self,
        bucket: &str,
        prefix: &str,
        dir: impl AsRef<Path>,
        args: &DownloadArgs,
        options: &DirectoryOptions,
    ) -> Result<DirectoryOutput, DirectoryError> {
        let dir = dir.as_ref();
        let mut outcome = Outcome { succeeded: Vec::new(), failed: Vec::new(), skipped: Vec::new() };
        let mut keys = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(bucket)
                .prefix(prefix)
                .set_continuation_token(token.take())
                .set_request_payer(args.request_payer.clone())
                .set_expected_bucket_owner(args.expected_bucket_owner.clone())
                .send()
                .await;
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    outcome.failed.push(TransferError::request(&s3_url(bucket, prefix), "ListObjectsV2", e));
                    return outcome.finish();
                }
            };
            keys.extend(page.contents().iter().filter_map(|o| Some((o.key.clone()?, o.size.and_then(|n| u64::try_from(n).ok())))));
            match page.next_continuation_token {
                Some(next) if page.is_truncated == Some(true) => token = Some(next),
                _ => break,
            }
        }
        let mut jobs = Vec::new();
        for (key, size) in keys {
            let relative = key.strip_prefix(prefix).unwrap_or(&key);
            if relative.ends_with('/') || !options.wants(relative) {
                continue;
            }
            match safe_relative(relative) {
                Ok(rel) => jobs.push((key.clone(), size, dir.join(rel))),
                Err(why) => {
                    outcome.failed.push(TransferError::new(ErrorKind::InvalidKey, s3_url(bucket, &key), "local path").with_source(why));
                    if !options.continue_on_error {
                        break;
                    }
                }
            }
        }
        let (tm, bucket, args) = (self.clone(), bucket.to_owned(), args.clone());
        let start = move |(key, size, path): (String, Option<u64>, PathBuf)| {
            let (tm, bucket, args) = (tm.clone(), bucket.clone(), args.clone());
            async move {
                // Listed below the threshold: one GetObject, no HeadObject first (the
                // listing gave the size); what is written is what the GET returned.
                if size.is_some_and(|n| n < tm.config.multipart_threshold) {
                    let written = tm.download_whole(&bucket, &key, &path, &args, size, true).await?;
                    return Ok((key, written));
                }
                if let Some(parent) = path.parent() {
                    tokio::fs::create_dir_all(parent)
                        .await
                        .map_err(|e| TransferError::io(parent.display().to_string(), "create directory", e))?;
                }
                let out = tm.download_file(&bucket, &key, &path, &args).await?;
                Ok((key, out.size))
            }
        };
        outcome.run(self.config.max_concurrency, options.continue_on_error, jobs, |(_, _, path)| path, start).await;
        outcome.finish()
    }
}

/// The regular files under `dir`, with their `/`-separated paths relative to `root`
/// (`None` when not UTF-8).
fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Option<String>)>) -> Result<(), TransferError> {
    let entries = std::fs::read_dir(dir).map_err(|e| TransferError::io(dir.display().to_string(), "read directory", e))?;
    for entry in entries {
        let entry = entry.map_err(|e| TransferError::io(dir.display().to_string(), "read directory", e))?;
        let kind = entry.file_type().map_err(|e| TransferError::io(entry.path().display().to_string(), "stat", e))?;
        let path = entry.path();
        if kind.is_dir() {
            walk(root, &path, out)?;
        } else if kind.is_file() {
            let relative = path.strip_prefix(root).ok().and_then(|r| {
                r.components().map(|c| c.as_os_str().to_str()).collect::<Option<Vec<_>>>().map(|parts| parts.join("/"))
            });
            out.push((path, relative));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_keys_are_refused() {
        for bad in ["", "../x", "a/../../x", "a/./b", "/abs", "a//b", "a/", "..", "a\\..\\b", "c:/x", "a\0b"] {
            assert!(safe_relative(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(safe_relative("a/b.txt").unwrap(), PathBuf::from("a").join("b.txt"));
        assert_eq!(safe_relative("..a/b..").unwrap(), PathBuf::from("..a").join("b.."));
    }

    #[test]
    fn globs_as_fnmatch() {
        assert!(glob("*.txt", "a/b.txt"));
        assert!(glob("a/?.bin", "a/x.bin"));
        assert!(!glob("a/?.bin", "a/xy.bin"));
        assert!(!glob("*.txt", "a.txt.gz"));
        let options = DirectoryOptions { include: vec!["*.txt".into()], exclude: vec!["skip/*".into()], ..Default::default() };
        assert!(options.wants("keep/a.txt"));
        assert!(!options.wants("skip/a.txt"));
        assert!(!options.wants("keep/a.bin"));
    }
}
