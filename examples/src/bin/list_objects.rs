//! boto3: "List the objects in a bucket".
//!
//! ```python
//! for key in s3.list_objects(Bucket='mybucket')['Contents']:
//!     print(key['Key'])
//! ```
//!
//! One `ListObjectsV2` call returns up to 1000 keys; the paginator returns them all, a
//! page at a time.

use std::process::ExitCode;

use s3::primitives::ByteStream;
use s3::Client;

async fn list_objects(client: Client, bucket: String) -> s3_examples::Result {
    let keys = ["notes/2024.txt", "notes/2025.txt", "photos/cat.jpg", "readme.md", "z"];
    for key in keys {
        client.put_object().bucket(&bucket).key(key).body(ByteStream::from(format!("contents of {key}"))).send().await?;
    }

    // One request.
    let out = client.list_objects_v2().bucket(&bucket).send().await?;
    for object in out.contents() {
        println!("{} ({} bytes)", object.key.as_deref().unwrap_or_default(), object.size.unwrap_or_default());
    }
    let listed: Vec<&str> = out.contents().iter().filter_map(|o| o.key.as_deref()).collect();
    assert_eq!(listed, keys);
    assert_eq!(out.is_truncated, Some(false));

    // Every object, however many: pages of 2 keys here, to show the paging.
    let mut objects = client.list_objects_v2().bucket(&bucket).into_paginator().page_size(2).contents();
    let mut all = Vec::new();
    while let Some(object) = objects.next().await {
        all.push(object?.key.unwrap_or_default());
    }
    assert_eq!(all, keys);
    println!("{} objects", all.len());
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("list_objects", list_objects).await
}
