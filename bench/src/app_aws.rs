//! The "small program" of the build-cost benchmark, with aws-sdk-s3 and aws-config as
//! their guide shows: list the keys of a bucket, configured from the environment.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let bucket = std::env::args().nth(1).expect("usage: app-aws <bucket>");
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_s3::Client::new(&config);
    let page = client.list_objects_v2().bucket(bucket).send().await.expect("ListObjectsV2");
    for object in page.contents() {
        println!("{}", object.key().unwrap_or_default());
    }
}
