"""Runs a scenario of the `redirects vs botocore` comparison with botocore 1.44.8 against
the loopback stub of `integration/tests/redirects/stub.rs`, and prints each step's
outcome as JSON: `ok`, the error code of a ClientError, or another exception's class name.

The scenario (one JSON argument): `region`, `endpoint_url` (the stub, or null for AWS's
endpoints), `forward` (with AWS's endpoints: the stub's URL, to which a `before-send`
handler delivers every request with its `Host` kept), `steps` (`op`, `bucket`).
"""

import json
import sys
from urllib.parse import urlsplit

import botocore.session
import urllib3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError


def main():
    spec = json.loads(sys.argv[1])
    session = botocore.session.get_session()
    kwargs = {
        'region_name': spec['region'],
        'aws_access_key_id': 'AKID',
        'aws_secret_access_key': 'SECRET',
    }
    if spec.get('endpoint_url'):
        kwargs['endpoint_url'] = spec['endpoint_url']
    client = session.create_client('s3', **kwargs)
    if spec.get('forward'):
        pool = urllib3.PoolManager()
        target = spec['forward']

        def forward(request, **_):
            parts = urlsplit(request.url)
            headers = dict(request.headers.items())
            headers['Host'] = parts.netloc
            path = parts.path + ('?' + parts.query if parts.query else '')
            body = request.body
            if hasattr(body, 'read'):
                body = body.read()
            raw = pool.urlopen(
                request.method,
                target + path,
                headers=headers,
                body=body,
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
            return AWSResponse(request.url, raw.status, raw.headers, raw)

        client.meta.events.register('before-send.s3', forward)
    outcomes = []
    for step in spec['steps']:
        bucket = step['bucket']
        try:
            if step['op'] == 'get':
                client.get_object(Bucket=bucket, Key='k')['Body'].read()
            elif step['op'] == 'put':
                client.put_object(Bucket=bucket, Key='k', Body=b'hello')
            elif step['op'] == 'head_object':
                client.head_object(Bucket=bucket, Key='k')
            elif step['op'] == 'head_bucket':
                client.head_bucket(Bucket=bucket)
            elif step['op'] == 'list':
                client.list_objects_v2(Bucket=bucket)
            elif step['op'] == 'create_bucket':
                client.create_bucket(Bucket=bucket)
            else:
                raise ValueError(step['op'])
            outcomes.append('ok')
        except ClientError as e:
            outcomes.append(e.response['Error']['Code'])
        except Exception as e:  # noqa: BLE001 - the class name is the outcome
            outcomes.append(type(e).__name__)
    print(json.dumps(outcomes))


if __name__ == '__main__':
    main()
