"""A multipart body written by hand, so a file's name reaches the server exactly as given: Django's test client keeps
only the last part of a name ("../../x.pdf" is sent as "x.pdf")."""


def post_raw_multipart(client, url, fields: dict, file_field: str, filename: bytes, data: bytes, content_type: str):
    """POST ``fields`` (text) and one file named ``filename`` in ``file_field`` to ``url``."""
    boundary = b"----portal-test-boundary"
    parts = []
    for name, value in fields.items():
        parts += [b"--" + boundary, b'Content-Disposition: form-data; name="%s"' % name.encode(), b"", value.encode()]
    parts += [
        b"--" + boundary,
        b'Content-Disposition: form-data; name="%s"; filename="%s"' % (file_field.encode(), filename),
        b"Content-Type: " + content_type.encode(),
        b"",
        data,
        b"--" + boundary + b"--",
        b"",
    ]
    return client.post(url, data=b"\r\n".join(parts), content_type=f"multipart/form-data; boundary={boundary.decode()}")
