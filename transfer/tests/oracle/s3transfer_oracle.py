"""Records the HTTP requests boto3's classic transfer manager (s3transfer) sends to
moto for each case of `transfer/tests/s3transfer_oracle.rs`, and prints them as JSON.

usage: python s3transfer_oracle.py ENDPOINT_URL < cases.json > requests.json

Each case is {"name", "op": "upload"|"download"|"copy", "size", "bucket", "key",
"source_key", "sse_c_key" (or null), "checksum" (or null), "full_object" (uploads: a
full-object CRC32 passed as `ChecksumCRC32`), "data_seed", "tagging_directive" (copies:
"COPY", "REPLACE" or null), "source_tags", "new_tags"}. The case's object (the download
or copy source, tagged `source_tags` when the case has a tagging directive) is put
first with a plain client, unrecorded; `REPLACE` copies pass `new_tags` as `Tagging`.
Each request is {"method", "url", "headers": [[name, value]], "body" (text of a
CompleteMultipartUpload or PutObjectTagging body, else null)}.
"""

import base64
import json
import zlib
import os
import sys
import tempfile

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config


def data(size, seed):
    # The same bytes as `data()` in the Rust test.
    out = bytearray(size)
    for i in range(size):
        v = (i * 2654435761) & 0xFFFFFFFF
        v = ((v << 7) | (v >> 25)) & 0xFFFFFFFF
        out[i] = (v & 0xFF) ^ seed
    return bytes(out)


def main():
    url = sys.argv[1]
    cases = json.load(sys.stdin)
    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}),
    )
    recording = []
    active = [False]

    def record(request, **kwargs):
        if not active[0]:
            return None
        body = None
        completes = request.method == "POST" and "uploadId=" in request.url
        tags = request.method == "PUT" and "?tagging" in request.url
        if (completes or tags) and request.body:
            raw = request.body if isinstance(request.body, bytes) else request.body.encode()
            body = raw.decode()
        headers = [
            [k, v.decode() if isinstance(v, bytes) else str(v)] for k, v in request.headers.items()
        ]
        recording.append({"method": request.method, "url": request.url, "headers": headers, "body": body})
        return None

    client.meta.events.register("before-send.s3.*", record)
    config = TransferConfig(preferred_transfer_client="classic")
    results = {}
    workdir = tempfile.mkdtemp(prefix="s3transfer-oracle-")
    blobs = {}
    for case in cases:
        bucket, key = case["bucket"], case["key"]
        size = case["size"]
        if size not in blobs:
            blobs[size] = data(size, case["data_seed"])
        body = blobs[size]
        sse = {}
        if case["sse_c_key"]:
            sse = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": case["sse_c_key"]}
        try:
            client.create_bucket(Bucket=bucket)
        except client.exceptions.BucketAlreadyOwnedByYou:
            pass
        if case["op"] in ("download", "copy"):
            tagging = {"Tagging": case["source_tags"]} if case.get("tagging_directive") else {}
            client.put_object(Bucket=bucket, Key=case["source_key"], Body=body, **sse, **tagging)
        recording.clear()
        active[0] = True
        if case["op"] == "upload":
            path = os.path.join(workdir, "up")
            with open(path, "wb") as f:
                f.write(body)
            extra = dict(sse)
            if case["checksum"]:
                extra["ChecksumAlgorithm"] = case["checksum"]
            if case.get("full_object"):
                extra["ChecksumCRC32"] = base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()
            client.upload_file(path, bucket, key, ExtraArgs=extra, Config=config)
        elif case["op"] == "download":
            path = os.path.join(workdir, "down")
            extra = dict(sse)
            if case["checksum"]:
                extra["ChecksumMode"] = "ENABLED"
            client.download_file(bucket, case["source_key"], path, ExtraArgs=extra, Config=config)
            with open(path, "rb") as f:
                assert f.read() == body, "s3transfer downloaded other bytes"
        else:
            extra = {}
            if sse:
                extra = {
                    "CopySourceSSECustomerAlgorithm": "AES256",
                    "CopySourceSSECustomerKey": case["sse_c_key"],
                    **sse,
                }
            if case["checksum"]:
                extra["ChecksumAlgorithm"] = case["checksum"]
            if case.get("tagging_directive"):
                extra["TaggingDirective"] = case["tagging_directive"]
                if case["tagging_directive"] == "REPLACE":
                    extra["Tagging"] = case["new_tags"]
            source = {"Bucket": bucket, "Key": case["source_key"]}
            client.copy(source, bucket, key, ExtraArgs=extra, Config=config)
        active[0] = False
        results[case["name"]] = list(recording)
        for k in {key, case["source_key"]}:
            client.delete_object(Bucket=bucket, Key=k)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
