/// A whole report (or diff): built once from the database by SQL, then rendered by one
/// renderer per format. Nothing in it depends on the time it was built, so equal databases
/// give byte-identical output.
public struct Report: Sendable, Hashable, Codable {
    /// `stsscan report` or `stsscan diff`.
    public var kind: String
    public var title: String
    /// The named SQL parameters the sections were run with (`scan_id`, `from_scan`, ...).
    public var parameters: [String: Int64]
    public var sections: [ReportTable]
    /// SQL run before the sections (the diff's temporary tables), nil when none.
    public var setupSQL: String?
    /// What a reader must know before any figure, printed first by every format: the scan
    /// is unfinished (entries stored of how many, how to resume). nil for a finished scan.
    public var notice: String?

    public init(kind: String, title: String, parameters: [String: Int64], sections: [ReportTable],
                setupSQL: String? = nil, notice: String? = nil) {
        self.notice = notice
        self.kind = kind
        self.title = title
        self.parameters = parameters
        self.sections = sections
        self.setupSQL = setupSQL
    }

    /// The section with this id, if any.
    public func section(_ id: String) -> ReportTable? { sections.first { $0.id == id } }
}
