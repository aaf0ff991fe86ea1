/// What a key may do: `read` for reads (with `--private`), `write` for everything.
public enum KeyScope: String, Sendable, CaseIterable {
    case read
    case write

    public func allows(_ needed: KeyScope) -> Bool {
        self == .write || needed == .read
    }
}

/// An API key as stored: never the token itself, only its SHA-256.
public struct APIKey: Sendable, Equatable {
    public var id: String
    public var name: String
    public var scope: KeyScope
    /// The token's first characters, to recognise it in a list.
    public var tokenPrefix: String
    public var createdAt: String
    public var revokedAt: String?
}
