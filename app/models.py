"""Every area's models, imported in one place so that the metadata Alembic compares is complete."""
from app.attachments.models import Attachment, AttachmentChunk  # noqa: F401
from app.audit.models import AuditEntry, AuditHead  # noqa: F401
from app.auth.models import ApiToken, KnownAddress  # noqa: F401
from app.cases.models import (Assessment, Case, CaseCategory, CaseSequence, Deadline, EmergencyMeasure,  # noqa: F401
                              Plan, PlanAction, Review, TimelineEntry)
from app.children.models import Carer, Child, NameStart  # noqa: F401
from app.deadlines.models import Holiday  # noqa: F401
from app.documents.models import DecisionNumber, DecisionSequence  # noqa: F401
from app.escalations.models import Escalation  # noqa: F401
from app.facilities.models import Correction, Facility, Inspection, Placement  # noqa: F401
from app.notifications.models import OutboxMessage  # noqa: F401
from app.referrals.models import Provider, Referral  # noqa: F401
from app.register.models import (RegisterEntry, RegisterGroup, RegisterReview, RegisterReviewEscalation,  # noqa: F401
                                 RegisterSupport)
from app.reorganisation.models import Move, Reorganisation  # noqa: F401
from app.reporting.models import Department, Report, ReportComment, ReportEscalation, ReportRound  # noqa: F401
from app.reports.facts import CaseFacts  # noqa: F401
from app.reports.register_facts import RegisterFacts  # noqa: F401
from app.units.models import Succession, Unit, UnitEnding  # noqa: F401
from app.users.models import AccessGrant, User  # noqa: F401
