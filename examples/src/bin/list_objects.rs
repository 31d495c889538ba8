//! boto3: "List the objects in a bucket", with the resources.
//!
//! ```python
//! bucket = s3.Bucket('mybucket')
//! for obj in bucket.objects.all():
//!     print(obj.key)
//! ```
//!
//! `bucket.objects().all()` pages through `ListObjects` as boto3's collection does (up
//! to 1000 keys a request); each item is an `ObjectSummary` whose data is the listing's
//! entry. `page_size(2)` shows the paging.

use std::process::ExitCode;

use s3::primitives::ByteStream;
use s3::Client;

async fn list_objects(client: Client, bucket: String) -> s3_examples::Result {
    let keys = ["notes/2024.txt", "notes/2025.txt", "photos/cat.jpg", "readme.md", "z"];
    for key in keys {
        client.put_object().bucket(&bucket).key(key).body(ByteStream::from(format!("contents of {key}"))).send().await?;
    }

    let bucket = client.resources().bucket(&bucket);
    let mut objects = bucket.objects().all().items();
    let mut listed = Vec::new();
    while let Some(object) = objects.next().await {
        let object = object?;
        println!("{} ({} bytes)", object.key(), object.size()?.copied().unwrap_or_default());
        listed.push(object.key().to_owned());
    }
    assert_eq!(listed, keys);

    // The same, two keys a request, a page at a time.
    let mut pages = bucket.objects().all().page_size(2).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page?.len());
    }
    assert_eq!(sizes, [2, 2, 1]);
    println!("{} objects", listed.len());
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("list_objects", list_objects).await
}
