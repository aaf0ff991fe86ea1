/// Scalars: plain, quoted, flow sequences of scalars, and block scalars.
extension YAMLSubsetReader {
    /// Parses a value that starts on the current line: a scalar, a flow sequence, `{}`, or a block scalar header.
    mutating func parseInlineValue(
        _ text: Scalars, line: Int, parentIndent: Int
    ) throws(YAMLSubsetError) -> YAMLValue {
        guard let first = text.first else { return .null }
        switch first {
        case "\"", "'":
            let (value, end) = try readQuoted(text, line: line)
            try expectEndOfLine(text[end...], line: line, after: "a quoted scalar")
            return .string(value)
        case "[":
            return try readFlowSequence(text, line: line)
        case "{":
            let inside = text.dropFirst().drop { $0 == " " }
            guard inside.first == "}" else {
                throw YAMLSubsetError(line: line, "flow mappings ('{...}') are not supported; use a block mapping")
            }
            try expectEndOfLine(inside.dropFirst(), line: line, after: "'{}'")
            return .mapping([])
        case "|", ">":
            return try readBlockScalar(header: text, line: line, parentIndent: parentIndent)
        default:
            if isSequenceItem(text) {
                throw YAMLSubsetError(
                    line: line, "a block sequence cannot start on the line of its key; start it on the next line")
            }
            return try readPlain(text, line: line, inFlow: false).value
        }
    }

    /// Rejects indicators the subset does not support at the start of a plain scalar.
    func checkPlainStart(_ text: Scalars, line: Int) throws(YAMLSubsetError) {
        switch text.first {
        case "&": throw YAMLSubsetError(line: line, "anchors ('&') are not supported")
        case "*": throw YAMLSubsetError(line: line, "aliases ('*') are not supported")
        case "!": throw YAMLSubsetError(line: line, "tags ('!') are not supported")
        case "@", "`":
            throw YAMLSubsetError(line: line, "'@' and '`' are reserved and cannot start a plain scalar; quote it")
        case "|", ">": throw YAMLSubsetError(line: line, "a block scalar cannot be a key")
        default: break
        }
    }

    /// Reads a plain scalar up to a comment, the end of the line, or in a flow sequence `,` or `]`;
    /// returns it and the index where it stopped.
    private func readPlain(
        _ text: Scalars, line: Int, inFlow: Bool
    ) throws(YAMLSubsetError) -> (value: YAMLValue, end: Int) {
        try checkPlainStart(text, line: line)
        var end = text.startIndex
        while end < text.endIndex {
            let scalar = text[end]
            if scalar == "#", end > text.startIndex, text[end - 1] == " " || text[end - 1] == "\t" { break }
            if scalar == ":", end + 1 == text.endIndex || text[end + 1] == " " {
                throw YAMLSubsetError(line: line, "a plain scalar cannot contain ': '; quote the value")
            }
            if inFlow, scalar == "," || scalar == "]" { break }
            if inFlow, scalar == "[" || scalar == "{" || scalar == "}" {
                throw YAMLSubsetError(line: line, "nested flow collections are not supported")
            }
            end += 1
        }
        var value = text[text.startIndex..<end]
        while value.last == " " || value.last == "\t" { value.removeLast() }
        let string = String(String.UnicodeScalarView(value))
        switch string {
        case "~", "null", "Null", "NULL": return (.null, end)
        default: return (.plain(string), end)
        }
    }

    /// Reads a quoted scalar starting at `text.first`; returns it and the index just past the closing quote.
    func readQuoted(_ text: Scalars, line: Int) throws(YAMLSubsetError) -> (String, Int) {
        let quote = text[text.startIndex]
        var out = String.UnicodeScalarView()
        var position = text.startIndex + 1
        while position < text.endIndex {
            let scalar = text[position]
            if quote == "'" {
                if scalar == "'" {
                    // YAML 1.2 §7.3.2: in single quotes, '' is the only escape and stands for one quote.
                    if position + 1 < text.endIndex, text[position + 1] == "'" {
                        out.append("'")
                        position += 2
                        continue
                    }
                    return (String(out), position + 1)
                }
                out.append(scalar)
                position += 1
                continue
            }
            if scalar == "\"" { return (String(out), position + 1) }
            if scalar == "\\" {
                position = try readEscape(text, at: position + 1, into: &out, line: line)
                continue
            }
            out.append(scalar)
            position += 1
        }
        let name = quote == "'" ? "single" : "double"
        throw YAMLSubsetError(
            line: line, "unterminated \(name)-quoted scalar; quoted scalars must close on the same line")
    }

