"""The models and the migrations describe the same schema (on SQLite and on PostgreSQL).

The `database_url` fixture builds the test database through the Alembic migrations only;
Alembic's autogenerate comparison against the models must then find nothing to do.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData

from marketplace.extensions import db


def schema_differences(metadata: MetaData) -> list:
    """What `flask db migrate` would write to bring the migrated database to `metadata`.

    Types and server defaults are compared too, not only tables, columns and indexes.
    """
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, metadata)


def test_the_migrated_database_matches_the_models(app):
    assert schema_differences(db.metadata) == []


def test_a_column_added_to_a_model_without_a_migration_is_reported(app):
    models = MetaData(naming_convention=db.metadata.naming_convention)
    for table in db.metadata.sorted_tables:
        table.to_metadata(models)
    models.tables["shops"].append_column(Column("loyalty_points", Integer, nullable=True))

    differences = schema_differences(models)

    assert [(d[0], d[2], d[3].name) for d in differences] == [
        ("add_column", "shops", "loyalty_points")
    ]
