"""Documents over the API (../shared/API.md, Documents): the same services and scope as the pages."""
from flask_login import current_user

from app.access import refuse, requires
from app.api import bp
from app.orm import utcnow
from app.reports import case_file
from app.reports.http import download


@bp.get("/cases/<reference>/file.pdf")
@requires("cases.read")
def case_file_pdf(reference):
    printed = case_file.print_case_file(current_user._get_current_object(), reference, utcnow())
    if printed is None:
        refuse(404, entity="cases", entity_id=reference)
    case, document = printed
    return download(document, "application/pdf", f"{case.reference}.pdf")
