from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest

from marketplace.config import MediaBackend
from marketplace.media.storage import (
    InvalidMediaKey,
    LocalStorage,
    S3Storage,
    StorageError,
    new_image_keys,
    storage_from_settings,
)
from tests.conftest import make_settings

KEY = "products/7d1f/0a1b2c.webp"

ESCAPING_KEYS = [
    "../outside.webp",
    "products/../../outside.webp",
    "/etc/passwd",
    "products//double.webp",
    "products/./here.webp",
    "products/.hidden.webp",
    "products\\windows.webp",
    "products/nul\x00.webp",
    "",
]


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "media", "https://pasar.example/")


async def test_put_stores_the_bytes_under_the_key(storage: LocalStorage) -> None:
    await storage.put(KEY, b"webp bytes", "image/webp")

    assert (storage.root / KEY).read_bytes() == b"webp bytes"
    assert await storage.exists(KEY) is True


async def test_put_replaces_an_existing_file_and_leaves_no_temporary_file(
    storage: LocalStorage,
) -> None:
    await storage.put(KEY, b"first", "image/webp")

    await storage.put(KEY, b"second", "image/webp")

    folder = (storage.root / KEY).parent
    assert (storage.root / KEY).read_bytes() == b"second"
    assert sorted(path.name for path in folder.iterdir()) == ["0a1b2c.webp"]
    assert (storage.root / KEY).stat().st_mode & 0o777 == 0o644


async def test_failed_write_leaves_no_file_and_raises_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "media"
    blocker.write_bytes(b"a file where the folder should be")
    storage = LocalStorage(blocker, "http://testserver")

    with pytest.raises(StorageError):
        await storage.put(KEY, b"data", "image/webp")

    assert blocker.read_bytes() == b"a file where the folder should be"


async def test_delete_removes_the_file(storage: LocalStorage) -> None:
    await storage.put(KEY, b"data", "image/webp")

    await storage.delete(KEY)

    assert await storage.exists(KEY) is False
    assert not (storage.root / KEY).exists()


async def test_deleting_a_missing_key_is_fine(storage: LocalStorage) -> None:
    await storage.delete("products/none/missing.webp")

    assert await storage.exists("products/none/missing.webp") is False


def test_public_url_is_under_the_app_media_route(storage: LocalStorage) -> None:
    assert storage.public_url(KEY) == "https://pasar.example/media/products/7d1f/0a1b2c.webp"


async def test_presigned_url_of_a_local_file_is_its_public_url(storage: LocalStorage) -> None:
    assert await storage.presigned_url(KEY, expires_in=60) == storage.public_url(KEY)


@pytest.mark.parametrize("key", ESCAPING_KEYS)
async def test_keys_that_could_escape_the_root_are_refused(storage: LocalStorage, key: str) -> None:
    with pytest.raises(InvalidMediaKey):
        await storage.put(key, b"data", "image/webp")
    with pytest.raises(InvalidMediaKey):
        await storage.exists(key)
    with pytest.raises(InvalidMediaKey):
        await storage.delete(key)
    with pytest.raises(InvalidMediaKey):
        storage.public_url(key)

    assert not (storage.root.parent / "outside.webp").exists()


async def test_symbolic_link_out_of_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "media"
    root.mkdir()
    os.symlink(outside, root / "products")
    storage = LocalStorage(root, "http://testserver")

    with pytest.raises(InvalidMediaKey):
        await storage.put("products/escape.webp", b"data", "image/webp")

    assert list(outside.iterdir()) == []


def test_new_image_keys_are_random_and_paired() -> None:
    product_id = uuid.UUID("0b9e3c4a-4a58-4d55-9a3a-2f1f6c1d7e10")

    image_key, thumbnail_key = new_image_keys(product_id)
    again, _ = new_image_keys(product_id)

    pattern = rf"products/{product_id}/([0-9a-f]{{32}})\.webp"
    match = re.fullmatch(pattern, image_key)
    assert match is not None
    assert thumbnail_key == f"products/{product_id}/{match.group(1)}_thumb.webp"
    assert again != image_key


def test_new_image_keys_refuse_a_product_id_that_escapes() -> None:
    with pytest.raises(InvalidMediaKey):
        new_image_keys("../other")


def test_settings_choose_local_storage_by_default(tmp_path: Path) -> None:
    settings = make_settings("sqlite://", media_root=tmp_path, public_url="https://pasar.example")

    storage = storage_from_settings(settings)

    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path
    assert storage.public_url("a/b.webp") == "https://pasar.example/media/a/b.webp"


def test_settings_choose_s3_with_its_bucket_and_urls() -> None:
    settings = make_settings(
        "sqlite://",
        media_backend=MediaBackend.S3,
        s3_bucket="gambar",
        s3_endpoint_url="http://127.0.0.1:9000",
        s3_public_url="https://cdn.pasar.example",
        s3_presigned_url_seconds=120,
    )

    storage = storage_from_settings(settings)

    assert isinstance(storage, S3Storage)
    assert storage.presigned_url_seconds == 120
    assert storage.public_url("a/b.webp") == "https://cdn.pasar.example/gambar/a/b.webp"


def test_settings_for_s3_without_a_bucket_are_refused() -> None:
    settings = make_settings("sqlite://", media_backend=MediaBackend.S3)

    with pytest.raises(ValueError, match="MARKETPLACE_S3_BUCKET"):
        storage_from_settings(settings)
