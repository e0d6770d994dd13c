"""Fixtures for the media tests: moto's S3 server on loopback, with the real boto3 client."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

S3_REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint_url() -> Iterator[str]:
    """moto in server mode on 127.0.0.1 (a free port), answering real HTTP S3 requests."""
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("AWS_ACCESS_KEY_ID", "testing")
        environment.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        environment.setenv("AWS_SESSION_TOKEN", "testing")
        environment.setenv("AWS_DEFAULT_REGION", S3_REGION)
        environment.setenv("NO_PROXY", "127.0.0.1,localhost")
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint_url: str) -> str:
    """A fresh, empty bucket that anyone may read, as public image URLs need."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = s3_admin_client(s3_endpoint_url)
    client.create_bucket(Bucket=name)
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    return name


def public_read_policy(bucket: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def s3_admin_client(endpoint_url: str) -> Any:
    return boto3.client("s3", endpoint_url=endpoint_url, region_name=S3_REGION)
