"""What botocore 1.44.8 sends and parses, for `cargo xtask differential`.

Run in the project's virtual environment (`.venv`, pinned botocore from
xtask/requirements.txt):

    .venv/bin/python xtask/differential/botocore_requests.py target/differential

Requests: for every operation of botocore's S3 model (the same files as models/s3),
parameters are generated from the model, deterministically, and the operation is
called on a real botocore client (credentials AKID/SECRET, region us-east-1,
endpoint_url http://127.0.0.1:9000, path-style addressing). A `before-send` handler
records the request botocore would send (method, URL, headers, body) and answers it
with a canned response, so nothing leaves the process. Each operation gets up to four
cases:

- `full`: every member of the input set, and every member of nested structures;
- `required`: only the required members (nested structures too), which exercises
  botocore's defaults (default checksums, `EncodingType=url`, ...);
- `derived_md5`: the `full` case without the `*SSECustomerKeyMD5` members, for
  operations with an SSE-C key: botocore then base64-encodes the key and computes
  its MD5 itself;
- `sha256_checksum`: the `full` case without `ContentMD5` and the `Checksum<X>` value
  members, and with the request's checksum algorithm member set to SHA256, for
  operations that have one: botocore then computes that checksum of the body itself
  (CRC32C and CRC64NVME would need botocore's optional `awscrt`).

Values (see `Params`): strings are `value-<Member>` (list items `value-<Member>-<n>`),
with these exceptions, each because S3 or botocore validates the value:

- `Bucket` is `diff-bucket` (botocore's `validate_bucket_name`; a name ending in
  `--x-s3` would also switch to S3 Express);
- `Key` is `dir/key with space ü€+~<CR><LF>.txt`, to exercise URI encoding and botocore's
  `escape_xml_payload` (DeleteObjects; XML parsers turn a raw CR LF into LF);
- `CopySource` is `src-bucket/src key ü.txt?versionId=v1`, to exercise botocore's
  quoting of it (`handle_copy_source_param`);
- `RequestRoute` (WriteGetObjectResponse's host prefix) is `route-1`: it must be a
  valid host label;
- `Metadata` (a header map) has two ASCII entries (`validate_ascii_metadata`);
- `SSECustomerKey` / `CopySourceSSECustomerKey` are 32 ASCII bytes, as an AES-256 key;
- `ContentLength` is the length of the body where there is one: botocore sends the
  member as `Content-Length`, and a wrong value would describe another request.

Enums take their first value (list items the n-th), integers count 1, 2, 3... (at
least the shape's `min`), booleans are true, timestamps are 2024-05-06T07:08:09Z,
every other one with a fraction (.25 s), blobs and streams are short ASCII byte
strings, lists have two items, maps two entries, unions their first member.
No member is skipped: botocore accepts every one of them (it does not check that
S3 would accept the combination, and neither do we).

Responses: for every operation, a response is synthesized from the output shape
(status 200, every header member set, an XML body with every body member, or the
payload: raw bytes for blob/string payloads, an XML document for structure payloads,
event-stream messages for SelectObjectContent) and fed to the same client: the parsed
result, with botocore's S3 handlers applied (`ExpiresString`, GetBucketLocation's
special parsing, ...), is recorded with `ResponseMetadata` removed, timestamps as epoch
seconds, blobs and streams as their (ASCII) text and event streams as the list of
their events. The `full` parameters are used for these calls, so `EncodingType` is the
caller's and botocore does not URL-decode list results. Two more responses: GetObject
and HeadObject with an `Expires` header that is not a date (`invalid_expires`), and
GetBucketLocation's empty `<LocationConstraint/>` of us-east-1 buckets (`empty`).

Checksums (with awscrt installed, as botocore[crt] pins it, botocore computes every
algorithm but MD5, which it refuses):

- `checksum_<algorithm>` request cases: PutObject (required members, a short body) and
  PutBucketTagging with `ChecksumAlgorithm` set to each algorithm: the header checksum;
- `when_required` request cases: PutObject, PutBucketTagging and GetObject (required
  members) from a client with `request_checksum_calculation` and
  `response_checksum_validation` set to `when_required` (no default CRC32 where the
  model only supports a checksum, no default checksum mode);
- `signatures.json`: the payload hash botocore signs (`x-amz-content-sha256`) for
  WriteGetObjectResponse (the model's `unsignedPayload`, which botocore's S3 signer
  overrides: its body is hashed) and bodies of other operations over http and https;
- `trailers.json`: PutObject over `https://` with each algorithm, where botocore sends
  the body `aws-chunked` with the checksum in a trailer: the trailer headers and the
  encoded body, for bodies of 0, 11 and 65,536 bytes (one chunk for both clients).


Presigned URLs: every request case (every operation, every parameter set above) is
also presigned with botocore's `generate_presigned_url` (SigV4: `signature_version=
's3v4'`; credentials AKID/SECRET; the clock frozen at 2024-05-06T07:08:09Z; 3600 s),
by three clients (`PRESIGN_CLIENTS`):

- `path`: the client above (`http://127.0.0.1:9000`, path style, us-east-1);
- `virtual`: AWS's own endpoints in us-west-2, virtual-hosted style
  (`https://diff-bucket.s3.us-west-2.amazonaws.com/...`);
- `custom`: a custom `endpoint_url` (`http://localhost:9000`, virtual-hosted:
  `http://diff-bucket.localhost:9000/...`) in eu-central-1, with a session token.

The URL botocore returns and the headers its signer signed (which the caller must
send) are recorded. Two adjustments, both documented in the case's `notes`:

- botocore's `SigV4QueryAuth` moves a request body into the query as a dict
  (`_get_body_as_dict`), meant for query-protocol services: with S3's XML or binary
  bodies it raises (DeleteObjects, PutBucketTagging, PutObject with a `Body`, ...).
  It is patched to treat a body that is not a JSON object as empty, which is what an
  S3 presigned URL means (the body is sent with the URL, not in it);
- idempotency tokens the caller did not set would be fresh UUIDs and signed, so the
  presigned cases set them (`PRESIGN_TOKEN`).

With its default configuration botocore presigns against the legacy global endpoint
(`s3.amazonaws.com`, `_should_use_global_endpoint`) unless the style is `virtual` or
us-east-1 is configured `regional`; our presigned URLs use the endpoint `send()` uses,
so the clients above use `addressing_style` `path` (custom endpoint) or `virtual`.

Output: `<out>/requests.json`, `<out>/responses.json`, `<out>/trailers.json`,
`<out>/signatures.json` and `<out>/presigns.json`.
"""

