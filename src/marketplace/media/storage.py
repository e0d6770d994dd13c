"""Where media bytes live: a local folder or an S3-compatible bucket, behind one interface.

The only module that imports boto3; its errors leave here as ``StorageError``.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool

from marketplace.config import MediaBackend, Settings

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

# boto3 and botocore cost ~25 MB per worker; they are imported only once S3 is in use.

IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
MAX_PRESIGNED_URL_SECONDS = 7 * 24 * 3600  # the most Signature Version 4 allows
_MISSING_OBJECT_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


class InvalidMediaKey(ValueError):
    """A key that is not a plain relative path (``..``, absolute, hidden or empty segments)."""


class StorageError(Exception):
    """The storage backend failed: unreachable, denied, missing bucket, full disk."""


class MediaStorage(Protocol):
    """Keeps objects under keys like ``products/<id>/<random>.webp``; says where to fetch them."""

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key``, replacing any object already there."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; a key with no object is not an error."""
        ...

    async def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""
        ...

    async def get(self, key: str) -> bytes | None:
        """The object's bytes, or None when nothing is stored under ``key``."""
        ...

    def public_url(self, key: str) -> str:
        """The URL browsers load the object from."""
        ...

    async def presigned_url(self, key: str, expires_in: int | None = None) -> str:
        """A URL that grants read access to the object for ``expires_in`` seconds."""
        ...

    async def prepare(self) -> str:
        """Create where objects go (folder, or bucket readable by anyone); safe to repeat.
        Says what it did, for the ``marketplace media init`` command."""
        ...


@functools.lru_cache(maxsize=8192)
def quoted_key(key: str) -> str:
    """A valid key, URL-quoted; remembered, since every list page asks for the same few
    (a refused key raises and is not remembered)."""
    return quote(str(validate_key(key)))


def validate_key(key: str) -> PurePosixPath:
    """``key`` as a relative path; InvalidMediaKey if any segment could escape or hide."""
    if not key or "\\" in key or "\x00" in key or key.startswith("/"):
        raise InvalidMediaKey(key)
    # A leading dot also covers "." and ".." and the temporary files LocalStorage writes.
    if any(not part or part.startswith(".") for part in key.split("/")):
        raise InvalidMediaKey(key)
    return PurePosixPath(key)


def local_path(root: Path, key: str) -> Path:
    """The file for ``key`` under ``root``; InvalidMediaKey if it would land outside ``root``."""
    base = root.resolve()
    path = (base / validate_key(key)).resolve()
    if not path.is_relative_to(base):  # a symbolic link inside root pointing out of it
        raise InvalidMediaKey(key)
    return path


def new_image_keys(product_id: uuid.UUID | str) -> tuple[str, str]:
    """Fresh, unguessable keys for a product image and its thumbnail."""
    stem = f"products/{product_id}/{uuid.uuid4().hex}"
    validate_key(stem)
    return f"{stem}.webp", f"{stem}_thumb.webp"


class LocalStorage:
    """Objects as files under ``root``, served by the app at ``{base_url}/media/{key}``."""

    def __init__(self, root: Path, base_url: str) -> None:
        self.root = root
        self.base_url = base_url.rstrip("/")

    async def prepare(self) -> str:
        """Create the media folder."""
        await run_in_threadpool(self.root.mkdir, parents=True, exist_ok=True)
        return f"media folder {self.root} ready"

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write the file atomically; ``content_type`` is not kept (the router serves WebP)."""
        try:
            await run_in_threadpool(_write_atomically, self.root, key, data)
        except OSError as error:
            raise StorageError(f"cannot write {key}: {error}") from error

    async def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        try:
            await run_in_threadpool(_delete_file, self.root, key)
        except OSError as error:
            raise StorageError(f"cannot delete {key}: {error}") from error

    async def exists(self, key: str) -> bool:
        """Whether the file is there."""
        return await run_in_threadpool(_is_file, self.root, key)

    async def get(self, key: str) -> bytes | None:
        """The file's bytes, or None when it is not there."""
        try:
            return await run_in_threadpool(_read_file, self.root, key)
        except OSError as error:
            raise StorageError(f"cannot read {key}: {error}") from error

    def public_url(self, key: str) -> str:
        """``{base_url}/media/{key}``."""
        return f"{self.base_url}/media/{quoted_key(key)}"

    async def presigned_url(self, key: str, expires_in: int | None = None) -> str:
        """The public URL: local files are readable by anyone who knows the key."""
        return self.public_url(key)


