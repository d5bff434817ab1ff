"""The database (SQLAlchemy models, migrations, repository functions) and files under data_dir."""
