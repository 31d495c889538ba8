"""Runs a scenario of the `s3express vs botocore` comparison with botocore 1.44.8 against
the fake S3 Express endpoint, in this process's environment (credentials, region and
settings come from it, as `Session()` reads them), and prints one JSON line: each step's
outcome, `ok` (with what it read) or `error <code>`.

argv[1]: the fake's URL; argv[2]: the steps, as JSON: `{"op": "put", "bucket": b,
"key": k, "body": text}`, `{"op": "get", "bucket": b, "key": k}`,
`{"op": "list", "bucket": b}`, `{"op": "sleep", "seconds": n}`.
"""

import json
import sys
import time

import botocore.session
from botocore.config import Config


def main():
    url, steps = sys.argv[1], json.loads(sys.argv[2])
    session = botocore.session.Session()
    client = session.create_client(
        "s3",
        endpoint_url=url,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    outcomes = []
    for step in steps:
        op = step["op"]
        try:
            if op == "sleep":
                time.sleep(step["seconds"])
                outcomes.append("ok")
            elif op == "put":
                client.put_object(Bucket=step["bucket"], Key=step["key"], Body=step["body"].encode())
                outcomes.append("ok")
            elif op == "get":
                body = client.get_object(Bucket=step["bucket"], Key=step["key"])["Body"].read()
                outcomes.append("ok " + body.decode())
            elif op == "list":
                keys = [o["Key"] for o in client.list_objects_v2(Bucket=step["bucket"]).get("Contents", [])]
                outcomes.append("ok " + ",".join(keys))
            else:
                outcomes.append(f"error unknown step {op}")
        except Exception as e:  # noqa: BLE001 - every failure is an outcome here
            code = getattr(e, "response", {}).get("Error", {}).get("Code") if hasattr(e, "response") else None
            outcomes.append(f"error {code or type(e).__name__}")
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main()
