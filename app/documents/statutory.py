"""The seven forms of the appendix of Decree 56/2017/NĐ-CP, filled from the case, for signature.

The forms' wording is the decree's own and is printed in Vietnamese whatever the reader's language: they are
administrative documents of a People's Committee (Decree 30/2020 art. 8: documents are written in Vietnamese).
The values the case holds in coded form (sex, risk, categories) are printed in Vietnamese too.

Each form is a builder from the case and the record it prints (`Subject`); a field the models do not hold yet is
given as NOT_HELD, so that it prints as a dotted line and, once the model holds it, is filled by changing that one
line.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from flask_babel import lazy_gettext as _l
from reportlab.platypus import Spacer

from app.cases import checklist
from app.cases.models import (CATEGORIES, FORMER_REVIEW_CRITERIA, REVIEW_CRITERIA, RISK_LEVELS, SOURCES, Assessment,
                              Case, EmergencyMeasure, Plan, Review)
from app.cases.workflow import TRANSITIONS
from app.children.models import SEXES
from app.deadlines.services import local_zone
from app.documents import layout
from app.documents.layout import Page, Signature
from app.reorganisation.history import unit_on
from app.reports import pdf
from app.units.models import Unit
from app.users.models import User

# A field the models do not hold yet (issue 15: Mẫu 01's parents' age and occupation, the harm foreseen, whether the
# child was abused or is at risk; the person who caused the harm in Mẫu 07): it prints as a dotted line.
NOT_HELD = None
# Mẫu 01 distinguishes the child abused from the child at risk (Decree 56/2017 art. 25.1).
HARM_STATUS_WORDS = {"abused": "Bị xâm hại", "at_risk": "Có nguy cơ bị xâm hại"}

LAW_BASES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016;",
    "Căn cứ Nghị định số 56/2017/NĐ-CP ngày 09 tháng 5 năm 2017 của Chính phủ quy định chi tiết một số điều "
    "của Luật Trẻ em;",
)
WORKER_TITLE = ("NGƯỜI LÀM CÔNG TÁC BẢO VỆ TRẺ EM",)
SIGN_BY_HAND = "(Ký, ghi rõ họ tên)"
SIGN_AND_SEAL = "(Ký, ghi rõ họ tên, đóng dấu)"


@dataclass(frozen=True)
class Printing:
    page: Page
    decision_number: str | None  # "12/QĐ-UBND" for a decision the register numbered; None for a draft


def local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(local_zone()).date() if moment else None


def leader_titles(leader: User | None) -> tuple[str, ...]:
    """The title a decision is signed under: the chairman's own, or on the chairman's behalf (KT.) by a vice-chairman
    (Decree 30/2020 art. 13). Unknown (a draft, an office not recorded): a dotted line, written by hand."""
    office = leader.office if leader is not None else None
    if office == "chairman":
        return ("CHỦ TỊCH",)
    if office == "vice_chairman":
        return ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    return ("",)


def isolation_decider(measure: EmergencyMeasure) -> User | None:
    """The commune leader who decided a temporary isolation (art. 32); none while it is only proposed."""
    return measure.decider if measure.isolation_status == "decided" else None


# The child, as every form names them.

def _born(case: Case) -> str:
    child = case.child
    return child.date_of_birth.strftime("%d/%m/%Y") if child.date_of_birth else str(child.birth_year)


def _address(case: Case) -> str | None:
    child = case.child
    parts = [part for part in (child.address_detail, child.address_unit.name if child.address_unit else None)
             if part]
    return ", ".join(parts) or None


def child_fields(case: Case, page: Page) -> list:
    child = case.child
    return [
        layout.field(page, "Họ và tên trẻ em", child.name_shown),
        layout.fields_in_line(page, [("Ngày, tháng, năm sinh", _born(case)), ("Giới tính", str(SEXES[child.sex]))]),
        layout.fields_in_line(page, [("Dân tộc", child.ethnicity), ("Số định danh cá nhân", child.id_number)]),
        layout.field(page, "Nơi cư trú", _address(case)),
        layout.field(page, "Trường học, lớp", child.school),
    ]


def _issuer(case: Case, day: date | None) -> Unit:
    """The committee that issues a paper of `day`: the case's unit of that day, for a paper dated before a
    reorganisation took effect ("Xã Cẩm Phúc"); else, and for a paper not dated yet, the unit that holds the case
    now ("Xã Mao Điền", or the new province while it waits for its commune)."""
    return unit_on(case, day)


def _heading(case: Case, day: date | None, number: str | None = None) -> layout.Heading:
    issuer = _issuer(case, day)
    return layout.Heading(committee=issuer.name, number=number, place=layout.place_name(issuer.name), day=day)


def _top(case: Case, printing: Printing, form_number: str, day: date | None, number: str | None = None) -> list:
    return [layout.number_line(form_number), layout.national_header(printing.page, _heading(case, day, number)),
            Spacer(0, 4)]


def _report_opening(case: Case, printing: Printing, form_number: str, day: date | None, title: str,
                    about: str) -> list:
    """The opening the worker's reports share (Mẫu 02, 03, 04, 06): header, title naming the case, the child."""
    return [*_top(case, printing, form_number, day),
            *layout.title(title, f"{about} (Mã vụ việc: {case.reference})"),
            layout.section("I. THÔNG TIN VỀ TRẺ EM"), *child_fields(case, printing.page)]


