"""The audit extract for inspectors: the filtered entries, with the chain's head and its verification at printing."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from reportlab.platypus import Spacer

from app.access import role_label
from app.audit import services as audit
from app.audit.models import AuditEntry, AuditHead
from app.audit.recorder import ACTIONS, record
from app.audit.services import AuditFilter
from app.extensions import db
from app.i18n import display_datetime
from app.reports import pdf

# A printed extract longer than this is unreadable; the CSV export has no limit.
MAX_ENTRIES = 5000
CHANGES_SHOWN = 400


def _filters_text(filters: AuditFilter) -> str:
    labels = {"since": _("From"), "until": _("To"), "actor": _("Person (username)"), "unit": _("Unit code"),
              "case": _("Case reference"), "action": _("Action")}
    shown = [f"{labels[key]}: {ACTIONS.get(value, value) if key == 'action' else value}"
             for key, value in filters.as_changes().items()]
    return "; ".join(shown) or _("none")


def print_extract(viewer, filters: AuditFilter, now: datetime) -> bytes:
    """Verify the chain, print the entries, and record the export with the verdict."""
    verdict = audit.verify_chain()
    head_id, head_hash = db.session.execute(sa.select(AuditHead.last_id, AuditHead.last_hash)).one()
    entries = list(db.session.scalars(audit.filtered(viewer, filters).order_by(AuditEntry.id.desc())
                                      .limit(MAX_ENTRIES + 1)))
    shown = entries[:MAX_ENTRIES]
    wide = True
    width = pdf.frame_width(wide)
    if verdict.ok:
        result = _("The chain was whole: %(count)d entries checked.", count=verdict.entries)
    else:
        result = _("The chain was broken at entry %(id)s.", id=verdict.first_broken)
    flowables = [
        pdf.para(_("Audit extract"), "title"),
        *pdf.facts([(_("Filters"), _filters_text(filters)),
                   (_("Entries"), _("%(count)d, newest first", count=len(shown)) +
                    (" · " + _("only the newest %(limit)d are printed; export CSV for all.", limit=MAX_ENTRIES)
                     if len(entries) > MAX_ENTRIES else "")),
                   (_("Head of the chain"), f"#{head_id} · {head_hash}"),
                   (_("Verification at printing"), result)], width),
        Spacer(0, 6)]
    rows = [[str(entry.id), display_datetime(entry.at),
             f"{entry.actor or _('anonymous')}" + (f" · {role_label(entry.actor_role)}" if entry.actor_role else ""),
             str(ACTIONS.get(entry.action, entry.action)),
             " ".join(part for part in (entry.entity, entry.entity_id) if part), entry.case_ref or "",
             (entry.changes or "")[:CHANGES_SHOWN], entry.hash[:16]] for entry in shown]
    flowables.append(pdf.grid(["#", _("Time"), _("Person"), _("Action"), _("Record"), _("Case"), _("Changes"),
                               _("Hash")], rows,
                              [width * share for share in (0.05, 0.1, 0.14, 0.12, 0.1, 0.1, 0.29, 0.1)]))
    record(db.session, "audit_export", changes={**filters.as_changes(), "format": "pdf", "entries": len(shown),
                                                "chain_ok": verdict.ok, "head_id": head_id})
    db.session.commit()
    letterhead = pdf.Letterhead(
        unit=viewer.unit.name, title=_("Audit extract"), reference=None, confidential=_("CONFIDENTIAL"),
        printed=_("Printed by %(name)s (%(username)s) on %(time)s", name=viewer.full_name, username=viewer.username,
                  time=display_datetime(now)),
        page_label=lambda page, pages: _("Page %(page)d of %(pages)d", page=page, pages=pages))
    return pdf.render(flowables, letterhead, wide=wide)
