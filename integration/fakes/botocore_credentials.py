"""Prints, as JSON, the credentials botocore 1.44.8 resolves in this process's
environment (`Session(profile=...).get_credentials()`), or the error it raises.

argv[1]: the profile botocore's session is created with, or "" for none.
"""

import datetime
import json
import sys

import botocore.session


def main():
    profile = sys.argv[1] or None
    try:
        session = botocore.session.Session(profile=profile)
        creds = session.get_credentials()
        if creds is None:
            print(json.dumps({"error": "NoCredentials", "message": "no credentials"}))
            return
        frozen = creds.get_frozen_credentials()
        expiry = getattr(creds, "_expiry_time", None)
        if expiry is not None:
            expiry = expiry.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        print(json.dumps({
            "access_key": frozen.access_key,
            "secret_key": frozen.secret_key,
            "token": frozen.token,
            "expiry": expiry,
            "account_id": getattr(frozen, "account_id", None),
        }))
    except Exception as e:  # noqa: BLE001 - every failure is an answer here
        print(json.dumps({"error": type(e).__name__, "message": str(e)}))


if __name__ == "__main__":
    main()
