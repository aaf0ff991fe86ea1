import Storage

/// Prints the SQL a plan runs, arguments substituted as literals, one migration per transaction.
struct NoRow: Row {
    var count: Int { 0 }
    func columnName(at index: Int) -> String { "" }
    func isNull(_ index: Int) -> Bool { true }
    func value(_ index: Int) -> SQLValue { .null }
    func optionalInt64(_ index: Int) -> Int64? { nil }
    func optionalDouble(_ index: Int) -> Double? { nil }
    func optionalString(_ index: Int) -> String? { nil }
    func optionalBlob(_ index: Int) -> [UInt8]? { nil }
    func withUnsafeOptionalText<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T) rethrows -> T {
        try body(nil)
    }
    func index(of name: String) throws -> Int { 0 }
    func nullError(_ index: Int) -> any Error { CancellationError() }
}
struct NoCursor: RowCursor {
    mutating func step() throws -> Bool { false }
    var row: NoRow { NoRow() }
}
final class Printer: Database {
    var backend: Backend { .postgresql }
    func literal(_ v: SQLValue) -> String {
        switch v {
        case .null: return "NULL"
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .text(let s): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let b):
            let hex = b.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
            return "'\\x\(hex)'::bytea"
        }
    }
    func execute(_ sql: String) throws { print(sql.hasSuffix(";") || sql.hasSuffix(";\n") ? sql : sql + ";") }
    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        var out = ""
        var args = arguments[...]
        for c in sql {
            if c == "?" { out += literal(args.popFirst()!) } else { out.append(c) }
        }
        precondition(args.isEmpty, "unused arguments")
        try execute(out)
    }
    func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (NoRow) throws -> Void) throws {
        fatalError("query in a migration: \(sql)")
    }
    func queryOne<T>(_ sql: String, _ arguments: [SQLValue], row: (NoRow) throws -> T) throws -> T? {
        fatalError("query in a migration: \(sql)")
    }
    func cursor(_ sql: String, _ arguments: [SQLValue]) throws -> NoCursor { NoCursor() }
    var changes: Int { 0 }
    var isInTransaction: Bool { true }
    func transaction<T>(_ kind: TransactionKind, _ body: (Printer) throws -> T) throws -> T { try body(self) }
    func deferForeignKeys() throws {}
    subscript<Value: AnyObject>(attachment type: Value.Type) -> Value? {
        get { nil }
        set {}
    }
}

let db = Printer()
let upTo = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1])! : Int.max
for migration in PostgresSchema.plan.migrations where migration.version <= upTo {
    print("-- migration \(migration.version): \(migration.name)\nBEGIN;")
    try migration.apply(db)
    print("COMMIT;")
}
precondition(PostgresSchema.plan.beforeEachCommit == nil)
if CommandLine.arguments.count > 2 {
    // The PostgreSQL payload templates, for the workload's set-based refresh.
    let p = PostgresRelationSchema.payloads
    let object = [
        "meetings": [p.meetingActors, p.meetingTopics], "statements": [p.statementSpeaker, p.statementTopics],
    ]
    func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
    let text = "{" + object.map { quote($0.key) + ": [" + $0.value.map(quote).joined(separator: ", ") + "]" }
        .joined(separator: ", ") + "}"
    try! text.write(toFile: CommandLine.arguments[2], atomically: true, encoding: .utf8)
}