import base64
import binascii
import datetime
import io
import json
import os
import struct
import sys
import traceback
from unittest import mock
from xml.sax.saxutils import escape

import botocore
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.eventstream import EventStream
from botocore.httpchecksum import AwsChunkedWrapper, _CHECKSUM_CLS
from botocore.response import StreamingBody
from botocore import xform_name
import botocore.auth
import botocore.credentials

assert botocore.__version__ == '1.44.8', botocore.__version__

ENDPOINT = 'http://127.0.0.1:9000'
BUCKET = 'diff-bucket'
KEY = 'dir/key with space \u00fc\u20ac+~\r\n.txt'
COPY_SOURCE = 'src-bucket/src key \u00fc.txt?versionId=v1'
S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/'
UTC = datetime.timezone.utc
EPOCH = 1714979289  # 2024-05-06T07:08:09Z
FRACTION = 0.25


class Params:
    """Deterministic values for a shape, as (botocore value, JSON value): the JSON form
    is what the Rust side builds its input from (timestamps as epoch seconds, blobs and
    streams as text), as in botocore's protocol tests."""

    def __init__(self, required_only=False, string_suffix=''):
        self.required_only = required_only
        self.string_suffix = string_suffix
        self.counter = 0
        self.timestamps = 0

    def integer(self, shape):
        self.counter += 1
        return max(self.counter, int(shape.metadata.get('min', 0)))

    def timestamp(self):
        self.timestamps += 1
        if self.timestamps % 2 == 0:
            secs = EPOCH + FRACTION
        else:
            secs = EPOCH
        return datetime.datetime.fromtimestamp(secs, UTC), secs

    def structure(self, shape, stack):
        value, js = {}, {}
        required = set(shape.required_members)
        members = list(shape.members.items())
        if shape.is_tagged_union:
            members = members[:1]
        for name, member in members:
            if self.required_only and name not in required and not shape.is_tagged_union:
                continue
            if member.name in stack:  # recursion: leave the member out
                continue
            if member.serialization.get('eventstream'):  # responses only: see synthesize_response
                continue
            v, j = self.value(member, name, stack + [member.name], 0)
            value[name], js[name] = v, j
        return value, js

    def value(self, shape, name, stack, index):
        """A value for member `name` (of shape `shape`); `index` > 0 for list items."""
        t = shape.type_name
        suffix = '' if index == 0 else '-%d' % index
        if t == 'structure':
            if shape.serialization.get('eventstream'):
                raise ValueError('event streams in requests are not generated')
            return self.structure(shape, stack)
        if t == 'list':
            items = [self.value(shape.member, name, stack, i) for i in (1, 2)]
            return [v for v, _ in items], [j for _, j in items]
        if t == 'map':
            entries = [('meta-a', 'value-a'), ('Meta-B', 'value-b')]
            return dict(entries), dict(entries)
        if t == 'string':
            if shape.enum:
                v = shape.enum[(max(index, 1) - 1) % len(shape.enum)]
            elif name == 'Bucket':
                v = BUCKET
            elif name == 'Key':
                v = KEY
            elif name == 'CopySource':
                v = COPY_SOURCE
            elif name == 'RequestRoute':
                v = 'route-1'
            elif name in ('SSECustomerKey', 'CopySourceSSECustomerKey'):
                v = ('key-%s' % name)[:32].ljust(32, '0')
            else:
                v = 'value-%s%s%s' % (name, suffix, self.string_suffix)
            # botocore checks `min` lengths (UpdateObjectEncryption's KMSKeyArn: 20).
            v += '-' * (int(shape.metadata.get('min', 0)) - len(v))
            return v, v
        if t in ('integer', 'long'):
            n = self.integer(shape)
            return n, n
        if t in ('float', 'double'):
            self.counter += 1
            return self.counter + 0.5, self.counter + 0.5
        if t == 'boolean':
            return True, True
        if t == 'timestamp':
            return self.timestamp()
        if t == 'blob':
            text = 'blob-%s%s' % (name, suffix)
            if shape.serialization.get('streaming'):
                text = 'stream %s: some content\n' % name
            return text.encode(), text
        raise ValueError('unknown type %s' % t)


