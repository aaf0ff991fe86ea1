import Storage

/// The bundled sample: the founding article's facts (`Resources/sample.ndjson`).
public enum SampleData {
    public enum Outcome: Equatable, Sendable {
        case loaded(records: Int)
        /// The database already holds records: the sample never touches them.
        case skipped
    }

    /// Loads the sample into a database that has no records yet.
    public static func loadIfEmpty(into store: any DatabaseStore) throws -> Outcome {
        let hasRecords = try store.read { db in
            try db.scalar(
                """
                SELECT CASE WHEN EXISTS (SELECT 1 FROM actors) OR EXISTS (SELECT 1 FROM sources)
                    OR EXISTS (SELECT 1 FROM meetings) OR EXISTS (SELECT 1 FROM statements)
                    OR EXISTS (SELECT 1 FROM initiatives) THEN 1 ELSE 0 END
                """)?.int == 1
        }
        guard !hasRecords else { return .skipped }
        let counts = try RecordImport.apply(Array(try BundledResource.data("sample.ndjson")), to: store)
        return .loaded(records: counts.created + counts.updated + counts.unchanged)
    }
}
