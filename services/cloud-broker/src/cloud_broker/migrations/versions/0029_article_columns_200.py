"""article columns of the register's moves and acts widened to 200 characters, as every other
column storing an article is: the kit caps a profile's articles at 200 when it loads
(ARTICLE_MAX_CHARS), so any article a profile may cite fits

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-10 11:00:00.000000

Numbered 0027: 0026 is taken by another branch; the lead re-chains on merge.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("ownership_change", "register_move", "register_act")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "article",
                existing_type=sa.String(length=64),
                type_=sa.String(length=200),
                existing_nullable=False,
            )


def downgrade() -> None:
    # An article longer than 64 characters stored meanwhile would not fit: shorten it.
    for table in TABLES:
        t = sa.table(table, sa.column("article", sa.String()))
        op.execute(
            t.update()
            .where(sa.func.length(t.c.article) > 64)
            .values(article=sa.func.substr(t.c.article, 1, 64))
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "article",
                existing_type=sa.String(length=200),
                type_=sa.String(length=64),
                existing_nullable=False,
            )
