"""The resources scenario with boto3 1.44.8's resources on moto (the reference for
`integration/tests/resources_oracle.rs`, which runs the same steps with ours).

Usage: boto3_scenario.py ENDPOINT PREFIX. Prints one JSON document: `requests`, each
request botocore sent (operation from the `before-send` event name, method, URL, headers,
body), and `attributes`, the [label, value] pairs the scenario read from resources.
"""

# botocore writes a structure's XML elements in the order of the caller's dict; the
# dicts below follow the model's member order, the order our serializer writes.

import json
import sys

import boto3

endpoint, prefix = sys.argv[1], sys.argv[2]
s3 = boto3.resource(
    "s3",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
)
requests = []
attributes = []


def record(request, event_name, **_):
    body = request.body
    if hasattr(body, "read"):
        body = None
    elif isinstance(body, str):
        body = body.encode()
    requests.append(
        {
            "operation": event_name.split(".")[-1],
            "method": request.method,
            "url": request.url,
            "headers": {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()},
            "body": body.decode("latin-1") if body else "",
        }
    )


s3.meta.client.meta.events.register("before-send.s3.*", record)


def attr(label, value):
    attributes.append([label, None if value is None else str(value)])


B = prefix + "-res"
# Service resource: action, sub-resource, collection.
bucket = s3.create_bucket(Bucket=B)
bucket.wait_until_exists()
bucket.load()
attr("bucket.creation_date_set", bucket.creation_date is not None)
names = [b.name for b in s3.buckets.all() if b.name == B]
attr("buckets", names)
# Bucket sub-resources: put, load, attributes, delete.
bucket.Versioning().enable()
versioning = bucket.Versioning()
versioning.load()
attr("versioning.status", versioning.status)
bucket.Versioning().suspend()
bucket.Versioning().put(VersioningConfiguration={"Status": "Enabled"})
acl = bucket.Acl()
acl.load()
attr("bucket_acl.grants", len(acl.grants))
acl.put(ACL="private")
cors = bucket.Cors()
cors.put(CORSConfiguration={"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]})
cors.load()
attr("cors.rules", len(cors.cors_rules))
cors.delete()
tagging = bucket.Tagging()
tagging.put(Tagging={"TagSet": [{"Key": "team", "Value": "storage"}]})
tagging.load()
attr("tagging.tag_set", [t["Key"] + "=" + t["Value"] for t in tagging.tag_set])
tagging.delete()
policy = bucket.Policy()
policy.put(Policy='{"Version":"2012-10-17","Statement":[]}')
policy.load()
attr("policy.policy", policy.policy)
policy.delete()
website = bucket.Website()
website.put(WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
website.load()
attr("website.index_document", website.index_document["Suffix"])
website.delete()
logging_ = bucket.Logging()
logging_.put(BucketLoggingStatus={})
logging_.load()
attr("logging.logging_enabled", logging_.logging_enabled)
payment = bucket.RequestPayment()
payment.put(RequestPaymentConfiguration={"Payer": "Requester"})
payment.load()
attr("request_payment.payer", payment.payer)
notification = bucket.Notification()
notification.put(NotificationConfiguration={})
notification.load()
attr("notification.topic_configurations", notification.topic_configurations)
lifecycle = bucket.LifecycleConfiguration()
lifecycle.put(
    LifecycleConfiguration={"Rules": [{"Expiration": {"Days": 3}, "ID": "r1", "Filter": {"Prefix": "logs/"}, "Status": "Enabled"}]}
)
lifecycle.load()
attr("lifecycle_configuration.rules", [r["ID"] for r in lifecycle.rules])
lifecycle.delete()
old_lifecycle = bucket.Lifecycle()
old_lifecycle.put(LifecycleConfiguration={"Rules": [{"Expiration": {"Days": 1}, "ID": "r2", "Prefix": "tmp/", "Status": "Enabled"}]})
old_lifecycle.load()
attr("lifecycle.rules", [r["ID"] for r in old_lifecycle.rules])
old_lifecycle.delete()

# Objects: Bucket.put_object (→ Object), Object actions, waiters, load.
obj = bucket.put_object(Key="a.txt", Body=b"hello")
attr("put_object.key", obj.key)
obj.wait_until_exists()
obj.load()
attr("object.content_length", obj.content_length)
attr("object.e_tag", obj.e_tag)
obj.reload()
bucket.Object("logs/1.txt").put(Body=b"one")
bucket.Object("logs/2.txt").put(Body=b"two!")
bucket.Object("logs/3.txt").put(Body=b"three")
attr("object.get", bucket.Object("logs/2.txt").get()["Body"].read().decode())
bucket.Object("copy.txt").copy_from(CopySource={"Bucket": B, "Key": "a.txt"})
object_acl = bucket.Object("a.txt").Acl()
object_acl.load()
attr("object_acl.grants", len(object_acl.grants))
object_acl.put(ACL="private")
# Collections: all, filter, limit, page_size, pages.
attr("objects.all", [(o.key, o.size) for o in bucket.objects.all()])
attr("objects.filter", [o.key for o in bucket.objects.filter(Prefix="logs/")])
attr("objects.limit", [o.key for o in bucket.objects.limit(2)])
attr("objects.pages", [[o.key for o in page] for page in bucket.objects.page_size(2).pages()])
attr("objects.filter.page_size.limit", [o.key for o in bucket.objects.filter(Prefix="logs/").page_size(1).limit(2)])
# ObjectSummary: load through HeadObject, actions.
summary = s3.ObjectSummary(B, "a.txt")
summary.load()
attr("object_summary.size", summary.size)
attr("object_summary.e_tag", summary.e_tag)
attr("object_summary.get", summary.get()["Body"].read().decode())
summary.put(Body=b"hello again")
summary.copy_from(CopySource={"Bucket": B, "Key": "copy.txt"})
summary.wait_until_exists()
# Restore through the resources.
cold = bucket.Object("cold.txt")
cold.put(Body=b"brr", StorageClass="GLACIER")
cold.restore_object(RestoreRequest={"Days": 1})
cold.load()
attr("object.restore", cold.restore.split(",")[0])
s3.ObjectSummary(B, "cold.txt").restore_object(RestoreRequest={"Days": 2})
# Multipart: initiate (→ MultipartUpload), parts, collections, complete (→ Object), abort.
mpu = bucket.Object("big.bin").initiate_multipart_upload()
attr("mpu.object_key", mpu.object_key)
part = mpu.Part(1)
part.upload(Body=b"x" * (5 * 1024 * 1024))
part2 = mpu.Part(2)
part2.copy_from(CopySource={"Bucket": B, "Key": "a.txt"})
attr("mpu.parts", [(p.part_number, p.size) for p in mpu.parts.all()])
attr("bucket.multipart_uploads", [u.object_key for u in bucket.multipart_uploads.all()])
parts = [{"ETag": p.e_tag, "PartNumber": p.part_number} for p in mpu.parts.all()]
done = mpu.complete(MultipartUpload={"Parts": parts})
attr("complete.key", done.key)
other = s3.ObjectSummary(B, "abort.bin").initiate_multipart_upload()
other.abort()
attr("mpu.object", other.Object().key)
attr("version.object", bucket.Object("a.txt").Version("v1").Object().key)
# Versions: collection, head/get, delete; batch actions.
attr("object_versions", [(v.object_key, v.size) for v in bucket.object_versions.filter(Prefix="logs/")])
version = list(bucket.object_versions.filter(Prefix="logs/1"))[0]
attr("version.head", version.head()["ContentLength"])
attr("version.get", version.get()["Body"].read().decode())
version.delete()
bucket.Object("copy.txt").delete()
bucket.Object("copy.txt").wait_until_not_exists()
summary.delete()
summary.wait_until_not_exists()
# Sub-resources that send nothing: constructed, their identifiers read.
attr("acl.bucket", acl.Bucket().name)
attr("part.multipart_upload", part.MultipartUpload().object_key)
attr("object.bucket", obj.Bucket().name)
attr("object.multipart_upload", obj.MultipartUpload("u1").id)
attr("object_acl.object", object_acl.Object().key)
attr("summary.acl", summary.Acl().object_key)
attr("summary.bucket", summary.Bucket().name)
attr("summary.multipart_upload", summary.MultipartUpload("u2").id)
attr("summary.object", summary.Object().key)
attr("summary.version", summary.Version("v2").id)
attr("service.bucket", s3.Bucket(B).name)
# Bucket.create and Bucket.delete_objects, on a second bucket.
second = s3.Bucket(B + "-2")
second.create()
second.put_object(Key="x", Body=b"x")
second.delete_objects(Delete={"Objects": [{"Key": "x"}]})
second.delete()
attr("batch.objects", len(bucket.objects.filter(Prefix="logs/").page_size(2).delete()))
attr("batch.versions", len(bucket.object_versions.delete()))
bucket.delete()
bucket.wait_until_not_exists()

print(json.dumps({"requests": requests, "attributes": attributes}))
