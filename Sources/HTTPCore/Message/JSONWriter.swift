/// A minimal streaming JSON writer: members come out in the order they are written, so the
/// bytes are stable across processes (Foundation's encoder on Linux does not keep key order).
///
/// Values are written in place: a value makes room for its bytes once (`reserve`) and puts them
/// there, where `Array.append` would check the array's uniqueness and capacity for each piece (an
/// export writes some 900 bytes a record, in about a hundred pieces).
public struct JSONWriter: Sendable {
    /// The bytes written, then room for more.
    private var storage: Storage
    /// How many bytes are written (the first `count` of `storage`).
    public private(set) var count = 0
    private var needsComma = false

    public init(reservingCapacity capacity: Int = 256) {
        storage = Storage(capacity: max(capacity, 64))
    }

    /// The bytes written so far, copied into an array (to hand on once, when done).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage.base, count: count)) }

    /// Whether nothing is written.
    public var isEmpty: Bool { count == 0 }

    public mutating func beginObject() { structural(UInt8(ascii: "{"), separated: true) }
    public mutating func endObject() { structural(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { structural(UInt8(ascii: "["), separated: true) }
    public mutating func endArray() { structural(UInt8(ascii: "]")); needsComma = true }

    /// Writes an object key; the next value written belongs to it.
    ///
    /// Keys are the program's own constants, copied as they are: a key must need no escaping
    /// (no `"`, `\\` or control character), which `snake_case` names never do.
    public mutating func key(_ name: StaticString) {
        var room = reserve(name.utf8CodeUnitCount + 3, separated: true)
        room.put(UInt8(ascii: "\""))
        room.put(name)
        room.put(UInt8(ascii: "\""))
        room.put(UInt8(ascii: ":"))
        commit(room)
    }

    /// Writes a key made at run time (a status name as a member, say), escaped like a string.
    public mutating func key(escaping name: String) {
        string(name)
        structural(UInt8(ascii: ":"))
    }

    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { quoted($0) }
    }

    /// Writes text given as UTF-8 bytes (a column as SQLite holds it, say) as a string, with the
    /// bytes `String(decoding:as:)` would give: a sequence that is not valid UTF-8 becomes U+FFFD.
    public mutating func string(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let raw = UnsafeRawBufferPointer(bytes)
        // ASCII is valid UTF-8 as it is; anything else is checked (and repaired) by making a String.
        guard Self.isPlainASCII(raw) else { return string(String(decoding: bytes, as: UTF8.self)) }
        var room = reserve(raw.count + 2, separated: true)
        room.put(UInt8(ascii: "\""))
        room.put(raw)
        room.put(UInt8(ascii: "\""))
        commit(room)
        needsComma = true
    }

    public mutating func int(_ value: Int) {
        // "-9223372036854775808", the longest, has 20 characters.
        var room = reserve(20, separated: true)
        room.putDecimal(value)
        commit(room)
        needsComma = true
    }

    public mutating func double(_ value: Double) {
        if value.isFinite {
            if value == value.rounded(), abs(value) < 1e15 {
                int(Int(value))
            } else {
                raw(Array("\(value)".utf8))
            }
        } else {
            null()
        }
    }

    public mutating func bool(_ value: Bool) { literal(value ? "true" : "false") }
    public mutating func null() { literal("null") }

    /// An array of strings.
    public mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    public mutating func optionalString(_ value: String?) { if let value { string(value) } else { null() } }
    public mutating func optionalInt(_ value: Int?) { if let value { int(value) } else { null() } }

    /// Ends an NDJSON line: a newline, after which the next value starts a new document.
    public mutating func endLine() { structural(0x0A) }

    /// Empties the writer, keeping its room (after its bytes were handed on).
    public mutating func removeAll() { count = 0; needsComma = false }

    /// Appends already-encoded JSON as one value.
    public mutating func raw(_ json: [UInt8]) {
        json.withUnsafeBytes { json in
            var room = reserve(json.count, separated: true)
            room.put(json)
            commit(room)
        }
        needsComma = true
    }

    /// A bracket, a colon or a newline; leaves `needsComma` false.
    private mutating func structural(_ byte: UInt8, separated: Bool = false) {
        var room = reserve(1, separated: separated)
        room.put(byte)
        commit(room)
    }

    private mutating func literal(_ text: StaticString) {
        var room = reserve(text.utf8CodeUnitCount, separated: true)
        room.put(text)
        commit(room)
        needsComma = true
    }

    /// Writes valid UTF-8 as a quoted string: copied in one go unless a byte needs escaping.
    private mutating func quoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        let raw = UnsafeRawBufferPointer(utf8)
        let escaping = Self.needsEscaping(raw)
        // An escape is at most six bytes (`\u001f`).
        var room = reserve((escaping ? 6 * utf8.count : utf8.count) + 2, separated: true)
        room.put(UInt8(ascii: "\""))
        if escaping {
            Self.forEachEscapedByte(of: utf8) { room.put($0) }
        } else {
            room.put(raw)
        }
        room.put(UInt8(ascii: "\""))
        commit(room)
        needsComma = true
    }

