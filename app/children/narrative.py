"""How the trail tells children's records and their carers (app/audit/narrative.py)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from app.audit.narrative import Reading, describe_action, describe_reference, describe_table
from app.audit.narrative import translate as _
from app.children.models import SEXES, SPECIAL_CIRCUMSTANCES, Carer, Child


def _children(session, ids) -> dict[int, str]:
    return dict(session.execute(sa.select(Child.id, _name()).where(Child.id.in_(ids))).all())


def _children_of_carers(session, ids) -> dict[int, str]:
    rows = session.execute(sa.select(Carer.id, _name()).join(Child, Child.id == Carer.child_id)
                           .where(Carer.id.in_(ids)))
    return dict(rows.all())


def _name():
    """The child's name, or while it is not known the description (Mẫu 01)."""
    return sa.func.coalesce(sa.func.nullif(Child.full_name, ""), Child.description)


def _child(reading: Reading) -> str:
    name = reading.subject or reading.value("full_name") or reading.value("description")
    return name or _("no. %(id)s", id=reading.entry.entity_id)


def _child_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s recorded the child %(child)s.", actor=reading.actor, child=_child(reading))
    return None


def _carer_child(reading: Reading) -> str:
    name = reading.subject or reading.ref("child", reading.value("child_id"))
    return name or _("no. %(id)s", id=reading.value("child_id"))


def _carer_sentence(reading: Reading) -> str | None:
    if reading.action == "create":
        return _("%(actor)s added %(name)s (%(relationship)s) as a carer of the child %(child)s.",
                 actor=reading.actor, name=reading.after("name"),
                 relationship=reading.after("relationship_to_child"), child=_carer_child(reading))
    if reading.action == "delete":
        return _("%(actor)s removed %(name)s from the carers of the child %(child)s.", actor=reading.actor,
                 name=reading.before("name"), child=_carer_child(reading))
    return None


def _circumstances(reading: Reading, value) -> str:
    if not isinstance(value, list):
        return str(value)
    return "; ".join(str(SPECIAL_CIRCUMSTANCES.get(key, key)) for key in value) or "–"


describe_reference("child", _children)
describe_reference("carer_child", _children_of_carers)
describe_table(
    Child, sentence=_child_sentence, subject="child",
    record=lambda reading: _("the details of the child %(child)s", child=_child(reading)),
    fields={"full_name": _l("Full name"), "other_names": _l("Other names"), "sex": _l("Sex"),
            "date_of_birth": _l("Date of birth"), "birth_year": _l("Year of birth"),
            "id_number": _l("Personal ID"), "ethnicity": _l("Ethnicity"), "address_unit_id": _l("Commune of residence"),
            "address_detail": _l("Address (village, house)"), "school": _lp("child's school", "School"),
            "special_circumstances": _l("Special circumstances"),
            "description": _l("Who the child is (name not known)"), "age_estimated": _l("Age estimated"),
            "estimated_age_to": _l("Estimated age up to")},
    hidden=("id", "name_folded", "other_names_folded", "created_at", "version"),
    values={"sex": SEXES},
    references={"address_unit_id": "unit"},
    formats={"special_circumstances": _circumstances})
describe_table(
    Carer, sentence=_carer_sentence, subject="carer_child",
    record=lambda reading: _("a carer of the child %(child)s", child=_carer_child(reading)),
    fields={"name": _l("Name"), "relationship_to_child": _l("Relationship to the child"), "phone": _l("Phone"),
            "age": _l("Age"), "occupation": _l("Occupation")},
    hidden=("id", "child_id"),
    references={"child_id": "child"})
describe_action("child_viewed", lambda reading: _("%(actor)s viewed the page of the child %(child)s.",
                                                  actor=reading.actor, child=_child(reading)), subject="child")


MATCHED_ON = {"id_number": _l("the personal ID"), "name_and_birth_date": _l("the name and date of birth")}


def _matched_on(reading: Reading, value) -> str:
    values = value if isinstance(value, list) else [value]
    return "; ".join(reading.narrator.label_of(MATCHED_ON, item) for item in values)


def _duplicate_found_elsewhere(reading: Reading) -> str:
    """Two entries per check (app/children/services.py): one under the worker, naming no child, and one per match
    under the child's case, for the inspectors of each side."""
    told = _("The worker was told.") if reading.after("told") else \
        _("The worker was not told: the hourly limit of checks was reached.")
    if reading.entry.entity == "children":
        return _("%(actor)s checked a report at intake: %(matched)s matched the child %(child)s, who is outside their "
                 "reach. %(told)s", actor=reading.actor, child=_child(reading),
                 matched=_matched_on(reading, reading.after("matched_on")), told=told)
    return _("%(actor)s checked a report at intake: it matched %(count)s children outside their reach. %(told)s",
             actor=reading.actor, count=reading.after("matches"), told=told)


describe_action("duplicate_found_elsewhere", _duplicate_found_elsewhere, subject="child",
                fields={"matches": _l("Children matched"), "matched_on": _l("Matched on"), "told": _l("Told")},
                formats={"matched_on": _matched_on})
