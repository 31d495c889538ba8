//! boto3: "Filter results" (paginators guide), by last-modified time, with JMESPath.
//!
//! ```python
//! page_iterator = paginator.paginate(Bucket='my-bucket')
//! filtered_iterator = page_iterator.search(
//!     "Contents[?to_string(LastModified)>='\"2022-01-05 08:05:37+00:00\"'].Key")
//! ```
//!
//! The same expression on the same paginator: `search` sees timestamps as boto3 does
//! (`to_string` of a `datetime` is `"2022-01-05 08:05:37+00:00"`, in quotes), so it finds
//! the same keys. Every object here is newer than 2022, so the guide's cut-off gives them
//! all; a second search cuts between two batches, at the newest time of the first batch
//! as the server reports it (found with a search too), so clocks never need to agree. S3
//! keeps whole seconds, so the second batch is written more than a second later.
//!
//! Under `cargo xtask test`, boto3 runs each search on the same bucket too, and the keys
//! must be the same.

use std::process::ExitCode;
use std::time::Duration;

use s3::primitives::ByteStream;
use s3::Client;

/// The keys `expression` finds, by our `search` and (under the test) by boto3's.
async fn search(client: &Client, bucket: &str, expression: &str) -> s3_examples::Result<Vec<String>> {
    let found = client.list_objects_v2().bucket(bucket).into_paginator().page_size(2).search(expression).try_collect().await?;
    let keys: Vec<String> = found.iter().map(|key| key.as_str().map(str::to_owned).ok_or("a key")).collect::<Result<_, _>>()?;
    if let Some(boto3) = s3_examples::boto3_search("list_objects_v2", bucket, expression)? {
        let ours: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(ours, boto3, "the keys boto3 finds with {expression}");
        println!("  the same {} keys as boto3", boto3.len());
    }
    Ok(keys)
}

async fn filter_by_last_modified(client: Client, bucket: String) -> s3_examples::Result {
    for key in ["old/a", "old/b", "old/c"] {
        client.put_object().bucket(&bucket).key(key).body(ByteStream::from_static(b"old")).send().await?;
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for key in ["new/a", "new/b"] {
        client.put_object().bucket(&bucket).key(key).body(ByteStream::from_static(b"new")).send().await?;
    }

    let guide = r#"Contents[?to_string(LastModified)>='"2022-01-05 08:05:37+00:00"'].Key"#;
    let keys = search(&client, &bucket, guide).await?;
    println!("{guide}: {keys:?}");
    assert_eq!(keys, ["new/a", "new/b", "old/a", "old/b", "old/c"]);

    // The old batch's newest time, as `str(datetime)` (`2026-01-05 08:05:37+00:00`).
    let times = client.list_objects_v2().bucket(&bucket).prefix("old/").into_paginator().search("Contents[].LastModified").try_collect().await?;
    let cutoff = times.iter().filter_map(|t| t.as_str()).max().ok_or("no old objects")?.to_owned();
    let expression = format!(r#"Contents[?to_string(LastModified)>'"{cutoff}"'].Key"#);
    let keys = search(&client, &bucket, &expression).await?;
    println!("{expression}: {keys:?}");
    assert_eq!(keys, ["new/a", "new/b"]);
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("filter_by_last_modified", filter_by_last_modified).await
}
