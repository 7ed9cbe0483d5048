"""A small multipart/form-data parser for storage uploads (one file part plus text fields).

The stdlib `cgi` module is gone in 3.13 and `email` mangles binary parts, so this splits on the
boundary itself and reads each part's headers with the email header parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesHeaderParser


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


@dataclass
class FilePart:
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    file: FilePart | None = None


def boundary_of(content_type: str) -> str | None:
    message = Message()
    message["Content-Type"] = content_type
    if message.get_content_type() != "multipart/form-data":
        return None
    boundary = message.get_param("boundary")
    return str(boundary) if boundary else None


def parse_form(body: bytes, boundary: str) -> Form:
    """Fields by name; the first part carrying a filename (or named `file`) is the file."""
    delimiter = b"--" + boundary.encode()
    sections = body.split(delimiter)
    if len(sections) < 3:
        raise MultipartError("no multipart sections found")
    form = Form()
    for section in sections[1:]:
        if section.startswith(b"--"):
            break  # closing delimiter
        head, separator, payload = section.partition(b"\r\n\r\n")
        if not separator:
            raise MultipartError("a part has no header/body separator")
        if payload.endswith(b"\r\n"):
            payload = payload[:-2]
        headers = BytesHeaderParser().parsebytes(head.lstrip(b"\r\n") + b"\r\n\r\n")
        name = headers.get_param("name", header="content-disposition")
        filename = headers.get_param("filename", header="content-disposition")
        if filename is not None or name == "file":
            if form.file is None:
                form.file = FilePart(str(filename or ""), headers.get("Content-Type"), payload)
        elif name:
            form.fields[str(name)] = payload.decode("utf-8", errors="replace")
    return form
