import HTTPCore

/// The `q` of `/v1/search`, read with a grammar of our own and rewritten as an FTS5 expression,
/// so nothing a user types reaches the engine as syntax it could reject:
///
/// - a word (`trust`) matches that word, case and diacritics ignored;
/// - a prefix (`demin*`) matches words that start with it;
/// - a phrase (`"mutual trust"`) matches the words in that order; `"mutual tru"*` ends in a prefix;
/// - every term must match (AND). Anything else (`( ) : + - ^`, `AND`/`OR` keywords are plain words)
///   separates words.
struct SearchQuery: Equatable {
    enum Term: Equatable {
        case word(String, prefix: Bool)
        case phrase([String], prefix: Bool)
    }

    static let maxCharacters = 500
    static let maxTerms = 32
    /// What every 400 about `q` ends with.
    static let syntax =
        #"search syntax: words (trust), "phrases" ("mutual trust"), prefixes (demin*); every term must match, case and accents ignored"#

    let terms: [Term]

    /// - Throws: 400 naming `q` and explaining the syntax, when `q` is empty, too long, has an
    ///   unbalanced quote or an empty phrase, or holds no word.
    init(_ q: String) throws {
        guard Rules.length(q) <= Self.maxCharacters else {
            throw Self.invalid("must be at most \(Self.maxCharacters) characters")
        }
        var terms: [Term] = []
        var rest = Substring(q)
        while let first = rest.first {
            if first == "\"" {
                rest = rest.dropFirst()
                guard let close = rest.firstIndex(of: "\"") else {
                    throw Self.invalid("has a quote that is never closed")
                }
                let words = Self.words(in: rest[..<close])
                rest = rest[close...].dropFirst()
                let prefix = rest.first == "*"
                if prefix { rest = rest.dropFirst() }
                guard !words.isEmpty else { throw Self.invalid("has a phrase without a word") }
                terms.append(words.count == 1 ? .word(words[0], prefix: prefix) : .phrase(words, prefix: prefix))
            } else if Self.isWordCharacter(first) {
                let end = rest.firstIndex { !Self.isWordCharacter($0) } ?? rest.endIndex
                let word = String(rest[..<end])
                rest = rest[end...]
                let prefix = rest.first == "*"
                if prefix { rest = rest.dropFirst() }
                terms.append(.word(word, prefix: prefix))
            } else {
                rest = rest.dropFirst()
            }
        }
        guard !terms.isEmpty else { throw Self.invalid("must contain at least one word (letters or digits)") }
        guard terms.count <= Self.maxTerms else { throw Self.invalid("must have at most \(Self.maxTerms) terms") }
        self.terms = terms
    }

    /// The FTS5 expression: each term a quoted string (quotes cannot occur inside: terms hold
    /// letters and digits only), `*` after a prefix, terms side by side (AND).
    var match: String {
        terms.map { term in
            switch term {
            case .word(let word, let prefix): "\"\(word)\"" + (prefix ? "*" : "")
            case .phrase(let words, let prefix): "\"" + words.joined(separator: " ") + "\"" + (prefix ? "*" : "")
            }
        }.joined(separator: " ")
    }

    /// A 400 about `q` that explains the syntax.
    static func invalid(_ message: String) -> HTTPError {
        APIError.invalidParameter("q", "\(message); \(syntax)")
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    private static func words(in text: Substring) -> [String] {
        text.split { !isWordCharacter($0) }.map(String.init)
    }
}
