"""The audit extract for inspectors: the filtered entries, with the chain's head and its check at printing."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.platypus import Spacer

from app.audit import services as audit
from app.audit.models import AuditEntry, AuditHead
from app.audit.narrative import FILTERS, narrate
from app.audit.recorder import ACTIONS, record
from app.audit.services import AuditFilter
from app.extensions import db
from app.i18n import display_date, display_datetime, display_number
from app.reports import pdf

# A printed extract longer than this is unreadable; the CSV export has no limit.
MAX_ENTRIES = 5000
CHANGES_SHOWN = 400


def _filters_text(filters: AuditFilter) -> str:
    shown = []
    for key, label in FILTERS.items():
        value = getattr(filters, key)
        if not value:
            continue
        if key == "action":
            value = ACTIONS.get(value, value)
        elif isinstance(value, datetime):
            value = display_datetime(value)
        elif isinstance(value, date):
            value = display_date(value)
        shown.append(f"{label}: {value}")
    return "; ".join(shown) or _("none")


def _shortened(details: str) -> str:
    return details if len(details) <= CHANGES_SHOWN else details[:CHANGES_SHOWN - 1] + "…"


def _integrity(check: audit.ChainCheck) -> list[tuple[str, str]]:
    """What the extract states about the chain, and on which basis; with an earlier verification as the
    basis, also what that does not prove."""
    verdict = check.verdict
    if check.basis is None:
        if verdict.ok:
            return [(_("Integrity of the chain"), ngettext(
                "fully verified now, %(count)s entry: whole.", "fully verified now, %(count)s entries: whole.",
                verdict.entries, count=display_number(verdict.entries)))]
        return [(_("Integrity of the chain"), _("fully verified now: broken at entry %(number)s. Report this to "
                                               "the provincial inspectorate.",
                                               number=display_number(verdict.first_broken)))]
    basis = narrate([check.basis])[0]
    verified = {"time": basis.time, "person": basis.person, "number": display_number(check.basis_head)}
    if verdict.ok:
        statement = ngettext(
            "fully verified on %(time)s by %(person)s (up to entry %(number)s), and the %(count)s entry after it "
            "checked now: whole.",
            "fully verified on %(time)s by %(person)s (up to entry %(number)s), and the %(count)s entries after "
            "it checked now: whole.", verdict.entries, count=display_number(verdict.entries), **verified)
    else:
        statement = _("fully verified on %(time)s by %(person)s (up to entry %(number)s), then checked on from "
                      "there now: broken at entry %(broken)s. Report this to the provincial inspectorate.",
                      broken=display_number(verdict.first_broken), **verified)
    return [(_("Integrity of the chain"), statement),
            (_("What this check does not prove"),
             _("The entries up to %(number)s were not read again for this extract: a change made to them since "
               "%(time)s is found by the next full verification (“Check integrity now” on the audit trail page).",
               **verified))]


def print_extract(viewer, filters: AuditFilter, now: datetime) -> bytes:
    """Check the chain from its last full verification on, print the entries, and record the export with the
    verdict and its basis."""
    check = audit.verify_since_last_verification()
    # The head the check reached: a full verification made now is recorded after it, unchecked.
    if check.verdict.ok:
        head_id, head_hash = check.verdict.head_id, check.verdict.head_hash
    else:
        head_id, head_hash = db.session.execute(sa.select(AuditHead.last_id, AuditHead.last_hash)).one()
    entries = list(db.session.scalars(audit.filtered(viewer, filters).order_by(AuditEntry.id.desc())
                                      .limit(MAX_ENTRIES + 1)))
    shown = entries[:MAX_ENTRIES]
    wide = True
    width = pdf.frame_width(wide)
    flowables = [
        pdf.para(_("Audit extract"), "title"),
        *pdf.facts([(_("Filters"), _filters_text(filters)),
                   (_("Entries"), _("%(count)d, newest first", count=len(shown)) +
                    (" · " + _("only the newest %(limit)d are printed; export CSV for all.", limit=MAX_ENTRIES)
                     if len(entries) > MAX_ENTRIES else "")),
                   (_("Head of the chain"), _("entry %(number)s, hash %(hash)s", number=head_id, hash=head_hash)),
                   *_integrity(check)], width),
        Spacer(0, 6)]
    rows = [[told.time, told.sentence, _shortened(told.changes_text()), str(told.id), entry.hash[:16]]
            for entry, told in zip(shown, narrate(shown), strict=True)]
    headings = [_("Time"), _("What was done"), _("Details"), _("Entry number"), _("Hash")]
    flowables.append(pdf.grid(headings, rows, [width * share for share in (0.1, 0.37, 0.32, 0.07, 0.14)]))
    record(db.session, "audit_export", changes={**filters.as_changes(), "format": "pdf", "entries": len(shown),
                                                "chain_ok": check.verdict.ok, "head_id": head_id,
                                                "verified_from": check.basis_head})
    db.session.commit()
    letterhead = pdf.Letterhead(
        unit=viewer.unit.name, title=_("Audit extract"), reference=None, confidential=_("CONFIDENTIAL"),
        printed=_("Printed by %(name)s (%(username)s) on %(time)s", name=viewer.full_name, username=viewer.username,
                  time=display_datetime(now)),
        page_label=lambda page, pages: _("Page %(page)d of %(pages)d", page=page, pages=pages))
    return pdf.render(flowables, letterhead, wide=wide)