# Mẫu số 01: the report received (Decree 56 art. 26.1).

def report_form(case: Case, subject: Case, printing: Printing) -> list:
    page = printing.page
    carers = case.child.carers
    reporter_named = case.reporter_may_be_named
    withheld = "(giữ bí mật theo đề nghị của người thông báo)"
    flowables = _top(case, printing, "Mẫu số 01", local_day(case.received_at))
    flowables += layout.title("THÔNG TIN THÔNG BÁO, TỐ GIÁC",
                              "về hành vi xâm hại trẻ em hoặc trẻ em có nguy cơ bị bạo lực, bóc lột, bỏ rơi")
    flowables.append(layout.fields_in_line(page, [
        ("Thời gian tiếp nhận", case.received_at.astimezone(local_zone()).strftime("%H giờ %M, ngày %d/%m/%Y")),
        ("Mã vụ việc", case.reference)]))
    flowables.append(layout.field(page, "Hình thức, nguồn tiếp nhận", str(SOURCES[case.source])))
    flowables.append(layout.section("1. Thông tin về trẻ em"))
    flowables += child_fields(case, page)
    flowables.append(layout.section("2. Thông tin về cha, mẹ, người chăm sóc trẻ em"))
    for carer in carers or [None]:
        flowables.append(layout.field(page, "Họ và tên", carer.name if carer else None))
        flowables.append(layout.fields_in_line(page, [("Quan hệ với trẻ em", carer.relationship_to_child if carer
                                                       else None), ("Tuổi", str(carer.age) if carer and carer.age
                                                                         else None)]))
        flowables.append(layout.fields_in_line(page, [("Nghề nghiệp", carer.occupation if carer else None),
                                                      ("Điện thoại", carer.phone if carer else None)]))
    flowables.append(layout.section("3. Thông tin về vụ việc"))
    flowables.append(layout.field(page, "Trẻ em bị xâm hại hay có nguy cơ bị xâm hại",
                                  HARM_STATUS_WORDS.get(case.harm_status)))
    flowables.append(layout.field(page, "Hình thức xâm hại",
                                  ", ".join(str(CATEGORIES[key]) for key in case.categories)))
    flowables.append(layout.field(page, "Địa điểm xảy ra", case.place))
    flowables += layout.text_block(page, "Mô tả sự việc", case.description)
    flowables += layout.text_block(page, "Tổn hại đối với trẻ em hoặc tổn hại có thể xảy ra", case.harm_foreseen,
                                   lines=2)
    flowables.append(layout.field(page, "Trẻ em đang bị đe dọa, gây tổn hại nghiêm trọng đến tính mạng, sức khỏe, "
                                        "nhân phẩm", "Có" if case.immediate_danger else "Không"))
    flowables += layout.text_block(page, "Các biện pháp đã thực hiện", case.action_taken, lines=2)
    flowables.append(layout.section("4. Thông tin về người thông báo, tố giác"))
    flowables.append(layout.field(page, "Họ và tên", case.reporter_name if reporter_named or not case.reporter_name
                                  else withheld))
    flowables.append(layout.field(page, "Địa chỉ, số điện thoại liên hệ",
                                  case.reporter_contact if reporter_named or not case.reporter_contact else withheld))
    flowables.append(layout.field(page, "Đồng ý để lộ danh tính", "Có" if reporter_named else NOT_HELD))
    receiver = case.created_by.full_name if case.created_by else None
    flowables.append(layout.signature_block(page, Signature(("NGƯỜI TIẾP NHẬN THÔNG TIN",), SIGN_BY_HAND, receiver)))
    return flowables


