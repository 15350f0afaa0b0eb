"""Children's details: checking them, and finding a child who may already be on record."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from limits import parse
from sqlalchemy.orm.exc import StaleDataError

from app.audit.recorder import ACTIONS, actor_for, record

from app.children.models import SEXES, SPECIAL_CIRCUMSTANCES, Carer, Child, NameStart, whole_years
from app.deadlines.services import local_zone
from app.extensions import db, limiter
from app.text import fold, word_starts
from app.units.models import Unit
from app.units.services import DATA_DIR, is_current_commune

ACTIONS["duplicate_found_elsewhere"] = _l("Duplicate check matched a child beyond reach")
ID_NUMBER = re.compile(r"[0-9]{12}")
PHONE = re.compile(r"\+?[0-9 .-]{6,20}")
# Digit 4 of the personal ID: century and sex (Circular 59/2021/TT-BCA).
CENTURY_SEX = {"0": (1900, "male"), "1": (1900, "female"), "2": (2000, "male"), "3": (2000, "female"),
               "4": (2100, "male"), "5": (2100, "female")}
# Law on Children 2016 art. 1: a child is a person under 16; a case is taken for one who is under 16 on the day of
# the report. Decree 56's procedure and clocks do not apply to a person of 16 or 17.
CHILD_AGE_LIMIT = 16
# Records of 16- and 17-year-olds taken before the rule above are kept, and may still be corrected within it.
FORMER_AGE_LIMIT = 18
CARER_OLDEST = 120

@dataclass
class ChildDetails:
    full_name: str = ""
    sex: str = ""
    date_of_birth: date | None = None
    birth_year: int | None = None
    other_names: str | None = None
    id_number: str | None = None
    ethnicity: str | None = None
    address_unit: Unit | None = None
    address_detail: str | None = None
    school: str | None = None
    special_circumstances: list[str] = field(default_factory=list)
    carers: list[dict] = field(default_factory=list)
    # What Mẫu 01 allows when the reporter does not know: who the child is instead of a name, an age instead of a
    # birth date or year.
    description: str | None = None
    estimated_age: int | None = None
    estimated_age_to: int | None = None  # with estimated_age, a range: "8 to 10 years"

    @property
    def year_of_birth(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else self.birth_year

    def with_birth_year_on(self, day: date) -> ChildDetails:
        """An estimated age as the year of birth it gives on `day`, the day of the report."""
        if self.estimated_age is None or self.year_of_birth is not None:
            return self
        return replace(self, birth_year=day.year - self.estimated_age)


@cache
def _province_codes() -> frozenset[str]:
    """Every province code of the official lists, whichever units this installation loaded: a child born
    anywhere in the country may be protected here."""
    codes = set()
    for name in ("vn_units_2024.csv", "vn_units_2025.csv"):
        with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as stream:
            codes.update(row["code"] for row in csv.DictReader(stream) if row["level"] == "province")
    return frozenset(codes)


def id_number_problems(id_number: str, sex: str, year_of_birth: int | None) -> list[str]:
    """The 12-digit personal ID: province of birth (digits 1-3), century and sex (4), year (5-6)."""
    if not ID_NUMBER.fullmatch(id_number):
        return [_("The personal ID has exactly 12 digits.")]
    problems = []
    if id_number[1:3] not in _province_codes() or id_number[0] != "0":
        problems.append(_("Digits 1-3 of the personal ID are not a province code."))
    century, id_sex = CENTURY_SEX.get(id_number[3], (None, None))
    if century is None:
        problems.append(_("Digit 4 of the personal ID must be 0 to 5."))
    elif sex in SEXES and sex != "unknown" and id_sex != sex:
        problems.append(_("Digit 4 of the personal ID does not match the child's sex."))
    elif year_of_birth is not None and century + int(id_number[4:6]) != year_of_birth:
        problems.append(_("Digits 4-6 of the personal ID do not match the year of birth."))
    return problems


def youngest_age(details: ChildDetails | Child, day: date) -> int | None:
    """The child's age in whole years on `day`; with only a year of birth, the youngest they can be; with only an
    estimated age, that age."""
    if details.date_of_birth is None and getattr(details, "birth_year", None) is None:
        return getattr(details, "estimated_age", None)
    if details.date_of_birth:
        return whole_years(details.date_of_birth, day)
    return day.year - details.birth_year - 1 if details.birth_year is not None else None


def too_old(person: ChildDetails | Child, day: date, limit: int = CHILD_AGE_LIMIT) -> bool:
    """Past the age for a case on `day`, the day of the report, even at the youngest they can be."""
    age = youngest_age(person, day)
    return age is not None and age >= limit


def too_old_message() -> str:
    """Why a person of 16 or more is refused, and where to turn instead (Law on Children 2016 art. 1)."""
    return _("A child is a person under %(age)d on the day of the report (Law on Children 2016 art. 1), so no case "
             "is opened under Decree 56/2017. For a young person of 16 or 17, contact the commune police, the "
             "commune's social affairs officer, the Youth Union or the social work centre.", age=CHILD_AGE_LIMIT)


def child_problems(details: ChildDetails, today: date, reported_on: date | None = None,
                   age_limit: int = CHILD_AGE_LIMIT) -> dict[str, list[str]]:
    """What is wrong with the details, by field; empty when they can be saved. The person must have been under
    `age_limit` on `reported_on`, the day of their (first) report: today, for a report being taken now."""
    problems: dict[str, list[str]] = {}

    def add(name, message):
        problems.setdefault(name, []).append(message)

    # Mẫu 01: a name, or while it is not known a description of the child; a birth date, a year, or an age.
    if not details.full_name.strip() and not (details.description or "").strip():
        add("full_name", _("Enter the child's full name or, if it is not known, describe the child."))
    elif len(details.full_name) > 200:
        add("full_name", _("At most %(count)d characters.", count=200))
    if len(details.description or "") > 2000:
        add("description", _("At most %(count)d characters.", count=2000))
    if details.sex not in SEXES:
        add("sex", _("Choose the child's sex."))
    if details.date_of_birth is None and details.birth_year is None and details.estimated_age is None:
        add("date_of_birth", _("Enter the date of birth, the year of birth or, if neither is known, an estimated "
                               "age."))
    if details.estimated_age is not None:
        if details.year_of_birth is not None:
            add("estimated_age", _("An estimated age is given only when neither the date nor the year of birth "
                                   "is known."))
        elif details.estimated_age < 0:
            add("estimated_age", _("The age is a whole number of years, 0 or more."))
        elif details.estimated_age >= age_limit:
            add("estimated_age", too_old_message() if age_limit == CHILD_AGE_LIMIT else
                _("The child must be under %(age)d years old.", age=age_limit))
        elif details.estimated_age_to is not None and not details.estimated_age < details.estimated_age_to <= 120:
            add("estimated_age_to", _("The end of the age range is above its start, and at most 120."))
    elif details.estimated_age_to is not None:
        add("estimated_age_to", _("Give the start of the age range as well."))
    if details.date_of_birth and details.date_of_birth > today:
        add("date_of_birth", _("The date of birth is in the future."))
    year = details.year_of_birth
    birth_field = "birth_year" if details.date_of_birth is None else "date_of_birth"
    if year is not None and year > today.year:
        add(birth_field, _("The year of birth is in the future."))
    elif too_old(details, reported_on or today, age_limit):
        add(birth_field, too_old_message() if age_limit == CHILD_AGE_LIMIT else
            _("The child must be under %(age)d years old.", age=age_limit))
    elif details.date_of_birth and reported_on and details.date_of_birth > reported_on:
        add(birth_field, _("The child was born after the report was received."))
    if details.id_number:
        for message in id_number_problems(details.id_number, details.sex, year):
            add("id_number", message)
    unknown = set(details.special_circumstances) - set(SPECIAL_CIRCUMSTANCES)
    if unknown:
        add("special_circumstances", _("Unknown groups: %(groups)s.", groups=", ".join(sorted(unknown))))
    for carer in details.carers:
        if not (carer.get("name") or "").strip() or not (carer.get("relationship") or "").strip():
            add("carers", _("Each carer needs a name and a relationship to the child."))
        elif len(carer["name"]) > 200 or len(carer["relationship"]) > 80:
            add("carers", _("A carer's name takes at most %(count)d characters, and the relationship at most "
                            "%(limit)d.", count=200, limit=80))
        elif carer.get("phone") and not PHONE.fullmatch(carer["phone"]):
            add("carers", _("%(phone)s is not a phone number.", phone=carer["phone"]))
        elif carer.get("age") is not None and not 10 <= carer["age"] <= CARER_OLDEST:
            add("carers", _("A carer's age is a whole number of years from %(low)d to %(high)d.", low=10,
                            high=CARER_OLDEST))
        elif len(carer.get("occupation") or "") > 120:
            add("carers", _("A carer's occupation takes at most %(count)d characters.", count=120))
    if details.address_unit is not None and not is_current_commune(details.address_unit):
        add("address_unit", _("The address must be a commune of the list of units in force."))
    for name, limit in (("other_names", 200), ("ethnicity", 80), ("address_detail", 300), ("school", 200)):
        if len(getattr(details, name) or "") > limit:
            add(name, _("At most %(count)d characters.", count=limit))
    return problems


def _folded(name: str | None) -> str:
    """A name as search and duplicate checks compare it, cut to its column: folding lengthens some scripts
    (a Hangul syllable becomes two or three letters), and a name of 200 characters must still be accepted."""
    return fold(name)[:Child.name_folded.type.length]


def new_child(details: ChildDetails) -> Child:
    """The child of `details`, an estimated age already turned into a year of birth (`with_birth_year_on`)."""
    child = Child(full_name=details.full_name.strip(), description=(details.description or "").strip() or None,
                  age_estimated=details.estimated_age is not None,
                  estimated_age_to=details.estimated_age_to if details.estimated_age is not None else None,
                  other_names=(details.other_names or "").strip() or None,
                  name_folded=_folded(details.full_name), other_names_folded=_folded(details.other_names) or None,
                  sex=details.sex, date_of_birth=details.date_of_birth, birth_year=details.year_of_birth,
                  id_number=details.id_number or None, ethnicity=details.ethnicity or None,
                  address_unit=details.address_unit, address_detail=details.address_detail or None,
                  school=details.school or None, special_circumstances=sorted(details.special_circumstances))
    child.carers = _carers(details)
    _index_names(child)
    db.session.add(child)
    return child


def _index_names(child: Child) -> None:
    """Keep the starts of the child's names that search reads (NameStart) in step with the names."""
    wanted = word_starts(child.name_folded) | word_starts(child.other_names_folded)
    kept = {row.start: row for row in child.name_starts}
    child.name_starts = [kept.get(start) or NameStart(start=start) for start in sorted(wanted)]


