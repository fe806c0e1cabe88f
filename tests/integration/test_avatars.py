"""Customer avatars (seed 000): PNG, JPEG or WebP up to 2 MiB, the type told from the bytes, a
128x128 thumbnail, cache headers, and every way an upload can be wrong."""

import io
import os
import struct
import zlib

import pytest
from PIL import Image

from conftest import assert_json, assert_problem, unique_suffix


def image_bytes(fmt, size=(300, 200), color=(200, 30, 60), noise=False):
    img = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size, color)
    out = io.BytesIO()
    img.save(out, format=fmt)
    return out.getvalue()


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    return struct.unpack(">II", data[16:24])


def new_customer(server):
    return assert_json(server.post("/api/customers", json={"name": f"Face {unique_suffix()}"}), 201)


def upload(server, customer_id, data, content_type):
    return server.put(f"/api/customers/{customer_id}/avatar", data=data, headers={"Content-Type": content_type})


@pytest.mark.parametrize("fmt, mime", [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")])
def test_upload_serve_and_thumbnail(server, fmt, mime):
    c = new_customer(server)
    data = image_bytes(fmt)
    body = assert_json(upload(server, c["id"], data, mime), 200)
    assert body["message"] == "Avatar updated successfully."
    avatar = body["avatar"]
    assert (avatar["content_type"], avatar["width"], avatar["height"]) == (mime, 300, 200)
    record = assert_json(server.get(f"/api/customers/{c['id']}"), 200)
    assert record["avatar"] == {"url": avatar["url"], "thumbnail_url": avatar["thumbnail_url"]}
    assert record["version"] == c["version"] + 1
    # The image as sent, cacheable for good at its versioned address...
    got = server.get(avatar["url"])
    assert got.status_code == 200 and got.content == data and got.headers["Content-Type"] == mime
    assert got.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    # ...revalidated without the version.
    plain = server.get(f"/api/customers/{c['id']}/avatar")
    assert plain.content == data and plain.headers["Cache-Control"] == "private, no-cache"
    thumb = server.get(avatar["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["Content-Type"] == "image/png"
    assert png_size(thumb.content) == (128, 128)
    # The thumbnail is the centre of the image: the colour survives.
    pixel = Image.open(io.BytesIO(thumb.content)).convert("RGB").getpixel((64, 64))
    assert all(abs(a - b) < 12 for a, b in zip(pixel, (200, 30, 60))), pixel


def test_the_type_comes_from_the_bytes(server):
    c = new_customer(server)
    jpeg = image_bytes("JPEG")
    avatar = assert_json(upload(server, c["id"], jpeg, "image/png"), 200)["avatar"]
    assert avatar["content_type"] == "image/jpeg"
    assert server.get(avatar["url"]).headers["Content-Type"] == "image/jpeg"


def test_bad_uploads(server):
    c = new_customer(server)
    url = f"/api/customers/{c['id']}/avatar"
    # Not an image, whatever the header says.
    assert_problem(upload(server, c["id"], b"<?php system($_GET['x']); ?>", "image/png"), 422,
                   "validation-failed", field="avatar")
    assert_problem(upload(server, c["id"], b"GIF89a" + b"\0" * 100, "image/gif"), 422, "validation-failed",
                   field="avatar")
    # A PNG whose header is fine but whose data is not.
    broken = image_bytes("PNG")[:60] + b"\0" * 200
    assert_problem(upload(server, c["id"], broken, "image/png"), 422, "validation-failed", field="avatar")
    # A small file declaring 50,000 x 50,000 pixels is refused before decoding.
    ihdr = struct.pack(">IIBBBBB", 50000, 50000, 8, 2, 0, 0, 0)
    bomb = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
            + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)))
    resp = upload(server, c["id"], bomb, "image/png")
    assert_problem(resp, 422, "validation-failed", field="avatar")
    assert "megapixels" in resp.json()["detail"]
    # Not sent as an image at all.
    assert_problem(server.put(url, json={"avatar": "base64..."}), 415, "unsupported-media-type")
    # Nothing was stored by any of it.
    assert assert_json(server.get(f"/api/customers/{c['id']}"), 200)["avatar"] is None
    assert_problem(server.get(url), 404, "not-found")
    assert_problem(upload(server, 999999, image_bytes("PNG"), "image/png"), 404, "not-found")


def png_declaring(width, height, data=b""):
    """A PNG whose header declares width x height (followed by `data`, if any)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
            + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)) + data)


def test_decoded_pixels_are_capped_at_16_megapixels(server):
    """A small file of many pixels (36 megapixels in 105 KB) would take 144 MB to decode: the header
    says how many there are, and more than 16 megapixels is refused before decoding."""
    c = new_customer(server)
    img = Image.new("1", (6000, 6000))  # one bit a pixel: compresses to almost nothing
    out = io.BytesIO()
    img.save(out, format="PNG")
    assert len(out.getvalue()) < (1 << 20)
    resp = upload(server, c["id"], out.getvalue(), "image/png")
    problem = assert_problem(resp, 422, "validation-failed", field="avatar")
    assert problem["detail"] == "The image is 6000x6000 pixels; at most 16 megapixels."
    for width, height in [(4001, 4000), (16001, 1000)]:
        assert_problem(upload(server, c["id"], png_declaring(width, height), "image/png"), 422,
                       "validation-failed", field="avatar")
    assert assert_json(server.get(f"/api/customers/{c['id']}"), 200)["avatar"] is None
    # At the cap, an image is taken (and decoded).
    img = Image.new("1", (4000, 4000))
    out = io.BytesIO()
    img.save(out, format="PNG")
    avatar = assert_json(upload(server, c["id"], out.getvalue(), "image/png"), 200)["avatar"]
    assert (avatar["width"], avatar["height"]) == (4000, 4000)


def test_size_limits(server):
    c = new_customer(server)
    # Over the server's 1 MiB default but under the avatar's 2 MiB: accepted on this route only.
    big = image_bytes("PNG", size=(700, 700), noise=True)
    assert (1 << 20) < len(big) < (2 << 20)
    assert_json(upload(server, c["id"], big, "image/png"), 200)
    assert server.get(f"/api/customers/{c['id']}/avatar").content == big
    assert_problem(server.post("/api/customers", data=b'{"name": "' + b"x" * len(big) + b'"}',
                               headers={"Content-Type": "application/json"}), 413, "payload-too-large")
    # Over 2 MiB: 413, the previous avatar stays.
    huge = big + b"\0" * (2 << 20)
    assert_problem(upload(server, c["id"], huge, "image/png"), 413, "payload-too-large")
    assert server.get(f"/api/customers/{c['id']}/avatar").content == big


def test_remove(server):
    c = new_customer(server)
    assert_json(upload(server, c["id"], image_bytes("PNG"), "image/png"), 200)
    assert assert_json(server.delete(f"/api/customers/{c['id']}/avatar"), 200) == \
        {"message": "Avatar removed successfully."}
    assert assert_json(server.get(f"/api/customers/{c['id']}"), 200)["avatar"] is None
    assert_problem(server.get(f"/api/customers/{c['id']}/avatar/thumbnail"), 404, "not-found")
    assert_problem(server.delete(f"/api/customers/{c['id']}/avatar"), 404, "not-found")