# Mẫu số 02: the initial assessment of risk and harm (art. 26.2).

def initial_assessment_form(case: Case, assessment: Assessment | None, printing: Printing) -> list:
    page = printing.page
    day = local_day(assessment.created_at) if assessment else None
    flowables = _report_opening(case, printing, "Mẫu số 02", day, "BÁO CÁO ĐÁNH GIÁ BAN ĐẦU",
                                "về nguy cơ, mức độ tổn hại của trẻ em")
    flowables.append(layout.section("II. ĐÁNH GIÁ NGUY CƠ BAN ĐẦU"))
    answers = assessment.answers if assessment else {}
    rows = []
    for key, (_level, question) in checklist.QUESTIONS.items():
        answer = answers.get(key) if assessment else None
        rows.append((str(question), [answer is True, answer is False]))
    flowables.append(layout.marks(page, ["Dấu hiệu", "Có", "Không"], rows))
    flowables.append(layout.section("III. KẾT LUẬN VỀ MỨC ĐỘ NGUY CƠ"))
    risk = assessment.risk_level if assessment else None
    flowables.append(layout.marks(page, ["Mức độ nguy cơ", *[str(label) for label in RISK_LEVELS.values()]],
                                  [("", [risk == level if risk else None for level in RISK_LEVELS])]))
    flowables += layout.text_block(page, "Nhận định, đề xuất", assessment.summary if assessment else None, lines=4)
    measures = [measure.description for measure in case.emergency_measures
                if measure.taken_at <= assessment.created_at] if assessment else []
    flowables += layout.text_block(page, "Các biện pháp bảo đảm an toàn, can thiệp khẩn cấp đã áp dụng",
                                   "\n".join(measures) or None, lines=2)
    assessor = assessment.created_by.full_name if assessment else None
    flowables.append(layout.signature_block(page, Signature(WORKER_TITLE, SIGN_BY_HAND, assessor)))
    return flowables


# Mẫu số 03: the detailed assessment and the case meeting (art. 29.1-2).

def detailed_assessment_form(case: Case, assessment: Assessment | None, printing: Printing) -> list:
    page = printing.page
    day = local_day(assessment.created_at) if assessment else None
    flowables = _report_opening(case, printing, "Mẫu số 03", day, "BÁO CÁO ĐÁNH GIÁ CỤ THỂ",
                                "về nguy cơ, mức độ tổn hại và nhu cầu hỗ trợ, can thiệp của trẻ em")
    flowables.append(layout.section("II. KẾT QUẢ THU THẬP, ĐÁNH GIÁ THÔNG TIN"))
    flowables.append(layout.body(
        "(Tình trạng thể chất, tâm lý, tình cảm và nhu cầu chăm sóc y tế của trẻ em; hoàn cảnh gia đình và năng lực "
        "bảo vệ trẻ em của cha, mẹ, người chăm sóc; mối quan hệ của trẻ em với đối tượng xâm hại; điều kiện học tập "
        "và khả năng tự bảo vệ của trẻ em; mức độ an toàn và khả năng hỗ trợ của cộng đồng nơi trẻ em sinh sống)"))
    flowables += layout.text_block(page, None, assessment.summary if assessment else None, lines=8)
    flowables.append(layout.section("III. CUỘC HỌP XÁC ĐỊNH NHU CẦU HỖ TRỢ, CAN THIỆP"))
    flowables += layout.text_block(page, "Biên bản cuộc họp", assessment.meeting_minutes if assessment else None,
                                   lines=6)
    flowables.append(layout.section("IV. NHU CẦU HỖ TRỢ, CAN THIỆP CỦA TRẺ EM"))
    flowables += layout.text_block(page, None, NOT_HELD, lines=3)
    assessor = assessment.created_by.full_name if assessment else None
    flowables.append(layout.signature_block(page, Signature(WORKER_TITLE, SIGN_BY_HAND, assessor)))
    return flowables


# Mẫu số 04: the support and intervention plan (art. 29.3).

