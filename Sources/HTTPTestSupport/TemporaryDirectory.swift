import Foundation

/// A fresh directory under the system's temporary directory, removed with everything in it when the
/// value is released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    /// - Parameter prefix: names the directory, so a leftover one tells which tests made it.
    public init(prefix: String = "bilateral-test") throws {
        var template = Array((NSTemporaryDirectory() + "/\(prefix)-XXXXXX").utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// The database file the helpers open, `bilateral.sqlite`.
    public var databasePath: String { file("bilateral.sqlite") }

    /// The bytes of every file in the directory (the database, its `-wal` and `-shm`), concatenated.
    public func allFileBytes() throws -> [UInt8] {
        var bytes: [UInt8] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() {
            if let data = FileManager.default.contents(atPath: file(name)) { bytes += data }
        }
        return bytes
    }
}
