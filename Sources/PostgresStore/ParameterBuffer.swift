import Storage

/// Arguments in PostgreSQL's text format, laid out in one buffer of NUL-terminated strings for
/// `PQexecPrepared`'s `paramValues` (a null pointer for SQL `NULL`).
///
/// Text format leaves each parameter's type to the server, which infers it from the statement
/// (OID 0): "If paramTypes is NULL ... the server infers a data type for the parameter symbol in the
/// same way it would do for an untyped literal string." Where it cannot, the SQL casts.
struct ParameterBuffer {
    private var bytes: [UInt8] = []
    /// The start of each argument in `bytes`, or `nil` for `NULL`.
    private var offsets: [Int?] = []

    /// Encodes `arguments`.
    /// - Throws: ``PostgresError`` (`.invalidQuery`) for text holding a NUL character, which
    ///   PostgreSQL's text types cannot store ("invalid byte sequence for encoding UTF8: 0x00").
    init(_ arguments: [SQLValue]) throws {
        offsets.reserveCapacity(arguments.count)
        for argument in arguments {
            switch argument {
            case .null:
                offsets.append(nil)
                continue
            case .integer(let value):
                offsets.append(bytes.count)
                bytes.append(contentsOf: String(value).utf8)
            case .real(let value):
                offsets.append(bytes.count)
                bytes.append(contentsOf: Self.text(of: value).utf8)
            case .text(let value):
                guard !value.utf8.contains(0) else {
                    throw PostgresError(
                        kind: .invalidQuery,
                        message: "text argument holds a NUL character, which PostgreSQL cannot store")
                }
                offsets.append(bytes.count)
                bytes.append(contentsOf: value.utf8)
            case .blob(let value):
                offsets.append(bytes.count)
                Self.appendHex(value, to: &bytes)
            }
            bytes.append(0)
        }
    }

    /// The number of arguments.
    var count: Int { offsets.count }

    /// Calls `body` with one pointer per argument, valid only during the call.
    func withValues<T>(_ body: ([UnsafePointer<CChar>?]) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress)
            let values = offsets.map { offset in
                offset.flatMap { base?.advanced(by: $0).assumingMemoryBound(to: CChar.self) }
            }
            return try body(values)
        }
    }

    /// A double as `float8` input reads it back exactly: Swift's shortest round-trip form, and the
    /// spellings PostgreSQL gives the special values.
    static func text(of value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value.description
    }

    /// `bytea`'s hex format: `\x`, then two hexadecimal digits per byte, most significant first.
    static func appendHex(_ value: [UInt8], to bytes: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        bytes.reserveCapacity(bytes.count + 2 + 2 * value.count + 1)
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "x"))
        for byte in value {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
    }
}
