// STSStore: the SQLite database (GRDB): schema, migrations, the results view, one batched writer.
// `ResultStore` is the only entry point for writing; `SchemaMigrations` holds the schema as
// named migrations (never edited once shipped); docs/database.md documents it for SQL users.
