/// Splits NDJSON arriving in pieces of any size into numbered lines, holding at most one line
/// (up to `maxLineBytes`) and one piece in memory, whatever the size of the whole.
///
/// Lines end at LF; a CR before it is dropped (CRLF files). A last line without LF counts. A line
/// longer than `maxLineBytes` is reported as `.tooLong` and skipped up to its LF, unread.
struct NDJSONLineReader {
    enum Line {
        case line(number: Int, bytes: ArraySlice<UInt8>)
        case tooLong(number: Int)
    }

    let maxLineBytes: Int
    private let nextPiece: () throws -> [UInt8]?
    private var buffer: [UInt8] = []
    private var start = 0
    private var scan = 0
    private var number = 0
    private var ended = false
    private var skipping = false

    /// - Parameter nextPiece: the next bytes of the input, nil at its end (`RequestBodyStream.next`).
    init(maxLineBytes: Int, nextPiece: @escaping () throws -> [UInt8]?) {
        self.maxLineBytes = maxLineBytes
        self.nextPiece = nextPiece
    }

    /// The next line, or nil at the end of the input. The bytes are valid until the next call.
    /// - Throws: What `nextPiece` throws.
    mutating func next() throws -> Line? {
        while true {
            if let newline = buffer[scan...].firstIndex(of: 0x0A) {
                number += 1
                let lineStart = start
                start = newline + 1
                scan = start
                if skipping {
                    skipping = false
                    return .tooLong(number: number)
                }
                let end = newline > lineStart && buffer[newline - 1] == 0x0D ? newline - 1 : newline
                if end - lineStart > maxLineBytes { return .tooLong(number: number) }
                return .line(number: number, bytes: buffer[lineStart..<end])
            }
            // Too long already, unless the extra byte is a CR whose LF is still to come: a line of
            // the full length must not depend on where the body's pieces happen to split.
            let held = buffer.count - start
            if held > maxLineBytes && !(held == maxLineBytes + 1 && buffer.last == 0x0D) { skipping = true }
            if skipping {
                buffer.removeAll(keepingCapacity: true)
                start = 0
            } else if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            scan = buffer.count
            if ended {
                guard skipping || !buffer.isEmpty else { return nil }
                number += 1
                let rest = buffer[...]
                buffer = []
                scan = 0
                if skipping {
                    skipping = false
                    return .tooLong(number: number)
                }
                return .line(number: number, bytes: rest.last == 0x0D ? rest.dropLast() : rest)
            }
            if let piece = try nextPiece() {
                buffer.append(contentsOf: piece)
            } else {
                ended = true
            }
        }
    }
}
