"""A multipart body written by hand, so a file's name reaches the server exactly as given: Django's test client keeps
only the last part of a name ("../../x.pdf" is sent as "x.pdf")."""

BOUNDARY = b"----portal-test-boundary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY.decode()}"


def multipart_body(fields: dict, files: list[tuple[str, bytes, bytes, str]]) -> bytes:
    """``fields`` (text) and ``files``, each (field, file name, bytes, content type), as a body of ``CONTENT_TYPE``."""
    parts = []
    for name, value in fields.items():
        parts += [b"--" + BOUNDARY, b'Content-Disposition: form-data; name="%s"' % name.encode(), b"", value.encode()]
    for field, filename, data, content_type in files:
        parts += [
            b"--" + BOUNDARY,
            b'Content-Disposition: form-data; name="%s"; filename="%s"' % (field.encode(), filename),
            b"Content-Type: " + content_type.encode(),
            b"",
            data,
        ]
    return b"\r\n".join([*parts, b"--" + BOUNDARY + b"--", b""])


def post_raw_multipart(client, url, fields: dict, file_field: str, filename: bytes, data: bytes, content_type: str):
    """POST ``fields`` (text) and one file named ``filename`` in ``file_field`` to ``url``."""
    body = multipart_body(fields, [(file_field, filename, data, content_type)])
    return client.post(url, data=body, content_type=CONTENT_TYPE)
