/// Why a body is not acceptable JSON, and where: the API answers it with 400 and this description.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset (0-based) of the offending byte, or the input's length when it ended too soon.
    public let offset: Int
    /// The 1-based line of `offset`; lines end at LF.
    public let line: Int
    /// The 1-based column of `offset`, counted in characters (Unicode scalars), not bytes.
    public let column: Int
    /// What is wrong, for a person: `expected ',' or '}' after an object member`.
    public let message: String

    public var description: String { "line \(line), column \(column): \(message)" }

    public init(offset: Int, line: Int, column: Int, message: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    /// An error at `offset` in `input`, its line and column counted there; only errors pay for the count.
    init(_ message: String, at offset: Int, in input: UnsafeBufferPointer<UInt8>) {
        var line = 1
        var column = 1
        for byte in input[..<min(offset, input.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // A UTF-8 continuation byte continues the character before it.
                column += 1
            }
        }
        self.init(offset: offset, line: line, column: column, message: message)
    }
}
