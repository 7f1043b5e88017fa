"""A database made before migrations, by the tables being created as the models were at each
start, is brought to the first revision's tables (its `metadata`) before it is stamped with it.

Such a database has the service's tables and no `alembic_version`. Its release may have been
older than the first revision: a table added since is created, a nullable column added since is
added (its rows get none) with the uniqueness it carries, an index added since is built. Nothing
is dropped or changed, so every row survives.
"""

from __future__ import annotations

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Column, Connection, MetaData, Table, UniqueConstraint, inspect


class CannotAdopt(Exception):
    """The database lacks a column that its rows would need a value for."""


def made_before_migrations(connection: Connection, baseline: MetaData) -> bool:
    present = set(inspect(connection).get_table_names())
    return "alembic_version" not in present and not present.isdisjoint(baseline.tables)


def adopt(connection: Connection, baseline: MetaData) -> None:
    missing = _missing_columns(connection, baseline)
    if required := [f"{table.name}.{column.name}" for table, column in missing
                    if not column.nullable]:
        raise CannotAdopt(f"the database was made before migrations and lacks {', '.join(required)}"
                          ", which its rows would need a value for: it cannot be migrated as it is")
    operations = Operations(MigrationContext.configure(connection))
    for table, column in missing:
        operations.add_column(table.name, Column(column.name, column.type))
    for table in {table for table, column in missing if _unique(column)}:
        _add_uniqueness(operations, connection, table, {c.name for t, c in missing if t is table})
    baseline.create_all(connection)  # the tables it lacks; those it has are left as they are
    for table in baseline.sorted_tables:
        for index in table.indexes:
            index.create(connection, checkfirst=True)


def _missing_columns(connection: Connection, baseline: MetaData) -> list[tuple[Table, Column]]:
    inspector = inspect(connection)
    present_tables = set(inspector.get_table_names())
    missing = []
    for table in baseline.sorted_tables:
        if table.name in present_tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            missing += [(table, c) for c in table.columns if c.name not in present]
    return missing


def _unique(column: Column) -> bool:
    return any(isinstance(constraint, UniqueConstraint) and column.name in constraint.columns
               for constraint in column.table.constraints)


def _add_uniqueness(operations: Operations, connection: Connection, table: Table,
                    added: set[str]) -> None:
    """The unique constraints over the columns just added (all of whose values are null, so
    none can be broken). SQLite cannot add a constraint to a table: the table is made again as
    the first revision has it, with its rows."""
    if connection.dialect.name == "sqlite":
        with operations.batch_alter_table(table.name, copy_from=table, recreate="always"):
            pass
        return
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and not added.isdisjoint(constraint.columns.keys()):
            operations.create_unique_constraint(constraint.name, table.name,
                                                list(constraint.columns.keys()))