def input_params(op, variant):
    shape = op.input_shape
    if shape is None:
        return {}, {}
    gen = Params(required_only=(variant == 'required'))
    value, js = gen.structure(shape, [shape.name])
    body = next((m for m, s in shape.members.items() if s.type_name == 'blob' and s.serialization.get('streaming')), None)
    if 'ContentLength' in value and body is not None:
        n = len(value[body]) if body in value else 0
        value['ContentLength'] = js['ContentLength'] = n
    if variant == 'derived_md5':
        for m in ('SSECustomerKeyMD5', 'CopySourceSSECustomerKeyMD5'):
            value.pop(m, None)
            js.pop(m, None)
    if variant == 'sha256_checksum':
        for m in list(value):
            if m.startswith('Checksum') and m != 'ChecksumAlgorithm' or m == 'ContentMD5':
                value.pop(m)
                js.pop(m)
        algorithm = op.http_checksum['requestAlgorithmMember']
        value[algorithm] = js[algorithm] = 'SHA256'
    return value, js


# ---------------------------------------------------------------------------------
# A botocore client whose requests never leave the process
# ---------------------------------------------------------------------------------


class Raw:
    """Enough of urllib3's response for botocore (StreamingBody, EventStream)."""

    def __init__(self, data):
        self._io = io.BytesIO(data)

    def read(self, amt=None, **kwargs):
        return self._io.read() if amt is None else self._io.read(amt)

    def stream(self, amt=1024, decode_content=None):
        while True:
            chunk = self._io.read(amt)
            if not chunk:
                return
            yield chunk

    def close(self):
        pass


def body_bytes(body):
    if body is None:
        return b''
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode('utf-8')
    if isinstance(body, AwsChunkedWrapper):
        data = body.read()
        body.seek(0)
        return data
    if hasattr(body, 'read'):
        pos = body.tell()
        data = body.read()
        body.seek(pos)
        return data
    raise TypeError('unknown body %r' % type(body))


class Capture:
    def __init__(self):
        self.requests = []
        self.response = (200, [], b'')

    def before_send(self, request, **kwargs):
        self.requests.append({
            'method': request.method,
            'url': request.url,
            'headers': [[k, v if isinstance(v, str) else v.decode('latin-1')] for k, v in request.headers.items()],
            'body_base64': base64.b64encode(body_bytes(request.body)).decode(),
        })
        status, headers, body = self.response
        return AWSResponse(request.url, status, dict(headers), Raw(body))


