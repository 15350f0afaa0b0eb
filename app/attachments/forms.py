"""The upload form on the case page and the withdrawal form beside each file."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.attachments.models import KINDS, SIGNED_FORMS
from app.children.forms import choices
from app.dates import DayField
from app.forms import Form

# Images (a phone offers its camera or its gallery for these) and PDF scans; the server reads the type from the
# content, so this only narrows what the phone offers.
ACCEPTED = "image/*,application/pdf,.heic,.heif,.pdf"


class AttachmentForm(Form):
    """Prefixed: the case page's other forms have a description too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="attachment", **kwargs)

    # Its hint names the size limit in force, set by the view.
    file = FileField(_l("Photo or file"), validators=[FileRequired(message=_l("Choose a photo or a file."))],
                     render_kw={"accept": ACCEPTED})
    kind = SelectField(_l("What it is"), choices=choices(KINDS, _l("Choose…")),
                       validators=[InputRequired(message=_l("Say what the file is."))])
    signed_form = SelectField(_l("Which form (for a signed form)"),
                              choices=choices(SIGNED_FORMS, _l("Not a signed form")), validators=[Optional()])
    # Choices: the case's numbered decisions, set by the view.
    decision = SelectField(_l("Which decision (Mẫu 05, Mẫu 07)"), choices=[], validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[InputRequired(), Length(max=1000)],
                                description=_l("What the file shows, in a few words, e.g. “Bruise on the left arm”."))
    made_on = DayField(_l("Date the photo or document was made"),
                       validators=[InputRequired(message=_l("Give the date it was made."))])


class WithdrawForm(Form):
    """One beside each file: prefixed with the file's number, so that their fields' ids differ."""

    def __init__(self, number: int, *args, **kwargs):
        super().__init__(*args, prefix=f"withdraw-{number}", **kwargs)

    reason = TextAreaField(_l("Why withdraw it"), validators=[InputRequired(), Length(max=2000)])
