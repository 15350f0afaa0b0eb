"""Answering with a statutory form, shared by the pages and the API."""
from flask import Response
from flask_login import current_user

from app.access import refuse
from app.documents.services import print_form
from app.orm import utcnow
from app.reports.http import download


def form_download(reference: str, key: str, inline: bool) -> Response:
    """The form as a PDF, printed (and recorded) for the signed-in person; 404 outside their scope, for a form that
    does not exist, or for one the case has not reached."""
    printed = print_form(current_user._get_current_object(), reference, key, utcnow())
    if printed is None:
        refuse(404, entity="cases", entity_id=reference)
    case, document = printed
    return download(document, "application/pdf", f"{case.reference}-{key}.pdf", inline=inline)