def make_client(endpoint=ENDPOINT, **config):
    session = botocore.session.get_session()
    client = session.create_client(
        's3',
        region_name='us-east-1',
        endpoint_url=endpoint,
        aws_access_key_id='AKID',
        aws_secret_access_key='SECRET',
        config=Config(s3={'addressing_style': 'path'}, retries={'total_max_attempts': 1}, **config),
    )
    capture = Capture()
    client.meta.events.register('before-send.s3', capture.before_send)
    return client, capture


# ---------------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------------


def http_date(secs):
    return datetime.datetime.fromtimestamp(int(secs), UTC).strftime('%a, %d %b %Y %H:%M:%S GMT')


def iso8601(secs):
    dt = datetime.datetime.fromtimestamp(secs, UTC)
    if dt.microsecond:
        return dt.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (dt.microsecond // 1000)
    return dt.strftime('%Y-%m-%dT%H:%M:%SZ')


def timestamp_text(shape, secs, default):
    fmt = shape.serialization.get('timestampFormat') or shape.metadata.get('timestampFormat') or default
    if fmt == 'rfc822':
        return http_date(secs)
    if fmt == 'unixTimestamp':
        return repr(secs)
    return iso8601(secs)


def scalar_text(shape, js, location):
    t = shape.type_name
    if t == 'boolean':
        return 'true' if js else 'false'
    if t == 'timestamp':
        return timestamp_text(shape, js, 'rfc822' if location == 'header' else 'iso8601')
    if t == 'blob':
        return base64.b64encode(js.encode()).decode()
    return str(js)


class XmlWriter:
    def __init__(self):
        self.out = []

    def element(self, name, shape, js, root=False):
        t = shape.type_name
        attrs = ''
        if root:
            attrs += ' xmlns="%s"' % S3_NS
        ns = shape.serialization.get('xmlNamespace')
        if ns and not root:
            prefix = ns.get('prefix')
            attrs += ' xmlns%s="%s"' % (':' + prefix if prefix else '', ns['uri'])
        if t == 'structure':
            # Two members for one element name (GetBucketNotification's deprecated
            # `Event` and the flattened list `Events` of `Event`s): only the one that is
            # not a list is written, and parsers read that element for both (botocore
            # would otherwise parse the string `Event` from several elements into a
            # list of `Element`s).
            chosen = {}
            for mname, member in shape.members.items():
                if mname not in js or member.serialization.get('xmlAttribute'):
                    continue
                xml_name = member.serialization.get('name', mname)
                if member.type_name == 'list' and member.serialization.get('flattened'):
                    xml_name = member.member.serialization.get('name', xml_name)
                if xml_name not in chosen or shape.members[chosen[xml_name]].type_name == 'list':
                    chosen[xml_name] = mname
            keep = set(chosen.values())
            children = []
            for mname, member in shape.members.items():
                if mname not in js:
                    continue
                if not member.serialization.get('xmlAttribute') and mname not in keep:
                    continue
                if member.serialization.get('xmlAttribute'):
                    loc = member.serialization['name']
                    if loc.startswith('xsi:') and 'xmlns:xsi' not in attrs:
                        attrs += ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
                    attrs += ' %s="%s"' % (loc, escape(str(js[mname]), {'"': '&quot;'}))
                    continue
                children.append((mname, member))
            self.out.append('<%s%s>' % (name, attrs))
            for mname, member in children:
                self.member(mname, member, js[mname])
            self.out.append('</%s>' % name)
        elif t == 'list':
            self.out.append('<%s%s>' % (name, attrs))
            item_name = shape.member.serialization.get('name', 'member')
            for item in js:
                self.element(item_name, shape.member, item)
            self.out.append('</%s>' % name)
        elif t == 'map':
            self.out.append('<%s%s>' % (name, attrs))
            self.map_entries(shape, js)
            self.out.append('</%s>' % name)
        else:
            text = scalar_text(shape, js, 'body')
            self.out.append('<%s%s>%s</%s>' % (name, attrs, escape(text), name))

    def map_entries(self, shape, js, entry='entry'):
        k = shape.key.serialization.get('name', 'key')
        v = shape.value.serialization.get('name', 'value')
        for key, value in js.items():
            self.out.append('<%s>' % entry)
            self.element(k, shape.key, key)
            self.element(v, shape.value, value)
            self.out.append('</%s>' % entry)

    def member(self, mname, member, js):
        name = member.serialization.get('name', mname)
        if member.type_name == 'list' and member.serialization.get('flattened'):
            item_name = member.member.serialization.get('name', name)
            for item in js:
                self.element(item_name, member.member, item)
        elif member.type_name == 'map' and member.serialization.get('flattened'):
            self.map_entries(member, js, entry=name)
        else:
            self.element(name, member, js)

    def text(self):
        return ''.join(self.out)


def event_message(headers, payload):
    """One event-stream message (prelude, headers, payload, CRCs)."""
    hbytes = b''
    for name, value in headers:
        n, v = name.encode(), value.encode()
        hbytes += struct.pack('!B', len(n)) + n + struct.pack('!BH', 7, len(v)) + v
    total = 12 + len(hbytes) + len(payload) + 4
    prelude = struct.pack('!II', total, len(hbytes))
    prelude += struct.pack('!I', binascii.crc32(prelude) & 0xFFFFFFFF)
    message = prelude + hbytes + payload
    return message + struct.pack('!I', binascii.crc32(message) & 0xFFFFFFFF)


def event_stream_body(shape, js_events):
    body = b''
    for event in js_events:
        ((event_name, fields),) = event.items()
        event_shape = shape.members[event_name]
        payload = b''
        headers = [(':message-type', 'event'), (':event-type', event_name)]
        for mname, member in event_shape.members.items():
            if mname not in fields:
                continue
            if member.serialization.get('eventpayload'):
                if member.type_name == 'blob':
                    payload = fields[mname].encode()
                    headers.append((':content-type', 'application/octet-stream'))
                elif member.type_name == 'string':
                    payload = fields[mname].encode()
                    headers.append((':content-type', 'text/plain'))
                else:
                    w = XmlWriter()
                    w.element(member.serialization.get('name', mname), member, fields[mname])
                    payload = w.text().encode()
                    headers.append((':content-type', 'text/xml'))
            elif member.serialization.get('eventheader'):
                headers.append((mname, scalar_text(member, fields[mname], 'header')))
        body += event_message(headers, payload)
    return body


def synthesize_response(op):
    """(status, headers, body, description) of a successful response with every member."""
    shape = op.output_shape
    headers = [('x-amz-request-id', 'REQ-ID-1'), ('x-amz-id-2', 'host-id-1')]
    if shape is None:
        return 200, headers, b''
    gen = Params(string_suffix=' & <\u00fc>')
    _, js = gen.structure(shape, [shape.name])
    body = b''
    payload = shape.serialization.get('payload')
    if op.name == 'GetBucketLocation':
        # S3 answers with the constraint as the root element's text, which botocore's
        # `parse_get_bucket_location` reads instead of the modeled structure.
        member = shape.members['LocationConstraint']
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="%s">%s</LocationConstraint>'
                % (S3_NS, js['LocationConstraint'])).encode()
    elif payload is not None:
        member = shape.members[payload]
        if member.type_name == 'structure' and member.serialization.get('eventstream'):
            events = []
            for ename, eshape in member.members.items():
                _, ev = gen.structure(eshape, [eshape.name])
                events.append({ename: ev})
            js[payload] = events
            body = event_stream_body(member, events)
        elif member.type_name in ('blob', 'string'):
            text = 'payload %s: some content \u00fc\n' % payload if member.type_name == 'string' else 'payload %s: some content\n' % payload
            js[payload] = text
            body = text.encode()
        else:
            w = XmlWriter()
            w.element(member.serialization.get('name', member.name), member, js[payload], root=True)
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + w.text()).encode()
    else:
        body_members = {m: s for m, s in shape.members.items() if 'location' not in s.serialization}
        if body_members:
            w = XmlWriter()
            w.element(shape.serialization.get('name', op.name + 'Result'), shape,
                      {m: v for m, v in js.items() if m in body_members}, root=True)
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + w.text()).encode()
    for mname, member in shape.members.items():
        loc = member.serialization.get('location')
        if loc == 'header':
            if mname == 'ContentLength' and payload and shape.members[payload].serialization.get('streaming'):
                continue  # set below, to the body's length
            headers.append((member.serialization['name'], scalar_text(member, js[mname], 'header')))
        elif loc == 'headers':
            prefix = member.serialization.get('name', '')
            for k, v in js[mname].items():
                headers.append((prefix + k, v))
        elif loc == 'statusCode':
            raise ValueError('statusCode members are not generated')
    if payload and shape.members[payload].serialization.get('streaming') and 'ContentLength' in shape.members:
        headers.append(('Content-Length', str(len(body))))
    return 200, headers, body