def plan_form(case: Case, plan: Plan | None, printing: Printing) -> list:
    page = printing.page
    flowables = _report_opening(case, printing, "Mẫu số 04", local_day(plan.created_at) if plan else None,
                                "KẾ HOẠCH HỖ TRỢ, CAN THIỆP",
                                "đối với trẻ em bị xâm hại hoặc có nguy cơ bị bạo lực, bóc lột, bỏ rơi")
    flowables.append(layout.field(page, "Mức độ nguy cơ", str(RISK_LEVELS[case.risk_level]) if case.risk_level
                                  else None))
    flowables.append(layout.section("II. MỤC TIÊU HỖ TRỢ, CAN THIỆP"))
    flowables += layout.text_block(page, None, plan.goals if plan else None, lines=4)
    flowables.append(layout.section("III. CÁC HOẠT ĐỘNG HỖ TRỢ, CAN THIỆP"))
    rows = [[str(number), action.description, action.responsible, action.due_date.strftime("%d/%m/%Y")]
            for number, action in enumerate(plan.actions, start=1)] if plan else []
    flowables.append(layout.rows_table(page, ["TT", "Hoạt động hỗ trợ, can thiệp", "Cơ quan, tổ chức, cá nhân thực "
                                              "hiện", "Thời gian hoàn thành"], rows, [0.07, 0.5, 0.27, 0.16]))
    flowables.append(layout.section("IV. THEO DÕI, ĐÁNH GIÁ"))
    flowables.append(layout.field(page, "Thời gian đánh giá việc thực hiện kế hoạch", NOT_HELD))
    drafter = plan.drafted_by.full_name if plan else None
    flowables.append(layout.signature_block(page, Signature(("NGƯỜI LẬP KẾ HOẠCH",), SIGN_BY_HAND, drafter)))
    return flowables


def _decision_number(printing: Printing) -> str:
    return "Số: " + (printing.decision_number or layout.dots(40, 10) + "/QĐ-UBND")


def _decision_top(case: Case, printing: Printing, form_number: str, day: date | None, subtitle: str) -> list:
    flowables = _top(case, printing, form_number, day, _decision_number(printing))
    flowables += layout.title("QUYẾT ĐỊNH", subtitle)
    flowables.append(layout.body(f"<b>CHỦ TỊCH ỦY BAN NHÂN DÂN {pdf.text(_issuer(case, day).name.upper())}</b>"))
    flowables += [layout.body(basis) for basis in LAW_BASES]
    return flowables


RECIPIENTS = ("Như Điều 3;", "Gia đình trẻ em;", "Lưu: VT.")


# Mẫu số 05: the chairman's decision approving the plan (art. 29.4).

def plan_decision_form(case: Case, plan: Plan, printing: Printing) -> list:
    page = printing.page
    approved = plan.status == "approved"
    day = local_day(plan.decided_at) if approved else None
    flowables = _decision_top(case, printing, "Mẫu số 05", day,
                              "Về việc phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em")
    flowables.append(layout.body("Xét đề nghị của người làm công tác bảo vệ trẻ em cấp xã về kế hoạch hỗ trợ, can "
                                 "thiệp đối với trẻ em (Mã vụ việc: " + pdf.text(case.reference) + "),"))
    flowables.append(layout.decides())
    child = case.child
    flowables.append(layout.body(
        f"<b>Điều 1.</b> Phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em {pdf.text(child.name_shown)}, sinh "
        f"{pdf.text(_born(case))}, giới tính {pdf.text(str(SEXES[child.sex]))}, nơi cư trú "
        f"{pdf.text(_address(case)) if _address(case) else layout.dots(200)} "
        f"(kế hoạch lập ngày {plan.created_at.astimezone(local_zone()).strftime('%d/%m/%Y')}, kèm theo)."))
    flowables.append(layout.body("Mục tiêu của kế hoạch:"))
    flowables += layout.text_block(page, None, plan.goals)
    worker = case.assigned_worker.full_name if case.assigned_worker else None
    flowables.append(layout.body(
        "<b>Điều 2.</b> Giao người làm công tác bảo vệ trẻ em cấp xã "
        f"{pdf.text(worker) if worker else layout.dots(160)} chủ trì, phối hợp với các cơ quan, tổ chức, cá nhân có "
        "liên quan tổ chức thực hiện kế hoạch; theo dõi, đánh giá việc thực hiện và báo cáo Chủ tịch Ủy ban nhân "
        "dân cấp xã."))
    flowables.append(layout.body(
        "<b>Điều 3.</b> Quyết định này có hiệu lực kể từ ngày ký. Người làm công tác bảo vệ trẻ em cấp xã, các cơ "
        "quan, tổ chức, cá nhân có liên quan, cha, mẹ, người chăm sóc trẻ em chịu trách nhiệm thi hành Quyết định "
        "này."))
    signer = plan.decided_by if approved else None
    flowables.append(layout.signature_block(
        page, Signature(leader_titles(signer), SIGN_AND_SEAL, signer.full_name if signer else None), RECIPIENTS))
    return flowables


