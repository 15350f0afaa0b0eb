"""The statutory forms from the case page."""
from flask import Blueprint

from app.access import requires
from app.documents.http import form_download

bp = Blueprint("documents", __name__)


@bp.route("/cases/<reference>/documents/<form>.pdf")
@requires("cases.read")
def form_pdf(reference, form):
    return form_download(reference, form, inline=True)