def plain(value):
    """botocore's parsed value as JSON: timestamps as epoch seconds, bytes as text."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != 'ResponseMetadata'}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, (bytes, bytearray)):
        return value.decode('utf-8')
    if isinstance(value, StreamingBody):
        return value.read().decode('utf-8')
    if isinstance(value, EventStream):
        return [plain(e) for e in value]
    return value


# ---------------------------------------------------------------------------------
# Checksums
# ---------------------------------------------------------------------------------

CHECKSUM_OPERATIONS = ['PutObject', 'PutBucketTagging']
WHEN_REQUIRED_OPERATIONS = ['GetObject', 'PutBucketTagging', 'PutObject']
TRAILER_BODIES = [b'', b'Hello world', bytes(i % 251 for i in range(65536))]


def record(client, capture, op_name, variant, value, js, requests, problems):
    capture.requests.clear()
    capture.response = (200, [], b'')
    error = None
    try:
        getattr(client, xform_name(op_name))(**value)
    except Exception as err:  # the canned response may not parse: the request was sent already
        error = '%s: %s' % (type(err).__name__, err)
    if not capture.requests:
        problems.append('%s %s: botocore sent nothing: %s' % (op_name, variant, error))
        return
    requests.append({'operation': op_name, 'variant': variant, 'params': js,
                     'request': capture.requests[0], 'attempts': len(capture.requests)})


def checksum_cases(requests, problems):
    """The `checksum_<algorithm>` and `when_required` request cases."""
    client, capture = make_client()
    model = client.meta.service_model
    algorithms = model.shape_for('ChecksumAlgorithm').enum
    for op_name in CHECKSUM_OPERATIONS:
        op = model.operation_model(op_name)
        for algorithm in algorithms:
            if algorithm.lower() not in _CHECKSUM_CLS:
                print('botocore %s has no %s checksum: not compared' % (botocore.__version__, algorithm))
                continue
            value, js = input_params(op, 'required')
            value['ChecksumAlgorithm'] = js['ChecksumAlgorithm'] = algorithm
            if 'Body' in op.input_shape.members:
                value['Body'], js['Body'] = b'Hello world', 'Hello world'
            record(client, capture, op_name, 'checksum_' + algorithm.lower(), value, js, requests, problems)
    client, capture = make_client(request_checksum_calculation='when_required',
                                  response_checksum_validation='when_required')
    for op_name in WHEN_REQUIRED_OPERATIONS:
        value, js = input_params(model.operation_model(op_name), 'required')
        record(client, capture, op_name, 'when_required', value, js, requests, problems)


def trailer_cases(problems):
    """PutObject over https: botocore's aws-chunked bodies with a trailing checksum."""
    client, capture = make_client(endpoint=ENDPOINT.replace('http://', 'https://'))
    algorithms = client.meta.service_model.shape_for('ChecksumAlgorithm').enum
    cases = []
    for algorithm in algorithms:
        if algorithm.lower() not in _CHECKSUM_CLS:
            continue
        for body in TRAILER_BODIES:
            capture.requests.clear()
            try:
                client.put_object(Bucket=BUCKET, Key='k', Body=body, ChecksumAlgorithm=algorithm)
            except Exception:
                pass
            if not capture.requests:
                problems.append('trailer %s %d bytes: botocore sent nothing' % (algorithm, len(body)))
                continue
            request = capture.requests[0]
            names = ('Content-Encoding', 'X-Amz-Trailer', 'X-Amz-Decoded-Content-Length',
                     'x-amz-sdk-checksum-algorithm', 'Transfer-Encoding')
            cases.append({
                'algorithm': algorithm,
                'body_base64': base64.b64encode(body).decode(),
                'headers': [[k, v] for k, v in request['headers'] if k in names],
                'encoded_base64': request['body_base64'],
            })
    return cases


