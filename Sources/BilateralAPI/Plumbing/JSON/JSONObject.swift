/// A JSON object: members in the order they were read or set, with lookup by key in O(1).
///
/// Up to 16 members, lookup is a scan (cheaper than hashing: most request objects are this small);
/// past that, a dictionary of positions takes over.
///
/// Keys are unique. They compare as Swift strings (by Unicode canonical equivalence), so two keys
/// that differ only in normalization are one key; the parser rejects such a pair as a duplicate.
/// Equality ignores member order (RFC 8259 §4: "An object is an unordered collection").
public struct JSONObject: Sendable, Equatable, RandomAccessCollection {
    public typealias Element = (key: String, value: JSONValue)

    /// The members in order.
    public private(set) var members: [Element]
    /// The index in `members` of each key, kept only for objects of more than `scanLimit` members.
    private var positions: [String: Int]

    /// Objects of up to this many members are searched without a dictionary.
    static let scanLimit = 16

    public init() {
        members = []
        positions = [:]
    }

    /// An object of these members in this order; a repeated key keeps its first position and its last value.
    public init(_ members: some Sequence<(key: String, value: JSONValue)>) {
        self.init()
        for (key, value) in members { self[key] = value }
    }

    /// Adopts members whose keys are already known to be unique (the parser checks as it reads),
    /// and their positions when there are more than `scanLimit`.
    init(uniqueMembers members: [Element], positions: [String: Int]) {
        assert(members.count > JSONObject.scanLimit ? positions.count == members.count : positions.isEmpty)
        self.members = members
        self.positions = positions
    }

    /// Where `key` is in `members`.
    private func position(of key: String) -> Int? {
        if members.count > JSONObject.scanLimit { return positions[key] }
        return members.firstIndex { $0.key == key }
    }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Element { members[position] }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The value of a member; setting `nil` removes the member, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let index = position(of: key) else { return nil }
            return members[index].value
        }
        set {
            if let newValue {
                if let index = position(of: key) {
                    members[index].value = newValue
                    return
                }
                members.append((key, newValue))
                if members.count > JSONObject.scanLimit {
                    if positions.isEmpty {
                        positions = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.key, $0) })
                    } else {
                        positions[key] = members.count - 1
                    }
                }
            } else if let index = position(of: key) {
                members.remove(at: index)
                if members.count > JSONObject.scanLimit {
                    positions[key] = nil
                    for later in index..<members.count { positions[members[later].key] = later }
                } else {
                    positions = [:]
                }
            }
        }
    }

    /// A copy without the member `key` (the same object when there is none).
    public func removing(_ key: String) -> JSONObject {
        var copy = self
        copy[key] = nil
        return copy
    }

    /// A copy with `key` set to `value`: in place when the key exists, appended when it does not.
    public func setting(_ key: String, _ value: JSONValue) -> JSONObject {
        var copy = self
        copy[key] = value
        return copy
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }
}
