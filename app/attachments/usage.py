"""The space the case files take, by case, within the reader's scope: for the province officer's totals page
(the totals by unit are the service's `usage`)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.access import scoped_attachments
from app.cases.models import Case
from app.extensions import db

# The cases shown: those that take the most space.
LARGEST = 50


@dataclass(frozen=True)
class CaseUsage:
    reference: str
    unit: str
    files: int
    size: int


def usage_by_case(viewer, limit: int = LARGEST) -> list[CaseUsage]:
    """The cases whose files take the most space, withdrawn files included (they are kept)."""
    files = scoped_attachments(viewer).subquery()
    rows = db.session.execute(
        sa.select(Case, sa.func.count(files.c.id), sa.func.sum(files.c.size))
        .join(files, files.c.case_id == Case.id).group_by(Case.id)
        .order_by(sa.func.sum(files.c.size).desc(), Case.id).limit(limit)
        .options(sa.orm.selectinload(Case.unit)))
    return [CaseUsage(case.reference, case.unit.name, count, int(size or 0)) for case, count, size in rows]
