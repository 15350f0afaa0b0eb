"""What an inspection of a care facility checks, and the kinds of facility.

Grounded in Decree 103/2017/NĐ-CP (establishment, licensing, operation and management of social assistance
facilities) and in the Law on Children 2016 (art. 4.3: alternative care; Decree 56/2017 on alternative care). The
article numbers of Decree 103 could not be checked against its text here, so each item names the decree's subject,
not an article.
"""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

KINDS = {
    "social_assistance_centre": _l("Social assistance centre"),
    "shelter": _l("Shelter"),
    "pagoda_charity": _l("Pagoda or charity home"),
    "boarding": _l("Boarding facility"),
    "other": _l("Other care facility"),
}

# Each item: what the inspector checks (Decree 103/2017, unless another text is named).
CHECKLIST = {
    "licence": _l("Licence to operate valid and matching what the facility does (Decree 103/2017)"),
    "capacity": _l("Children cared for within the licensed capacity (Decree 103/2017)"),
    "staff": _l("Enough trained care staff for the number of children (Decree 103/2017)"),
    "premises": _l("Living space, kitchen, sanitation and safety of the premises (Decree 103/2017)"),
    "records": _l("A file for each child: admission decision, care plan, health and schooling (Decree 103/2017)"),
    "admission": _l("Children admitted and discharged by a competent decision (Decree 103/2017)"),
    "care_plan": _l("Care reviewed for each child; return to family or family-based care sought first "
                    "(Law on Children 2016 art. 4.3; Decree 56/2017)"),
    "protection": _l("No violence or abuse; rules, complaints and reporting to the commune known to children and "
                     "staff (Law on Children 2016)"),
    "schooling_health": _l("Children go to school and receive health care (Law on Children 2016)"),
}
RESULTS = {"met": _lp("checklist", "Met"), "not_met": _lp("checklist", "Not met"), "not_checked": _l("Not checked")}

PLACEMENT_KINDS = {
    "alternative_care": _l("Alternative care"),
    "isolation": _l("Temporary isolation"),
    "other": _l("Other stay"),
}
