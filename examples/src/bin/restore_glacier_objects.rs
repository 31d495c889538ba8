//! boto3: "Restore Glacier objects in an Amazon S3 bucket".
//!
//! ```python
//! for obj_sum in bucket.objects.all():
//!     obj = s3.Object(obj_sum.bucket_name, obj_sum.key)
//!     if obj.storage_class == 'GLACIER':
//!         if obj.restore is None:
//!             print('Submitting restoration request: %s' % obj.key)
//!             obj.restore_object(RestoreRequest={'Days': 1})
//!         elif 'ongoing-request="true"' in obj.restore:
//!             print('Restoration in-progress: %s' % obj.key)
//!         elif 'ongoing-request="false"' in obj.restore:
//!             print('Restoration complete: %s' % obj.key)
//! ```
//!
//! The same loop over the resources: `bucket.objects().all()`, an `Object` per summary,
//! `load()` (HeadObject) and its `storage_class` and `restore` attributes, then
//! `restore_object()`. On S3 a restore takes hours, so the second pass finds them in progress; moto
//! finishes a restore at once, so there they are complete (and the object can be read).

use std::collections::BTreeMap;
use std::process::ExitCode;

use s3::primitives::ByteStream;
use s3::types::{GlacierJobParameters, RestoreRequest, StorageClass, Tier};
use s3::resources::Object;
use s3::Client;

#[derive(Debug, PartialEq, Eq)]
enum State {
    NotGlacier,
    Submitted,
    InProgress,
    Complete,
}

/// One pass of the guide's loop: what it found for each key.
async fn restore_pass(client: &Client, bucket: &str) -> s3_examples::Result<BTreeMap<String, State>> {
    let mut states = BTreeMap::new();
    let mut summaries = client.resources().bucket(bucket).objects().all().items();
    while let Some(obj_sum) = summaries.next().await {
        let obj_sum = obj_sum?;
        // `s3.Object(obj_sum.bucket_name, obj_sum.key)`, loaded (HeadObject) before its
        // attributes are read.
        let mut obj = Object::new(client.clone(), obj_sum.bucket_name(), obj_sum.key());
        obj.load().await?;
        let key = obj.key().to_owned();
        let state = if obj.storage_class()? != Some(&StorageClass::Glacier) {
            State::NotGlacier
        } else {
            match obj.restore()?.map(String::as_str) {
                None => {
                    println!("Submitting restoration request: {key}");
                    let request = RestoreRequest::builder()
                        .days(1)
                        .glacier_job_parameters(GlacierJobParameters::builder().tier(Tier::Standard).build()?)
                        .build();
                    obj.restore_object().restore_request(request).send().await?;
                    State::Submitted
                }
                Some(restore) if restore.contains(r#"ongoing-request="true""#) => {
                    println!("Restoration in-progress: {key}");
                    State::InProgress
                }
                Some(restore) if restore.contains(r#"ongoing-request="false""#) => {
                    println!("Restoration complete: {key} ({restore})");
                    State::Complete
                }
                Some(other) => return Err(format!("{key}: unexpected restore attribute {other:?}").into()),
            }
        };
        states.insert(key, state);
    }
    Ok(states)
}

async fn restore_glacier_objects(client: Client, bucket: String) -> s3_examples::Result {
    for key in ["archive/2019.tar", "archive/2020.tar"] {
        client
            .put_object()
            .bucket(&bucket)
            .key(key)
            .storage_class(StorageClass::Glacier)
            .body(ByteStream::from(format!("old data of {key}")))
            .send()
            .await?;
    }
    client.put_object().bucket(&bucket).key("current.txt").body(ByteStream::from_static(b"hot")).send().await?;

    // An archived object cannot be read before it is restored.
    let err = client.get_object().bucket(&bucket).key("archive/2019.tar").send().await.expect_err("GLACIER objects are not readable");
    let code = err.as_service_error().and_then(|e| e.code()).map(str::to_owned);
    assert_eq!(code.as_deref(), Some("InvalidObjectState"), "{err}");

    let first = restore_pass(&client, &bucket).await?;
    assert_eq!(first["current.txt"], State::NotGlacier);
    assert_eq!(first["archive/2019.tar"], State::Submitted);
    assert_eq!(first["archive/2020.tar"], State::Submitted);

    let second = restore_pass(&client, &bucket).await?;
    assert_eq!(second["current.txt"], State::NotGlacier);
    for key in ["archive/2019.tar", "archive/2020.tar"] {
        if s3_examples::against_moto() {
            // moto restores at once.
            assert_eq!(second[key], State::Complete, "{key}");
            let body = client.get_object().bucket(&bucket).key(key).send().await?.body.unwrap_or_default().collect().await?;
            assert_eq!(body, format!("old data of {key}").as_bytes());
        } else {
            assert!(matches!(second[key], State::InProgress | State::Complete), "{key}: {:?}", second[key]);
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    s3_examples::run("restore_glacier_objects", restore_glacier_objects).await
}
