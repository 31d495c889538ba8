//! `s3cp`: copy files to, from and within S3 with the managed transfers of
//! `s3-transfer` (multipart and concurrent above 8 MiB), with a progress bar.
//!
//! ```text
//! s3cp ./big.bin s3://bucket/key            # upload_file
//! s3cp s3://bucket/key ./big.bin            # download_file
//! s3cp s3://bucket/a s3://bucket/b          # copy
//! s3cp ./dir s3://bucket/prefix/ --recursive
//! s3cp s3://bucket/prefix/ ./dir --recursive
//! ```
//!
//! Without arguments (as `cargo xtask test` runs it against moto) it uploads a
//! 20 MiB file, downloads the bucket recursively and checks the bytes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use s3::Client;
use s3_transfer::{CopyArgs, DirectoryOptions, DownloadArgs, TransferManager, UploadArgs};

fn s3_url(arg: &str) -> Option<(String, String)> {
    let rest = arg.strip_prefix("s3://")?;
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    Some((bucket.to_owned(), key.to_owned()))
}

fn bar() -> Arc<ProgressBar> {
    let bar = ProgressBar::no_length();
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}").unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Arc::new(bar)
}

/// Runs one `s3cp SRC DEST [--recursive]`.
async fn s3cp(client: Client, src: &str, dest: &str, recursive: bool) -> s3_examples::Result {
    let bar = bar();
    let shown = bar.clone();
    let tm = TransferManager::new(client).with_progress(move |p| {
        // One object: its size is the bar's length. A directory: bytes so far only.
        if let (false, Some(total)) = (recursive, p.total) {
            shown.set_length(total);
        }
        shown.inc(p.bytes);
    });
    let (bytes, what) = match (s3_url(src), s3_url(dest)) {
        (None, Some((bucket, key))) if recursive => {
            let out = tm.upload_directory(src, &bucket, &key, &UploadArgs::default(), &DirectoryOptions::default()).await?;
            (out.bytes, format!("{} files", out.transferred.len()))
        }
        (None, Some((bucket, mut key))) => {
            if key.is_empty() || key.ends_with('/') {
                key.push_str(&Path::new(src).file_name().ok_or("no file name")?.to_string_lossy());
            }
            (tm.upload_file(src, &bucket, &key, &UploadArgs::default()).await?.size, key)
        }
        (Some((bucket, key)), None) if recursive => {
            let out = tm.download_directory(&bucket, &key, dest, &DownloadArgs::default(), &DirectoryOptions::default()).await?;
            (out.bytes, format!("{} files", out.transferred.len()))
        }
        (Some((bucket, key)), None) => {
            let mut path = PathBuf::from(dest);
            if path.is_dir() {
                path.push(key.rsplit('/').next().unwrap_or(&key));
            }
            (tm.download_file(&bucket, &key, &path, &DownloadArgs::default()).await?.size, path.display().to_string())
        }
        (Some((sb, sk)), Some((db, dk))) => (tm.copy(&sb, &sk, &db, &dk, &CopyArgs::default()).await?.size, format!("s3://{db}/{dk}")),
        (None, None) => return Err("one of SRC and DEST must be an s3:// URL".into()),
    };
    bar.finish_and_clear();
    println!("{src} -> {dest}: {bytes} bytes ({what})");
    Ok(())
}

/// The run under `cargo xtask test`: a round trip through a fresh bucket.
async fn demo(client: Client, bucket: String) -> s3_examples::Result {
    let dir = std::env::temp_dir().join(format!("s3cp-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let body = s3_examples::random_bytes(20 * 1024 * 1024 + 5);
    let file = dir.join("big.bin");
    std::fs::write(&file, &body)?;
    s3cp(client.clone(), &file.to_string_lossy(), &format!("s3://{bucket}/in/"), false).await?;
    s3cp(client.clone(), &format!("s3://{bucket}/in/big.bin"), &format!("s3://{bucket}/in/copy.bin"), false).await?;
    let out = dir.join("out");
    s3cp(client, &format!("s3://{bucket}/in/"), &out.to_string_lossy(), true).await?;
    assert!(std::fs::read(out.join("big.bin"))? == body);
    assert!(std::fs::read(out.join("copy.bin"))? == body);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        return s3_examples::run("s3cp", demo).await;
    }
    let recursive = args.iter().any(|a| a == "--recursive" || a == "-r");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let [src, dest] = paths[..] else {
        eprintln!("usage: s3cp SRC DEST [--recursive]   (SRC or DEST an s3://bucket/key URL)");
        return ExitCode::from(2);
    };
    let client = match s3_examples::client().await {
        Ok(client) => client,
        Err(err) => {
            eprintln!("s3cp: {err}");
            return ExitCode::FAILURE;
        }
    };
    match s3cp(client, src, dest, recursive).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("s3cp: {err}");
            ExitCode::FAILURE
        }
    }
}