# Which payload hash botocore signs (`x-amz-content-sha256`): the model's
# `unsignedPayload` (WriteGetObjectResponse) and S3's rules for bodies over http and https.
SIGNATURE_CASES = [
    ('WriteGetObjectResponse', 'http'),
    ('WriteGetObjectResponse', 'https'),
    ('PutObject', 'http'),
    ('PutBucketTagging', 'https'),
    ('PutBucketTagging', 'http'),
]


def signature_cases(problems):
    cases = []
    for op_name, scheme in SIGNATURE_CASES:
        client, capture = make_client(endpoint=ENDPOINT.replace('http://', scheme + '://'))
        op = client.meta.service_model.operation_model(op_name)
        value, js = input_params(op, 'required')
        if 'Body' in op.input_shape.members:
            value['Body'], js['Body'] = b'hello', 'hello'
        capture.requests.clear()
        try:
            getattr(client, xform_name(op_name))(**value)
        except Exception:
            pass
        if not capture.requests:
            problems.append('signature %s %s: botocore sent nothing' % (op_name, scheme))
            continue
        headers = {k.lower(): v for k, v in capture.requests[0]['headers']}
        cases.append({'operation': op_name, 'scheme': scheme, 'params': js,
                      'payload_hash': headers.get('x-amz-content-sha256')})
    return cases


