"""system_action.article widened to 200 characters, as every other column storing an article
is: the kit caps a profile's articles at 200 when it loads (ARTICLE_MAX_CHARS)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-10 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("system_action", schema=None) as batch_op:
        batch_op.alter_column(
            "article",
            existing_type=sa.String(length=100),
            type_=sa.String(length=200),
            existing_nullable=False,
        )


def downgrade() -> None:
    # An article longer than 100 characters stored meanwhile would not fit: shorten it.
    t = sa.table("system_action", sa.column("article", sa.String()))
    op.execute(
        t.update()
        .where(sa.func.length(t.c.article) > 100)
        .values(article=sa.func.substr(t.c.article, 1, 100))
    )
    with op.batch_alter_table("system_action", schema=None) as batch_op:
        batch_op.alter_column(
            "article",
            existing_type=sa.String(length=200),
            type_=sa.String(length=100),
            existing_nullable=False,
        )
