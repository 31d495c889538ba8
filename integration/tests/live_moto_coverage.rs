//! Live tests against moto's S3 server for the operations moto implements that
//! `live_moto.rs`, `live_pagination.rs` and the examples do not call (or call without
//! checking the result). Together they call every operation moto 5.2.5 implements; the
//! table is in `LIVE_COVERAGE.md`. `#[ignore]`d like `live_moto.rs`: `cargo xtask test`
//! starts moto and runs them with `--ignored`.
//!
//! Each test is a round trip: put a configuration, read it back and compare it with
//! what was put, delete it, and check that reading it again gives the error S3 gives.
//! Every test uses its own buckets (`live-cov-…`) and deletes them afterwards, also when
//! it fails (`common::with_cleanup`).
//!
//! What moto 5.2.5 does not implement, so no test calls it here: the analytics, metrics
//! and intelligent-tiering configurations, `DeleteBucketInventoryConfiguration`,
//! `GetObjectRetention`, `GetObjectTorrent`, the request-payment configuration,
//! `RenameObject`, `CreateSession`, directory buckets, ABAC, metadata tables, object
//! annotations, `UpdateObjectEncryption` and `WriteGetObjectResponse`. moto dispatches on
//! the query string and falls back to the plain bucket or object operation, so some of
//! these "succeed" by doing something else: `DeleteBucketInventoryConfiguration`
//! deletes the bucket, `RenameObject` creates an empty object under the new key,
//! `GetObjectTorrent` returns the object's bytes, the `Get…` ones return a bucket
//! listing. `LIVE_COVERAGE.md` lists them all.

use s3::primitives::ByteStream;
use s3::types::*;
use s3::Client;
use s3_runtime::SdkError;

mod common;
use common::with_cleanup;

/// The error code of a service error; panics on success or on any other error.
macro_rules! error_code {
    ($result:expr) => {
        match $result {
            Ok(out) => panic!("expected a service error, got {out:?}"),
            Err(SdkError::Service(err)) => err.code().unwrap_or_default().to_owned(),
            Err(err) => panic!("expected a service error, got {err:?}"),
        }
    };
}

async fn enable_versioning(client: &Client, bucket: &str) {
    client
        .put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build())
        .send()
        .await
        .unwrap();
}

/// PutBucketReplication, GetBucketReplication, DeleteBucketReplication.
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn replication_round_trip() {
    const BUCKET: &str = "live-cov-replication";
    const DESTINATION: &str = "live-cov-replication-dst";
    with_cleanup(&[BUCKET, DESTINATION], |client| async move {
        client.create_bucket().bucket(BUCKET).send().await.unwrap();
        client.create_bucket().bucket(DESTINATION).send().await.unwrap();
        let err = error_code!(client.get_bucket_replication().bucket(BUCKET).send().await);
        assert_eq!(err, "ReplicationConfigurationNotFoundError");

        let rule = ReplicationRule::builder()
            .id("to-dst")
            .priority(1)
            .status(ReplicationRuleStatus::Enabled)
            .filter(ReplicationRuleFilter::builder().prefix("").build())
            .delete_marker_replication(DeleteMarkerReplication::builder().status("Disabled").build())
            .destination(
                Destination::builder()
                    .bucket(format!("arn:aws:s3:::{DESTINATION}"))
                    .storage_class(StorageClass::StandardIa)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let configuration = ReplicationConfiguration::builder()
            .role("arn:aws:iam::123456789012:role/replication")
            .rules(rule)
            .build()
            .unwrap();

        // S3 (and moto) refuse replication from a bucket without versioning.
        let put = client.put_bucket_replication().bucket(BUCKET).replication_configuration(configuration.clone()).send().await;
        assert_eq!(error_code!(put), "InvalidRequest");
        enable_versioning(&client, BUCKET).await;
        enable_versioning(&client, DESTINATION).await;

        client.put_bucket_replication().bucket(BUCKET).replication_configuration(configuration.clone()).send().await.unwrap();
        let got = client.get_bucket_replication().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.replication_configuration, Some(configuration));

        client.delete_bucket_replication().bucket(BUCKET).send().await.unwrap();
        let err = error_code!(client.get_bucket_replication().bucket(BUCKET).send().await);
        assert_eq!(err, "ReplicationConfigurationNotFoundError");
    });
}

