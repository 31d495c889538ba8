//! Live tests against moto's S3 server, which `cargo xtask test` installs, starts on a
//! free loopback port and stops; it passes the URL in `S3_TEST_MOTO_URL`. They are
//! `#[ignore]`d so that a plain `cargo test` (no server) skips them; the test command
//! runs them with `--ignored`, and then a missing URL is a failure, not a skip.
//!
//! Every test uses its own buckets and deletes what it creates. The helpers are shared
//! with `live_moto_coverage.rs` (which calls every other operation moto implements) in
//! `common/mod.rs`.

use s3::operation::{get_object, head_object};
use s3::primitives::ByteStream;
use s3::types::{
    BucketVersioningStatus, CompletedMultipartUpload, CompletedPart, CorsConfiguration, CorsRule, Delete,
    Grant, Grantee, ObjectIdentifier, Permission, Tag, Tagging, Type, VersioningConfiguration,
};
use s3::Client;
use s3_runtime::SdkError;

mod common;
use common::{cleanup, client, runtime};

async fn objects_round_trip(client: &Client, bucket: &str) {
    client.create_bucket().bucket(bucket).send().await.unwrap();
    let key = "dir/a b+c?d#e~é.txt";
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from("hello world"))
        .content_type("text/plain")
        .metadata("color", "blue")
        .send()
        .await
        .unwrap();
    let out = client.get_object().bucket(bucket).key(key).send().await.unwrap();
    assert_eq!(out.content_type.as_deref(), Some("text/plain"));
    assert_eq!(out.metadata.as_ref().unwrap().get("color").map(String::as_str), Some("blue"));
    assert_eq!(out.body.unwrap().collect().await.unwrap(), b"hello world");

    let ranged = client.get_object().bucket(bucket).key(key).range("bytes=0-4").send().await.unwrap();
    assert_eq!(ranged.body.unwrap().collect().await.unwrap(), b"hello");

    let head = client.head_object().bucket(bucket).key(key).send().await.unwrap();
    assert_eq!(head.content_length, Some(11));
    let etag = head.e_tag.clone().unwrap();
    let not_modified = client.get_object().bucket(bucket).key(key).if_none_match(etag).send().await;
    assert!(not_modified.is_err(), "If-None-Match with the current ETag must fail");

    let listed = client.list_objects_v2().bucket(bucket).prefix("dir/").send().await.unwrap();
    assert_eq!(listed.contents().iter().map(|o| o.key.clone().unwrap()).collect::<Vec<_>>(), vec![key.to_owned()]);
    client.delete_object().bucket(bucket).key(key).send().await.unwrap();
    client.delete_bucket().bucket(bucket).send().await.unwrap();
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn objects_path_style() {
    runtime().block_on(objects_round_trip(&client(true), "live-objects-path"));
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn objects_virtual_host_style() {
    runtime().block_on(objects_round_trip(&client(false), "live-objects-virtual"));
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn typed_errors() {
    runtime().block_on(async {
        let client = client(true);
        let err = client.get_object().bucket("live-no-such-bucket").key("k").send().await.unwrap_err();
        let SdkError::Service(err) = err else { panic!("{err:?}") };
        assert!(matches!(err, get_object::GetObjectError::Unhandled(_)), "{err:?}");
        assert_eq!(err.code(), Some("NoSuchBucket"));

        client.create_bucket().bucket("live-errors").send().await.unwrap();
        let err = client.get_object().bucket("live-errors").key("missing").send().await.unwrap_err();
        let SdkError::Service(err) = err else { panic!("{err:?}") };
        assert!(err.is_no_such_key(), "{err:?}");
        assert!(err.meta().request_id().is_some());

        let err = client.head_object().bucket("live-errors").key("missing").send().await.unwrap_err();
        let SdkError::Service(err) = err else { panic!("{err:?}") };
        assert!(matches!(err, head_object::HeadObjectError::NoSuchKey(_)), "{err:?}");

        client.put_object().bucket("live-errors").key("k").body(ByteStream::from("x")).send().await.unwrap();
        let err = client.delete_bucket().bucket("live-errors").send().await.unwrap_err();
        let SdkError::Service(err) = err else { panic!("{err:?}") };
        assert_eq!(err.code(), Some("BucketNotEmpty"));
        cleanup(&client, "live-errors").await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn multipart_upload() {
    runtime().block_on(async {
        let client = client(true);
        let bucket = "live-multipart";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let created = client.create_multipart_upload().bucket(bucket).key("big").send().await.unwrap();
        let upload_id = created.upload_id.unwrap();
        let part1 = vec![b'a'; 5 * 1024 * 1024];
        let p1 = client
            .upload_part()
            .bucket(bucket)
            .key("big")
            .upload_id(&upload_id)
            .part_number(1)
            .body(ByteStream::from(part1.clone()))
            .send()
            .await
            .unwrap();
        let p2 = client
            .upload_part()
            .bucket(bucket)
            .key("big")
            .upload_id(&upload_id)
            .part_number(2)
            .body(ByteStream::from("tail"))
            .send()
            .await
            .unwrap();
        let uploads = client.list_multipart_uploads().bucket(bucket).send().await.unwrap();
        assert_eq!(uploads.uploads().len(), 1);
        let parts = client.list_parts().bucket(bucket).key("big").upload_id(&upload_id).send().await.unwrap();
        assert_eq!(parts.parts().len(), 2);
        let done = CompletedMultipartUpload::builder()
            .parts(CompletedPart::builder().part_number(1).e_tag(p1.e_tag.unwrap()).build())
            .parts(CompletedPart::builder().part_number(2).e_tag(p2.e_tag.unwrap()).build())
            .build();
        client
            .complete_multipart_upload()
            .bucket(bucket)
            .key("big")
            .upload_id(&upload_id)
            .multipart_upload(done)
            .send()
            .await
            .unwrap();
        let head = client.head_object().bucket(bucket).key("big").send().await.unwrap();
        assert_eq!(head.content_length, Some(5 * 1024 * 1024 + 4));

        let aborted = client.create_multipart_upload().bucket(bucket).key("gone").send().await.unwrap();
        client.abort_multipart_upload().bucket(bucket).key("gone").upload_id(aborted.upload_id.unwrap()).send().await.unwrap();
        cleanup(&client, bucket).await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn copy_delete_objects_tagging_versions() {
    runtime().block_on(async {
        let client = client(true);
        let bucket = "live-misc";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        client
            .put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build())
            .send()
            .await
            .unwrap();
        let v1 = client.put_object().bucket(bucket).key("k").body(ByteStream::from("one")).send().await.unwrap();
        client.put_object().bucket(bucket).key("k").body(ByteStream::from("two")).send().await.unwrap();
        let old = client.get_object().bucket(bucket).key("k").version_id(v1.version_id.clone().unwrap()).send().await.unwrap();
        assert_eq!(old.body.unwrap().collect().await.unwrap(), b"one");

        client.copy_object().bucket(bucket).key("copy of k").copy_source(format!("{bucket}/k")).send().await.unwrap();
        let copied = client.get_object().bucket(bucket).key("copy of k").send().await.unwrap();
        assert_eq!(copied.body.unwrap().collect().await.unwrap(), b"two");

        let tagging = Tagging::builder().tag_set(Tag::builder().key("team").value("a+b = c").build().unwrap()).build().unwrap();
        client.put_object_tagging().bucket(bucket).key("k").tagging(tagging).send().await.unwrap();
        let tags = client.get_object_tagging().bucket(bucket).key("k").send().await.unwrap();
        assert_eq!(tags.tag_set()[0].value.as_deref(), Some("a+b = c"));

        let delete = Delete::builder()
            .objects(ObjectIdentifier::builder().key("copy of k").build().unwrap())
            .build()
            .unwrap();
        let deleted = client.delete_objects().bucket(bucket).delete(delete).send().await.unwrap();
        assert_eq!(deleted.deleted().len(), 1);
        let versions = client.list_object_versions().bucket(bucket).send().await.unwrap();
        assert!(versions.versions().len() >= 2);
        cleanup(&client, bucket).await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn bucket_configuration() {
    runtime().block_on(async {
        let client = client(true);
        let bucket = "live-config";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let cors = CorsConfiguration::builder()
            .cors_rules(CorsRule::builder().allowed_methods("GET").allowed_origins("*").build().unwrap())
            .build()
            .unwrap();
        client.put_bucket_cors().bucket(bucket).cors_configuration(cors).send().await.unwrap();
        let got = client.get_bucket_cors().bucket(bucket).send().await.unwrap();
        assert_eq!(got.cors_rules()[0].allowed_methods(), ["GET"]);

        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{bucket}/*"}}]}}"#
        );
        client.put_bucket_policy().bucket(bucket).policy(&policy).send().await.unwrap();
        let got = client.get_bucket_policy().bucket(bucket).send().await.unwrap();
        assert!(got.policy.unwrap().contains("s3:GetObject"));

        let acl = client.get_bucket_acl().bucket(bucket).send().await.unwrap();
        let owner = acl.owner.unwrap().id.unwrap();
        let grant = Grant::builder()
            .grantee(Grantee::builder().r#type(Type::CanonicalUser).id(owner.clone()).build().unwrap())
            .permission(Permission::FullControl)
            .build();
        let policy = s3::types::AccessControlPolicy::builder()
            .grants(grant)
            .owner(s3::types::Owner::builder().id(owner).build())
            .build();
        client.put_bucket_acl().bucket(bucket).access_control_policy(policy).send().await.unwrap();
        let acl = client.get_bucket_acl().bucket(bucket).send().await.unwrap();
        assert!(acl.grants().iter().any(|g| g.grantee.as_ref().and_then(|g| g.r#type.clone()) == Some(Type::CanonicalUser)));

        let location = client.get_bucket_location().bucket(bucket).send().await.unwrap();
        assert_eq!(location.location_constraint, None, "us-east-1 buckets have no location constraint");
        cleanup(&client, bucket).await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn bucket_policies_and_settings() {
    use s3::types::*;
    runtime().block_on(async {
        let client = client(true);
        let bucket = "live-settings";
        client.create_bucket().bucket(bucket).send().await.unwrap();
        client.head_bucket().bucket(bucket).send().await.unwrap();
        let listed = client.list_buckets().send().await.unwrap();
        assert!(listed.buckets().iter().any(|b| b.name.as_deref() == Some(bucket)));

        let rule = LifecycleRule::builder()
            .id("expire-logs")
            .filter(LifecycleRuleFilter::builder().prefix("logs/").build())
            .status("Enabled")
            .expiration(LifecycleExpiration::builder().days(30).build())
            .build()
            .unwrap();
        let lifecycle = BucketLifecycleConfiguration::builder().rules(rule).build().unwrap();
        client.put_bucket_lifecycle_configuration().bucket(bucket).lifecycle_configuration(lifecycle).send().await.unwrap();
        let got = client.get_bucket_lifecycle_configuration().bucket(bucket).send().await.unwrap();
        assert_eq!(got.rules()[0].id.as_deref(), Some("expire-logs"));
        client.delete_bucket_lifecycle().bucket(bucket).send().await.unwrap();

        let by_default = ServerSideEncryptionByDefault::builder().sse_algorithm("AES256").build().unwrap();
        let encryption = ServerSideEncryptionConfiguration::builder()
            .rules(ServerSideEncryptionRule::builder().apply_server_side_encryption_by_default(by_default).build())
            .build()
            .unwrap();
        client.put_bucket_encryption().bucket(bucket).server_side_encryption_configuration(encryption).send().await.unwrap();
        let got = client.get_bucket_encryption().bucket(bucket).send().await.unwrap();
        let configuration = got.server_side_encryption_configuration.unwrap();
        let rule = &configuration.rules()[0];
        assert_eq!(
            rule.apply_server_side_encryption_by_default.as_ref().unwrap().sse_algorithm,
            Some(ServerSideEncryption::from("AES256"))
        );
        client.delete_bucket_encryption().bucket(bucket).send().await.unwrap();

        let block = PublicAccessBlockConfiguration::builder().block_public_acls(true).restrict_public_buckets(true).build();
        client.put_public_access_block().bucket(bucket).public_access_block_configuration(block).send().await.unwrap();
        let got = client.get_public_access_block().bucket(bucket).send().await.unwrap();
        assert_eq!(got.public_access_block_configuration.unwrap().block_public_acls, Some(true));
        client.delete_public_access_block().bucket(bucket).send().await.unwrap();

        let ownership = OwnershipControls::builder()
            .rules(OwnershipControlsRule::builder().object_ownership("BucketOwnerEnforced").build().unwrap())
            .build()
            .unwrap();
        client.put_bucket_ownership_controls().bucket(bucket).ownership_controls(ownership).send().await.unwrap();
        let got = client.get_bucket_ownership_controls().bucket(bucket).send().await.unwrap();
        assert_eq!(got.ownership_controls.unwrap().rules()[0].object_ownership, Some(ObjectOwnership::from("BucketOwnerEnforced")));
        client.delete_bucket_ownership_controls().bucket(bucket).send().await.unwrap();

        let website = WebsiteConfiguration::builder().index_document(IndexDocument::builder().suffix("index.html").build().unwrap()).build();
        client.put_bucket_website().bucket(bucket).website_configuration(website).send().await.unwrap();
        let got = client.get_bucket_website().bucket(bucket).send().await.unwrap();
        assert_eq!(got.index_document.unwrap().suffix.as_deref(), Some("index.html"));
        client.delete_bucket_website().bucket(bucket).send().await.unwrap();

        let tagging = Tagging::builder().tag_set(Tag::builder().key("env").value("test").build().unwrap()).build().unwrap();
        client.put_bucket_tagging().bucket(bucket).tagging(tagging).send().await.unwrap();
        let got = client.get_bucket_tagging().bucket(bucket).send().await.unwrap();
        assert_eq!(got.tag_set()[0].key.as_deref(), Some("env"));
        client.delete_bucket_tagging().bucket(bucket).send().await.unwrap();

        client.delete_bucket_cors().bucket(bucket).send().await.unwrap();
        client.delete_bucket_policy().bucket(bucket).send().await.unwrap();
        let versioning = client.get_bucket_versioning().bucket(bucket).send().await.unwrap();
        assert!(versioning.status.is_none());
        cleanup(&client, bucket).await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn object_lock_restore_and_attributes() {
    use s3::types::*;
    runtime().block_on(async {
        let client = client(true);
        let bucket = "live-lock";
        client.create_bucket().bucket(bucket).object_lock_enabled_for_bucket(true).send().await.unwrap();
        let lock = ObjectLockConfiguration::builder()
            .object_lock_enabled("Enabled")
            .build();
        client.put_object_lock_configuration().bucket(bucket).object_lock_configuration(lock).send().await.unwrap();
        let got = client.get_object_lock_configuration().bucket(bucket).send().await.unwrap();
        assert_eq!(got.object_lock_configuration.unwrap().object_lock_enabled, Some(ObjectLockEnabled::from("Enabled")));

        let put = client.put_object().bucket(bucket).key("locked").body(ByteStream::from("data")).send().await.unwrap();
        client
            .put_object_legal_hold()
            .bucket(bucket)
            .key("locked")
            .legal_hold(ObjectLockLegalHold::builder().status("ON").build())
            .send()
            .await
            .unwrap();
        let hold = client.get_object_legal_hold().bucket(bucket).key("locked").send().await.unwrap();
        assert_eq!(hold.legal_hold.unwrap().status, Some(ObjectLockLegalHoldStatus::from("ON")));
        let until = s3::primitives::DateTime::from_secs(4_102_444_800); // 2100-01-01
        client
            .put_object_retention()
            .bucket(bucket)
            .key("locked")
            .retention(ObjectLockRetention::builder().mode("GOVERNANCE").retain_until_date(until).build())
            .send()
            .await
            .unwrap();
        // moto 5.2.5 answers GetObjectRetention with the object's bytes (botocore fails on
        // it too), so the retention is not read back here.
        let attributes = client
            .get_object_attributes()
            .bucket(bucket)
            .key("locked")
            .object_attributes("ETag")
            .object_attributes("ObjectSize")
            .send()
            .await
            .unwrap();
        assert_eq!(attributes.object_size, Some(4));
        assert_eq!(attributes.e_tag.map(|e| e.trim_matches('"').to_owned()), put.e_tag.map(|e| e.trim_matches('"').to_owned()));
        // Lift the legal hold so that `cleanup` (which bypasses governance retention) can
        // delete the object and the bucket.
        client
            .put_object_legal_hold()
            .bucket(bucket)
            .key("locked")
            .legal_hold(ObjectLockLegalHold::builder().status("OFF").build())
            .send()
            .await
            .unwrap();
        cleanup(&client, bucket).await;

        client.create_bucket().bucket("live-glacier").send().await.unwrap();
        client
            .put_object()
            .bucket("live-glacier")
            .key("cold")
            .body(ByteStream::from("brr"))
            .storage_class("GLACIER")
            .send()
            .await
            .unwrap();
        let err = client.get_object().bucket("live-glacier").key("cold").send().await.unwrap_err();
        let SdkError::Service(err) = err else { panic!("{err:?}") };
        assert!(err.is_invalid_object_state(), "{err:?}");
        client
            .restore_object()
            .bucket("live-glacier")
            .key("cold")
            .restore_request(RestoreRequest::builder().days(1).build())
            .send()
            .await
            .unwrap();
        let head = client.head_object().bucket("live-glacier").key("cold").send().await.unwrap();
        assert!(head.restore.is_some(), "{head:?}");
        cleanup(&client, "live-glacier").await;
    });
}

#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn more_bucket_and_object_settings() {
    use s3::types::*;
    runtime().block_on(async {
        let client = client(true);
        let bucket = "live-more";
        client.create_bucket().bucket(bucket).send().await.unwrap();

        client
            .put_bucket_accelerate_configuration()
            .bucket(bucket)
            .accelerate_configuration(AccelerateConfiguration::builder().status("Enabled").build())
            .send()
            .await
            .unwrap();
        let got = client.get_bucket_accelerate_configuration().bucket(bucket).send().await.unwrap();
        assert_eq!(got.status, Some(BucketAccelerateStatus::from("Enabled")));

        client
            .put_bucket_request_payment()
            .bucket(bucket)
            .request_payment_configuration(RequestPaymentConfiguration::builder().payer("Requester").build().unwrap())
            .send()
            .await
            .unwrap();
        // moto 5.2.5 answers GetBucketRequestPayment with a bucket listing (botocore reads
        // no `Payer` from it either), so only the call is checked.
        client.get_bucket_request_payment().bucket(bucket).send().await.unwrap();

        // moto 5.2.5 does not implement the metrics and analytics configurations (it
        // answers with a bucket listing), so they have no live test; inventory it does.
        let destination = InventoryDestination::builder()
            .s3_bucket_destination(
                InventoryS3BucketDestination::builder().bucket(format!("arn:aws:s3:::{bucket}")).format("CSV").build().unwrap(),
            )
            .build()
            .unwrap();
        let inventory = InventoryConfiguration::builder()
            .id("daily")
            .is_enabled(true)
            .destination(destination)
            .included_object_versions("All")
            .schedule(InventorySchedule::builder().frequency("Daily").build().unwrap())
            .build()
            .unwrap();
        client.put_bucket_inventory_configuration().bucket(bucket).id("daily").inventory_configuration(inventory).send().await.unwrap();
        let got = client.get_bucket_inventory_configuration().bucket(bucket).id("daily").send().await.unwrap();
        let got = got.inventory_configuration.unwrap();
        assert_eq!(got.id.as_deref(), Some("daily"));
        assert_eq!(got.schedule.unwrap().frequency, Some(InventoryFrequency::from("Daily")));
        let notification = NotificationConfiguration::builder().build();
        client.put_bucket_notification_configuration().bucket(bucket).notification_configuration(notification).send().await.unwrap();
        client.get_bucket_notification_configuration().bucket(bucket).send().await.unwrap();

        client.get_bucket_logging().bucket(bucket).send().await.unwrap();
        let status = client.get_bucket_policy_status().bucket(bucket).send().await;
        assert!(status.is_ok() || matches!(status, Err(SdkError::Service(_))), "{status:?}");

        client.put_object().bucket(bucket).key("acl").body(ByteStream::from("x")).send().await.unwrap();
        client.put_object_acl().bucket(bucket).key("acl").acl("public-read").send().await.unwrap();
        let acl = client.get_object_acl().bucket(bucket).key("acl").send().await.unwrap();
        assert!(acl.grants().iter().any(|g| g.permission == Some(Permission::Read)), "{acl:?}");
        client.delete_object_tagging().bucket(bucket).key("acl").send().await.unwrap();
        cleanup(&client, bucket).await;
    });
}

/// Every algorithm of `ChecksumAlgorithm` on an upload, in a header (a body in memory)
/// and in an `aws-chunked` trailer (a file), read back with validation on (the default):
/// moto stores the checksum sent and returns it with `x-amz-checksum-mode: ENABLED`, so
/// the download is checked against it, and the value equals ours for the data.
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn checksums_every_algorithm_round_trip() {
    use s3::types::ChecksumAlgorithm;
    use s3_runtime::checksum::Algorithm;
    let bucket = "live-checksums";
    runtime().block_on(async {
        let client = client(true);
        cleanup(&client, bucket).await;
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let path = std::env::temp_dir().join(format!("s3-live-checksums-{}", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        for algorithm in Algorithm::ALL {
            let expected = algorithm.checksum(&data);
            for (key, body) in [
                (format!("header-{}", algorithm.name()), ByteStream::from(data.clone())),
                (format!("trailer-{}", algorithm.name()), ByteStream::from_path(&path).await.unwrap()),
            ] {
                client
                    .put_object()
                    .bucket(bucket)
                    .key(&key)
                    .body(body)
                    .checksum_algorithm(ChecksumAlgorithm::from(algorithm.name()))
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{key}: {e:?}"));
                let out = client.get_object().bucket(bucket).key(&key).send().await.unwrap();
                let header = match algorithm {
                    Algorithm::Crc32 => out.checksum_crc32.clone(),
                    Algorithm::Crc32c => out.checksum_crc32c.clone(),
                    Algorithm::Crc64Nvme => out.checksum_crc64nvme.clone(),
                    Algorithm::Sha1 => out.checksum_sha1.clone(),
                    Algorithm::Sha256 => out.checksum_sha256.clone(),
                    Algorithm::Sha512 => out.checksum_sha512.clone(),
                    Algorithm::Md5 => out.checksum_md5.clone(),
                    Algorithm::XxHash64 => out.checksum_xxhash64.clone(),
                    Algorithm::XxHash3 => out.checksum_xxhash3.clone(),
                    Algorithm::XxHash128 => out.checksum_xxhash128.clone(),
                    _ => None,
                };
                assert_eq!(header.as_deref(), Some(expected.as_str()), "{key}: the stored checksum");
                assert_eq!(out.body.unwrap().collect().await.unwrap(), data, "{key}");
            }
        }
        // With no algorithm chosen, the default CRC32 is stored and validated.
        client.put_object().bucket(bucket).key("default").body(ByteStream::from(data.clone())).send().await.unwrap();
        let out = client.get_object().bucket(bucket).key("default").send().await.unwrap();
        assert_eq!(out.checksum_crc32.as_deref(), Some(Algorithm::Crc32.checksum(&data).as_str()));
        assert_eq!(out.body.unwrap().collect().await.unwrap(), data);
        std::fs::remove_file(&path).unwrap();
        cleanup(&client, bucket).await;
    });
}

/// Multipart checksums: moto computes an object's composite checksum from the parts'
/// digests and its full-object checksum from all the data; `checksum::multipart`
/// computes them from the parts' checksums UploadPart returned (the full-object CRC by
/// combining part CRCs), and they must agree. The GET validates the full-object ones
/// and skips the composite one.
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn multipart_checksums_match_the_helpers() {
    use s3::types::{ChecksumAlgorithm, ChecksumType};
    use s3_runtime::checksum::{multipart, Algorithm};
    let bucket = "live-multipart-checksums";
    runtime().block_on(async {
        let client = client(true);
        cleanup(&client, bucket).await;
        client.create_bucket().bucket(bucket).send().await.unwrap();
        let parts: [Vec<u8>; 2] = [(0..5 * 1024 * 1024u32).map(|i| (i % 253) as u8).collect(), b"the tail".to_vec()];
        // moto computes CRC32C as CRC32 without its optional `crc32c` module: not used.
        for (algorithm, kind) in [
            (Algorithm::Crc32, ChecksumType::Composite),
            (Algorithm::Sha256, ChecksumType::Composite),
            (Algorithm::Crc32, ChecksumType::FullObject),
            (Algorithm::Crc64Nvme, ChecksumType::FullObject),
        ] {
            let key = format!("{}-{}", algorithm.name(), kind.as_str());
            let created = client
                .create_multipart_upload()
                .bucket(bucket)
                .key(&key)
                .checksum_algorithm(ChecksumAlgorithm::from(algorithm.name()))
                .checksum_type(kind.clone())
                .send()
                .await
                .unwrap();
            let upload_id = created.upload_id.unwrap();
            let mut completed = CompletedMultipartUpload::builder();
            let mut sent = Vec::new();
            for (i, data) in parts.iter().enumerate() {
                let number = i as i32 + 1;
                let out = client
                    .upload_part()
                    .bucket(bucket)
                    .key(&key)
                    .upload_id(&upload_id)
                    .part_number(number)
                    .checksum_algorithm(ChecksumAlgorithm::from(algorithm.name()))
                    .body(ByteStream::from(data.clone()))
                    .send()
                    .await
                    .unwrap();
                let checksum = match algorithm {
                    Algorithm::Crc32 => out.checksum_crc32.clone(),
                    Algorithm::Sha256 => out.checksum_sha256.clone(),
                    _ => out.checksum_crc64nvme.clone(),
                };
                let checksum = checksum.unwrap_or_else(|| panic!("{key}: UploadPart returned no checksum"));
                assert_eq!(checksum, algorithm.checksum(data), "{key}: part {number}");
                sent.push((checksum, data.len() as u64));
                completed = completed.parts(CompletedPart::builder().part_number(number).e_tag(out.e_tag.unwrap()).build());
            }
            client
                .complete_multipart_upload()
                .bucket(bucket)
                .key(&key)
                .upload_id(&upload_id)
                .multipart_upload(completed.build())
                .send()
                .await
                .unwrap();
            let out = client.get_object().bucket(bucket).key(&key).send().await.unwrap();
            let stored = match algorithm {
                Algorithm::Crc32 => out.checksum_crc32.clone(),
                Algorithm::Sha256 => out.checksum_sha256.clone(),
                _ => out.checksum_crc64nvme.clone(),
            };
            let expected = if kind == ChecksumType::Composite {
                let digests: Vec<&str> = sent.iter().map(|(c, _)| c.as_str()).collect();
                multipart::composite(algorithm, &digests).unwrap()
            } else {
                let full = multipart::full_object(algorithm, &sent).unwrap();
                assert_eq!(full, algorithm.checksum(&parts.concat()), "{key}: combined = checksum of the data");
                full
            };
            assert_eq!(stored.as_deref(), Some(expected.as_str()), "{key}");
            assert_eq!(out.body.unwrap().collect().await.unwrap(), parts.concat(), "{key}");
        }
        cleanup(&client, bucket).await;
    });
}
