"""A fake of the SSO portal (GetRoleCredentials) and SSO-OIDC (CreateToken) for the
credentials oracle: botocore 1.44.8 and the Rust client are pointed at it with
AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC and must resolve the same credentials.

- GET /federation/credentials?role_name=R&account_id=A with header
  x-amz-sso_bearer_token: a known access token -> roleCredentials derived from R and A,
  expiring 2030-01-01T00:00:00Z (epoch milliseconds); an unknown token -> 401
  UnauthorizedException.
- POST /token (JSON: grantType refresh_token, clientId, clientSecret, refreshToken) with
  the known registration and refresh token -> a new access token, expiresIn 3600;
  anything else -> 400 invalid_grant.

The launcher serves HANDLERS["sso"] on a loopback port.
"""

import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

ACCESS_TOKENS = {"fake-sso-access-token", "fake-sso-refreshed-token"}
CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
REFRESH_TOKEN = "fake-refresh-token"
REFRESHED_ACCESS_TOKEN = "fake-sso-refreshed-token"
# 2030-01-01T00:00:00Z in epoch milliseconds.
EXPIRATION_MS = 1893456000000


class SSOHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet: the harness prints results
        pass

    def _send(self, status, doc, error_type=None):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type)
        self.end_headers()
        self.wfile.write(body)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path != "/federation/credentials":
            self._send(404, {"message": "not found"}, "ResourceNotFoundException")
            return
        query = parse_qs(url.query)
        role = (query.get("role_name") or [""])[0]
        account = (query.get("account_id") or [""])[0]
        if self.headers.get("x-amz-sso_bearer_token") not in ACCESS_TOKENS:
            self._send(401, {"message": "Session token not found or invalid"}, "UnauthorizedException")
            return
        if not role or not account:
            self._send(400, {"message": "role_name and account_id are required"}, "InvalidRequestException")
            return
        self._send(200, {
            "roleCredentials": {
                "accessKeyId": "ASIASSO" + account,
                "secretAccessKey": "sso-secret-" + role + "-" + account,
                "sessionToken": "sso-session-" + role + "-" + account,
                "expiration": EXPIRATION_MS,
            }
        })

    def do_POST(self):
        raw = self._body()
        if urlsplit(self.path).path != "/token":
            self._send(404, {"message": "not found"}, "ResourceNotFoundException")
            return
        try:
            doc = json.loads(raw or b"{}")
        except ValueError:
            self._send(400, {"error": "invalid_request"}, "InvalidRequestException")
            return
        if doc.get("grantType") != "refresh_token":
            self._send(400, {"error": "unsupported_grant_type"}, "UnsupportedGrantTypeException")
            return
        if doc.get("clientId") != CLIENT_ID or doc.get("clientSecret") != CLIENT_SECRET:
            self._send(401, {"error": "invalid_client"}, "InvalidClientException")
            return
        if doc.get("refreshToken") != REFRESH_TOKEN:
            self._send(400, {"error": "invalid_grant"}, "InvalidGrantException")
            return
        self._send(200, {
            "accessToken": REFRESHED_ACCESS_TOKEN,
            "tokenType": "Bearer",
            "expiresIn": 3600,
            "refreshToken": REFRESH_TOKEN,
        })


HANDLERS = {"sso": SSOHandler}
