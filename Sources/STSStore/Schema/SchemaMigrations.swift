import GRDB

/// The database schema as a list of named GRDB migrations. A migration that has shipped is
/// never edited: a change to the schema is a new migration appended at the end, so every
/// database ever written can be brought up to date. docs/database.md documents the result.
enum SchemaMigrations {
    /// Every migration, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-schema", migrate: v1Schema)
        migrator.registerMigration("v2-mx-probes", migrate: v2MXProbes)
        migrator.registerMigration("v3-scan-parts", migrate: v3ScanParts)
        migrator.registerMigration("v4-address-attempts", migrate: v4AddressAttempts)
        return migrator
    }

    /// v1: scans, per-domain results and their children, the vocabulary and the `results` view.
    /// The status vocabularies (docs/architecture.md) are CHECK constraints, so a scanner bug
    /// cannot store a value that reports and SQL users do not expect. They are written as
    /// `=`/`OR` chains: SQLite evaluates a CHECK with `IN (...)` of more than two values by
    /// building a temporary b-tree for every inserted row, which cost 3x the insert rate.
    private static func v1Schema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE scans(
                id INTEGER PRIMARY KEY,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                tool_version TEXT NOT NULL,
                cares_version TEXT NOT NULL,
                curl_version TEXT NOT NULL,
                sqlite_version TEXT NOT NULL,
                resolvers TEXT NOT NULL CHECK (json_valid(resolvers) AND json_type(resolvers) = 'array'),
                options TEXT NOT NULL CHECK (json_valid(options) AND json_type(options) = 'object'),
                input_name TEXT NOT NULL,
                input_sha256 TEXT,
                domains_total INTEGER CHECK (domains_total >= 0),
                domains_done INTEGER NOT NULL DEFAULT 0 CHECK (domains_done >= 0),
                errors INTEGER NOT NULL DEFAULT 0 CHECK (errors >= 0),
                shard TEXT
            );

            -- The vocabulary of finding codes, refreshed from FindingCode on every open.
            CREATE TABLE finding_codes(
                code TEXT PRIMARY KEY NOT NULL,
                severity TEXT NOT NULL CHECK (severity = 'error' OR severity = 'warning' OR severity = 'info'),
                stage TEXT NOT NULL,
                result_type TEXT NOT NULL,
                summary TEXT NOT NULL,
                advice TEXT NOT NULL DEFAULT ''
            ) WITHOUT ROWID;

            -- One row per input entry; clustered on (scan_id, position) so a scan is one range.
            CREATE TABLE domain_results(
                scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
                position INTEGER NOT NULL CHECK (position >= 0),
                rank INTEGER,
                domain TEXT NOT NULL,
                input TEXT NOT NULL,
                mx_status TEXT NOT NULL
                    CHECK (mx_status = 'ok' OR mx_status = 'nodata' OR mx_status = 'nxdomain'
                           OR mx_status = 'timeout' OR mx_status = 'servfail' OR mx_status = 'error'),
                sts_record TEXT NOT NULL
                    CHECK (sts_record = 'absent' OR sts_record = 'valid' OR sts_record = 'invalid' OR sts_record = 'error'),
                sts_id TEXT,
                sts_cname TEXT,
                policy_status TEXT CHECK (policy_status = 'valid' OR policy_status = 'fetch-error' OR policy_status = 'invalid'),
                policy_host_cname TEXT,
                policy_address TEXT,
                http_status INTEGER,
                mode TEXT CHECK (mode = 'enforce' OR mode = 'testing' OR mode = 'none'),
                max_age INTEGER CHECK (max_age >= 0),
                mx_coverage TEXT CHECK (mx_coverage = 'all' OR mx_coverage = 'some' OR mx_coverage = 'none'),
                tlsrpt_record TEXT NOT NULL
                    CHECK (tlsrpt_record = 'absent' OR tlsrpt_record = 'valid' OR tlsrpt_record = 'invalid'
                           OR tlsrpt_record = 'error'),
                tlsrpt_rua TEXT,
                error_code TEXT REFERENCES finding_codes(code),
                error_detail TEXT,
                scanned_at TEXT NOT NULL,
                duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
                -- The domain's last label, set by the writer for by-TLD reports (indexed below). A plain
                -- column: SQLite 3.40 fails VACUUM INTO on read-only connections with generated columns.
                tld TEXT NOT NULL,
                PRIMARY KEY (scan_id, position)
            ) WITHOUT ROWID;

            CREATE TABLE findings(
                scan_id INTEGER NOT NULL,
                position INTEGER NOT NULL,
                seq INTEGER NOT NULL CHECK (seq >= 0),
                -- No foreign key to finding_codes: the writer only takes FindingCode values, and the
                -- lookup per finding cost a tenth of the insert rate (error_code keeps its key).
                code TEXT NOT NULL,
                severity TEXT NOT NULL CHECK (severity = 'error' OR severity = 'warning' OR severity = 'info'),
                stage TEXT NOT NULL,
                detail TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (scan_id, position, seq),
                FOREIGN KEY (scan_id, position) REFERENCES domain_results(scan_id, position) ON DELETE CASCADE
            ) WITHOUT ROWID;

            CREATE TABLE mx_hosts(
                scan_id INTEGER NOT NULL,
                position INTEGER NOT NULL,
                seq INTEGER NOT NULL CHECK (seq >= 0),
                preference INTEGER NOT NULL CHECK (preference BETWEEN 0 AND 65535),
                host TEXT NOT NULL,
                covered INTEGER CHECK (covered = 0 OR covered = 1),
                PRIMARY KEY (scan_id, position, seq),
                FOREIGN KEY (scan_id, position) REFERENCES domain_results(scan_id, position) ON DELETE CASCADE
            ) WITHOUT ROWID;

            CREATE TABLE policy_mx(
                scan_id INTEGER NOT NULL,
                position INTEGER NOT NULL,
                seq INTEGER NOT NULL CHECK (seq >= 0),
                pattern TEXT NOT NULL,
                PRIMARY KEY (scan_id, position, seq),
                FOREIGN KEY (scan_id, position) REFERENCES domain_results(scan_id, position) ON DELETE CASCADE
            ) WITHOUT ROWID;

            CREATE TABLE raw_records(
                scan_id INTEGER NOT NULL,
                position INTEGER NOT NULL,
                seq INTEGER NOT NULL CHECK (seq >= 0),
                kind TEXT NOT NULL CHECK (kind = 'sts' OR kind = 'tlsrpt'),
                text TEXT NOT NULL,
                PRIMARY KEY (scan_id, position, seq),
                FOREIGN KEY (scan_id, position) REFERENCES domain_results(scan_id, position) ON DELETE CASCADE
            ) WITHOUT ROWID;

            CREATE TABLE policy_bodies(
                scan_id INTEGER NOT NULL,
                position INTEGER NOT NULL,
                body TEXT NOT NULL,
                truncated INTEGER NOT NULL DEFAULT 0 CHECK (truncated = 0 OR truncated = 1),
                PRIMARY KEY (scan_id, position),
                FOREIGN KEY (scan_id, position) REFERENCES domain_results(scan_id, position) ON DELETE CASCADE
            ) WITHOUT ROWID;

            -- Report access paths (the primary keys serve per-scan range scans). Each index costs
            -- insert throughput, so only these: the
            -- status index covers the funnel, TLS-RPT and rank sections (index-only scans, grouped
            -- in index order); the partial policy index serves the sections about fetched policies.
            CREATE INDEX domain_results_status ON domain_results(scan_id, mx_status, sts_record, policy_status, mode,
                tlsrpt_record, rank);
            CREATE INDEX domain_results_policy ON domain_results(scan_id, policy_status, mode, mx_coverage, max_age)
                WHERE policy_status IS NOT NULL;
            CREATE INDEX domain_results_tld ON domain_results(scan_id, tld, policy_status, mode, tlsrpt_record);
            CREATE INDEX domain_results_scan_error ON domain_results(scan_id, error_code) WHERE error_code IS NOT NULL;
            -- Only error/warning findings (and duplicates) are indexed: info findings are frequent
            -- and rarely looked up by code.
            CREATE INDEX findings_scan_code ON findings(scan_id, code) WHERE severity <> 'info' OR code = 'input-duplicate';

            -- The stable interface for SQL users (docs/database.md): one row per input entry and scan.
            -- `position` (last) joins a row to findings, mx_hosts, policy_mx, raw_records, policy_bodies.
            CREATE VIEW results AS
            SELECT scan_id, rank, domain, mx_status, sts_record, sts_id, policy_status, mode,
                   max_age, mx_coverage, tlsrpt_record, tlsrpt_rua, error_code, error_detail,
                   sts_cname, policy_host_cname, http_status, scanned_at, position
            FROM domain_results;
            """)
    }

    /// v2: STARTTLS probes of MX hosts (one row per distinct host and scan) and the per-domain
    /// delivery verdict, appended to the `results` view as its last column.
    private static func v2MXProbes(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE domain_results ADD COLUMN delivery TEXT
                CHECK (delivery = 'ok' OR delivery = 'degraded' OR delivery = 'fails');

            -- One row per MX host probed in a scan; joins to mx_hosts on (scan_id, host).
            CREATE TABLE mx_probes(
                scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
                host TEXT NOT NULL,
                -- The IPv4 address probed (the first A record), and the first AAAA (recorded only).
                address TEXT,
                ipv6_address TEXT,
                -- 'ok', or the mx-tls finding code a sender would meet first.
                outcome TEXT NOT NULL CHECK (outcome = 'ok' OR outcome LIKE 'mx-%'),
                detail TEXT,
                greeting TEXT,
                tls_version TEXT,
                tls_cipher TEXT,
                cert_subject TEXT,
                cert_issuer TEXT,
                -- DNS subjectAltNames, comma-separated, in certificate order.
                cert_san TEXT,
                cert_not_after TEXT,
                cert_sha256 TEXT,
                chain_length INTEGER CHECK (chain_length >= 0),
                verify_result INTEGER,
                elapsed_ms INTEGER NOT NULL CHECK (elapsed_ms >= 0),
                probed_at TEXT NOT NULL,
                PRIMARY KEY (scan_id, host)
            ) WITHOUT ROWID;
            CREATE INDEX mx_hosts_host ON mx_hosts(scan_id, host);

            DROP VIEW results;
            CREATE VIEW results AS
            SELECT scan_id, rank, domain, mx_status, sts_record, sts_id, policy_status, mode,
                   max_age, mx_coverage, tlsrpt_record, tlsrpt_rua, error_code, error_detail,
                   sts_cname, policy_host_cname, http_status, scanned_at, position, delivery
            FROM domain_results;
            """)
    }

    /// v3: the parts a merged scan was made of (`stsscan merge`): one row per shard, naming the
    /// shard's file and scan and keeping its own times, counts and options (the engine's
    /// per-run facts differ between shards). Unsharded and shard scans have no rows here.
    private static func v3ScanParts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE scan_parts(
                scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
                -- 'K/N', as in the shard's scans.shard.
                shard TEXT NOT NULL,
                -- The shard database as given to `stsscan merge`, and the scan's id in it.
                source_file TEXT NOT NULL,
                source_scan_id INTEGER NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT NOT NULL,
                domains_total INTEGER NOT NULL CHECK (domains_total >= 0),
                errors INTEGER NOT NULL CHECK (errors >= 0),
                options TEXT NOT NULL CHECK (json_valid(options) AND json_type(options) = 'object'),
                merged_at TEXT NOT NULL,
                PRIMARY KEY (scan_id, shard)
            ) WITHOUT ROWID;
            """)
    }

    /// v4: every address a probe or fetch tried, in order, as a sender tries them (RFC 5321
    /// §5.1): `ADDR outcome` entries joined by `, ` (`AddressAttempt`). NULL in rows stored
    /// before, and when no address was tried.
    private static func v4AddressAttempts(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE mx_probes ADD COLUMN attempts TEXT;
            ALTER TABLE domain_results ADD COLUMN policy_attempts TEXT;
            """)
    }
}
