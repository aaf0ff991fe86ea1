import Dispatch
import Foundation
import HTTPCore
import HTTPTestSupport
import Storage
import StoreTestSupport
import Testing

@testable import BilateralAPI

/// `GET /v1/changes/stream` over a raw socket: the backlog after `since`, then each change as it
/// commits; `Last-Event-ID`, `types`, headers, auth, CORS, shutdown and the stream limits.
@Suite("Change stream (Server-Sent Events)")
struct ChangeStreamTests {
    static func source(_ index: Int) -> String {
        #"{"id":"s\#(index)","title":"T\#(index)","url":"https://example.org/\#(index)"}"#
    }

    static func ids(_ stream: EventStreamClient) throws -> [String] {
        try stream.changes().compactMap { $0["id"] as? String }
    }

    @Test func theBacklogAfterSinceThenWhatIsWrittenLater() throws {
        try WritingClient.with { client, _ in
            for index in 1...3 {
                #expect(try client.send("POST", "/v1/sources", json: Self.source(index)).status == 201)
            }
            let stream = try EventStreamClient.open(client.server, "/v1/changes/stream?since=1")
            defer { stream.close() }
            #expect(stream.status == 200)
            #expect(stream.headers["Content-Type"]?.hasPrefix("text/event-stream") == true)
            #expect(stream.headers["Cache-Control"] == "no-store")
            #expect(stream.headers["Transfer-Encoding"] == "chunked")
            let backlog = stream.waitForEvents(2)
            #expect(backlog.map(\.id) == ["2", "3"])
            #expect(backlog.allSatisfy { $0.event == "change" })
            #expect(stream.comments.first == "stream open", "the open comment comes first")
            #expect(try Self.ids(stream) == ["s2", "s3"])
            // The data is the change as the feed gives it.
            let fromFeed = try client.changePage("since=1").changes
            let streamed = try stream.changes()
            #expect(streamed.count == fromFeed.count)
            for (event, change) in zip(streamed, fromFeed) {
                #expect(ChangeFeedTests.sameJSON(event, change), "\(event)")
            }

            #expect(try client.send("POST", "/v1/sources", json: Self.source(4)).status == 201)
            #expect(try client.send("DELETE", "/v1/sources/s1").status == 204)
            let live = stream.waitForEvents(4)
            #expect(live.map(\.id) == ["2", "3", "4", "5"])
            let tombstone = try #require(try stream.changes().last)
            #expect(tombstone["op"] as? String == "delete")
            #expect(tombstone["record"] is NSNull)
            #expect(!stream.ended)
        }
    }

    /// No `since`: only what is written after the stream opened.
    @Test func withoutSinceOnlyNewChanges() throws {
        try WritingClient.with { client, _ in
            for index in 1...2 {
                #expect(try client.send("POST", "/v1/sources", json: Self.source(index)).status == 201)
            }
            let stream = try EventStreamClient.open(client.server, "/v1/changes/stream")
            defer { stream.close() }
            #expect(stream.status == 200)
            // The stream is open (its first comment arrived) before the write.
            #expect(stream.read { $0.comments.contains("stream open") })
            #expect(try client.send("POST", "/v1/sources", json: Self.source(3)).status == 201)
            #expect(stream.waitForEvents(1).map(\.id) == ["3"])
        }
    }

    @Test func lastEventIDResumesWithExactlyWhatFollowed() throws {
        try WritingClient.with { client, _ in
            for index in 1...3 {
                #expect(try client.send("POST", "/v1/sources", json: Self.source(index)).status == 201)
            }
            let first = try EventStreamClient.open(client.server, "/v1/changes/stream?since=0")
            #expect(first.waitForEvents(3).count == 3)
            let lastID = try #require(first.events.last?.id)
            first.close()
            // Written while the client was away.
            for index in 4...5 {
                #expect(try client.send("POST", "/v1/sources", json: Self.source(index)).status == 201)
            }
            // An EventSource reconnects to the URL it opened, naming the last event it saw.
            let resumed = try EventStreamClient.open(
                client.server, "/v1/changes/stream?since=0", headers: [("Last-Event-ID", lastID)])
            defer { resumed.close() }
            #expect(resumed.status == 200)
            #expect(resumed.waitForEvents(2).map(\.id) == ["4", "5"])
            #expect(try client.send("POST", "/v1/sources", json: Self.source(6)).status == 201)
            #expect(resumed.waitForEvents(3).map(\.id) == ["4", "5", "6"])
            // Nothing more arrives: each change once.
            #expect(resumed.events.count == 3)

            let bad = try client.get("/v1/changes/stream", headers: [("Last-Event-ID", "x")])
            #expect(bad.status == 400)
            // Ahead of the feed (another database's id): the stream waits for the feed to pass it.
            let ahead = try EventStreamClient.open(
                client.server, "/v1/changes/stream", headers: [("Last-Event-ID", "99")])
            defer { ahead.close() }
            #expect(ahead.status == 200)
        }
    }

