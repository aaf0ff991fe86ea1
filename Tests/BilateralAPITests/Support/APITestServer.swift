import BilateralAPI
import Foundation
import HTTPCore
import HTTPTestSupport
import SQLiteStore
import Storage
import StoreTestSupport
import Synchronization

/// Collects what an `AccessLog` writes, one string per line, for assertions.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    /// The closure to give `AccessLog(output:)`.
    var output: @Sendable ([UInt8]) -> Void {
        { [self] bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            lines.withLock { $0 += text.split(separator: "\n").map(String.init) }
        }
    }

    /// Every line so far, after flushing what `log` still buffers.
    func lines(flushing log: AccessLog) -> [String] {
        log.flush()
        return lines.withLock { $0 }
    }
}

/// A migrated database in its own temporary directory; the pool is closed afterwards.
func withStore<T>(_ body: (SQLitePool, TemporaryDirectory) throws -> T) throws -> T {
    let directory = try TemporaryDirectory()
    return try withExtendedLifetime(directory) {
        let pool = try SQLitePool(path: directory.databasePath)
        defer { pool.close() }
        try Schema.migrate(pool)
        return try body(pool, directory)
    }
}

/// Runs `body` against the API wired exactly as `bilateral serve` wires it, once on each backend
/// of `backends`: a real SQLite file in a fresh temporary directory, or a fresh PostgreSQL
/// database on the test server (``TestStore``), migrated, `BilateralApp`, and an `HTTPServer` on
/// an ephemeral port. The server is always shut down and the store closed, whether `body` returns
/// or throws.
/// - Parameters:
///   - backends: SQLite, and PostgreSQL when the run has a server; a test of something only one
///     engine has names it.
///   - log: receives the app's access-log and event lines (flushed only on demand).
@discardableResult
func withAPIServer<T>(
    configuration: APIConfiguration = APIConfiguration(), server serverConfiguration: ServerConfiguration = .test(),
    backends: [Backend] = TestStore.backends, log: LogRecorder = LogRecorder(),
    _ body: (HTTPServer, BilateralApp, TemporaryDirectory) throws -> T
) throws -> T {
    var result: T?
    for backend in backends {
        let directory = try TemporaryDirectory()
        // The directory is removed only after the store has closed its files.
        result = try withExtendedLifetime(directory) {
            try TestStore.with(backend, in: directory) { store in
                let app = try BilateralApp(
                    store: store, configuration: configuration,
                    log: AccessLog(flushInterval: .never, output: log.output))
                let server = try HTTPServer(
                    configuration: serverConfiguration, responder: app.responder, hooks: app.serverHooks)
                defer { server.shutdown() }
                return try body(server, app, directory)
            }
        }
    }
    guard let result else { preconditionFailure("withAPIServer needs at least one backend") }
    return result
}

extension HTTPServer {
    /// Sends one request on a new connection and reads its response.
    /// - Parameters:
    ///   - target: the request-target as sent (path and query, already percent-encoded).
    ///   - headers: extra header fields; `Host` is always sent.
    func request(
        _ method: String = "GET", _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> RawResponse {
        let client = try RawClient.connect(port: port, host: configuration.host)
        defer { client.close() }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        try client.send(Array((head + "\r\n").utf8) + body)
        return try client.readResponse(isHEAD: method == "HEAD")
    }
}

extension RawResponse {
    /// The body parsed as a JSON object.
    func jsonObject() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw TestFailure("the body is not a JSON object: \(bodyString)")
        }
        return object
    }

    /// `errors[0].field` of a problem body, or nil.
    func firstErrorField() throws -> String? {
        ((try jsonObject()["errors"] as? [[String: Any]])?.first?["field"]) as? String
    }

    /// The `code`s of a country list body, in order.
    func countryCodes() throws -> [String] {
        ((try jsonObject()["data"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