def _carers(details: ChildDetails) -> list[Carer]:
    return [Carer(name=carer["name"].strip(), relationship_to_child=carer["relationship"].strip(),
                  phone=(carer.get("phone") or "").strip() or None, age=carer.get("age"),
                  occupation=(carer.get("occupation") or "").strip() or None) for carer in details.carers]


def probable_duplicates(details: ChildDetails, province: Unit, visible: sa.Select) -> tuple[list[Child], list[Child]]:
    """Children who may be this one: the same personal ID (nationwide), or the same name (without diacritics)
    and date of birth in the same province; split into those the worker may see and those beyond their scope,
    whose details must not leak (only their number is told, see `check_for_duplicates`)."""
    from app.cases.models import Case

    same = []
    if details.id_number:
        same.append(Child.id_number == details.id_number)
    if details.date_of_birth and details.full_name.strip():
        in_province = sa.or_(
            Child.address_unit_id.in_(sa.select(Unit.id).where(Unit.path.startswith(province.path))),
            Child.id.in_(sa.select(Case.child_id).join(Unit, Unit.id == Case.unit_id)
                         .where(Unit.path.startswith(province.path))))
        same.append(sa.and_(Child.name_folded == _folded(details.full_name),
                            Child.date_of_birth == details.date_of_birth, in_province))
    if not same:
        return [], []
    matches = list(db.session.scalars(sa.select(Child).where(sa.or_(*same)).order_by(Child.id).limit(50)))
    visible_ids = set(db.session.scalars(visible.where(Child.id.in_([child.id for child in matches]))
                                         .with_only_columns(Child.id)))
    return [child for child in matches if child.id in visible_ids], \
        [child for child in matches if child.id not in visible_ids]


