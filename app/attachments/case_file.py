"""The case file's list of attachments (app/reports/case_file.py, SECTIONS): each file in people's terms, and its
SHA-256 as the evidence's fingerprint, to compare with the file and with the audit trail."""
from __future__ import annotations

from flask_babel import gettext as _
from reportlab.platypus import KeepTogether

from app.access import can
from app.attachments import services
from app.attachments.page import decision_label, size_label
from app.i18n import display_date, display_datetime
from app.reports import pdf


def attachments_section(case, printing) -> list:
    viewer = printing.by
    if not can(viewer, "attachments.read"):
        return []
    files = services.attachments_of(viewer, case, include_withdrawn=True)  # for those who read the trail
    flowables = [pdf.para(_("Files and photos"), "heading")]
    if not files:
        return flowables + [pdf.para(_("No file attached yet."))]
    for item in reversed(files):  # in the order they were added, as the rest of the file reads
        about = " · ".join(part for part in (str(item.kind_label), item.form_label and str(item.form_label),
                                             item.decision and decision_label(item.decision)) if part)
        block = [pdf.para(f"“{item.description}”", "subheading"), pdf.para(about),
                 pdf.para(_("Made on %(day)s; added by %(name)s on %(when)s.", day=display_date(item.made_on),
                            name=item.added_by.full_name, when=display_datetime(item.added_at))
                          + " " + size_label(item.size)),
                 pdf.para(item.stored_sha256, bold_prefix=_("Fingerprint (SHA-256):"))]
        if item.is_withdrawn:
            block.append(pdf.para(_("Withdrawn by %(name)s on %(when)s: %(reason)s", name=item.withdrawn_by.full_name,
                                    when=display_datetime(item.withdrawn_at), reason=item.withdrawal_reason)))
        flowables.append(KeepTogether(block))
    return flowables
