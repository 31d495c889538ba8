"""A fake S3 Express One Zone endpoint (path style, as clients address directory buckets
at an IP endpoint) for the `s3express vs botocore` comparison.

- `CreateSession` (`GET /<bucket>?session`) must be signed (SigV4, service `s3express`)
  with a base access key it knows, and must not carry `x-amz-s3session-token`; it returns
  session credentials numbered from 1 since the last reset (`ASIASESSION0001`,
  `session-secret-1`, `session-token-1`), valid for the configured lifetime;
- `GetObject`, `PutObject` and `ListObjectsV2` must be signed with a session's secret
  (service `s3express`), carry that session's token in a signed `x-amz-s3session-token`
  and no `X-Amz-Security-Token`, and the session must not have expired; or, when the
  client has session auth disabled, be signed with a base key (SigV4, `s3express`).

Signatures are checked by signing the received request again (at its `X-Amz-Date`)
with botocore's own `S3SigV4Auth` and the secret the fake knows. Every request is logged (operation, bucket,
which credentials signed it, the signed headers, verdict); the log is what the test
compares between botocore and our client.

Control: `GET /__fake/reset?lifetime=SECONDS` clears the log, the sessions and the
objects; `GET /__fake/log` returns the log as JSON.
"""

import datetime
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

BASE_SECRETS = {"AKIDEXPRESS": "express-base-secret"}

LOCK = threading.Lock()
STATE = {"log": [], "sessions": {}, "counter": 0, "lifetime": 300, "objects": {}}