PRESIGN_EXPIRES = 3600
PRESIGN_TOKEN = '00000000-0000-4000-8000-000000000000'
SESSION_TOKEN = 'SESSION/TOKEN+with=special'
# (name, create_client arguments, S3 config)
PRESIGN_CLIENTS = [
    ('path', dict(region_name='us-east-1', endpoint_url=ENDPOINT), {'addressing_style': 'path'}),
    ('virtual', dict(region_name='us-west-2'), {'addressing_style': 'virtual'}),
    ('custom', dict(region_name='eu-central-1', endpoint_url='http://localhost:9000', aws_session_token=SESSION_TOKEN),
     {'addressing_style': 'virtual'}),
]

_original_body_as_dict = botocore.auth._get_body_as_dict


def _body_as_dict_or_empty(request):
    """botocore's `_get_body_as_dict`, with a body that is not a JSON object (S3's XML and
    binary bodies, file objects) treated as empty instead of raising."""
    try:
        data = _original_body_as_dict(request)
    except Exception:
        return {}
    return data if isinstance(data, dict) else {}


class PresignCapture:
    """The headers `S3SigV4QueryAuth` signed (what the URL's user must send)."""

    def __init__(self):
        self.headers = None
        original = botocore.auth.S3SigV4QueryAuth.add_auth
        capture = self

        def add_auth(signer, request):
            original(signer, request)
            capture.headers = [[k, v if isinstance(v, str) else v.decode('latin-1')] for k, v in request.headers.items()]
        self.patch = mock.patch.object(botocore.auth.S3SigV4QueryAuth, 'add_auth', add_auth)


def presign_clients():
    clients = []
    for name, kwargs, s3 in PRESIGN_CLIENTS:
        session = botocore.session.get_session()
        client = session.create_client(
            's3', aws_access_key_id='AKID', aws_secret_access_key='SECRET',
            config=Config(signature_version='s3v4', s3=s3), **kwargs)
        clients.append((name, client))
    return clients


