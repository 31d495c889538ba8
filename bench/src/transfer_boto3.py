"""Managed transfers with boto3 (the classic transfer manager, default TransferConfig),
run with the venv's python: `upload_file`/`download_file` for the big file; for the
directories, s3transfer's TransferManager (max_request_concurrency 10, its default)
over every file, as a boto3 user would write it. Prints the same JSON line as the
Rust clients.
"""

import json
import os
import resource
import sys
import time

import boto3
import botocore.config
from s3transfer.manager import TransferConfig, TransferManager

FILES = 1000
FILE_SIZE = 64 * 1024


def fail(what):
    print(f"benchmark failed: {what}", file=sys.stderr)
    sys.exit(1)


def usage():
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    with open("/proc/self/status") as status:
        hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return cpu.ru_utime + cpu.ru_stime, hwm


def check_dir(path):
    count = total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            count += 1
            total += os.path.getsize(os.path.join(root, name))
    if count != FILES or total != FILES * FILE_SIZE:
        fail(f"{path}: {count} files of {total} bytes")
    return total


def main():
    scenario = sys.argv[1]
    args = dict(a.split("=", 1) for a in sys.argv[2:])
    size = int(args.get("size", 1 << 30))
    data, out = args["data"], args["out"]
    client = boto3.client(
        "s3",
        endpoint_url=args["endpoint"],
        region_name="us-east-1",
        aws_access_key_id="AKIDBENCH",
        aws_secret_access_key="bench-secret-key",
        config=botocore.config.Config(s3={"addressing_style": "path"}),
    )
    cpu0, _ = usage()
    start = time.monotonic()
    if scenario == "upload-file":
        client.upload_file(os.path.join(data, "big.bin"), "bench", "up/big")
        ops, moved = 1, size
    elif scenario == "download-file":
        path = os.path.join(out, "big.bin")
        client.download_file("bench", f"big/{size}", path)
        if os.path.getsize(path) != size:
            fail(f"{path}: {os.path.getsize(path)} bytes")
        ops, moved = 1, size
    elif scenario == "upload-dir":
        files = os.path.join(data, "files")
        with TransferManager(client, TransferConfig()) as tm:
            futures = [tm.upload(os.path.join(files, name), "bench", f"up/dir/{name}") for name in sorted(os.listdir(files))]
            for f in futures:
                f.result()
        ops, moved = len(futures), FILES * FILE_SIZE
    elif scenario == "download-dir":
        dest = os.path.join(out, "dir")
        keys = []
        for page in client.get_paginator("list_objects_v2").paginate(Bucket="bench", Prefix="dir/"):
            keys += [o["Key"] for o in page.get("Contents", [])]
        with TransferManager(client, TransferConfig()) as tm:
            futures = []
            for key in keys:
                path = os.path.join(dest, key[len("dir/"):])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                futures.append(tm.download("bench", key, path))
            for f in futures:
                f.result()
        ops, moved = len(keys), check_dir(dest)
    else:
        fail(f"unknown scenario {scenario}")
    wall = time.monotonic() - start
    cpu, rss = usage()
    print(json.dumps({"client": "boto3", "scenario": scenario, "ops": ops, "bytes": moved,
                      "wall_s": wall, "cpu_s": cpu - cpu0, "max_rss_kib": rss}))


if __name__ == "__main__":
    main()