    /// A backlog longer than the hub reads at a time (200), then concurrent writers: every change
    /// once, in order.
    @Test func aLongBacklogThenConcurrentWritesArriveOnceInOrder() throws {
        try WritingClient.with { client, _ in
            let lines = (1...450).map {
                #"{"type":"source","id":"b\#($0)","title":"B\#($0)","url":"https://example.org/b\#($0)"}"#
            }
            let imported = try ImportRoutesTests.post(client, Array(lines.joined(separator: "\n").utf8))
            #expect(imported.status == 200)
            let stream = try EventStreamClient.open(client.server, "/v1/changes/stream?since=0")
            defer { stream.close() }
            #expect(stream.waitForEvents(450).count == 450)
            let written = ChangeFeedTests.writeConcurrently(
                [client.server], token: client.token, threads: 4, perThread: 10)
            #expect(written.failures.isEmpty)
            let events = stream.waitForEvents(490)
            #expect(events.map(\.id) == (1...490).map { String($0) })
            #expect(Set(try Self.ids(stream).suffix(40)) == written.ids)
        }
    }

    /// A client that stops reading holds back nobody: the other streams get every change.
    @Test func aStalledReaderStallsNoOtherStream() throws {
        // The transport's behaviour, whatever the store: SQLite alone keeps it quick.
        let configuration = ServerConfiguration.test(
            writeTimeout: .milliseconds(500), outboundHighWaterBytes: 16 * 1024)
        try withAPIServer(server: configuration, backends: [.sqlite]) { server, app, _ in
            let (_, token) = try app.store.write { try APIKeyRepository().create(name: "t", scope: .write, in: $0) }
            let client = WritingClient(server: server, token: token)
            let stalled = try RawClient.connect(port: server.port, receiveBufferSize: 4096)
            defer { stalled.close() }
            try stalled.send("GET /v1/changes/stream?since=0 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let reader = try EventStreamClient.open(server, "/v1/changes/stream?since=0")
            defer { reader.close() }
            let long = String(repeating: "x", count: 480)
            let short = String(repeating: "y", count: 200)
            // About 5 MB of events: more than loopback's socket buffers (4 MiB) hold.
            let lines = (1...4500).map {
                #"{"type":"source","id":"l\#($0)","title":"\#(long)","url":"https://example.org/l\#($0)","publisher":"\#(short)","author":"\#(short)"}"#
            }
            let imported = try ImportRoutesTests.post(client, Array(lines.joined(separator: "\n").utf8))
            #expect(imported.status == 200, "\(imported.bodyString.prefix(300))")
            #expect(try client.send("POST", "/v1/sources", json: Self.source(1)).status == 201)
            let events = reader.waitForEvents(4501, within: .seconds(10))
            #expect(events.count == 4501)
            #expect(events.last?.id == "4501")
            // The stalled one is closed by the write timeout (500 ms here), not kept forever.
            // (Watched from the hub: reading the socket would unstall it.)
            let deadline = ContinuousClock.now + .seconds(5)
            while app.changeHub.subscriberCount > 1 && ContinuousClock.now < deadline {
                _ = reader.read(within: .milliseconds(20)) { _ in false }
            }
            #expect(app.changeHub.subscriberCount == 1)
        }
    }

    /// The hub reads a page at a time for each group of subscribers at one position: with pages
    /// of 3, filtered and unfiltered streams still get everything once, in order; and a stream
    /// sent nothing for the heartbeat interval gets a comment.
    @Test func aHubWithSmallPagesAndAShortHeartbeat() throws {
        try WritingClient.with { client, app in
            let hub = ChangeHub(store: app.store, pageSize: 3, pollMilliseconds: 20, heartbeatSeconds: 0)
            defer { hub.stop() }
            var router = Router()
            router.get("/hub") { request in
                let types = Set(try request.queryItems().filter { $0.name == "types" }.map(\.value))
                return Response(
                    status: .ok, headers: ["Content-Type": "text/event-stream"],
                    body: .push { hub.subscribe($0, types: types, after: 0) })
            }
            for index in 1...7 {
                #expect(try client.send("POST", "/v1/sources", json: Self.source(index)).status == 201)
                let actor = #"{"id":"o\#(index)","kind":"organization","name":"O\#(index)"}"#
                if index.isMultiple(of: 2) { #expect(try client.send("POST", "/v1/actors", json: actor).status == 201) }
            }
            try withTestServer(responder: router) { server in
                let all = try EventStreamClient.open(server, "/hub")
                defer { all.close() }
                let actors = try EventStreamClient.open(server, "/hub?types=actor")
                defer { actors.close() }
                let again = try EventStreamClient.open(server, "/hub")
                defer { again.close() }
                #expect(all.waitForEvents(10).map(\.id) == (1...10).map { String($0) })
                #expect(again.waitForEvents(10).map(\.id) == (1...10).map { String($0) })
                #expect(actors.waitForEvents(3).count == 3)
                #expect(try Self.ids(actors) == ["o2", "o4", "o6"])
                #expect(
                    try client.send("POST", "/v1/actors", json: #"{"id":"o8","kind":"organization","name":"O8"}"#)
                        .status == 201)
                hub.changed()
                #expect(actors.waitForEvents(4).map(\.id) == ["3", "6", "9", "11"])
                #expect(all.waitForEvents(11).count == 11)
                #expect(all.read { $0.comments.contains("heartbeat") })
                #expect(all.events.count == 11, "nothing twice")
            }
        }
    }

    @Test func headOfTheStreamSendsNoBody() throws {
        try WritingClient.with { client, _ in
            let head = try client.server.request("HEAD", "/v1/changes/stream")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head["Content-Type"]?.hasPrefix("text/event-stream") == true)
        }
    }

    @Test func typesAreHonoured() throws {
        try WritingClient.with { client, _ in
            let stream = try EventStreamClient.open(client.server, "/v1/changes/stream?since=0&types=actor")
            defer { stream.close() }
            #expect(stream.status == 200)
            #expect(try client.send("POST", "/v1/sources", json: Self.source(1)).status == 201)
            #expect(
                try client.send("POST", "/v1/actors", json: #"{"id":"un","kind":"organization","name":"UN"}"#).status
                    == 201)
            #expect(try client.send("POST", "/v1/sources", json: Self.source(2)).status == 201)
            #expect(
                try client.send("POST", "/v1/actors", json: #"{"id":"eu","kind":"organization","name":"EU"}"#).status
                    == 201)
            let events = stream.waitForEvents(2)
            #expect(events.map(\.id) == ["2", "4"])
            #expect(try Self.ids(stream) == ["un", "eu"])
            #expect(try client.get("/v1/changes/stream?types=planet").status == 400)
            #expect(try client.get("/v1/changes/stream?limit=3").status == 400, "an unknown parameter")
            #expect(try client.get("/v1/changes/stream?since=-1").status == 400)
            #expect(try client.get("/v1/changes/stream?since=x").status == 400)
        }
    }

    @Test func neverCompressedAndCORSForAnAllowedOrigin() throws {
        let origin = "https://app.example"
        try withAPIServer(configuration: APIConfiguration(corsOrigins: [origin])) { server, _, _ in
            let stream = try EventStreamClient.open(
                server, "/v1/changes/stream?since=0", headers: [("Accept-Encoding", "gzip"), ("Origin", origin)])
            defer { stream.close() }
            #expect(stream.status == 200)
            #expect(stream.headers["Content-Encoding"] == nil)
            #expect(stream.headers["Access-Control-Allow-Origin"] == origin)
            #expect(stream.read { $0.comments.contains("stream open") }, "the body is plain text")
            // A browser's EventSource may send Last-Event-ID across origins.
            let preflight = try server.request(
                "OPTIONS", "/v1/changes/stream",
                headers: [
                    ("Origin", origin), ("Access-Control-Request-Method", "GET"),
                    ("Access-Control-Request-Headers", "last-event-id"),
                ])
            #expect(preflight.status == 204)
            #expect(
                preflight.headers.listValues(for: "Access-Control-Allow-Headers").map { $0.lowercased() }.contains(
                    "last-event-id"))
            // The feed itself is an ordinary JSON read, with the same CORS headers.
            let feed = try server.request("GET", "/v1/changes?since=0", headers: [("Origin", origin)])
            #expect(feed["Access-Control-Allow-Origin"] == origin)
        }
    }