    /// Makes room for `limit` more bytes, after the comma a previous value asks for when
    /// `separated`: the caller puts its bytes in the room, then hands it to `commit`.
    @inline(__always)
    private mutating func reserve(_ limit: Int, separated: Bool = false) -> Room {
        // One more byte than asked for: the comma.
        if !isKnownUniquelyReferenced(&storage) || count + limit + 1 > storage.capacity {
            reallocate(toHold: count + limit + 1)
        }
        var room = Room(storage.base, from: count)
        if separated && needsComma { room.put(UInt8(ascii: ",")) }
        return room
    }

    /// Counts the bytes put in `room` as written. Leaves `needsComma` false: a value sets it.
    @inline(__always)
    private mutating func commit(_ room: Room) {
        count = room.position
        needsComma = false
    }

    /// Copies the bytes written to new storage of at least `size` bytes: a larger one (at least
    /// twice as large, so that this is rare), or one of this writer's own after a copy of the
    /// writer shared the old (copy on write, as arrays do).
    private mutating func reallocate(toHold size: Int) {
        let larger = Storage(capacity: size > storage.capacity ? max(size, 2 * storage.capacity) : storage.capacity)
        larger.base.update(from: storage.base, count: count)
        storage = larger
    }

    /// Memory for bytes, written only by a `JSONWriter` that holds the only reference to it
    /// (`reserve` checks): a shared one is only read, so it needs no lock.
    private final class Storage: @unchecked Sendable {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int

        init(capacity: Int) {
            base = UnsafeMutablePointer.allocate(capacity: capacity)
            self.capacity = capacity
        }

        deinit { base.deallocate() }
    }

    /// The room `reserve` made, filled from `position` on; `reserve` has checked that it is large
    /// enough for what the caller puts.
    struct Room {
        private let base: UnsafeMutablePointer<UInt8>
        private(set) var position: Int

        init(_ base: UnsafeMutablePointer<UInt8>, from position: Int) {
            self.base = base
            self.position = position
        }

        @inline(__always)
        mutating func put(_ byte: UInt8) {
            base[position] = byte
            position += 1
        }

        @inline(__always)
        mutating func put(_ bytes: UnsafeRawBufferPointer) {
            guard let source = bytes.baseAddress else { return }
            UnsafeMutableRawPointer(base + position).copyMemory(from: source, byteCount: bytes.count)
            position += bytes.count
        }

        @inline(__always)
        mutating func put(_ text: StaticString) {
            put(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        /// The decimal digits of `value`, after a `-` if negative.
        mutating func putDecimal(_ value: Int) {
            if value < 0 { put(UInt8(ascii: "-")) }
            var magnitude = value.magnitude
            let first = position
            repeat {
                put(UInt8(ascii: "0") + UInt8(magnitude % 10))
                magnitude /= 10
            } while magnitude > 0
            // Written lowest digit first; turned around in place.
            var digits = UnsafeMutableBufferPointer(start: base + first, count: position - first)
            digits.reverse()
        }
    }
}
