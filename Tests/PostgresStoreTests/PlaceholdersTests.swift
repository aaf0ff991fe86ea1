import Testing

@testable import PostgresStore

@Suite struct PlaceholdersTests {
    @Test(arguments: [
        ("SELECT 1", "SELECT 1", 0),
        ("SELECT ?", "SELECT $1", 1),
        ("INSERT INTO t (a, b) VALUES (?, ?)", "INSERT INTO t (a, b) VALUES ($1, $2)", 2),
        ("SELECT '?' || ?", "SELECT '?' || $1", 1),
        ("SELECT 'it''s ?' || ?", "SELECT 'it''s ?' || $1", 1),
        (#"SELECT E'\'?' || ?"#, #"SELECT E'\'?' || $1"#, 1),
        (#"SELECT "col?" FROM t WHERE a = ?"#, #"SELECT "col?" FROM t WHERE a = $1"#, 1),
        (#"SELECT "a""?" , ?"#, #"SELECT "a""?" , $1"#, 1),
        ("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2),
        ("SELECT /* ? /* nested ? */ still ? */ ?", "SELECT /* ? /* nested ? */ still ? */ $1", 1),
        ("SELECT $$ ? $$, ?", "SELECT $$ ? $$, $1", 1),
        ("SELECT $tag$ ? $x$ ? $tag$, ?", "SELECT $tag$ ? $x$ ? $tag$, $1", 1),
        (
            #"SELECT to_char(now(), 'YYYY-MM-DD"T"HH24') WHERE a = ? AND b = ?"#,
            #"SELECT to_char(now(), 'YYYY-MM-DD"T"HH24') WHERE a = $1 AND b = $2"#, 2
        ),
        ("SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11", 11),
        ("SELECT 'é?', ?", "SELECT 'é?', $1", 1),
        ("SELECT ?1, ?2, ?1", "SELECT $1, $2, $1", 2),
        ("SELECT ?2 WHERE a = ?1 AND b = ?", "SELECT $2 WHERE a = $1 AND b = $3", 3),
        ("SELECT ?12", "SELECT $12", 12),
    ])
    func numbersEveryMarkerOutsideQuotesAndComments(sql: String, expected: String, count: Int) {
        let numbered = Placeholders.numbered(sql)
        #expect(numbered.sql == expected)
        #expect(numbered.count == count)
    }

    @Test func leavesAnUnterminatedStringAlone() {
        #expect(Placeholders.numbered("SELECT 'abc ?").sql == "SELECT 'abc ?")
    }

    @Test func recognizesConnectionURIs() {
        #expect(PostgresConfiguration.isConnectionURI("postgresql://u@h/db"))
        #expect(PostgresConfiguration.isConnectionURI("postgres://h"))
        #expect(!PostgresConfiguration.isConnectionURI("/var/lib/bilateral.sqlite"))
        #expect(!PostgresConfiguration.isConnectionURI("postgresql.sqlite"))
    }

    @Test func rendersDurationsAsMilliseconds() {
        #expect(PostgresConfiguration.milliseconds(.seconds(30)) == 30_000)
        #expect(PostgresConfiguration.milliseconds(.microseconds(1500)) == 2)
        #expect(PostgresConfiguration.milliseconds(.seconds(-1)) == 0)
        #expect(PostgresConfiguration(connectTimeout: .milliseconds(100)).connectTimeoutSeconds == 1)
    }

    @Test func mapsSQLStatesToKinds() {
        #expect(PostgresError.kind(sqlstate: "23505") == .uniqueViolation)
        #expect(PostgresError.kind(sqlstate: "40P01") == .conflict)
        #expect(PostgresError.kind(sqlstate: "55P03") == .busy)
        #expect(PostgresError.kind(sqlstate: "57014") == .interrupted)
        #expect(PostgresError.kind(sqlstate: "08006") == .unavailable)
        #expect(PostgresError.kind(sqlstate: "57P01") == .unavailable)
        #expect(PostgresError.kind(sqlstate: "25006") == .readOnly)
        #expect(PostgresError.kind(sqlstate: "XX001") == .corrupt)
        #expect(PostgresError.kind(sqlstate: "42P01") == .invalidQuery)
        #expect(PostgresError.kind(sqlstate: "22P02") == .invalidQuery)
        #expect(PostgresError.kind(sqlstate: "53100") == .other)
    }
}
