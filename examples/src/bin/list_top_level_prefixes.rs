//! boto3: "List top-level common prefixes in an Amazon S3 bucket" (paginators guide).
//!
//! ```python
//! paginator = client.get_paginator('list_objects')
//! result = paginator.paginate(Bucket='my-bucket', Delimiter='/')
//! for prefix in result.search('CommonPrefixes'):
//!     print(prefix.get('Prefix'))
//! ```
//!
//! The same paginator (`ListObjects`), `Delimiter='/'` and `search("CommonPrefixes")`
//! (JMESPath over each page, the `serde` feature); small pages here, so that the
//! prefixes arrive over several pages.

use std::process::ExitCode;

use s3::primitives::ByteStream;
use s3::Client;

async fn list_top_level_prefixes(client: Client, bucket: String) -> s3_examples::Result {
    let keys = ["2024/01/a.log", "2024/02/b.log", "2025/01/c.log", "archive/old.zip", "images/", "index.html", "robots.txt"];
    for key in keys {
        client.put_object().bucket(&bucket).key(key).body(ByteStream::from_static(b"x")).send().await?;
    }

    let mut prefixes = client.list_objects().bucket(&bucket).delimiter("/").into_paginator().page_size(2).search("CommonPrefixes");
    let mut found = Vec::new();
    while let Some(prefix) = prefixes.next().await {
        let prefix = prefix?;
        let prefix = prefix.get("Prefix").and_then(|p| p.as_str()).unwrap_or_default().to_owned();
        println!("{prefix}");
        found.push(prefix);
    }
    assert_eq!(found, ["2024/", "2025/", "archive/", "images/"]);

    // The keys at the top level, the other half of the listing.
    let top: Vec<String> = client
        .list_objects()
        .bucket(&bucket)
        .delimiter("/")
        .into_paginator()
        .page_size(2)
        .contents()
        .try_collect()
        .await?
        .into_iter()
        .filter_map(|o| o.key)
        .collect();
    assert_eq!(top, ["index.html", "robots.txt"]);
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("list_top_level_prefixes", list_top_level_prefixes).await
}