    @Test func privateReadsNeedAKeyForTheFeedAndTheStream() throws {
        try withAPIServer(configuration: APIConfiguration(privateReads: true)) { server, app, _ in
            #expect(try server.request("GET", "/v1/changes").status == 401)
            #expect(try server.request("GET", "/v1/changes/stream").status == 401)
            let (_, token) = try app.store.write { try APIKeyRepository().create(name: "r", scope: .read, in: $0) }
            let auth = [("Authorization", "Bearer \(token)")]
            #expect(try server.request("GET", "/v1/changes", headers: auth).status == 200)
            let stream = try EventStreamClient.open(server, "/v1/changes/stream", headers: auth)
            defer { stream.close() }
            #expect(stream.status == 200)
        }
    }

    /// Under `--private` a stream is a read that lasts: once its key is revoked it must stop
    /// getting changes (a revoked key's next request is a 401; its open stream should end too).
    @Test func aRevokedKeysStreamGetsNoMoreChanges() throws {
        try withAPIServer(configuration: APIConfiguration(privateReads: true)) { server, app, _ in
            let (key, readToken) = try app.store.write {
                try APIKeyRepository().create(name: "r", scope: .read, in: $0)
            }
            let (_, writeToken) = try app.store.write {
                try APIKeyRepository().create(name: "w", scope: .write, in: $0)
            }
            let writer = WritingClient(server: server, token: writeToken)
            let stream = try EventStreamClient.open(
                server, "/v1/changes/stream", headers: [("Authorization", "Bearer \(readToken)")])
            defer { stream.close() }
            #expect(stream.read { $0.comments.contains("stream open") })
            #expect(try writer.send("POST", "/v1/sources", json: Self.source(1)).status == 201)
            #expect(stream.waitForEvents(1).count == 1)
            #expect(try app.store.write { try APIKeyRepository().revoke(id: key.id, in: $0) })
            #expect(try writer.get("/v1/changes", headers: [("Authorization", "Bearer \(readToken)")]).status == 401)
            #expect(try writer.send("POST", "/v1/sources", json: Self.source(2)).status == 201)
            // The write's event would come within the poll (250 ms); a second is plenty.
            stream.read(within: .seconds(1)) { $0.events.count > 1 || $0.ended }
            #expect(stream.events.filter { $0.event == "change" }.count == 1, "the revoked key still receives changes")
            // It is told why, and the stream ends.
            #expect(stream.events.last?.event == "error")
            #expect(stream.events.last?.data.contains(#""status":401"#) == true)
            stream.read(within: .seconds(1)) { $0.ended }
            #expect(stream.ended)
        }
    }

