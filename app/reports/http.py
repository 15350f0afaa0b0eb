"""Answering with a document, shared by the pages and the API."""
from flask import Response


def download(data: bytes | str, mimetype: str, filename: str, inline: bool = False) -> Response:
    """A document that no shared cache keeps: case files and extracts are confidential."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"{'inline' if inline else 'attachment'}; filename={filename}"
    response.headers["Cache-Control"] = "private, no-store"
    return response