# Mẫu số 06: the review of the plan's results and the child's safety (art. 31).

def review_form(case: Case, review: Review | None, printing: Printing) -> list:
    page = printing.page
    flowables = _report_opening(case, printing, "Mẫu số 06", local_day(review.created_at) if review else None,
                                "BÁO CÁO ĐÁNH GIÁ",
                                "việc thực hiện kế hoạch hỗ trợ, can thiệp và tình trạng an toàn của trẻ em")
    flowables.append(layout.section("II. ĐÁNH GIÁ MỨC ĐỘ NGUY CƠ THEO CÁC TIÊU CHÍ"))
    if review is not None and review.on_former_criteria:
        # Reviews recorded before Mẫu 06's criteria print as they were scored, under their former criteria.
        scores = review.former_scores or {}
        rows = [(str(label) + " (tiêu chí cũ)", [scores.get(key) == level for level in RISK_LEVELS])
                for key, label in FORMER_REVIEW_CRITERIA.items()]
    else:
        rows = [(str(rule.label), [review.score(key) == level if review else None for level in RISK_LEVELS])
                for key, rule in REVIEW_CRITERIA.items()]
    flowables.append(layout.marks(page, ["Tiêu chí", *[str(label) for label in RISK_LEVELS.values()]], rows))
    if review is None or not review.on_former_criteria:
        for key, rule in REVIEW_CRITERIA.items():
            flowables += layout.text_block(page, "Nhận xét: " + str(rule.label),
                                           review.criterion_note(key) if review else None, lines=1)
    flowables.append(layout.section("III. NHẬN XÉT, KẾT LUẬN"))
    flowables += layout.text_block(page, None, review.note if review else None, lines=4)
    flowables.append(layout.section("IV. ĐỀ XUẤT"))
    flowables.append(layout.body("(Tiếp tục thực hiện kế hoạch; điều chỉnh kế hoạch; hoặc kết thúc việc hỗ trợ, "
                                 "can thiệp và đóng hồ sơ)"))
    flowables += layout.text_block(page, None, NOT_HELD, lines=2)
    reviewer = review.created_by.full_name if review else None
    flowables.append(layout.signature_block(page, Signature(WORKER_TITLE, SIGN_BY_HAND, reviewer)))
    return flowables


# Mẫu số 07: the chairman's decision on temporary isolation (art. 26.3, 32: 12 hours, 15 days at most).

def isolation_decision_form(case: Case, measure: EmergencyMeasure | None, printing: Printing) -> list:
    page = printing.page
    decided = measure is not None and measure.isolation_status == "decided"
    day = local_day(measure.decided_at) if decided and measure.decided_at else None
    flowables = _decision_top(case, printing, "Mẫu số 07", day,
                              "Về việc tạm thời cách ly trẻ em khỏi cha, mẹ, người chăm sóc trẻ em")
    flowables.append(layout.body("Căn cứ báo cáo đánh giá ban đầu về nguy cơ, mức độ tổn hại của trẻ em;"))
    flowables.append(layout.body("Xét đề nghị của người làm công tác bảo vệ trẻ em cấp xã (Mã vụ việc: "
                                 + pdf.text(case.reference) + "),"))
    flowables.append(layout.decides())
    child = case.child

    def value(text) -> str:
        return pdf.text(text) if not layout.blank(text) else layout.dots(120)

    def day_of(value_day: date | None) -> str:
        return value_day.strftime("%d/%m/%Y") if value_day else layout.dots(70)

    flowables.append(layout.body(
        f"<b>Điều 1.</b> Tạm thời cách ly trẻ em {pdf.text(child.name_shown)}, sinh {pdf.text(_born(case))}, giới "
        f"tính {pdf.text(str(SEXES[child.sex]))}, nơi cư trú {value(_address(case))}, khỏi "
        f"{value(NOT_HELD)} (cha, mẹ, người chăm sóc trẻ em) kể từ ngày "
        f"{day_of(measure.isolation_from if measure else None)} đến hết ngày "
        f"{day_of(measure.isolation_until if measure else None)} (không quá 15 ngày)."))
    flowables.append(layout.body(
        "<b>Điều 2.</b> Bố trí nơi tạm trú an toàn và áp dụng biện pháp chăm sóc thay thế cho trẻ em tại: "
        f"{value(measure.isolation_place if measure else None)}, cùng với: "
        f"{value(measure.isolation_with if measure else None)}."))
    if measure is not None and measure.extension_number:
        # Longer than 15 days only at a competent authority's written request (art. 32).
        flowables.append(layout.body(
            f"Căn cứ văn bản đề nghị số {value(measure.extension_number)} ngày {day_of(measure.extension_date)} "
            f"của {value(measure.extension_authority)} về việc kéo dài thời gian cách ly."))
    flowables += layout.text_block(page, "Lý do", measure.description if measure else None, lines=3)
    flowables.append(layout.body(
        "<b>Điều 3.</b> Quyết định này có hiệu lực kể từ ngày ký. Người làm công tác bảo vệ trẻ em cấp xã, cha, mẹ, "
        "người chăm sóc trẻ em, các cơ quan, tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định "
        "này."))
    decider = isolation_decider(measure) if measure else None
    name = decider.full_name if decider else (measure.decided_by if measure else None)
    flowables.append(layout.signature_block(page, Signature(leader_titles(decider), SIGN_AND_SEAL, name), RECIPIENTS))
    return flowables