/// PutBucketLogging and GetBucketLogging; PutBucketAcl with grant headers (live_moto.rs
/// sends an access control policy in the body).
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn logging_round_trip() {
    const BUCKET: &str = "live-cov-logging";
    const TARGET: &str = "live-cov-logging-target";
    const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";
    with_cleanup(&[BUCKET, TARGET], |client| async move {
        client.create_bucket().bucket(BUCKET).send().await.unwrap();
        client.create_bucket().bucket(TARGET).send().await.unwrap();
        let got = client.get_bucket_logging().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.logging_enabled, None);

        let status = BucketLoggingStatus::builder()
            .logging_enabled(LoggingEnabled::builder().target_bucket(TARGET).target_prefix("logs/").build().unwrap())
            .build();
        // The target bucket must let the log-delivery group write.
        let put = client.put_bucket_logging().bucket(BUCKET).bucket_logging_status(status.clone()).send().await;
        assert_eq!(error_code!(put), "InvalidTargetBucketForLogging");

        let grantee = format!("uri=\"{LOG_DELIVERY}\"");
        client.put_bucket_acl().bucket(TARGET).grant_write(&grantee).grant_read_acp(&grantee).send().await.unwrap();
        let acl = client.get_bucket_acl().bucket(TARGET).send().await.unwrap();
        let mut granted: Vec<Permission> = acl
            .grants()
            .iter()
            .filter(|g| {
                let grantee = g.grantee.as_ref().unwrap();
                grantee.r#type == Some(Type::Group) && grantee.uri.as_deref() == Some(LOG_DELIVERY)
            })
            .map(|g| g.permission.clone().unwrap())
            .collect();
        granted.sort_by_key(|p| p.as_str().to_owned());
        assert_eq!(granted, [Permission::ReadAcp, Permission::Write], "{acl:?}");

        client.put_bucket_logging().bucket(BUCKET).bucket_logging_status(status.clone()).send().await.unwrap();
        let got = client.get_bucket_logging().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.logging_enabled, status.logging_enabled);

        // An empty status turns logging off.
        client.put_bucket_logging().bucket(BUCKET).bucket_logging_status(BucketLoggingStatus::builder().build()).send().await.unwrap();
        let got = client.get_bucket_logging().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.logging_enabled, None);
    });
}