@dataclass(frozen=True)
class DuplicateCheck:
    found: list[Child]  # probable duplicates the worker may see and choose
    elsewhere: int  # those beyond the worker's scope, told only as a number
    paused_until: datetime | None = None  # the hourly limit was reached: those beyond scope go untold until then


def check_for_duplicates(user, details: ChildDetails, province: Unit, visible: sa.Select) -> DuplicateCheck:
    """The duplicate check at intake. Telling a worker that a child is on record beyond their scope protects
    children who move, but answers whether a name and birth date, or a personal ID, is known somewhere: every
    such match is recorded in the trail, under the worker and under the child's case (so that the inspectors
    of both see the probing), and a worker's checks per hour are limited (DUPLICATE_CHECKS_PER_HOUR). Beyond the
    limit the check goes on within the worker's scope and matches are still recorded, but none is told."""
    found, beyond = probable_duplicates(details, province, visible)
    paused_until = _count_check(user)
    if beyond:
        actor, matched_on = actor_for(user), sorted({_matched_on(child, details) for child in beyond})
        record(db.session, "duplicate_found_elsewhere", unit_path=user.unit.path, actor=actor,
               changes={"matches": len(beyond), "matched_on": matched_on, "told": paused_until is None})
        for child in beyond:
            case = _latest_case(child)
            record(db.session, "duplicate_found_elsewhere", entity="children", entity_id=child.id,
                   case_ref=case.reference if case else None,
                   unit_path=child.audit_unit_path(), actor=actor,
                   changes={"matched_on": _matched_on(child, details), "told": paused_until is None})
        db.session.commit()
    return DuplicateCheck(found, 0 if paused_until else len(beyond), paused_until)