    /// YAML 1.2 §5.7 escape sequences; returns the index after the sequence.
    private func readEscape(
        _ text: Scalars, at position: Int, into out: inout String.UnicodeScalarView, line: Int
    ) throws(YAMLSubsetError) -> Int {
        guard position < text.endIndex else {
            throw YAMLSubsetError(
                line: line, "unterminated double-quoted scalar; quoted scalars must close on the same line")
        }
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "0": "\u{0}", "a": "\u{7}", "b": "\u{8}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{B}", "f": "\u{C}",
            "r": "\r", "e": "\u{1B}", " ": " ", "\"": "\"", "/": "/", "\\": "\\", "N": "\u{85}", "_": "\u{A0}",
            "L": "\u{2028}", "P": "\u{2029}",
        ]
        let letter = text[position]
        if let replacement = simple[letter] {
            out.append(replacement)
            return position + 1
        }
        let width: Int
        switch letter {
        case "x": width = 2
        case "u": width = 4
        case "U": width = 8
        default: throw YAMLSubsetError(line: line, "unknown escape '\\\(letter)' in a double-quoted scalar")
        }
        let digits = text[(position + 1)...].prefix(width)
        guard digits.count == width, let code = UInt32(String(String.UnicodeScalarView(digits)), radix: 16),
            let scalar = Unicode.Scalar(code)
        else {
            throw YAMLSubsetError(line: line, "'\\\(letter)' needs \(width) hexadecimal digits naming a Unicode scalar")
        }
        out.append(scalar)
        return position + 1 + width
    }

    private func expectEndOfLine(_ rest: Scalars, line: Int, after what: String) throws(YAMLSubsetError) {
        let trimmed = rest.drop { $0 == " " || $0 == "\t" }
        if trimmed.isEmpty { return }
        if trimmed.first == "#", trimmed.count < rest.count { return }
        throw YAMLSubsetError(line: line, "unexpected text after \(what)")
    }

    private func readFlowSequence(_ text: Scalars, line: Int) throws(YAMLSubsetError) -> YAMLValue {
        var items: [YAMLValue] = []
        var rest = text.dropFirst()
        while true {
            rest = rest.drop { $0 == " " }
            guard let first = rest.first, first != "#" else {
                throw YAMLSubsetError(
                    line: line, "unterminated flow sequence; flow sequences must close on the same line")
            }
            if first == "]" { break }
            switch first {
            case "[", "{":
                throw YAMLSubsetError(line: line, "nested flow collections are not supported")
            case ",":
                throw YAMLSubsetError(line: line, "empty entry in a flow sequence")
            case "\"", "'":
                let (value, end) = try readQuoted(rest, line: line)
                items.append(.string(value))
                rest = rest[end...]
            default:
                let (value, end) = try readPlain(rest, line: line, inFlow: true)
                if end == rest.endIndex || rest[end] == "#" {
                    throw YAMLSubsetError(
                        line: line, "unterminated flow sequence; flow sequences must close on the same line")
                }
                items.append(value)
                rest = rest[end...]
            }
            rest = rest.drop { $0 == " " }
            if rest.first == "," {
                rest = rest.dropFirst()
            } else if rest.first != "]" {
                throw YAMLSubsetError(line: line, "expected ',' or ']' in a flow sequence")
            }
        }
        try expectEndOfLine(rest.dropFirst(), line: line, after: "a flow sequence")
        return .sequence(items)
    }

    // MARK: Block scalars

    private enum Chomping { case clip, strip, keep }

    /// Reads a `|` or `>` scalar whose header is on line `line`; its content is the following lines
    /// indented more than `parentIndent` (YAML 1.2 §8.1), the indentation of the first non-empty one.
    private mutating func readBlockScalar(
        header: Scalars, line: Int, parentIndent: Int
    ) throws(YAMLSubsetError) -> YAMLValue {
        let folded = header.first == ">"
        var rest = header.dropFirst()
        var chomping = Chomping.clip
        if rest.first == "-" || rest.first == "+" {
            chomping = rest.first == "-" ? .strip : .keep
            rest = rest.dropFirst()
        }
        if let first = rest.first, ("0"..."9").contains(first) {
            throw YAMLSubsetError(line: line, "block scalar indentation indicators are not supported")
        }
        try expectEndOfLine(rest, line: line, after: "a block scalar indicator")

        var contentIndent: Int?
        var body: [Scalars] = []
        while index < lines.count {
            let raw = lines[index].raw
            let spaces = raw.prefix { $0 == " " }.count
            if spaces == raw.count {
                // An empty line: part of the scalar, its spaces past the indentation kept as content.
                body.append(contentIndent.map { spaces > $0 ? raw[$0...] : [] } ?? [])
                index += 1
                continue
            }
            let indent = contentIndent ?? spaces
            if indent <= parentIndent || spaces < indent { break }
            contentIndent = indent
            body.append(raw[indent...])
            index += 1
        }
        // Empty lines after the last content line are trailing: chomping decides whether they count.
        let lastContent = body.lastIndex { !$0.isEmpty }
        let trailing = body.count - (lastContent.map { $0 + 1 } ?? 0)
        guard let lastContent else {
            return .string(chomping == .keep ? String(repeating: "\n", count: trailing) : "")
        }
        let content = body[...lastContent]
        var text = folded ? fold(content) : content.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
        switch chomping {
        case .strip: break
        case .clip: text += "\n"
        case .keep: text += String(repeating: "\n", count: trailing + 1)
        }
        return .string(text)
    }

    /// YAML 1.2 §8.1.3 folding: a line break between two text lines becomes a space, `n` empty
    /// lines between them become `n` newlines, and breaks around more-indented lines are kept.
    private func fold(_ lines: ArraySlice<Scalars>) -> String {
        var out = String.UnicodeScalarView()
        var previousWasMoreIndented: Bool?
        var emptyLines = 0
        for line in lines {
            if line.isEmpty {
                emptyLines += 1
                continue
            }
            let moreIndented = line.first == " " || line.first == "\t"
            if let previousWasMoreIndented {
                if !previousWasMoreIndented, !moreIndented {
                    out.append(
                        contentsOf: (emptyLines == 0 ? " " : String(repeating: "\n", count: emptyLines)).unicodeScalars)
                } else {
                    out.append(contentsOf: String(repeating: "\n", count: emptyLines + 1).unicodeScalars)
                }
            } else {
                out.append(contentsOf: String(repeating: "\n", count: emptyLines).unicodeScalars)
            }
            out.append(contentsOf: line)
            previousWasMoreIndented = moreIndented
            emptyLines = 0
        }
        return String(out)
    }
}
