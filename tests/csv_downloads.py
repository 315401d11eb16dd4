"""Reading a CSV download in a test as Excel would: UTF-8 after its byte order mark (cms.wagtail_export_compat)."""

import csv
import io


def csv_text(response) -> str:
    """The whole body of a CSV download, streamed or not, without its byte order mark."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8-sig")


def csv_rows(response) -> list[dict]:
    """The download's rows, each a dict by its heading."""
    return list(csv.DictReader(io.StringIO(csv_text(response))))


def csv_lines(response) -> list[list[str]]:
    """The download's lines, its heading first, each a list of cells."""
    return list(csv.reader(io.StringIO(csv_text(response))))
