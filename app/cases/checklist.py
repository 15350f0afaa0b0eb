"""Mẫu 02: the initial risk assessment as a checklist that gives the risk level.

Any "high" sign found makes the risk high; otherwise two or more "medium" signs make it
high and one makes it medium; otherwise it is low. Workers see the rule on the form.
"""
from flask_babel import lazy_gettext as _l

QUESTIONS = {
    "life_in_danger": ("high", _l("The child's life, health or dignity is in serious, immediate danger")),
    "serious_injury": ("high", _l("The child has injuries that need medical care")),
    "sexual_abuse": ("high", _l("There are signs of sexual abuse")),
    "abuser_has_access": ("high", _l("The person who harmed the child can still reach them")),
    "very_young_or_disabled": ("medium", _l("The child is under 3 or has a disability")),
    "repeated_harm": ("medium", _l("The harm has happened before")),
    "carer_cannot_protect": ("medium", _l("The carer cannot or will not protect the child")),
    "afraid_to_go_home": ("medium", _l("The child is afraid to go home")),
    "no_safe_adult": ("medium", _l("No safe adult is available to the child")),
    "neglect_signs": ("low", _l("There are signs of neglect (food, hygiene, schooling)")),
}


def risk_level(answers: dict[str, bool]) -> str:
    found = [QUESTIONS[key][0] for key, yes in answers.items() if yes and key in QUESTIONS]
    if "high" in found or found.count("medium") >= 2:
        return "high"
    if "medium" in found:
        return "medium"
    return "low"
