"""Report pages: each reads its parameters, calls one service and answers with the document."""
from flask import Blueprint
from flask_login import current_user

from app.access import refuse, requires
from app.orm import utcnow
from app.reports import case_file
from app.reports.http import download

bp = Blueprint("reports", __name__, template_folder="templates")


@bp.route("/cases/<reference>/file.pdf")
@requires("cases.read")
def case_file_pdf(reference):
    printed = case_file.print_case_file(current_user._get_current_object(), reference, utcnow())
    if printed is None:
        refuse(404, entity="cases", entity_id=reference)
    case, document = printed
    return download(document, "application/pdf", f"{case.reference}.pdf", inline=True)