/// PutBucketNotificationConfiguration and GetBucketNotificationConfiguration with
/// destinations (live_moto.rs puts an empty one), and the deprecated
/// PutBucketNotification and GetBucketNotification on the same configuration.
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
#[allow(deprecated)]
fn notification_round_trip() {
    const BUCKET: &str = "live-cov-notification";
    with_cleanup(&[BUCKET], |client| async move {
        client.create_bucket().bucket(BUCKET).send().await.unwrap();
        let got = client.get_bucket_notification_configuration().bucket(BUCKET).send().await.unwrap();
        assert!(got.queue_configurations().is_empty() && got.topic_configurations().is_empty(), "{got:?}");

        let prefix = NotificationConfigurationFilter::builder()
            .key(S3KeyFilter::builder().filter_rules(FilterRule::builder().name(FilterRuleName::Prefix).value("in/").build()).build())
            .build();
        let queue = QueueConfiguration::builder()
            .id("new-objects")
            .queue_arn("arn:aws:sqs:us-east-1:123456789012:new-objects")
            .events("s3:ObjectCreated:*")
            .filter(prefix)
            .build()
            .unwrap();
        let topic = TopicConfiguration::builder()
            .id("removals")
            .topic_arn("arn:aws:sns:us-east-1:123456789012:removals")
            .events("s3:ObjectRemoved:Delete")
            .events("s3:ObjectRemoved:DeleteMarkerCreated")
            .build()
            .unwrap();
        let lambda = LambdaFunctionConfiguration::builder()
            .id("thumbnails")
            .lambda_function_arn("arn:aws:lambda:us-east-1:123456789012:function:thumbnails")
            .events(Event::S3ObjectCreatedPut)
            .build()
            .unwrap();
        let configuration = NotificationConfiguration::builder()
            .queue_configurations(queue.clone())
            .topic_configurations(topic.clone())
            .lambda_function_configurations(lambda.clone())
            .build();
        client
            .put_bucket_notification_configuration()
            .bucket(BUCKET)
            .notification_configuration(configuration)
            .send()
            .await
            .unwrap();
        let got = client.get_bucket_notification_configuration().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.queue_configurations(), [queue]);
        assert_eq!(got.topic_configurations(), [topic]);
        assert_eq!(got.lambda_function_configurations(), [lambda]);

        // The deprecated API reads the same configuration, one destination of each kind.
        let old = client.get_bucket_notification().bucket(BUCKET).send().await.unwrap();
        let old_topic = old.topic_configuration.unwrap();
        assert_eq!(old_topic.id.as_deref(), Some("removals"));
        assert_eq!(old_topic.topic.as_deref(), Some("arn:aws:sns:us-east-1:123456789012:removals"));
        assert_eq!(old_topic.events(), [Event::S3ObjectRemovedDelete, Event::S3ObjectRemovedDeleteMarkerCreated]);
        let old_queue = old.queue_configuration.unwrap();
        assert_eq!(old_queue.queue.as_deref(), Some("arn:aws:sqs:us-east-1:123456789012:new-objects"));
        assert_eq!(old_queue.events(), [Event::S3ObjectCreatedAll]);
        let old_function = old.cloud_function_configuration.unwrap();
        assert_eq!(old_function.cloud_function.as_deref(), Some("arn:aws:lambda:us-east-1:123456789012:function:thumbnails"));

        // And writes it: the deprecated configuration replaces the whole configuration.
        let deprecated = NotificationConfigurationDeprecated::builder()
            .queue_configuration(
                QueueConfigurationDeprecated::builder()
                    .id("old-style")
                    .queue("arn:aws:sqs:us-east-1:123456789012:old-style")
                    .events("s3:ObjectCreated:Copy")
                    .build(),
            )
            .build();
        client.put_bucket_notification().bucket(BUCKET).notification_configuration(deprecated).send().await.unwrap();
        let got = client.get_bucket_notification_configuration().bucket(BUCKET).send().await.unwrap();
        let expected = QueueConfiguration::builder()
            .id("old-style")
            .queue_arn("arn:aws:sqs:us-east-1:123456789012:old-style")
            .events(Event::S3ObjectCreatedCopy)
            .build()
            .unwrap();
        assert_eq!(got.queue_configurations(), [expected]);
        assert!(got.topic_configurations().is_empty() && got.lambda_function_configurations().is_empty(), "{got:?}");

        // An empty configuration removes every destination.
        let empty = NotificationConfiguration::builder().build();
        client.put_bucket_notification_configuration().bucket(BUCKET).notification_configuration(empty).send().await.unwrap();
        let got = client.get_bucket_notification_configuration().bucket(BUCKET).send().await.unwrap();
        assert!(got.queue_configurations().is_empty(), "{got:?}");
    });
}

/// The deprecated PutBucketLifecycle and GetBucketLifecycle, with DeleteBucketLifecycle
/// and the typed error after it.
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
#[allow(deprecated)]
fn deprecated_lifecycle_round_trip() {
    const BUCKET: &str = "live-cov-lifecycle";
    with_cleanup(&[BUCKET], |client| async move {
        client.create_bucket().bucket(BUCKET).send().await.unwrap();
        let err = error_code!(client.get_bucket_lifecycle().bucket(BUCKET).send().await);
        assert_eq!(err, "NoSuchLifecycleConfiguration");

        let rule = Rule::builder()
            .id("expire-tmp")
            .prefix("tmp/")
            .status(ExpirationStatus::Enabled)
            .expiration(LifecycleExpiration::builder().days(7).build())
            .build()
            .unwrap();
        let configuration = LifecycleConfiguration::builder().rules(rule.clone()).build().unwrap();
        client.put_bucket_lifecycle().bucket(BUCKET).lifecycle_configuration(configuration).send().await.unwrap();
        let got = client.get_bucket_lifecycle().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.rules(), [rule]);

        // The current API sees the same rule.
        let got = client.get_bucket_lifecycle_configuration().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.rules()[0].id.as_deref(), Some("expire-tmp"));
        assert_eq!(got.rules()[0].prefix.as_deref(), Some("tmp/"));
        assert_eq!(got.rules()[0].expiration.as_ref().and_then(|e| e.days), Some(7));

        client.delete_bucket_lifecycle().bucket(BUCKET).send().await.unwrap();
        let err = error_code!(client.get_bucket_lifecycle().bucket(BUCKET).send().await);
        assert_eq!(err, "NoSuchLifecycleConfiguration");
        let err = error_code!(client.get_bucket_lifecycle_configuration().bucket(BUCKET).send().await);
        assert_eq!(err, "NoSuchLifecycleConfiguration");
    });
}

