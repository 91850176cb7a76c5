#ifndef STSSCAN_SQLITE_CONFIG_H
#define STSSCAN_SQLITE_CONFIG_H
// sqlite3_db_config is variadic, which Swift cannot call: typed wrappers. The connection is
// passed as void * so this header does not re-export <sqlite3.h> next to GRDB's module.

/// Turns off the two-argument fts3_tokenizer() (it registers a tokenizer from a raw
/// pointer) on `db`, a sqlite3 *. Returns the SQLite result code.
int stssqlite_disable_fts3_tokenizer(void *db);

/// Turns off loading extensions (C API and SQL load_extension()) on `db`, a sqlite3 *.
int stssqlite_disable_load_extension(void *db);
#endif
