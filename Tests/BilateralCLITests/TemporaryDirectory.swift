import Foundation

/// A fresh directory under the system's temporary directory, removed with everything in it when the
/// value is released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/bilateral-cli-test-XXXXXX").utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A path inside the directory.
    func file(_ name: String) -> String {
        path + "/" + name
    }

    /// The database file the helpers open, `bilateral.sqlite`.
    var databasePath: String { file("bilateral.sqlite") }

    /// The bytes of every file in the directory (the database, its `-wal` and `-shm`), concatenated.
    func allFileBytes() throws -> [UInt8] {
        var bytes: [UInt8] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() {
            if let data = FileManager.default.contents(atPath: file(name)) { bytes += data }
        }
        return bytes
    }
}
