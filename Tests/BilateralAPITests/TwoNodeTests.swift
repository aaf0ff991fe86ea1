import Dispatch
import Foundation
import HTTPCore
import HTTPTestSupport
import PostgresStore
import Storage
import StoreTestSupport
import Synchronization
import Testing

@testable import BilateralAPI

/// Two servers on one PostgreSQL database, as two nodes behind a balancer: what one writes the
/// other reads alike, and races between them end as one node alone would end them.
@Suite(.enabled(if: TestPostgres.isConfigured, "needs BILATERAL_TEST_POSTGRES"))
struct TwoNodeTests {
    /// Runs `body` with two nodes on a fresh database and a write token both accept.
    static func withTwoNodes<T>(
        configuration: APIConfiguration = APIConfiguration(), _ body: (HTTPServer, HTTPServer, String) throws -> T
    ) throws -> T {
        try TestPostgres.withDatabase { url in
            let first = try PostgresPool(url: url)
            defer { first.close() }
            let second = try PostgresPool(url: url)
            defer { second.close() }
            try Schema.migrate(first)
            try Schema.migrate(second)
            let (_, token) = try first.write { try APIKeyRepository().create(name: "tests", scope: .write, in: $0) }
            func node(_ store: any DatabaseStore) throws -> HTTPServer {
                let app = try BilateralApp(
                    store: store, configuration: configuration,
                    log: AccessLog(flushInterval: .never, output: { _ in }))
                return try HTTPServer(configuration: .test(), responder: app.responder, hooks: app.serverHooks)
            }
            let a = try node(first)
            defer { a.shutdown() }
            let b = try node(second)
            defer { b.shutdown() }
            return try body(a, b, token)
        }
    }

    @Test func aWriteThroughOneNodeReadsTheSameFromTheOther() throws {
        try Self.withTwoNodes { a, b, token in
            let created = try a.request(
                "POST", "/v1/actors",
                headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: Array(#"{"id":"un","kind":"organization","name":"United Nations"}"#.utf8))
            #expect(created.status == 201)
            let fromA = try a.request("GET", "/v1/actors/un")
            let fromB = try b.request("GET", "/v1/actors/un")
            #expect(fromB.status == 200)
            #expect(fromB.bodyString == fromA.bodyString)
            #expect(fromB["ETag"] == fromA["ETag"])
            #expect(fromB["ETag"] == created["ETag"])
        }
    }

    @Test func oneIdempotencyKeySentToBothNodesAtOnceMakesOneRecord() throws {
        try Self.withTwoNodes { a, b, token in
            let keys = (0..<12).map { "race-\($0)" }
            let answers = Mutex<[String: [RawResponse]]>([:])
            let group = DispatchGroup()
            for key in keys {
                for node in [a, b] {
                    group.enter()
                    DispatchQueue.global().async {
                        defer { group.leave() }
                        let response = try? node.request(
                            "POST", "/v1/sources",
                            headers: [
                                ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"),
                                ("Idempotency-Key", key),
                            ],
                            body: Array(#"{"title":"Race \#(key)","url":"https://example.org/\#(key)"}"#.utf8))
                        answers.withLock { $0[key, default: []] += response.map { [$0] } ?? [] }
                    }
                }
            }
            group.wait()
            let sources = try a.request("GET", "/v1/sources?limit=100").jsonObject()["data"] as? [[String: Any]]
            #expect(sources?.count == keys.count)
            for key in keys {
                let pair = answers.withLock { $0[key] ?? [] }
                #expect(pair.count == 2)
                #expect(pair.allSatisfy { $0.status == 201 }, "\(key): \(pair.map(\.bodyString))")
                #expect(Set(pair.compactMap { $0["Location"] }).count == 1, "\(key): one record, one Location")
                #expect(pair.first?.bodyString == pair.last?.bodyString)
            }
        }
    }

    @Test func theBulkBudgetIsTheServicesNotEachNodes() throws {
        var configuration = APIConfiguration()
        configuration.rateLimits.bulk = RateLimitBudget(quota: 3, window: 3600)
        try Self.withTwoNodes(configuration: configuration) { a, b, token in
            let auth = [("Authorization", "Bearer \(token)")]
            let first = try a.request("GET", "/v1/export", headers: auth)
            #expect(first.status == 200)
            #expect(first["RateLimit"] == #""bulk";r=2;t=1200"#)
            #expect(try b.request("GET", "/v1/export", headers: auth).status == 200)
            #expect(try a.request("GET", "/v1/export", headers: auth).status == 200)
            // Each node alone has spent at most two of its three; together they spent all three.
            let refused = try b.request("GET", "/v1/export", headers: auth)
            #expect(refused.status == 429)
            #expect(refused["Retry-After"].flatMap { Int($0) }.map { $0 > 1000 } == true)
        }
    }
}
