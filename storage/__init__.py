"""Tables (SQLModel) and keyword-only queries, by domain; db.py is the engine and unit of work, models.py
imports every table, migrate.py and migrations/ keep the schema current (Alembic)."""
