"""Fake container credentials endpoint (ECS / EKS Pod Identity) for the credentials oracle.

``container``: any ``GET`` path answers the credentials when the ``Authorization`` header
is exactly ``fake-container-token``, else 401 with a JSON error. The credentials are
``ASIACONTAINERFAKE`` / ``container-fake-secret`` / ``container-fake-session-token``,
expiring ``2030-01-01T00:00:00Z``, account ``123456789012`` (botocore reads ``AccountId``
here).

``container_open``: the same without any authorization check (ECS's relative URI sends
none).
"""

import json
from http.server import BaseHTTPRequestHandler

TOKEN = "fake-container-token"
CREDENTIALS = {
    "AccessKeyId": "ASIACONTAINERFAKE",
    "SecretAccessKey": "container-fake-secret",
    "Token": "container-fake-session-token",
    "Expiration": "2030-01-01T00:00:00Z",
    "AccountId": "123456789012",
    "RoleArn": "arn:aws:iam::123456789012:role/fake-container-role",
}


def _make(name, check_token):
    class Handler(BaseHTTPRequestHandler):
        server_version = "FakeContainer/1.0"

        def log_message(self, format, *args):  # quiet
            pass

        def _send(self, status, payload):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if check_token and self.headers.get("Authorization") != TOKEN:
                return self._send(401, {"code": "AccessDenied", "message": "missing or wrong authorization token"})
            self._send(200, CREDENTIALS)

    Handler.__name__ = Handler.__qualname__ = "FakeContainer_" + name
    return Handler


HANDLERS = {
    "container": _make("container", check_token=True),
    "container_open": _make("container_open", check_token=False),
}
