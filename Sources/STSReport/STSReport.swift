// STSReport: read-only answers from a stored scan: reports, SQL access, diffs.
// Data path inside: ReportSQL / DiffSQL (the SQL, one place) -> ReportBuilder (runs it on a
// read-only ReportDatabase) -> Report (a value) -> one renderer per format (Render/).