AUTH_RE = re.compile(
    r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
    r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$"
)


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class S3ExpressHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/xml"):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amz-request-id", "fake")
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, code, message):
        self.reply(status, f"<Error><Code>{code}</Code><Message>{message}</Message><RequestId>fake</RequestId></Error>")

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))

    def check_signature(self, body):
        """(akid, service, region, signed header names, None) or (..., why)."""
        auth = self.headers.get("Authorization", "")
        m = AUTH_RE.match(auth)
        if not m:
            return None, None, None, [], "missing or malformed Authorization"
        akid, _, region, service, signed, _ = m.groups()
        names = signed.split(";")
        with LOCK:
            session = next((s for s in STATE["sessions"].values() if s["AccessKeyId"] == akid), None)
        secret = session["SecretAccessKey"] if session else BASE_SECRETS.get(akid)
        if secret is None:
            return akid, service, region, names, f"InvalidAccessKeyId: unknown access key {akid}"
        headers = {}
        for name in names:
            if name == "host":
                continue
            value = self.headers.get(name)
            if value is None:
                return akid, service, region, names, f"signed header {name} was not sent"
            headers[name] = value
        request = AWSRequest(method=self.command, url=f"http://{self.headers['Host']}{self.path}", data=body, headers=headers)
        request.context["timestamp"] = self.headers.get("X-Amz-Date", "")
        # `add_auth` without its clock: sign at the request's own `X-Amz-Date`.
        signer = S3SigV4Auth(Credentials(akid, secret), service, region)
        signer._modify_request_before_signing(request)
        canonical = signer.canonical_request(request)
        signature = signer.signature(signer.string_to_sign(request, canonical), request)
        if signature != m.group(6):
            # For whoever reads the fakes' output: what was expected.
            print(f"signature mismatch: {self.command} {self.path}\n{dict(self.headers)}\n{canonical}", file=sys.stderr, flush=True)
            return akid, service, region, names, "signature mismatch"
        return akid, service, region, names, None

    def record(self, **entry):
        with LOCK:
            STATE["log"].append(entry)

    def control(self, query):
        if self.path.startswith("/__fake/reset"):
            with LOCK:
                STATE.update(log=[], sessions={}, counter=0, objects={})
                STATE["lifetime"] = int(query.get("lifetime", ["300"])[0])
            return self.reply(200, b"{}", "application/json")
        if self.path.startswith("/__fake/log"):
            with LOCK:
                data = json.dumps(STATE["log"]).encode()
            return self.reply(200, data, "application/json")
        return self.error(404, "NoSuchControl", self.path)

    def handle_any(self):
        split = urlsplit(self.path)
        query = parse_qs(split.query, keep_blank_values=True)
        if split.path.startswith("/__fake/"):
            return self.control(query)
        body = self.body()
        parts = split.path.lstrip("/").split("/", 1)
        bucket = unquote(parts[0])
        key = unquote(parts[1]) if len(parts) > 1 else ""
        method = self.command
        if method == "GET" and "session" in query and not key:
            op = "CreateSession"
        elif method == "GET" and query.get("list-type") == ["2"] and not key:
            op = "ListObjectsV2"
        elif method == "GET" and key:
            op = "GetObject"
        elif method == "PUT" and key:
            op = "PutObject"
        else:
            op = f"{method} {split.path}?{split.query}"
        akid, service, region, signed, why = self.check_signature(body)
        has_security_token = "X-Amz-Security-Token" in self.headers
        s3session_token = self.headers.get("x-amz-s3session-token")
        entry = {
            "op": op,
            "bucket": bucket,
            "key": key,
            "service": service,
            "region": region,
            "signed": sorted(signed),
            "security_token": has_security_token,
            "s3session_token": s3session_token is not None,
            "session_mode": self.headers.get("x-amz-create-session-mode"),
        }
        with LOCK:
            session = next((s for s in STATE["sessions"].values() if s["AccessKeyId"] == akid), None)
        entry["auth"] = f"session#{session['n']}" if session else ("base" if akid in BASE_SECRETS else akid)

        def refuse(status, code, message):
            entry["status"] = status
            entry["why"] = message
            self.record(**entry)
            return self.error(status, code, message)

        if why:
            code = "SignatureDoesNotMatch" if akid else "AccessDenied"
            if why.startswith("InvalidAccessKeyId: "):
                code, why = "InvalidAccessKeyId", why.split(": ", 1)[1]
            return refuse(403, code, why)
        if service != "s3express":
            return refuse(403, "AuthorizationHeaderMalformed", f"signing name {service}, expected s3express")
        if op == "CreateSession":
            if session:
                return refuse(403, "AccessDenied", "CreateSession signed with session credentials")
            if s3session_token is not None:
                return refuse(400, "InvalidRequest", "CreateSession carries x-amz-s3session-token")
            with LOCK:
                STATE["counter"] += 1
                n = STATE["counter"]
                expiration = now() + datetime.timedelta(seconds=STATE["lifetime"])
                creds = {
                    "n": n,
                    "AccessKeyId": f"ASIASESSION{n:04d}",
                    "SecretAccessKey": f"session-secret-{n}",
                    "SessionToken": f"session-token-{n}",
                    "Expiration": expiration,
                }
                STATE["sessions"][n] = creds
            entry["status"] = 200
            self.record(**entry)
            return self.reply(
                200,
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials>'
                f"<SessionToken>{creds['SessionToken']}</SessionToken>"
                f"<SecretAccessKey>{creds['SecretAccessKey']}</SecretAccessKey>"
                f"<AccessKeyId>{creds['AccessKeyId']}</AccessKeyId>"
                f"<Expiration>{expiration.strftime('%Y-%m-%dT%H:%M:%SZ')}</Expiration>"
                "</Credentials></CreateSessionResult>",
            )
        if session:
            if s3session_token != session["SessionToken"]:
                return refuse(403, "AccessDenied", "x-amz-s3session-token is not the session's token")
            if "x-amz-s3session-token" not in signed:
                return refuse(403, "AccessDenied", "x-amz-s3session-token is not signed")
            if has_security_token:
                return refuse(400, "InvalidRequest", "X-Amz-Security-Token sent with session auth")
            if now() >= session["Expiration"]:
                return refuse(403, "ExpiredToken", "the session has expired")
        elif s3session_token is not None:
            return refuse(403, "AccessDenied", "x-amz-s3session-token without session credentials")
        entry["status"] = 200
        self.record(**entry)
        with LOCK:
            objects = STATE["objects"].setdefault(bucket, {})
            if op == "PutObject":
                objects[key] = body
                return self.reply(200)
            if op == "GetObject":
                if key not in objects:
                    return self.error(404, "NoSuchKey", key)
                return self.reply(200, objects[key], "application/octet-stream")
            if op == "ListObjectsV2":
                contents = "".join(
                    f"<Contents><Key>{k}</Key><Size>{len(v)}</Size><StorageClass>EXPRESS_ONEZONE</StorageClass></Contents>"
                    for k, v in sorted(objects.items())
                )
                return self.reply(
                    200,
                    f'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>{bucket}</Name>'
                    f"<KeyCount>{len(objects)}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
                    f"{contents}</ListBucketResult>",
                )
        return self.error(400, "NotImplemented", op)

    do_GET = handle_any
    do_PUT = handle_any
    do_POST = handle_any
    do_DELETE = handle_any
    do_HEAD = handle_any


HANDLERS = {"s3express": S3ExpressHandler}
