"""The groups of the register and their sub-cases, as the law sets them.

The 14 groups of children in special circumstances are those of Law on Children 2016 art. 10 (keys as in
app/children/models.py `SPECIAL_CIRCUMSTANCES`); Decree 56/2017/ND-CP arts. 3-16 say who is in each.
"""
from flask_babel import lazy_gettext as _l

from app.children.models import SPECIAL_CIRCUMSTANCES

AT_RISK = "at_risk"

# The article of Decree 56/2017 that defines each group of Law on Children art. 10.
ARTICLES = {
    "orphaned": _l("Decree 56/2017 art. 3"),
    "abandoned": _l("Decree 56/2017 art. 4"),
    "without_support": _l("Decree 56/2017 art. 5"),
    "disabled": _l("Decree 56/2017 art. 6"),
    "hiv": _l("Decree 56/2017 art. 7"),
    "in_conflict_with_law": _l("Decree 56/2017 art. 8"),
    "drug_addicted": _l("Decree 56/2017 art. 9"),
    "dropped_out_to_work": _l("Decree 56/2017 art. 10"),
    "harmed_by_violence": _l("Decree 56/2017 art. 11"),
    "exploited": _l("Decree 56/2017 art. 12"),
    "sexually_abused": _l("Decree 56/2017 art. 13"),
    "trafficked": _l("Decree 56/2017 art. 14"),
    "seriously_ill_poor": _l("Decree 56/2017 art. 15"),
    "migrant_without_carer": _l("Decree 56/2017 art. 16"),
    # Not a group of art. 10: children at risk get the support level of Law on Children 2016 art. 49.
    AT_RISK: _l("Law on Children 2016 art. 49"),
}

GROUPS = {**SPECIAL_CIRCUMSTANCES, AT_RISK: _l("At risk of abuse, abandonment or trafficking")}

SUB_CASES = {
    "orphaned": {
        "both_died": _l("Both parents have died"),
        "died_and_missing": _l("One parent has died and the other is declared missing"),
    },
    "abandoned": {
        "after_birth": _l("Abandoned after birth (at a health facility or a public place)"),
        "by_parents": _l("Abandoned by the parents who raised them"),
    },
    "without_support": {
        "parents_missing": _l("Both parents are missing"),
        "parents_detained": _l("The parents are in prison, a reform school, compulsory education or rehabilitation"),
        "one_gone_other_detained": _l("One parent has died or is missing and the other is detained"),
        "parents_incapable": _l("The parents have lost their civil capacity"),
    },
    "disabled": {
        "especially_severe": _l("Especially severe disability"),
        "severe": _l("Severe disability"),
        "mild": _l("Mild disability"),
    },
    "in_conflict_with_law": {
        "administrative": _l("Under an administrative handling measure"),
        "criminal": _l("In criminal proceedings or under a criminal sentence"),
    },
    "harmed_by_violence": {
        "physical": _l("Serious physical harm"),
        "mental": _l("Serious mental harm"),
    },
    "exploited": {
        "labour": _l("Made to work against the law on child labour"),
        "sexual": _l("Sexually exploited for gain"),
        "other": _l("Exploited in another way"),
    },
    "seriously_ill_poor": {
        "poor": _l("Of a poor household"),
        "near_poor": _l("Of a near-poor household"),
    },
    "migrant_without_carer": {
        "migrant": _l("Migrant"),
        "displaced": _l("Displaced or a refugee"),
    },
    AT_RISK: {
        "abuse": _l("At risk of abuse"),
        "abandonment": _l("At risk of abandonment"),
        "trafficking": _l("At risk of trafficking"),
    },
}

# Where the child lives: at home, with relatives, in alternative care (Law on Children 2016 art. 62) or a facility.
LIVING_PLACES = {
    "with_parents": _l("At home with both parents"),
    "with_one_parent": _l("At home with one parent"),
    "with_relatives": _l("With grandparents or other relatives"),
    "foster_family": _l("With a foster family (alternative care)"),
    "facility": _l("In a social assistance facility"),
    "on_own": _l("On their own"),
    "other": _l("Elsewhere"),
}

# Decree 20/2021/ND-CP art. 5.1 sets the monthly social allowance for children in these groups; the rest receive
# services and alternative care.
SUPPORT_KINDS = {
    "cash_allowance": _l("Monthly social allowance (Decree 20/2021)"),
    "service": _l("Service (health, education, counselling)"),
    "alternative_care": _l("Alternative care"),
}
