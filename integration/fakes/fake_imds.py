"""Fake EC2 instance metadata services for the credentials oracle.

HANDLERS maps a name to a BaseHTTPRequestHandler subclass; the launcher serves each on
its own loopback port. Everything is deterministic:

- ``imds``: IMDSv2 that enforces its token, as real IMDS does. ``PUT /latest/api/token``
  needs ``X-aws-ec2-metadata-token-ttl-seconds`` (an integer 1..21600, else 400) and is
  refused with 403 when ``X-Forwarded-For`` is present; a ``GET`` without a valid,
  unexpired ``X-aws-ec2-metadata-token`` gets 401.
- ``imds_403``, ``imds_404``, ``imds_405``: the token ``PUT`` answers that status; the
  ``GET``s work without a token (IMDSv1).
- ``imds_norole``: IMDSv2 without an instance profile (the role list is 404).
- ``imds_unassumable``: IMDSv2 whose role document is IMDS's error document
  (``Code``/``Message``, no keys), as when EC2 cannot assume the role.

The role is ``fake-role``; the credentials are ``ASIAIMDSFAKE`` / ``imds-fake-secret`` /
``imds-fake-session-token``, expiring ``2030-01-01T00:00:00Z``, without ``AccountId``
(botocore ignores it, so the oracle could not compare it). The region is ``us-east-2``
(``/latest/meta-data/placement/region``, and ``us-east-2a`` as the availability zone,
which is what botocore reads).
"""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler

ROLE = "fake-role"
CREDENTIALS = {
    "Code": "Success",
    "LastUpdated": "2026-01-01T00:00:00Z",
    "Type": "AWS-HMAC",
    "AccessKeyId": "ASIAIMDSFAKE",
    "SecretAccessKey": "imds-fake-secret",
    "Token": "imds-fake-session-token",
    "Expiration": "2030-01-01T00:00:00Z",
}
UNASSUMABLE = {
    "Code": "AssumeRoleUnauthorizedAccess",
    "Message": "EC2 cannot assume the role fake-role.",
    "LastUpdated": "2026-01-01T00:00:00Z",
}
ROLE_PATH = "/latest/meta-data/iam/security-credentials/"


def _make(name, token_status=200, has_role=True, role_document=CREDENTIALS):
    tokens = {}  # token -> expiry (monotonic seconds), per handler
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeIMDS/1.0"

        def log_message(self, format, *args):  # quiet
            pass

        def _send(self, status, body="", content_type="text/plain"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def do_PUT(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            if self.path != "/latest/api/token":
                return self._send(404)
            if token_status != 200:
                return self._send(token_status)
            if self.headers.get("X-Forwarded-For") is not None:
                return self._send(403)
            ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
            try:
                ttl = int(ttl)
            except (TypeError, ValueError):
                return self._send(400)
            if not 1 <= ttl <= 21600:
                return self._send(400)
            token = "fake-imds-token-" + secrets.token_hex(16)
            with lock:
                tokens[token] = time.monotonic() + ttl
            self._send(200, token)

        def _token_ok(self):
            token = self.headers.get("X-aws-ec2-metadata-token")
            with lock:
                expiry = tokens.get(token)
            return expiry is not None and time.monotonic() < expiry

        def do_GET(self):
            if token_status == 200 and not self._token_ok():
                return self._send(401)
            path = self.path.split("?", 1)[0]
            if path == ROLE_PATH:
                return self._send(200, ROLE) if has_role else self._send(404)
            if path == ROLE_PATH + ROLE and has_role:
                return self._send(200, json.dumps(role_document), "application/json")
            if path == "/latest/meta-data/placement/region":
                return self._send(200, "us-east-2")
            if path.rstrip("/") == "/latest/meta-data/placement/availability-zone":
                return self._send(200, "us-east-2a")
            self._send(404)

    Handler.__name__ = Handler.__qualname__ = "FakeImds_" + name
    return Handler


HANDLERS = {
    "imds": _make("imds"),
    "imds_403": _make("imds_403", token_status=403),
    "imds_404": _make("imds_404", token_status=404),
    "imds_405": _make("imds_405", token_status=405),
    "imds_norole": _make("imds_norole", has_role=False),
    "imds_unassumable": _make("imds_unassumable", role_document=UNASSUMABLE),
}