def _write_atomically(root: Path, key: str, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half a file."""
    path = local_path(root, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp creates 0600; a web server may serve the folder
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _delete_file(root: Path, key: str) -> None:
    local_path(root, key).unlink(missing_ok=True)


def _is_file(root: Path, key: str) -> bool:
    return local_path(root, key).is_file()


def _read_file(root: Path, key: str) -> bytes | None:
    path = local_path(root, key)
    return path.read_bytes() if path.is_file() else None


class S3Storage:
    """Objects in an S3-compatible bucket, written with a year-long immutable cache header."""

    def __init__(
        self,
        bucket: str,
        endpoint_url: str | None,
        region: str,
        public_base_url: str | None = None,
        *,
        presigned_url_seconds: int = 900,
        cache_control: str = IMMUTABLE_CACHE_CONTROL,
        public_read: bool = True,
    ) -> None:
        self.bucket = bucket
        self.public_read = public_read
        self.presigned_url_seconds = presigned_url_seconds
        self.cache_control = cache_control
        base = public_base_url or endpoint_url or f"https://s3.{region}.amazonaws.com"
        self.public_base_url = base.rstrip("/")
        self._client: Any = _create_s3_client(endpoint_url, region)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Upload the object with its content type and cache header."""
        await self._call(
            self._client.put_object,
            Bucket=self.bucket,
            Key=str(validate_key(key)),
            Body=data,
            ContentType=content_type,
            CacheControl=self.cache_control,
        )

    async def delete(self, key: str) -> None:
        """Delete the object if it is there."""
        await self._call(self._delete_sync, str(validate_key(key)))

    async def exists(self, key: str) -> bool:
        """Whether the object is there (a HEAD request)."""
        found: bool = await self._call(self._exists_sync, str(validate_key(key)))
        return found

    async def get(self, key: str) -> bytes | None:
        """The object's bytes, or None when it is not there."""
        data: bytes | None = await self._call(self._get_sync, str(validate_key(key)))
        return data

    def public_url(self, key: str) -> str:
        """``{public_base_url}/{bucket}/{key}``."""
        return f"{self.public_base_url}/{self.bucket}/{quoted_key(key)}"

    async def presigned_url(self, key: str, expires_in: int | None = None) -> str:
        """A signed GET URL on the endpoint, valid ``expires_in`` seconds (default: settings)."""
        seconds = self.presigned_url_seconds if expires_in is None else expires_in
        if not 1 <= seconds <= MAX_PRESIGNED_URL_SECONDS:
            raise ValueError(f"expires_in must be 1..{MAX_PRESIGNED_URL_SECONDS}, not {seconds}")
        url = await self._call(
            self._client.generate_presigned_url,
            ClientMethod="get_object",
            Params={"Bucket": self.bucket, "Key": str(validate_key(key))},
            ExpiresIn=seconds,
        )
        return str(url)

    async def prepare(self) -> str:
        """Create the bucket if missing and let anyone read its objects (product photos are
        public; writes stay with this service's credentials)."""
        await self._call(self._create_bucket_sync)
        if not self.public_read:
            return f"bucket {self.bucket} ready, private (links to its objects are presigned)"
        refused = await self._call(self._put_public_policy_sync)
        if refused:
            return (
                f"bucket {self.bucket} ready; the server refused a bucket policy ({refused}): "
                "grant anonymous read in its own configuration"
            )
        return f"bucket {self.bucket} ready, objects readable by anyone"

    def _put_public_policy_sync(self) -> str | None:
        """None when the policy is set; the error code of a store without bucket policies."""
        from botocore.exceptions import ClientError  # noqa: PLC0415

        policy = json.dumps(public_read_policy(self.bucket))
        try:
            self._client.put_bucket_policy(Bucket=self.bucket, Policy=policy)
        except ClientError as error:
            if _error_code(error) in {"NotImplemented", "MalformedPolicy"}:
                return _error_code(error)
            raise
        return None

    def _create_bucket_sync(self) -> None:
        from botocore.exceptions import ClientError  # noqa: PLC0415

        try:
            self._client.create_bucket(Bucket=self.bucket)
        except ClientError as error:
            if _error_code(error) not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise

    def _delete_sync(self, key: str) -> None:
        from botocore.exceptions import ClientError  # noqa: PLC0415

        try:
            self._client.delete_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            # S3 answers 204 for a missing key; some compatible stores answer NoSuchKey.
            if _error_code(error) not in _MISSING_OBJECT_CODES:
                raise

    def _get_sync(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError  # noqa: PLC0415

        try:
            response = self._client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _error_code(error) in _MISSING_OBJECT_CODES:
                return None
            raise
        body: bytes = response["Body"].read()
        return body

    def _exists_sync(self, key: str) -> bool:
        from botocore.exceptions import ClientError  # noqa: PLC0415

        try:
            self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _error_code(error) in _MISSING_OBJECT_CODES:
                return False
            raise
        return True

    async def _call(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a blocking client call in a worker thread; SDK errors become StorageError."""
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

        try:
            return await run_in_threadpool(operation, *args, **kwargs)
        except (BotoCoreError, ClientError) as error:
            raise StorageError(f"S3 bucket {self.bucket}: {error}") from error


def _create_s3_client(endpoint_url: str | None, region: str) -> Any:
    """One client per storage: boto3 clients are thread-safe, and creating one is slow."""
    import boto3  # noqa: PLC0415
    from botocore.config import Config  # noqa: PLC0415

    config = Config(
        region_name=region,
        signature_version="s3v4",
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
        # Custom endpoints (MinIO, moto, R2, ...) rarely resolve bucket subdomains.
        s3={"addressing_style": "path" if endpoint_url else "auto"},
        # Newer default checksums are not understood by every S3-compatible store.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    session = boto3.session.Session()
    return session.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)


def public_read_policy(bucket: str) -> dict[str, Any]:
    """The bucket policy that lets browsers and CDNs GET every object, and nothing more."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicReadProductMedia",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def storage_from_settings(settings: Settings) -> MediaStorage:
    """The storage the settings choose: the local folder, or S3 when ``media_backend`` is s3."""
    if settings.media_backend is MediaBackend.LOCAL:
        return LocalStorage(settings.media_root, settings.public_url)
    if not settings.s3_bucket:
        raise ValueError("MARKETPLACE_S3_BUCKET must be set when MARKETPLACE_MEDIA_BACKEND=s3")
    return S3Storage(
        settings.s3_bucket,
        settings.s3_endpoint_url,
        settings.s3_region,
        settings.s3_public_url,
        presigned_url_seconds=settings.s3_presigned_url_seconds,
    )


PRIVATE_CACHE_CONTROL = "private, no-store"


def private_storage_from_settings(settings: Settings) -> MediaStorage:
    """Where private files (proofs of transfer) live: a folder outside ``media_root`` (which
    /media serves to anyone), or a bucket of their own without a public policy (default:
    ``<s3_bucket>-private``). Links to them are short-lived."""
    if settings.media_backend is MediaBackend.LOCAL:
        return LocalStorage(settings.private_media_root, settings.public_url)
    if not settings.s3_bucket:
        raise ValueError("MARKETPLACE_S3_BUCKET must be set when MARKETPLACE_MEDIA_BACKEND=s3")
    # Never the media bucket itself: `marketplace media init` makes that one public.
    bucket = settings.s3_private_bucket or f"{settings.s3_bucket}-private"
    return S3Storage(
        bucket,
        settings.s3_endpoint_url,
        settings.s3_region,
        None,
        presigned_url_seconds=settings.payment_proof_link_seconds,
        cache_control=PRIVATE_CACHE_CONTROL,
        public_read=False,
    )


async def read_local(root: Path, key: str) -> bytes | None:
    """The bytes of a file under ``root``, or None when missing or the key escapes."""

    def read() -> bytes | None:
        try:
            return local_path(root, key).read_bytes()
        except (InvalidMediaKey, OSError):
            return None

    return await run_in_threadpool(read)
