"""Tenders and the eligibility of their bidders.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tenders",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("closing_date", sa.Date(), nullable=True),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("requirements", sa.Text(), nullable=False),
        sa.Column("lots", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["accounts.id"], name=op.f("fk_tenders_created_by_accounts")),
        sa.ForeignKeyConstraint(["file_sha256"], ["blobs.sha256"], name=op.f("fk_tenders_file_sha256_blobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenders")),
    )

    op.create_table(
        "eligibility_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.String(length=100), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["accounts.id"], name=op.f("fk_eligibility_runs_created_by_accounts")),
        sa.ForeignKeyConstraint(["tender_id"], ["tenders.id"], name=op.f("fk_eligibility_runs_tender_id_tenders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligibility_runs")),
    )
    with op.batch_alter_table("eligibility_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eligibility_runs_tender_id"), ["tender_id"], unique=False)

    op.create_table(
        "eligibility_bidders",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("lot", sa.String(length=100), nullable=True),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["eligibility_runs.id"], name=op.f("fk_eligibility_bidders_run_id_eligibility_runs")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name=op.f("fk_eligibility_bidders_submission_id_submissions")
        ),
        sa.PrimaryKeyConstraint("run_id", "position", name=op.f("pk_eligibility_bidders")),
    )
    with op.batch_alter_table("eligibility_bidders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eligibility_bidders_supplier_id"), ["supplier_id"], unique=False)


def downgrade() -> None:
    op.drop_table("eligibility_bidders")
    op.drop_table("eligibility_runs")
    op.drop_table("tenders")
