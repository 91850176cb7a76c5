// STSStore: the SQLite database (GRDB): schema, migrations, the results view, one batched writer.