# Which record each form prints, and whether it may be printed: its step was taken, or it is the step the case may
# take now (the form printed blank, to be completed by hand).

def _latest(records: list, condition=lambda record: True):
    found = [record for record in records if condition(record)]
    return found[-1] if found else None


def _may_take(case: Case, *actions: str) -> bool:
    return any((case.status, action) in TRANSITIONS for action in actions)


def _initial(case: Case) -> Assessment | None:
    return _latest(case.assessments, lambda assessment: assessment.kind == "initial")


def _detailed(case: Case) -> Assessment | None:
    return _latest(case.assessments, lambda assessment: assessment.kind == "detailed")


def _decided_plan(case: Case) -> Plan | None:
    """The plan a decision approves: the one waiting for approval (a draft decision), else the latest approved."""
    current = case.current_plan
    if current is not None and current.status == "submitted":
        return current
    return _latest(case.plans, lambda plan: plan.status == "approved")


def _isolation(case: Case) -> EmergencyMeasure | None:
    return _latest(case.emergency_measures, lambda measure: measure.isolation)


@dataclass(frozen=True)
class Form:
    key: str
    label: object  # what the case page's link says
    decision: bool
    subject: Callable[[Case], object | None]
    printable: Callable[[Case], bool]
    build: Callable[[Case, object, Printing], list]


FORMS: dict[str, Form] = {form.key: form for form in (
    Form("mau-01", _l("Mẫu 01: the report"), False, lambda case: case, lambda case: True, report_form),
    Form("mau-02", _l("Mẫu 02: the initial assessment"), False, _initial,
         lambda case: _initial(case) is not None or _may_take(case, "assess"), initial_assessment_form),
    Form("mau-03", _l("Mẫu 03: the detailed assessment"), False, _detailed,
         lambda case: _detailed(case) is not None or _may_take(case, "detail"), detailed_assessment_form),
    Form("mau-04", _l("Mẫu 04: the support plan"), False, lambda case: case.current_plan,
         lambda case: bool(case.plans) or _may_take(case, "draft_plan", "new_plan"), plan_form),
    # A decision exists once there is a plan to approve; before, there is nothing to decide.
    Form("mau-05", _l("Mẫu 05: the decision approving the plan"), True, _decided_plan,
         lambda case: _decided_plan(case) is not None, plan_decision_form),
    Form("mau-06", _l("Mẫu 06: the review"), False, lambda case: _latest(case.reviews),
         lambda case: bool(case.reviews) or _may_take(case, "review"), review_form),
    # Blank only while the child is in danger and measures may be taken (art. 26.3: decided within 12 hours).
    Form("mau-07", _l("Mẫu 07: the decision on temporary isolation"), True, _isolation,
         lambda case: _isolation(case) is not None or (case.immediate_danger and _may_take(case, "emergency")),
         isolation_decision_form),
)}


def decision_made(form: Form, subject) -> bool:
    """Whether the record a decision form prints is a decision already made, to be numbered in the register."""
    if not form.decision or subject is None:
        return False
    if isinstance(subject, Plan):
        return subject.status == "approved"
    return subject.isolation_status == "decided"


def decision_day(subject) -> date:
    """The day a decision was made: its year is the register's."""
    if isinstance(subject, Plan):
        return local_day(subject.decided_at)
    return local_day(subject.decided_at or subject.taken_at)
