import Dispatch
import Foundation
import Synchronization

/// Runs the real `bilateral` executable, as a user or a deployment script would.
///
/// Where it is: `swift test` builds the executable product next to the test bundle
/// (`.build/<triple>/debug/bilateral` beside `BilateralPackageTests.xctest`), because this test
/// target depends on `BilateralCLI`. On Linux the test runner is that `.xctest` file itself (an
/// executable), so `Bundle.main.executableURL` and `CommandLine.arguments[0]` are
/// `.build/x86_64-unknown-linux-gnu/debug/BilateralPackageTests.xctest` and `Bundle.main.bundleURL`
/// is its directory (checked with Swift 6.3.1); the first candidate below is the one that hits.
/// The `.build/debug` directory of the package (from `#filePath`) is the fallback. The resource
/// bundle `Bilateral_BilateralAPI.resources` sits beside the executable, where it looks for it.
enum BilateralExecutable {
    static let url: URL? = {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        candidates.append(Bundle.main.bundleURL.resolvingSymlinksInPath())
        candidates.append(Bundle.main.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent())
        if let argument = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: argument).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        return candidates.map { $0.appendingPathComponent("bilateral") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()
}

/// A finished run: exit status and everything written to stdout and stderr.
struct ProcessResult {
    var status: Int32
    /// The process called exit (rather than being killed by a signal).
    var exited: Bool
    var stdout: String
    var stderr: String

    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
}

struct ProcessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The environment a child gets: ours without any `BILATERAL_*` variable, plus `extra`.
func childEnvironment(_ extra: [String: String]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BILATERAL_") }
    environment.merge(extra) { _, new in new }
    return environment
}

/// Runs `bilateral arguments...` to completion in `directory` (its working directory), killing it
/// after `timeout`. `stdin` is a file whose bytes the child reads as its standard input.
func runBilateral(
    _ arguments: [String], in directory: String, environment: [String: String] = [:], stdin: String? = nil,
    timeout: Duration = .seconds(10)
) throws -> ProcessResult {
    guard let executable = BilateralExecutable.url else {
        throw ProcessFailure("the bilateral executable was not found")
    }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = childEnvironment(environment)
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    // Files, not pipes: nothing can fill up and block the child, and reading needs no second thread.
    let outPath = directory + "/stdout-\(UUID().uuidString)"
    let errPath = directory + "/stderr-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardOutput = out
    process.standardError = err
    process.standardInput =
        try stdin.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
    try process.run()
    try? out.close()
    try? err.close()
    let exited = waitForExit(process, timeout: timeout)
    if !exited {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw ProcessFailure("bilateral \(arguments.joined(separator: " ")) did not finish within \(timeout)")
    }
    return ProcessResult(
        status: process.terminationStatus, exited: process.terminationReason == .exit,
        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

/// Waits up to `timeout` for `process` to end; true when it did.
func waitForExit(_ process: Process, timeout: Duration) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        if ContinuousClock.now >= deadline { return false }
        Thread.sleep(forTimeInterval: 0.01)
    }
    process.waitUntilExit()
    return true
}

/// `bilateral serve` running in the background, its stdout read through a pipe.
final class ServeProcess {
    let process = Process()
    let port: Int
    /// The one line `serve` prints on start.
    let listeningLine: String
    private let stderrPath: String
    private let stdout = Pipe()
    private var stdoutRest: [UInt8] = []

    /// Starts `bilateral serve arguments...` and waits (at most `timeout`) for its first stdout line.
    init(
        _ arguments: [String], in directory: String, environment: [String: String] = [:],
        timeout: Duration = .seconds(10)
    ) throws {
        guard let executable = BilateralExecutable.url else {
            throw ProcessFailure("the bilateral executable was not found")
        }
        process.executableURL = executable
        process.arguments = ["serve"] + arguments
        process.environment = childEnvironment(environment)
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        stderrPath = directory + "/serve-stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardOutput = stdout
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? err.close()
        try? stdout.fileHandleForWriting.close()

        let fd = stdout.fileHandleForReading.fileDescriptor
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        // poll(2) with a deadline, so a server that never prints fails the test instead of hanging it.
        while !bytes.contains(UInt8(ascii: "\n")) {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { break }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(remaining.components.seconds * 1000 + 1))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            throw ProcessFailure("serve printed no line; status \(process.terminationStatus); stderr: \(stderr)")
        }
        listeningLine = String(decoding: bytes[..<newline], as: UTF8.self)
        stdoutRest = Array(bytes[(newline + 1)...])
        // "Bilateral listening on http://127.0.0.1:PORT (database ...)"
        let afterScheme = listeningLine.components(separatedBy: "://").dropFirst().first ?? ""
        let hostPort = afterScheme.prefix { $0 != " " && $0 != "/" }
        guard let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...]) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ProcessFailure("no port in \(listeningLine.debugDescription)")
        }
        self.port = port
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Sends `signal` and waits for the exit; nil when it did not exit within `timeout` (it is then killed).
    func stop(with signal: Int32, timeout: Duration = .seconds(5)) -> (status: Int32, exited: Bool)? {
        kill(process.processIdentifier, signal)
        guard waitForExit(process, timeout: timeout) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return (process.terminationStatus, process.terminationReason == .exit)
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// What stdout held after the listening line, read to its end; call it once the process has exited.
    func stdoutAfterListeningLine() -> String {
        String(decoding: stdoutRest + stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}