    @Test func aPrunedSinceIs410ForTheStreamToo() throws {
        try WritingClient.with { client, app in
            for index in 1...5 {
                #expect(try client.send("POST", "/v1/sources", json: Self.source(index)).status == 201)
            }
            try ChangeRetention(rows: 2).prune(app.store, now: WallClock.secondsSinceEpoch())
            let gone = try client.get("/v1/changes/stream?since=1")
            #expect(gone.status == 410)
            #expect(gone["Content-Type"] == "application/problem+json")
            #expect(try client.get("/v1/changes/stream", headers: [("Last-Event-ID", "2")]).status == 410)
            let kept = try EventStreamClient.open(client.server, "/v1/changes/stream?since=3")
            defer { kept.close() }
            #expect(kept.waitForEvents(2).map(\.id) == ["4", "5"])
        }
    }

    /// A stream whose position is pruned while it is behind is told so and ended, never skipped.
    @Test func aStreamPrunedPastWhileOpenEndsWithAnError() throws {
        try WritingClient.with { client, app in
            #expect(try client.send("POST", "/v1/sources", json: Self.source(1)).status == 201)
            let stream = try EventStreamClient.open(client.server, "/v1/changes/stream?since=1")
            defer { stream.close() }
            #expect(stream.read { $0.comments.contains("stream open") })
            // Three changes appended and pruned at once, as a retention run between two looks of
            // the hub would leave them: the stream's position (1) is gone.
            try app.store.write { db in
                try db.execute("UPDATE change_clock SET last_seq = 4, pruned_through = 3", [])
            }
            #expect(stream.read { $0.events.contains { $0.event == "error" } || $0.ended })
            #expect(stream.events.contains { $0.event == "error" && $0.data.contains("410") })
        }
    }

    @Test func shutdownEndsAnOpenStreamCleanly() throws {
        try WritingClient.with { client, _ in
            let stream = try EventStreamClient.open(client.server, "/v1/changes/stream?since=0")
            defer { stream.close() }
            #expect(stream.read { $0.comments.contains("stream open") })
            let stopped = DispatchSemaphore(value: 0)
            let server = client.server
            Thread.detachNewThread {
                server.shutdown()
                stopped.signal()
            }
            #expect(stream.read { $0.ended }, "the last chunk arrives")
            #expect(stream.closes(within: .seconds(3)))
            #expect(stopped.wait(timeout: .now() + 5) == .success)
        }
    }

