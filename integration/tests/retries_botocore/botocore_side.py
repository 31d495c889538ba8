"""One call with botocore against the fault stub, for `retries_botocore` (the stub counts
the attempts). Argument: JSON {url, op, mode, attempts, read_timeout}. Delays between
attempts are skipped (time.sleep is replaced): they do not change how many attempts
botocore makes."""
import json
import sys
import time

import botocore.session
from botocore.config import Config

time.sleep = lambda _seconds: None

args = json.loads(sys.argv[1])
retries = {"mode": args["mode"]}
if args.get("attempts") is not None:
    retries["total_max_attempts"] = args["attempts"]
client = botocore.session.get_session().create_client(
    "s3",
    region_name="us-east-1",
    endpoint_url=args["url"],
    aws_access_key_id="AKID",
    aws_secret_access_key="SECRET",
    config=Config(
        retries=retries,
        read_timeout=args["read_timeout"],
        connect_timeout=5,
        s3={"addressing_style": "path"},
    ),
)
try:
    getattr(client, args["op"])(Bucket="b")
    print("ok")
except Exception as err:  # the outcome is the stub's count; this is for the log
    print(type(err).__name__, err)