def _matched_on(child: Child, details: ChildDetails) -> str:
    return "id_number" if details.id_number and child.id_number == details.id_number else "name_and_birth_date"


def _latest_case(child: Child):
    from app.cases.models import Case

    newest_first = sa.select(Case).where(Case.child_id == child.id).order_by(Case.received_at.desc())
    return db.session.scalar(newest_first.limit(1))


def _count_check(user) -> datetime | None:
    """Count one check against the account's hourly limit, in the limiter's shared storage; when the limit is
    reached, the moment the next check will be told again."""
    item = parse(current_app.config["DUPLICATE_CHECKS_PER_HOUR"])
    strategy = limiter.limiter
    if strategy.hit(item, "duplicate-checks", str(user.id)):
        return None
    reset_at = strategy.get_window_stats(item, "duplicate-checks", str(user.id)).reset_time
    return datetime.fromtimestamp(reset_at, timezone.utc)


class ChildRejected(Exception):
    def __init__(self, fields: dict[str, list[str]]):
        super().__init__("invalid child details")
        self.fields = fields


class ChildChanged(Exception):
    """Someone corrected the child after this person opened the form: nothing is saved."""

    def __init__(self):
        super().__init__(_("Someone else corrected this child's details after you opened them. Nothing was saved; "
                           "look at the details now, then make your correction again."))


