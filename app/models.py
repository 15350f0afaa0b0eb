"""Every area's models, imported in one place so that the metadata Alembic compares is complete."""
from app.audit.models import AuditEntry, AuditHead  # noqa: F401
from app.auth.models import ApiToken  # noqa: F401
from app.units.models import Unit  # noqa: F401
from app.users.models import User  # noqa: F401
