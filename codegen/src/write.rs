//! Puts generated files on disk, or checks that the disk already has exactly them.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::GeneratedFile;

/// How `out_dir` differs from the generated files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Staleness {
    /// Files whose contents differ.
    pub stale: Vec<String>,
    /// Files the generator emits that are not on disk.
    pub missing: Vec<String>,
    /// Files on disk the generator does not emit.
    pub extra: Vec<String>,
}

impl Staleness {
    pub fn is_fresh(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Writes `files` under `out_dir`, removing files there that are no longer generated.
/// Unchanged files are not rewritten, so their modification times stay.
pub fn write_files(out_dir: &Path, files: &[GeneratedFile]) -> Result<()> {
    let status = check_files(out_dir, files)?;
    for file in files {
        let path = out_dir.join(&file.path);
        if status.stale.contains(&file.path) || status.missing.contains(&file.path) {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
            }
            fs::write(&path, &file.contents).with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    for extra in &status.extra {
        let path = out_dir.join(extra);
        fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
    }
    remove_empty_dirs(out_dir)?;
    Ok(())
}

/// Compares `out_dir` with `files` without changing anything. `target/` and dotfiles
/// are ignored.
pub fn check_files(out_dir: &Path, files: &[GeneratedFile]) -> Result<Staleness> {
    let mut on_disk = BTreeSet::new();
    if out_dir.exists() {
        list_files(out_dir, out_dir, &mut on_disk)?;
    }
    let mut status = Staleness::default();
    for file in files {
        if on_disk.remove(&file.path) {
            let path = out_dir.join(&file.path);
            let current = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            if current != file.contents.as_bytes() {
                status.stale.push(file.path.clone());
            }
        } else {
            status.missing.push(file.path.clone());
        }
    }
    status.extra = on_disk.into_iter().collect();
    Ok(status)
}

fn list_files(root: &Path, dir: &Path, out: &mut BTreeSet<String>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || (dir == root && name == "target") {
            continue;
        }
        let path: PathBuf = entry.path();
        if entry.file_type()?.is_dir() {
            list_files(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).expect("under root");
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

fn remove_empty_dirs(dir: &Path) -> Result<bool> {
    let mut empty = true;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            if remove_empty_dirs(&entry.path())? {
                fs::remove_dir(entry.path())?;
            } else {
                empty = false;
            }
        } else {
            empty = false;
        }
    }
    Ok(empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile { path: path.into(), contents: contents.into() }
    }

    #[test]
    fn check_lists_stale_missing_and_extra_files() {
        let dir = std::env::temp_dir().join(format!("codegen-write-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let files = vec![file("a.rs", "a"), file("sub/b.rs", "b")];
        write_files(&dir, &files).unwrap();
        assert!(check_files(&dir, &files).unwrap().is_fresh());

        fs::write(dir.join("a.rs"), "changed").unwrap();
        fs::write(dir.join("sub/extra.rs"), "x").unwrap();
        fs::remove_file(dir.join("sub/b.rs")).unwrap();
        let status = check_files(&dir, &files).unwrap();
        assert_eq!(status.stale, vec!["a.rs"]);
        assert_eq!(status.missing, vec!["sub/b.rs"]);
        assert_eq!(status.extra, vec!["sub/extra.rs"]);

        write_files(&dir, &files).unwrap();
        assert!(check_files(&dir, &files).unwrap().is_fresh());
        fs::remove_dir_all(&dir).unwrap();
    }
}
