//! boto3: "Filter results" (paginators guide), by last-modified time.
//!
//! ```python
//! page_iterator = paginator.paginate(Bucket='my-bucket')
//! filtered = page_iterator.search("Contents[?LastModified > `2025-01-01`][]")
//! ```
//!
//! A typed closure over the paginator's `Object` items takes the place of the JMESPath
//! expression. The cut-off comes from the server's own timestamps (the newest object of
//! a first batch), so clocks never need to agree; S3 keeps whole seconds, so the second
//! batch is written more than a second later.

use std::process::ExitCode;
use std::time::Duration;

use s3::primitives::ByteStream;
use s3::types::Object;
use s3::Client;
use s3_runtime::{DateTime, DateTimeFormat};

async fn filter_by_last_modified(client: Client, bucket: String) -> s3_examples::Result {
    for key in ["old/a", "old/b", "old/c"] {
        client.put_object().bucket(&bucket).key(key).body(ByteStream::from_static(b"old")).send().await?;
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for key in ["new/a", "new/b"] {
        client.put_object().bucket(&bucket).key(key).body(ByteStream::from_static(b"new")).send().await?;
    }

    let old = client.list_objects_v2().bucket(&bucket).prefix("old/").into_paginator().contents().try_collect().await?;
    let cutoff: DateTime = old.iter().filter_map(|o| o.last_modified).max().ok_or("no old objects")?;
    println!("objects modified after {}:", cutoff.fmt(DateTimeFormat::DateTime));

    let modified_after = |o: &Object| o.last_modified.is_some_and(|t| t > cutoff);
    let mut objects = client.list_objects_v2().bucket(&bucket).into_paginator().page_size(2).contents();
    let mut recent = Vec::new();
    while let Some(object) = objects.next().await {
        let object = object?;
        if modified_after(&object) {
            println!("  {} ({})", object.key.as_deref().unwrap_or_default(), object.last_modified.map(|t| t.fmt(DateTimeFormat::DateTime)).unwrap_or_default());
            recent.push(object.key.unwrap_or_default());
        }
    }
    assert_eq!(recent, ["new/a", "new/b"]);
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("filter_by_last_modified", filter_by_last_modified).await
}