/// ListBucketInventoryConfigurations, with a full round trip of
/// PutBucketInventoryConfiguration and GetBucketInventoryConfiguration.
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn inventory_configurations() {
    const BUCKET: &str = "live-cov-inventory";
    with_cleanup(&[BUCKET], |client| async move {
        client.create_bucket().bucket(BUCKET).send().await.unwrap();
        let listed = client.list_bucket_inventory_configurations().bucket(BUCKET).send().await.unwrap();
        assert!(listed.inventory_configuration_list().is_empty(), "{listed:?}");

        let configuration = |id: &str, format: InventoryFormat, frequency: InventoryFrequency| {
            let destination = InventoryS3BucketDestination::builder()
                .bucket(format!("arn:aws:s3:::{BUCKET}"))
                .format(format)
                .prefix("inventory")
                .build()
                .unwrap();
            InventoryConfiguration::builder()
                .id(id)
                .is_enabled(false)
                .destination(InventoryDestination::builder().s3_bucket_destination(destination).build().unwrap())
                .filter(InventoryFilter::builder().prefix("data/").build().unwrap())
                // moto always answers `All`, whatever was put.
                .included_object_versions(InventoryIncludedObjectVersions::All)
                .optional_fields(InventoryOptionalField::Size)
                .optional_fields(InventoryOptionalField::ETag)
                .schedule(InventorySchedule::builder().frequency(frequency).build().unwrap())
                .build()
                .unwrap()
        };
        let weekly = configuration("weekly", InventoryFormat::Parquet, InventoryFrequency::Weekly);
        let daily = configuration("daily", InventoryFormat::Csv, InventoryFrequency::Daily);
        for c in [&weekly, &daily] {
            let id = c.id.clone().unwrap();
            client.put_bucket_inventory_configuration().bucket(BUCKET).id(id).inventory_configuration(c.clone()).send().await.unwrap();
        }

        let got = client.get_bucket_inventory_configuration().bucket(BUCKET).id("weekly").send().await.unwrap();
        assert_eq!(got.inventory_configuration.as_ref(), Some(&weekly));
        let err = error_code!(client.get_bucket_inventory_configuration().bucket(BUCKET).id("missing").send().await);
        assert_eq!(err, "NoSuchInventoryConfig");

        let listed = client.list_bucket_inventory_configurations().bucket(BUCKET).send().await.unwrap();
        assert_eq!(listed.is_truncated, Some(false));
        let mut list = listed.inventory_configuration_list().to_vec();
        list.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(list.iter().map(|c| c.id.as_deref().unwrap()).collect::<Vec<_>>(), ["daily", "weekly"]);
        for (got, put) in list.iter().zip([&daily, &weekly]) {
            assert_eq!(got.destination, put.destination);
            assert_eq!(got.schedule, put.schedule);
            assert_eq!(got.filter, put.filter);
            assert_eq!(got.is_enabled, Some(false));
            // moto 5.2.5 lists the optional fields wrongly: it answers
            // `<OptionalFields><Field>Field</Field></OptionalFields>` (the name of the
            // XML element it parsed, not the fields; GetBucketInventoryConfiguration
            // above answers them right), and boto3 reads `["Field"]` too. `Field` is no
            // value of the enum, so it arrives as `Unknown`.
            assert_eq!(got.optional_fields(), [InventoryOptionalField::Unknown("Field".to_owned())]);
        }
        // DeleteBucketInventoryConfiguration is not called: moto 5.2.5 does not implement
        // it and deletes the (empty) bucket instead.
    });
}

