from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import requires
from app.audit import services
from app.audit.forms import AuditFilterForm
from app.audit.models import MAX_ENTRY_ID
from app.audit.narrative import as_changes, narrate
from app.audit.services import AuditFilter

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")


def filters_from_request() -> tuple[AuditFilterForm, AuditFilter | None]:
    form = AuditFilterForm(request.args)
    if request.args and not form.validate():
        return form, None
    return form, AuditFilter(**{name: form[name].data or None for name in
                                ("since", "until", "actor", "unit", "case", "action")})


@bp.route("/")
@requires("audit.read")
def index():
    form, filters = filters_from_request()
    entries, older = [], None
    if filters is not None:
        before = request.args.get("before", type=int)
        before = before if before and before <= MAX_ENTRY_ID else None
        page, older = services.page(current_user, filters, before=before)
        entries = narrate(page)  # before the reading is recorded, whose commit would expire the page's entries
        services.record_reading("audit_view", filters)
    last_check = services.last_verification()
    return render_template("audit/index.html", form=form, entries=entries, older=older,
                           last_check=narrate([last_check])[0] if last_check else None,
                           last_check_result=as_changes(last_check.changes) if last_check else None,
                           filter_args=_filter_args())


def _filter_args() -> dict:
    return {key: value for key, value in request.args.items() if key != "before" and value}


@bp.route("/<int(max=9223372036854775807):entry_id>")
@requires("audit.read")
def detail(entry_id):
    entry = services.open_entry(current_user, entry_id)
    return render_template("audit/detail.html", entry=entry, told=narrate([entry])[0],
                           raw=services.as_dict(entry))


@bp.route("/export.csv")
@requires("audit.read")
def export():
    form, filters = filters_from_request()
    if filters is None:
        flash(_("Correct the filters before exporting."), "error")
        return redirect(url_for("audit.index", **_filter_args()))
    # Built now, while the reader's account is loaded: the rows stream after the request's session has ended.
    query, headings = services.filtered(current_user, filters), services.csv_headings()
    services.record_reading("audit_export", filters)
    response = Response(stream_with_context(services.csv_rows(query, headings)), mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=audit-extract.csv"
    return response


@bp.route("/verify", methods=["POST"])
@requires("audit.read")
def verify():
    """Check the whole chain, then go back to the trail as the inspector had filtered it."""
    verdict = services.verify_chain()
    services.record_verification(verdict)
    if verdict.ok:
        flash(_("The audit chain is whole: %(count)d entries checked.", count=verdict.entries), "success")
    else:
        flash(_("The audit chain is broken at entry %(id)s. Report this to the provincial inspectorate.",
                id=verdict.first_broken), "error")
    return redirect(url_for("audit.index", **_filter_args()))
