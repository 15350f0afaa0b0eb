"""The base of every form: WTForms' own messages in the reader's language, the errors of a form as a list that
the error summary at the top of a page links from, and the options of the unit and person pickers."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, SelectChoice
from wtforms.widgets import ListWidget


class _BabelTranslations:
    """WTForms ships no Vietnamese: its messages are in our catalog (WTFORMS_MESSAGES) and read through
    Flask-Babel, in the language of the request."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


_TRANSLATIONS = _BabelTranslations()


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _TRANSLATIONS


# WTForms' own messages (wtforms/validators.py, fields/, csrf/), listed so that `make messages` puts them in our
# catalog; tests/main/test_translations.py checks the list against the installed WTForms.
WTFORMS_MESSAGES = (
    _l("Invalid field name '%s'."),
    _l("Field must be equal to %(other_name)s."),
    _ln("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1),
    _ln("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1),
    _ln("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid IP address."),
    _l("Invalid Mac address."),
    _l("Invalid URL."),
    _l("Invalid UUID."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Invalid CSRF Token."),
    _l("CSRF token missing."),
    _l("CSRF failed."),
    _l("CSRF token expired."),
    _l("Invalid Choice: could not coerce."),
    _l("Choices cannot be None."),
    _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _ln("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
)


@dataclass(frozen=True)
class FieldError:
    """One message of the error summary: the field's label, the message, and the id of the input it links to."""

    target: str
    label: str
    message: str


def error_list(form) -> list[FieldError]:
    """Every error of `form`, nested forms and lists included, in the order of the page: that of its fields, or of
    `field_order` where a form built from several classes declares it."""
    order = getattr(form, "field_order", ())
    fields = sorted(form, key=lambda field: order.index(field.name) if field.name in order else len(order))
    errors = []
    for field in fields:
        errors.extend(_field_errors(field))
    return errors


def _field_errors(field: Field) -> list[FieldError]:
    if isinstance(field, FormField):
        return error_list(field.form)
    if isinstance(field, FieldList):
        nested = [error for entry in field.entries for error in _field_errors(entry)]
        own = [message for message in field.errors if isinstance(message, str)]
        return [FieldError(_first_input(field.entries[0]) if field.entries else field.id, str(field.label.text),
                           message) for message in own] + nested
    return [FieldError(_first_input(field), str(field.label.text), str(message)) for message in field.errors]


def _first_input(field: Field) -> str:
    """The id a link should move to: a list of radios or checkboxes has none of its own, its first option has."""
    if isinstance(field, FormField):
        return _first_input(next(iter(field.form)))
    if isinstance(field.widget, ListWidget):
        return f"{field.id}-0"
    return field.id


# A select with these attributes gets a search box from static/js/select-filter.js; without scripts it stays a
# plain select, grouped by district.
SEARCHABLE = {"data-filter": _l("Find by name (with or without accents)"),
              "data-filter-found": _l("%(count)s shown")}


def unit_choices(units, blank=None) -> list[SelectChoice]:
    """Options for units (in path order) grouped by district, which static/js/select-filter.js makes searchable:
    a district heads its own group, a commune goes in its district's, a province (or, since 2025, a commune right
    under it) in the province's."""

    def group(unit) -> str:
        return (unit.parent if unit.level == "commune" and unit.parent is not None else unit).name

    return ([SelectChoice("", blank)] if blank else []) + [SelectChoice(unit.code, unit.label, optgroup=group(unit))
                                                           for unit in units]


def person_choices(people, blank) -> list[SelectChoice]:
    """Options for people: their full name and username, valued by username."""
    return [SelectChoice("", blank)] + [SelectChoice(person.username, f"{person.full_name} ({person.username})")
                                        for person in people]


def init_app(app) -> None:
    app.jinja_env.globals["error_list"] = error_list
