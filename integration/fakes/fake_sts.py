"""A fake STS (query protocol) for the credentials tests: `AssumeRole`, whose SigV4
signature it verifies with botocore's own signer against the secrets it knows, and
`AssumeRoleWithWebIdentity` (unsigned). Credentials are derived from the request, so
that two clients that send the same call get the same answer, and a chain that signs
with the wrong source credentials gets different ones.
"""

import hashlib
import re
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

EXPIRATION = "2030-01-01T00:00:00Z"
ACCOUNT = "123456789012"

# Long-term keys the tests use as sources, and their secrets.
KNOWN_SECRETS = {
    "AKIDSOURCE": "source-secret",
    "AKIDENVSOURCE": "env-source-secret",
    "AKIDSELF": "self-secret",
    # What fake_imds.py and fake_container.py hand out, for `credential_source`.
    "ASIAIMDSFAKE": "imds-fake-secret",
    "ASIACONTAINERFAKE": "container-fake-secret",
}


def derive(*parts):
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest().upper()
    return {
        "AccessKeyId": "ASIA" + digest[:16],
        "SecretAccessKey": "secret-" + digest[16:40].lower(),
        "SessionToken": "token-" + digest[40:],
    }


def remember(creds):
    KNOWN_SECRETS[creds["AccessKeyId"]] = creds["SecretAccessKey"]


def session_part(params):
    # botocore's default session name holds the time: leave it out of the derivation.
    name = params.get("RoleSessionName", "")
    return "" if name.startswith("botocore-session-") else name


class StsHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message):
        self.reply(status, f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fake</RequestId></ErrorResponse>")

    def verify(self, body):
        auth = self.headers.get("Authorization", "")
        m = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/sts/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$", auth)
        if not m:
            return None, "missing or malformed Authorization"
        akid, _, region, signed, _ = m.groups()
        secret = KNOWN_SECRETS.get(akid)
        if secret is None:
            return None, f"unknown access key {akid}"
        headers = {}
        for name in signed.split(";"):
            value = self.headers.get(name)
            if value is None:
                return None, f"signed header {name} missing"
            headers[name] = value
        request = AWSRequest(method="POST", url=f"http://{self.headers['Host']}{self.path}", data=body, headers=headers)
        # `add_auth` without its clock: sign at the request's own `X-Amz-Date` (with the
        # clock, a second that ticks between the client's signing and this check fails a
        # good signature).
        request.context["timestamp"] = self.headers.get("X-Amz-Date", "")
        token = self.headers.get("X-Amz-Security-Token")
        signer = SigV4Auth(Credentials(akid, secret, token), "sts", region)
        signer._modify_request_before_signing(request)
        canonical = signer.canonical_request(request)
        signature = signer.signature(signer.string_to_sign(request, canonical), request)
        if signature != m.group(5) or signer.signed_headers(signer.headers_to_sign(request)) != signed:
            return None, "signature mismatch"
        return akid, None

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        params = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        action = params.get("Action")
        if params.get("Version") != "2011-06-15":
            return self.error(400, "InvalidAction", "bad Version")
        for required in ("RoleArn", "RoleSessionName"):
            if not params.get(required):
                return self.error(400, "MissingParameter", required)
        if action == "AssumeRole":
            akid, why = self.verify(body)
            if why:
                return self.error(403, "SignatureDoesNotMatch", why)
            creds = derive("AssumeRole", params["RoleArn"], akid, params.get("ExternalId", ""), params.get("DurationSeconds", ""), session_part(params))
        elif action == "AssumeRoleWithWebIdentity":
            if "Authorization" in self.headers:
                return self.error(400, "InvalidRequest", "AssumeRoleWithWebIdentity must be unsigned")
            token = params.get("WebIdentityToken", "")
            if not token:
                return self.error(400, "MissingParameter", "WebIdentityToken")
            if token.strip() == "expired":
                return self.error(400, "ExpiredTokenException", "Token expired")
            creds = derive("Web", params["RoleArn"], token, session_part(params))
        else:
            return self.error(400, "InvalidAction", f"unknown action {action}")
        remember(creds)
        role = params["RoleArn"].split("/")[-1]
        self.reply(200, f"""<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <AssumedRoleUser><AssumedRoleId>AROAFAKE:{params['RoleSessionName']}</AssumedRoleId><Arn>arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{params['RoleSessionName']}</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>{creds['AccessKeyId']}</AccessKeyId>
      <SecretAccessKey>{creds['SecretAccessKey']}</SecretAccessKey>
      <SessionToken>{creds['SessionToken']}</SessionToken>
      <Expiration>{EXPIRATION}</Expiration>
    </Credentials>
  </{action}Result>
  <ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>
</{action}Response>""")


HANDLERS = {"sts": StsHandler}
