import Foundation
import HTTPTestSupport
import Testing

/// The `bilateral` executable, spawned as a process: arguments, environment, output, signals.
@Suite("bilateral command line")
struct BilateralCLITests {
    static func get(_ target: String, port: Int, host: String = "127.0.0.1", headers: [(String, String)] = [])
        throws -> RawResponse
    {
        let client = try RawClient.connect(port: port, host: host)
        defer { client.close() }
        var head = "GET \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try client.send(head + "\r\n")
        return try client.readResponse()
    }

    @Test func executableIsBuiltNextToTheTests() throws {
        let url = try #require(BilateralExecutable.url, "swift test builds bilateral; see BilateralExecutable")
        #expect(
            FileManager.default.fileExists(
                atPath: url.deletingLastPathComponent().appendingPathComponent("Bilateral_BilateralAPI.resources").path)
        )
    }

    @Test func version() throws {
        let directory = try TemporaryDirectory()
        let result = try runBilateral(["version"], in: directory.path)
        #expect(result.status == 0)
        #expect(result.stdout == "bilateral 0.1.0\n")
        #expect(try runBilateral(["--version"], in: directory.path).stdout.contains("0.1.0"))
    }

    @Test func helpListsTheCommands() throws {
        let directory = try TemporaryDirectory()
        let result = try runBilateral(["--help"], in: directory.path)
        #expect(result.status == 0)
        for command in ["serve", "migrate", "keys", "version"] {
            #expect(result.stdout.contains("  \(command)"), "--help lists \(command)")
        }
        #expect(result.stdout.contains("BILATERAL_"))
        let serveHelp = try runBilateral(["serve", "--help"], in: directory.path)
        for option in ["--port", "--host", "--db", "--cors-origin", "--synchronous", "--private"] {
            #expect(serveHelp.stdout.contains(option), "serve --help lists \(option)")
        }
    }

    @Test func serveAnswersAndStopsOnSIGTERM() throws {
        let directory = try TemporaryDirectory()
        let server = try ServeProcess(["--port", "0", "--db", directory.file("db.sqlite")], in: directory.path)
        #expect(server.listeningLine.hasPrefix("Bilateral listening on http://127.0.0.1:\(server.port) "))
        #expect(server.port > 0)
        let response = try Self.get("/v1/countries/KH", port: server.port)
        #expect(response.status == 200)
        #expect(response.bodyString.hasPrefix(#"{"code":"KH","alpha3":"KHM","numeric":"116","name":"Cambodia""#))
        let stop = try #require(server.stop(with: SIGTERM), "exits within 5 s of SIGTERM")
        #expect(stop.exited && stop.status == 0, "\(stop); stderr: \(server.stderr)")
        #expect(server.stdoutAfterListeningLine() == "", "one line on stdout; logs go to stderr")
        #expect(FileManager.default.fileExists(atPath: directory.file("db.sqlite")))
        // The access log line went to stderr, flushed before exit.
        #expect(server.stderr.contains(#""route":"/v1/countries/{code}""#), "\(server.stderr)")
    }

    /// The printed line is the readiness signal: a signal sent the moment it appears must already
    /// be handled as a graceful stop.
    @Test func sigtermRightAfterTheLineIsGraceful() throws {
        let directory = try TemporaryDirectory()
        let server = try ServeProcess(["--port", "0", "--db", directory.file("db.sqlite")], in: directory.path)
        let stop = try #require(server.stop(with: SIGTERM))
        #expect(stop.exited && stop.status == 0, "\(stop)")
    }

    @Test func sigintStopsWithStatusZero() throws {
        let directory = try TemporaryDirectory()
        let server = try ServeProcess(["--port", "0", "--db", directory.file("db.sqlite")], in: directory.path)
        #expect(try Self.get("/healthz", port: server.port).status == 200)
        let stop = try #require(server.stop(with: SIGINT), "exits within 5 s of SIGINT")
        #expect(stop.exited && stop.status == 0, "\(stop)")
    }

    @Test func environmentVariablesStandInForFlags() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("from-env.sqlite")
        let server = try ServeProcess(
            [], in: directory.path, environment: ["BILATERAL_PORT": "0", "BILATERAL_DB": database])
        #expect(server.listeningLine.contains("(database \(database))"), "\(server.listeningLine)")
        #expect(try Self.get("/readyz", port: server.port).status == 200)
        #expect(FileManager.default.fileExists(atPath: database))
        #expect(!FileManager.default.fileExists(atPath: directory.file("bilateral.sqlite")))
        #expect(server.stop(with: SIGTERM)?.status == 0)
    }

    @Test func flagsWinOverEnvironment() throws {
        let directory = try TemporaryDirectory()
        let server = try ServeProcess(
            ["--port", "0", "--db", directory.file("flag.sqlite")], in: directory.path,
            environment: ["BILATERAL_PORT": "1", "BILATERAL_DB": directory.file("env.sqlite")])
        #expect(server.listeningLine.contains("flag.sqlite"))
        #expect(server.stop(with: SIGTERM)?.status == 0)
    }

    @Test(arguments: [
        ("BILATERAL_PORT", "abc"), ("BILATERAL_MAX_CONNECTIONS", "many"), ("BILATERAL_PRIVATE", "maybe"),
        ("BILATERAL_SYNCHRONOUS", "sometimes"), ("BILATERAL_CHANGES_KEEP_DAYS", "a week"),
    ])
    func invalidEnvironmentFailsNamingTheVariable(name: String, value: String) throws {
        let directory = try TemporaryDirectory()
        let result = try runBilateral(
            ["serve", "--db", directory.file("db.sqlite")], in: directory.path, environment: [name: value])
        #expect(result.exited && result.status != 0)
        let named = result.stderr.contains(name) || result.stderr.contains("--synchronous")
        #expect(named, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty, "never started listening")
    }

    @Test func migrateTwice() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("db.sqlite")
        let first = try runBilateral(["migrate", "--db", database], in: directory.path)
        #expect(first.status == 0)
        #expect(first.stdout.contains("applied 1 countries"), "\(first.stdout)")
        let second = try runBilateral(["migrate", "--db", database], in: directory.path)
        #expect(second.status == 0)
        #expect(second.stdout.contains("up to date"), "\(second.stdout)")
    }

    @Test func keysLifecycle() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("db.sqlite")
        let created = try runBilateral(["keys", "create", "--name", "x", "--db", database], in: directory.path)
        #expect(created.status == 0, "\(created.stderr)")
        let token = try #require(created.stdoutLines.last)
        #expect(token.hasPrefix("bil_"))
        #expect(!token.contains(" "), "the token alone on its line")
        let id = try #require(created.stdout.split(separator: " ").first { $0.hasPrefix("key_") }.map(String.init))

        let listed = try runBilateral(["keys", "list", "--db", database], in: directory.path)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains(id))
        #expect(listed.stdout.contains("\tx\twrite\t"))
        #expect(!listed.stdout.contains(token))

        let server = try ServeProcess(["--port", "0", "--db", database, "--private"], in: directory.path)
        let bearer = [("Authorization", "Bearer \(token)")]
        #expect(try Self.get("/v1/countries/KH", port: server.port).status == 401)
        #expect(try Self.get("/v1/countries/KH", port: server.port, headers: bearer).status == 200)

        // Revoked from another process while the server runs: it stops working at once.
        let revoked = try runBilateral(["keys", "revoke", id, "--db", database], in: directory.path)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let after = try Self.get("/v1/countries/KH", port: server.port, headers: bearer)
        #expect(after.status == 401)
        #expect(after["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
        #expect(server.stop(with: SIGTERM)?.status == 0)

        let listedAgain = try runBilateral(["keys", "list", "--db", database], in: directory.path)
        #expect(!listedAgain.stdout.contains("\t-\n"), "the revocation time is shown")
        let unknown = try runBilateral(["keys", "revoke", "key_nope", "--db", database], in: directory.path)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("key_nope"))
    }

    @Test func invalidScopeFails() throws {
        let directory = try TemporaryDirectory()
        let result = try runBilateral(
            ["keys", "create", "--name", "x", "--scope", "admin", "--db", directory.file("db.sqlite")],
            in: directory.path)
        #expect(result.exited && result.status != 0)
        #expect(result.stderr.contains("scope"))
        #expect(result.stdout.isEmpty, "no token printed")
    }

    @Test func invalidSynchronousFails() throws {
        let directory = try TemporaryDirectory()
        let result = try runBilateral(
            ["serve", "--port", "0", "--synchronous", "bogus", "--db", directory.file("db.sqlite")], in: directory.path)
        #expect(result.exited && result.status != 0)
        #expect(result.stderr.contains("--synchronous"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(.enabled(if: Loopback.hasIPv6, "no IPv6 loopback here"))
    func servesOnIPv6Loopback() throws {
        let directory = try TemporaryDirectory()
        let server = try ServeProcess(
            ["--host", "::1", "--port", "0", "--db", directory.file("db.sqlite")], in: directory.path)
        #expect(server.listeningLine.hasPrefix("Bilateral listening on http://[::1]:\(server.port) "))
        #expect(try Self.get("/v1/countries/KH", port: server.port, host: "::1").status == 200)
        #expect(server.stop(with: SIGTERM)?.status == 0)
    }
}