def presign_cases(model, ops_params, problems):
    """Every request case presigned by every client of `PRESIGN_CLIENTS`."""
    capture = PresignCapture()
    cases = []
    frozen = datetime.datetime.fromtimestamp(EPOCH, UTC).replace(tzinfo=None)
    # With awscrt installed (the checksum cases need it) botocore signs with CRT's SigV4
    # classes; presigned URLs are compared with its pure-Python signers, which a plain
    # `pip install botocore` uses and which the patches below reach (SigV4 query signing
    # gives the same bytes either way).
    pure_signers = {
        'v4': botocore.auth.SigV4Auth,
        'v4-query': botocore.auth.SigV4QueryAuth,
        's3v4': botocore.auth.S3SigV4Auth,
        's3v4-query': botocore.auth.S3SigV4QueryAuth,
    }
    with capture.patch, \
            mock.patch.dict(botocore.auth.AUTH_TYPE_MAPS, pure_signers), \
            mock.patch.object(botocore.auth, '_get_body_as_dict', _body_as_dict_or_empty), \
            mock.patch.object(botocore.auth, 'get_current_datetime', return_value=frozen):
        for name, client in presign_clients():
            for op_name, variant, value, js in ops_params:
                op = model.operation_model(op_name)
                value, js = dict(value), dict(js)
                for m, shape in (op.input_shape.members.items() if op.input_shape else []):
                    if shape.metadata.get('idempotencyToken') and m not in value:
                        value[m] = js[m] = PRESIGN_TOKEN
                capture.headers = None
                try:
                    url = client.generate_presigned_url(xform_name(op_name), Params=value, ExpiresIn=PRESIGN_EXPIRES)
                except Exception as err:
                    problems.append('%s %s presign (%s): botocore refused: %s: %s' % (op_name, variant, name, type(err).__name__, err))
                    continue
                cases.append({
                    'operation': op_name,
                    'variant': variant,
                    'client': name,
                    'params': js,
                    'method': op.http['method'],
                    'url': url,
                    'headers': capture.headers or [],
                })
    return cases


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else 'target/differential'
    client, capture = make_client()
    model = client.meta.service_model
    requests, responses, problems = [], [], []
    ops_params = []
    for op_name in sorted(model.operation_names):
        op = model.operation_model(op_name)
        method = getattr(client, xform_name(op_name))
        variants = ['full', 'required']
        if op.input_shape is not None and 'SSECustomerKey' in op.input_shape.members:
            variants.append('derived_md5')
        if op.http_checksum.get('requestAlgorithmMember'):
            variants.append('sha256_checksum')
        for variant in variants:
            value, js = input_params(op, variant)
            ops_params.append((op_name, variant, value, js))
            capture.requests.clear()
            capture.response = (200, [], b'')
            error = None
            try:
                method(**value)
            except Exception as err:  # the canned response may not parse: the request was sent already
                error = '%s: %s' % (type(err).__name__, err)
            if not capture.requests:
                problems.append('%s %s: botocore sent nothing: %s' % (op_name, variant, error))
                continue
            requests.append({
                'operation': op_name,
                'variant': variant,
                'params': js,
                'request': capture.requests[0],
                'attempts': len(capture.requests),
            })
        # The responses.
        full = synthesize_response(op)
        variants = [('full', full)]
        status, headers, body = full
        if any(k == 'Expires' for k, _ in headers):
            # botocore keeps an `Expires` it cannot parse as `ExpiresString` only
            # (`handle_expires_header`) instead of failing.
            variants.append(('invalid_expires', (status, [(k, 'not a date' if k == 'Expires' else v) for k, v in headers], body)))
        if op_name == 'GetBucketLocation':
            # A us-east-1 bucket: an empty element, which botocore parses as None.
            variants.append(('empty', (status, headers, ('<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="%s"/>' % S3_NS).encode())))
        value, _ = input_params(op, 'full')
        for variant, (status, headers, body) in variants:
            capture.requests.clear()
            capture.response = (status, headers, body)
            try:
                parsed = plain(method(**value))
            except Exception:
                problems.append('%s %s response: botocore fails to parse it:\n%s' % (op_name, variant, traceback.format_exc()))
                continue
            responses.append({
                'operation': op_name,
                'variant': variant,
                'status': status,
                'headers': [[k, v] for k, v in headers],
                'body_base64': base64.b64encode(body).decode(),
                'parsed': parsed,
            })
    presigns = presign_cases(model, ops_params, problems)
    os.makedirs(out_dir, exist_ok=True)
    checksum_cases(requests, problems)
    trailers = trailer_cases(problems)
    signatures = signature_cases(problems)
    with open(os.path.join(out_dir, 'signatures.json'), 'w') as f:
        json.dump({'botocore': botocore.__version__, 'cases': signatures}, f, indent=1)
    with open(os.path.join(out_dir, 'trailers.json'), 'w') as f:
        json.dump({'botocore': botocore.__version__, 'cases': trailers}, f, indent=1)
    with open(os.path.join(out_dir, 'presigns.json'), 'w') as f:
        json.dump({'botocore': botocore.__version__, 'expires_in': PRESIGN_EXPIRES, 'time': EPOCH,
                   'session_token': SESSION_TOKEN, 'cases': presigns}, f, indent=1, ensure_ascii=False)
    with open(os.path.join(out_dir, 'requests.json'), 'w') as f:
        json.dump({'botocore': botocore.__version__, 'endpoint_url': ENDPOINT, 'cases': requests}, f, indent=1, ensure_ascii=False)
    with open(os.path.join(out_dir, 'responses.json'), 'w') as f:
        json.dump({'botocore': botocore.__version__, 'cases': responses}, f, indent=1, ensure_ascii=False)
    print('botocore %s: %d requests (%d operations), %d responses, %d trailers, %d presigned URLs'
          % (botocore.__version__, len(requests), len({r['operation'] for r in requests}), len(responses), len(trailers),
             len(presigns)))
    for p in problems:
        print('PROBLEM ' + p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