def update_child(child: Child, details: ChildDetails, today: date, version: int | None) -> bool:
    """Correct a child's details (a misspelt name, a birth date found later), made on `version` of them; carers
    are replaced as given. The address's commune is not changed here. True when something the reporter did not
    know (the name, the sex, the birth: Mẫu 01) is now known: the duplicate check is then made again."""
    if version != child.version:
        raise ChildChanged()
    reported_on = _first_reported_on(child)
    # A record of a 16- or 17-year-old kept from before the under-16 rule is corrected within the former limit.
    former = reported_on is not None and too_old(child, reported_on)
    problems = child_problems(replace(details, address_unit=None), today, reported_on,
                              FORMER_AGE_LIMIT if former else CHILD_AGE_LIMIT)
    if problems:
        raise ChildRejected(problems)
    details = details.with_birth_year_on(reported_on or today)
    # The estimated year shown on the form and saved unchanged is still an estimate.
    still_estimated = (child.age_estimated and details.date_of_birth is None
                       and details.birth_year == child.birth_year)
    completed = ((not child.full_name and bool(details.full_name.strip()))
                 or (child.sex == "unknown" and details.sex != "unknown")
                 or (child.age_estimated and not still_estimated and details.estimated_age is None))
    try:
        child.full_name, child.name_folded = details.full_name.strip(), _folded(details.full_name)
        child.description = (details.description or "").strip() or None
        child.other_names = (details.other_names or "").strip() or None
        child.other_names_folded = _folded(details.other_names) or None
        _index_names(child)  # loading the names' starts flushes the child: a stale version may show here
        child.sex, child.date_of_birth, child.birth_year = details.sex, details.date_of_birth, details.year_of_birth
        child.age_estimated = still_estimated or details.estimated_age is not None
        if details.estimated_age is not None:
            child.estimated_age_to = details.estimated_age_to
        elif not still_estimated:
            child.estimated_age_to = None
        child.id_number = details.id_number or None
        child.ethnicity, child.address_detail = details.ethnicity or None, details.address_detail or None
        child.school = details.school or None
        if not _registered(child):  # on the register, the circumstances follow its groups (app/register)
            child.special_circumstances = sorted(details.special_circumstances)
        child.carers = _carers(details)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ChildChanged() from None
    return completed


def record_views(user, children: list[Child]) -> None:
    """Every reading of a child's details is in the trail, on the pages and over the API alike: one "child viewed"
    each, filed under the unit of the child's newest case the reader may see, so that unit's inspectors find it, or
    else under the commune whose register holds the child. The caller records the register entries it showed and
    commits (app/register/services.py record_views)."""
    from app.access import scoped_cases, scoped_register
    from app.cases.models import Case
    from app.register.models import RegisterEntry

    ids = [child.id for child in children]
    filed_under = {entry.child_id: entry.unit.path
                   for entry in db.session.scalars(scoped_register(user).where(RegisterEntry.child_id.in_(ids)))}
    for case in db.session.scalars(scoped_cases(user).where(Case.child_id.in_(ids))
                                   .order_by(Case.received_at)):
        filed_under[case.child_id] = case.unit.path
    for child in children:
        record(db.session, "child_viewed", entity="children", entity_id=child.id, unit_path=filed_under[child.id])


def _registered(child: Child) -> bool:
    from app.register.models import RegisterEntry

    return db.session.scalar(sa.select(RegisterEntry.id).where(RegisterEntry.child_id == child.id)) is not None


def _first_reported_on(child: Child) -> date | None:
    from app.cases.models import Case

    first = db.session.scalar(sa.select(sa.func.min(Case.received_at)).where(Case.child_id == child.id))
    return first.astimezone(local_zone()).date() if first else None


def named(text: str) -> sa.Select:
    """The ids of children whose name, or other names, holds the words of `text` in order from the start of a
    word, ignoring case and diacritics: "nguyen van an", "van an" and "an" find Nguyễn Văn An (and Anh)."""
    typed = fold(text)
    if not typed:
        return sa.select(NameStart.child_id).where(sa.false())
    # Written into the SQL: a bound pattern would leave PostgreSQL a generic plan that cannot use the index for
    # LIKE. Typed % and _ are escaped so that they match only themselves.
    escaped = typed.replace("/", "//").replace("%", "/%").replace("_", "/_")
    pattern = sa.literal(escaped + "%", literal_execute=True)
    return sa.select(NameStart.child_id).where(NameStart.start.like(pattern, escape="/")).distinct()