    /// An open stream is not an idle connection: the idle timeout leaves it open.
    @Test func anOpenStreamOutlivesTheIdleTimeout() throws {
        try withAPIServer(server: .test(idleTimeout: .milliseconds(100))) { server, _, _ in
            let stream = try EventStreamClient.open(server, "/v1/changes/stream")
            defer { stream.close() }
            #expect(stream.read { $0.comments.contains("stream open") })
            #expect(!stream.closes(within: .milliseconds(500)))
        }
    }

    @Test func beyondTheEventStreamLimits() throws {
        var perClient = ServerConfiguration.test()
        perClient.maxEventStreams = 8
        perClient.maxEventStreamsPerClient = 2
        try withAPIServer(server: perClient) { server, _, _ in
            let open = try (0..<2).map { _ in try EventStreamClient.open(server, "/v1/changes/stream") }
            defer { open.forEach { $0.close() } }
            #expect(open.allSatisfy { $0.status == 200 })
            let refused = try server.request("GET", "/v1/changes/stream")
            #expect(refused.status == 429, "\(refused.bodyString)")
            // The feed is no stream: it is still answered.
            #expect(try server.request("GET", "/v1/changes").status == 200)
            // A closed stream gives its place back, without waiting for a write to fail.
            open[0].close()
            let again = try Self.openWithin(server, seconds: 2)
            defer { again?.close() }
            #expect(again?.status == 200)
        }
        var total = ServerConfiguration.test()
        total.maxEventStreams = 2
        total.maxEventStreamsPerClient = 8
        try withAPIServer(server: total) { server, _, _ in
            let open = try (0..<2).map { _ in try EventStreamClient.open(server, "/v1/changes/stream") }
            defer { open.forEach { $0.close() } }
            #expect(open.allSatisfy { $0.status == 200 })
            let refused = try server.request("GET", "/v1/changes/stream")
            #expect(refused.status == 503, "\(refused.bodyString)")
            #expect(refused["Retry-After"] != nil)
        }
    }

    /// Opens a stream, trying again while its place is not yet given back (the server learns of
    /// a closed connection asynchronously).
    static func openWithin(_ server: HTTPServer, seconds: Int) throws -> EventStreamClient? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let stream = try EventStreamClient.open(server, "/v1/changes/stream")
            if stream.status == 200 { return stream }
            stream.close()
        }
        return nil
    }
}

/// Two nodes on one PostgreSQL database: a stream on one node receives what the other writes.
@Suite("Change stream across two nodes", .enabled(if: TestPostgres.isConfigured, "needs BILATERAL_TEST_POSTGRES"))
struct ChangeStreamTwoNodeTests {
    /// The first stream starts the node's `LISTEN`, so other nodes' commits wake it at once
    /// (the poll is only the safety net).
    @Test func theFirstStreamStartsListening() throws {
        try withAPIServer(backends: [.postgresql]) { server, app, _ in
            let listening =
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'"
            #expect(try app.store.read { try $0.scalar(listening, [])?.int } == 0)
            let stream = try EventStreamClient.open(server, "/v1/changes/stream")
            defer { stream.close() }
            let deadline = ContinuousClock.now + .seconds(3)
            var count = 0
            while count == 0 && ContinuousClock.now < deadline {
                count = try app.store.read { try $0.scalar(listening, [])?.int } ?? 0
                _ = stream.read(within: .milliseconds(20)) { _ in false }
            }
            #expect(count == 1)
        }
    }

    @Test func aWriteOnOneNodeReachesAStreamOnTheOther() throws {
        try TwoNodeTests.withTwoNodes { a, b, token in
            let stream = try EventStreamClient.open(b, "/v1/changes/stream?since=0")
            defer { stream.close() }
            #expect(stream.read { $0.comments.contains("stream open") })
            let writer = WritingClient(server: a, token: token)
            for index in 1...3 {
                #expect(try writer.send("POST", "/v1/sources", json: ChangeStreamTests.source(index)).status == 201)
            }
            #expect(stream.waitForEvents(3, within: .seconds(3)).map(\.id) == ["1", "2", "3"])
            // Writers on both nodes at once: the stream on one of them gets each change once, in order.
            let written = ChangeFeedTests.writeConcurrently([a, b], token: token, threads: 4, perThread: 10)
            #expect(written.failures.isEmpty)
            #expect(stream.waitForEvents(43, within: .seconds(5)).map(\.id) == (1...43).map { String($0) })
        }
    }
}
