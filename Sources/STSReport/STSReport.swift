// STSReport: read-only answers from a stored scan: reports, SQL access, diffs.
