//! The "small program" of the build-cost benchmark, with this project's client: list
//! the keys of a bucket, configured from the environment.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let bucket = std::env::args().nth(1).expect("usage: app-ours <bucket>");
    let client = s3::Client::from_env().await.expect("configuration from the environment");
    let page = client.list_objects_v2().bucket(bucket).send().await.expect("ListObjectsV2");
    for object in page.contents() {
        println!("{}", object.key.as_deref().unwrap_or_default());
    }
}
