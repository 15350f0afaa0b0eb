"""Every area's way of telling its audit entries (app/audit/narrative.py), imported in one place, as app/models.py
imports every area's models."""
from app.attachments import narrative as attachments  # noqa: F401
from app.auth import narrative as auth  # noqa: F401
from app.cases import narrative as cases  # noqa: F401
from app.children import narrative as children  # noqa: F401
from app.deadlines import narrative as deadlines  # noqa: F401
from app.documents import narrative as documents  # noqa: F401
from app.escalations import narrative as escalations  # noqa: F401
from app.facilities import narrative as facilities  # noqa: F401
from app.referrals import narrative as referrals  # noqa: F401
from app.register import narrative as register  # noqa: F401
from app.reorganisation import narrative as reorganisation  # noqa: F401
from app.reporting import narrative as reporting  # noqa: F401
from app.reports import narrative as reports  # noqa: F401
from app.units import narrative as units  # noqa: F401
from app.users import narrative as users  # noqa: F401
