#include <sqlite3.h>
#include "CSQLiteConfig.h"

int stssqlite_disable_fts3_tokenizer(void *db) {
    int now = -1;
    int rc = sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, &now);
    return rc == SQLITE_OK && now == 0 ? SQLITE_OK : SQLITE_ERROR;
}

int stssqlite_disable_load_extension(void *db) {
    int now = -1;
    int rc = sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &now);
    return rc == SQLITE_OK && now == 0 ? SQLITE_OK : SQLITE_ERROR;
}