/// UploadPartCopy: a multipart upload made of a whole-object copy and a ranged copy.
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn upload_part_copy() {
    const BUCKET: &str = "live-cov-part-copy";
    with_cleanup(&[BUCKET], |client| async move {
        client.create_bucket().bucket(BUCKET).send().await.unwrap();
        // Every part but the last must have at least 5 MiB.
        let source: Vec<u8> = (0..5 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
        client.put_object().bucket(BUCKET).key("source").body(ByteStream::from(source.clone())).send().await.unwrap();
        let upload = client.create_multipart_upload().bucket(BUCKET).key("target").send().await.unwrap();
        let upload_id = upload.upload_id.unwrap();

        let whole = client
            .upload_part_copy()
            .bucket(BUCKET)
            .key("target")
            .upload_id(&upload_id)
            .part_number(1)
            .copy_source(format!("{BUCKET}/source"))
            .send()
            .await
            .unwrap();
        let ranged = client
            .upload_part_copy()
            .bucket(BUCKET)
            .key("target")
            .upload_id(&upload_id)
            .part_number(2)
            .copy_source(format!("{BUCKET}/source"))
            .copy_source_range("bytes=1000-1009")
            .send()
            .await
            .unwrap();
        let whole = whole.copy_part_result.unwrap();
        let ranged = ranged.copy_part_result.unwrap();
        assert!(whole.last_modified.is_some() && ranged.last_modified.is_some());
        assert_ne!(whole.e_tag, ranged.e_tag);

        let parts = client.list_parts().bucket(BUCKET).key("target").upload_id(&upload_id).send().await.unwrap();
        let sizes: Vec<_> = parts.parts().iter().map(|p| p.size).collect();
        assert_eq!(sizes, [Some(source.len() as i64), Some(10)]);

        let done = CompletedMultipartUpload::builder()
            .parts(CompletedPart::builder().part_number(1).e_tag(whole.e_tag.unwrap()).build())
            .parts(CompletedPart::builder().part_number(2).e_tag(ranged.e_tag.unwrap()).build())
            .build();
        client.complete_multipart_upload().bucket(BUCKET).key("target").upload_id(&upload_id).multipart_upload(done).send().await.unwrap();
        let body = client.get_object().bucket(BUCKET).key("target").send().await.unwrap().body.unwrap().collect().await.unwrap();
        let mut expected = source.clone();
        expected.extend_from_slice(&source[1000..1010]);
        assert!(body == expected, "the copied object differs ({} bytes, expected {})", body.len(), expected.len());
    });
}

/// Every event of a SelectObjectContent answer: the records, the statistics, the end.
async fn select(client: &Client, bucket: &str, key: &str, sql: &str, input: InputSerialization, output: OutputSerialization) -> (Vec<u8>, Stats) {
    let out = client
        .select_object_content()
        .bucket(bucket)
        .key(key)
        .expression(sql)
        .expression_type(ExpressionType::Sql)
        .input_serialization(input)
        .output_serialization(output)
        .send()
        .await
        .unwrap();
    let mut events = out.payload.expect("the event stream is the payload");
    let (mut records, mut stats, mut ended) = (Vec::new(), None, false);
    while let Some(event) = events.recv().await.unwrap() {
        assert!(!ended, "an event after End: {event:?}");
        match event {
            SelectObjectContentEventStream::Records(r) => records.extend(r.payload.unwrap().into_inner()),
            SelectObjectContentEventStream::Stats(s) => stats = s.details,
            SelectObjectContentEventStream::End(_) => ended = true,
            other => panic!("unexpected event {other:?}"),
        }
    }
    assert!(ended, "the stream ends with End");
    (records, stats.expect("a Stats event"))
}

/// SelectObjectContent over CSV and JSON Lines, with JSON and CSV output. moto 5.2.5
/// implements a small part of S3 Select: `SELECT *` and `count(*)`, without
/// projections or `WHERE` (it answers those with a 500).
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn select_object_content() {
    const BUCKET: &str = "live-cov-select";
    with_cleanup(&[BUCKET], |client| async move {
        client.create_bucket().bucket(BUCKET).send().await.unwrap();
        // No newline at the end: moto reads a trailing newline as one more, empty, record.
        let csv = "name,age\nalice,30\nbob,25";
        client.put_object().bucket(BUCKET).key("people.csv").body(ByteStream::from(csv)).send().await.unwrap();
        let csv_in = || InputSerialization::builder().csv(CsvInput::builder().file_header_info(FileHeaderInfo::Use).build()).build();
        let json_out = || OutputSerialization::builder().json(JsonOutput::builder().build()).build();
        let csv_out = || OutputSerialization::builder().csv(CsvOutput::builder().build()).build();

        let (records, stats) = select(&client, BUCKET, "people.csv", "SELECT * FROM S3Object", csv_in(), json_out()).await;
        let expected = "{\"name\":\"alice\",\"age\":\"30\"}\n{\"name\":\"bob\",\"age\":\"25\"}\n";
        assert_eq!(String::from_utf8(records).unwrap(), expected);
        assert_eq!(stats.bytes_returned, Some(expected.len() as i64));
        assert!(stats.bytes_scanned.is_some_and(|n| n > 0), "{stats:?}");

        let (records, _) = select(&client, BUCKET, "people.csv", "SELECT * FROM S3Object", csv_in(), csv_out()).await;
        assert_eq!(String::from_utf8(records).unwrap(), "alice,30\nbob,25\n");
        let (records, stats) = select(&client, BUCKET, "people.csv", "SELECT count(*) FROM S3Object", csv_in(), csv_out()).await;
        assert_eq!(String::from_utf8(records).unwrap(), "2\n");
        assert_eq!(stats.bytes_returned, Some(2));

        let lines = "{\"name\":\"alice\",\"age\":30}\n{\"name\":\"bob\",\"age\":25}\n";
        client.put_object().bucket(BUCKET).key("people.json").body(ByteStream::from(lines)).send().await.unwrap();
        let json_in = InputSerialization::builder().json(JsonInput::builder().r#type(JsonType::Lines).build()).build();
        let (records, _) = select(&client, BUCKET, "people.json", "SELECT * FROM S3Object", json_in, json_out()).await;
        assert_eq!(String::from_utf8(records).unwrap(), lines);

        // A missing key is an error before the stream starts.
        let err = client
            .select_object_content()
            .bucket(BUCKET)
            .key("missing.csv")
            .expression("SELECT * FROM S3Object")
            .expression_type(ExpressionType::Sql)
            .input_serialization(csv_in())
            .output_serialization(json_out())
            .send()
            .await;
        assert_eq!(error_code!(err), "NoSuchKey");
    });
}

/// GetBucketPolicyStatus, public and not, and the error without a policy (live_moto.rs
/// accepts any answer).
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn policy_status() {
    const BUCKET: &str = "live-cov-policy-status";
    with_cleanup(&[BUCKET], |client| async move {
        client.create_bucket().bucket(BUCKET).send().await.unwrap();
        let err = error_code!(client.get_bucket_policy_status().bucket(BUCKET).send().await);
        assert_eq!(err, "NoSuchBucketPolicy");

        let policy = |principal: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{BUCKET}/*"}}]}}"#
            )
        };
        let public = policy(r#""*""#);
        client.put_bucket_policy().bucket(BUCKET).policy(&public).send().await.unwrap();
        let status = client.get_bucket_policy_status().bucket(BUCKET).send().await.unwrap();
        assert_eq!(status.policy_status.unwrap().is_public, Some(true));
        let got = client.get_bucket_policy().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.policy.as_deref(), Some(public.as_str()));

        let private = policy(r#"{"AWS":"arn:aws:iam::123456789012:root"}"#);
        client.put_bucket_policy().bucket(BUCKET).policy(&private).send().await.unwrap();
        let status = client.get_bucket_policy_status().bucket(BUCKET).send().await.unwrap();
        assert_eq!(status.policy_status.unwrap().is_public, Some(false));

        client.delete_bucket_policy().bucket(BUCKET).send().await.unwrap();
        let err = error_code!(client.get_bucket_policy().bucket(BUCKET).send().await);
        assert_eq!(err, "NoSuchBucketPolicy");
        let err = error_code!(client.get_bucket_policy_status().bucket(BUCKET).send().await);
        assert_eq!(err, "NoSuchBucketPolicy");
    });
}

/// Every bucket sub-resource moto can delete: put, read back equal, delete, and the
/// typed "not found" error after. live_moto.rs calls these deletes without checking
/// that anything was deleted.
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn deletes_remove_bucket_configuration() {
    const BUCKET: &str = "live-cov-deletes";
    with_cleanup(&[BUCKET], |client| async move {
        client.create_bucket().bucket(BUCKET).send().await.unwrap();

        let cors = CorsConfiguration::builder()
            .cors_rules(
                CorsRule::builder()
                    .id("browser")
                    .allowed_headers("Authorization")
                    .allowed_methods("GET")
                    .allowed_methods("PUT")
                    .allowed_origins("https://example.com")
                    .expose_headers("ETag")
                    .max_age_seconds(300)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        client.put_bucket_cors().bucket(BUCKET).cors_configuration(cors.clone()).send().await.unwrap();
        let got = client.get_bucket_cors().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.cors_rules(), cors.cors_rules());
        client.delete_bucket_cors().bucket(BUCKET).send().await.unwrap();
        assert_eq!(error_code!(client.get_bucket_cors().bucket(BUCKET).send().await), "NoSuchCORSConfiguration");

        let redirect = RoutingRule::builder()
            .condition(Condition::builder().key_prefix_equals("old/").build())
            .redirect(Redirect::builder().replace_key_prefix_with("new/").build())
            .build()
            .unwrap();
        let website = WebsiteConfiguration::builder()
            .index_document(IndexDocument::builder().suffix("index.html").build().unwrap())
            .error_document(ErrorDocument::builder().key("error.html").build().unwrap())
            .routing_rules(redirect.clone())
            .build();
        client.put_bucket_website().bucket(BUCKET).website_configuration(website).send().await.unwrap();
        let got = client.get_bucket_website().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.error_document.as_ref().unwrap().key.as_deref(), Some("error.html"));
        assert_eq!(got.routing_rules(), [redirect]);
        client.delete_bucket_website().bucket(BUCKET).send().await.unwrap();
        assert_eq!(error_code!(client.get_bucket_website().bucket(BUCKET).send().await), "NoSuchWebsiteConfiguration");

        let tagging = Tagging::builder()
            .tag_set(Tag::builder().key("env").value("test").build().unwrap())
            .tag_set(Tag::builder().key("team").value("storage").build().unwrap())
            .build()
            .unwrap();
        client.put_bucket_tagging().bucket(BUCKET).tagging(tagging.clone()).send().await.unwrap();
        let got = client.get_bucket_tagging().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.tag_set(), tagging.tag_set());
        client.delete_bucket_tagging().bucket(BUCKET).send().await.unwrap();
        assert_eq!(error_code!(client.get_bucket_tagging().bucket(BUCKET).send().await), "NoSuchTagSet");

        let by_default = ServerSideEncryptionByDefault::builder()
            .sse_algorithm(ServerSideEncryption::AwsKms)
            .kms_master_key_id("arn:aws:kms:us-east-1:123456789012:key/abcd")
            .build()
            .unwrap();
        let encryption = ServerSideEncryptionConfiguration::builder()
            .rules(ServerSideEncryptionRule::builder().apply_server_side_encryption_by_default(by_default).bucket_key_enabled(true).build())
            .build()
            .unwrap();
        client.put_bucket_encryption().bucket(BUCKET).server_side_encryption_configuration(encryption.clone()).send().await.unwrap();
        let got = client.get_bucket_encryption().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.server_side_encryption_configuration, Some(encryption));
        client.delete_bucket_encryption().bucket(BUCKET).send().await.unwrap();
        let err = error_code!(client.get_bucket_encryption().bucket(BUCKET).send().await);
        assert_eq!(err, "ServerSideEncryptionConfigurationNotFoundError");

        let ownership = OwnershipControls::builder()
            .rules(OwnershipControlsRule::builder().object_ownership(ObjectOwnership::BucketOwnerPreferred).build().unwrap())
            .build()
            .unwrap();
        client.put_bucket_ownership_controls().bucket(BUCKET).ownership_controls(ownership.clone()).send().await.unwrap();
        let got = client.get_bucket_ownership_controls().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.ownership_controls, Some(ownership));
        client.delete_bucket_ownership_controls().bucket(BUCKET).send().await.unwrap();
        let err = error_code!(client.get_bucket_ownership_controls().bucket(BUCKET).send().await);
        assert_eq!(err, "OwnershipControlsNotFoundError");

        let block = PublicAccessBlockConfiguration::builder()
            .block_public_acls(true)
            .ignore_public_acls(false)
            .block_public_policy(true)
            .restrict_public_buckets(false)
            .build();
        client.put_public_access_block().bucket(BUCKET).public_access_block_configuration(block.clone()).send().await.unwrap();
        let got = client.get_public_access_block().bucket(BUCKET).send().await.unwrap();
        assert_eq!(got.public_access_block_configuration, Some(block));
        client.delete_public_access_block().bucket(BUCKET).send().await.unwrap();
        let err = error_code!(client.get_public_access_block().bucket(BUCKET).send().await);
        assert_eq!(err, "NoSuchPublicAccessBlockConfiguration");
    });
}

/// DeleteObjectTagging (live_moto.rs deletes a tag set that was never put), and
/// PutObjectRetention and PutObjectLegalHold read back through HeadObject's headers
/// (moto does not implement GetObjectRetention).
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn object_tagging_retention_and_legal_hold() {
    const BUCKET: &str = "live-cov-object-settings";
    with_cleanup(&[BUCKET], |client| async move {
        client.create_bucket().bucket(BUCKET).object_lock_enabled_for_bucket(true).send().await.unwrap();
        client.put_object().bucket(BUCKET).key("k").body(ByteStream::from("data")).tagging("a=1&b=2").send().await.unwrap();
        let tags = client.get_object_tagging().bucket(BUCKET).key("k").send().await.unwrap();
        let mut pairs: Vec<_> = tags.tag_set().iter().map(|t| (t.key.clone().unwrap(), t.value.clone().unwrap())).collect();
        pairs.sort();
        assert_eq!(pairs, [("a".to_owned(), "1".to_owned()), ("b".to_owned(), "2".to_owned())]);
        client.delete_object_tagging().bucket(BUCKET).key("k").send().await.unwrap();
        let tags = client.get_object_tagging().bucket(BUCKET).key("k").send().await.unwrap();
        assert!(tags.tag_set().is_empty(), "{tags:?}");

        let until = s3::primitives::DateTime::from_secs(4_102_444_800); // 2100-01-01
        let retention = ObjectLockRetention::builder().mode(ObjectLockRetentionMode::Governance).retain_until_date(until).build();
        client.put_object_retention().bucket(BUCKET).key("k").retention(retention).send().await.unwrap();
        let hold = ObjectLockLegalHold::builder().status(ObjectLockLegalHoldStatus::On).build();
        client.put_object_legal_hold().bucket(BUCKET).key("k").legal_hold(hold).send().await.unwrap();
        let head = client.head_object().bucket(BUCKET).key("k").send().await.unwrap();
        assert_eq!(head.object_lock_mode, Some(ObjectLockMode::Governance));
        assert_eq!(head.object_lock_retain_until_date, Some(until));
        assert_eq!(head.object_lock_legal_hold_status, Some(ObjectLockLegalHoldStatus::On));

        // Lift the hold so that the cleanup (which bypasses governance retention) can
        // delete the object.
        let hold = ObjectLockLegalHold::builder().status(ObjectLockLegalHoldStatus::Off).build();
        client.put_object_legal_hold().bucket(BUCKET).key("k").legal_hold(hold).send().await.unwrap();
        let got = client.get_object_legal_hold().bucket(BUCKET).key("k").send().await.unwrap();
        assert_eq!(got.legal_hold.unwrap().status, Some(ObjectLockLegalHoldStatus::Off));
    });
}

/// Streaming uploads (a file, a caller's stream) go `aws-chunked` with their CRC32 in a
/// trailer; moto decodes the body, and what comes back is what was sent, with the
/// checksum the client computed.
#[test]
#[ignore = "needs moto: run with `cargo xtask test`"]
fn streaming_uploads_with_trailing_checksums() {
    const BUCKET: &str = "live-cov-streaming";
    with_cleanup(&[BUCKET], |client| async move {
        client.create_bucket().bucket(BUCKET).send().await.unwrap();
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 241) as u8).collect();
        let path = std::env::temp_dir().join(format!("moto-stream-{}", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        let from_file = ByteStream::from_path(&path).await.unwrap();
        let put = client.put_object().bucket(BUCKET).key("file").body(from_file).send().await.unwrap();
        std::fs::remove_file(&path).unwrap();
        let crc = s3_runtime::checksum::Algorithm::Crc32.checksum(&data);
        assert_eq!(put.checksum_crc32.as_deref(), Some(crc.as_str()));
        let stream = ByteStream::from_body(http_body_util::Full::new(bytes::Bytes::from(data.clone())));
        client
            .put_object()
            .bucket(BUCKET)
            .key("stream")
            .checksum_algorithm(s3::types::ChecksumAlgorithm::Sha256)
            .body(stream)
            .send()
            .await
            .unwrap();
        for key in ["file", "stream"] {
            let out = client.get_object().bucket(BUCKET).key(key).send().await.unwrap();
            assert_eq!(out.body.unwrap().collect().await.unwrap(), data, "{key}");
        }
        let head = client.head_object().bucket(BUCKET).key("stream").checksum_mode(s3::types::ChecksumMode::Enabled).send().await.unwrap();
        assert_eq!(head.checksum_sha256.as_deref(), Some(s3_runtime::checksum::Algorithm::Sha256.checksum(&data).as_str()));
    });
}
