"""Answering with an attachment's bytes, for the pages and the API: never from a static path, never kept by a
cache, never sniffed into another type; downloaded, but for a thumbnail shown on the case page."""
from flask import Response

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def file_response(attachment, data: bytes, thumbnail: bool = False) -> Response:
    """The bytes under a name made of the case's reference and the file's number: the name a person gave a file
    may hold a child's name, and it would stay in the computer's list of downloads."""
    media_type = "image/jpeg" if thumbnail else attachment.media_type
    response = Response(data, mimetype=media_type)
    name = f"{attachment.case.reference}-{attachment.id}{'-thumbnail' if thumbnail else ''}.{EXTENSIONS[media_type]}"
    response.headers["Content-Disposition"] = f'{"inline" if thumbnail else "attachment"}; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
