/// A failure to read a document as the YAML subset, with the 1-based line where it happened.
package struct YAMLSubsetError: Error, Equatable, CustomStringConvertible {
    /// The 1-based line number in the input.
    package var line: Int
    package var message: String

    package init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    package var description: String { "line \(line): \(message)" }
}

/// Reads the subset of YAML 1.2 that `openapi.yaml` is written in.
///
/// Supported: block mappings and block sequences indented with spaces; plain,
/// single-quoted and double-quoted scalars on one line; block scalars `|` and
/// `>` with optional chomping (`-`, `+`); flow sequences of scalars on one line
/// (`[a, 'b c']`); empty `{}` and `[]`; `#` comments.
///
/// Everything else is rejected with a line-numbered error instead of being
/// guessed at: tabs in indentation, anchors, aliases, tags, `? ` keys, flow
/// mappings, nested flow collections, multi-line plain or quoted scalars,
/// block-scalar indentation indicators, directives and document markers,
/// duplicate keys, and a plain scalar containing `: `.
package enum YAMLSubsetParser {
    /// Parses `text` into a tree; an empty document is `.null`.
    /// - Throws: `YAMLSubsetError` naming the line of the first unsupported or malformed construct.
    package static func parse(_ text: String) throws(YAMLSubsetError) -> YAMLValue {
        var reader = YAMLSubsetReader(text)
        guard let first = try reader.nextContentLine() else { return .null }
        let value = try reader.parseNode(at: reader.lines[first].indent, parentIndent: -1)
        if let extra = try reader.nextContentLine() {
            throw YAMLSubsetError(
                line: reader.lines[extra].number,
                "unexpected content after the document's top-level node; check the indentation")
        }
        return value
    }
}

/// The parser's state: the input's lines and the index of the next one to read.
/// Structure (mappings, sequences) is read here; scalars in `YAMLSubset+Scalars.swift`.
struct YAMLSubsetReader {
    typealias Scalars = ArraySlice<Unicode.Scalar>

    /// One input line: `raw` as written, `indent` and `content` possibly rewritten
    /// when a sequence item's inline content (`- key: value`) is parsed as a node of its own.
    struct Line {
        let number: Int
        let raw: [Unicode.Scalar]
        var indent: Int
        var content: Scalars
    }

    var lines: [Line]
    var index = 0

    init(_ text: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var lines: [Line] = []
        var start = 0
        var number = 1
        for position in 0...scalars.count where position == scalars.count || scalars[position] == "\n" {
            var end = position
            if end > start, scalars[end - 1] == "\r" { end -= 1 }
            let raw = Array(scalars[start..<end])
            let indent = raw.prefix { $0 == " " }.count
            lines.append(Line(number: number, raw: raw, indent: indent, content: raw[indent...]))
            start = position + 1
            number += 1
        }
        // A final newline ends the last line; it does not start an empty one.
        if scalars.last == "\n" { lines.removeLast() }
        self.lines = lines
    }

    // MARK: Structure

    /// Skips blank and comment lines; returns the index of the next line with content, checking
    /// what may never start a line in the subset.
    mutating func nextContentLine() throws(YAMLSubsetError) -> Int? {
        while index < lines.count {
            let line = lines[index]
            let text = line.content.drop { $0 == " " || $0 == "\t" }
            if text.isEmpty || text.first == "#" {
                index += 1
                continue
            }
            if line.content.first == "\t" {
                throw YAMLSubsetError(line: line.number, "tab in indentation; indent with spaces")
            }
            if line.indent == 0, line.raw.starts(with: ["-", "-", "-"]) || line.raw.starts(with: [".", ".", "."]),
                line.raw.count == 3 || line.raw[3] == " "
            {
                throw YAMLSubsetError(
                    line: line.number, "document markers ('---', '...') are not supported; one document per file")
            }
            if line.indent == 0, line.raw.first == "%" {
                throw YAMLSubsetError(line: line.number, "directives ('%YAML', '%TAG') are not supported")
            }
            return index
        }
        return nil
    }

    /// Parses the node whose first line is the next content line, at indentation `indent`.
    mutating func parseNode(at indent: Int, parentIndent: Int) throws(YAMLSubsetError) -> YAMLValue {
        guard let current = try nextContentLine() else { return .null }
        let line = lines[current]
        if isSequenceItem(line.content) { return try parseSequence(at: indent) }
        if try splitEntry(line.content, line: line.number) != nil { return try parseMapping(at: indent) }
        index = current + 1
        return try parseInlineValue(line.content, line: line.number, parentIndent: parentIndent)
    }

    private mutating func parseMapping(at indent: Int) throws(YAMLSubsetError) -> YAMLValue {
        var entries: [YAMLEntry] = []
        var keys: Set<String> = []
        while let current = try nextContentLine() {
            let line = lines[current]
            if line.indent < indent { break }
            if line.indent > indent {
                throw YAMLSubsetError(
                    line: line.number, "unexpected indentation: expected a key at column \(indent + 1)")
            }
            if isSequenceItem(line.content) {
                throw YAMLSubsetError(line: line.number, "a sequence item where a mapping key was expected")
            }
            guard let (key, rest) = try splitEntry(line.content, line: line.number) else {
                throw YAMLSubsetError(line: line.number, "expected 'key: value'; a plain scalar cannot span lines")
            }
            if !keys.insert(key).inserted {
                throw YAMLSubsetError(line: line.number, "duplicate key '\(key)'")
            }
            index = current + 1
            let value = rest.drop { $0 == " " || $0 == "\t" }
            if value.isEmpty || value.first == "#" {
                entries.append(
                    YAMLEntry(key, try parseBlockValue(parentIndent: indent, allowsSequenceAtSameIndent: true)))
            } else {
                entries.append(YAMLEntry(key, try parseInlineValue(value, line: line.number, parentIndent: indent)))
            }
        }
        return .mapping(entries)
    }

    private mutating func parseSequence(at indent: Int) throws(YAMLSubsetError) -> YAMLValue {
        var items: [YAMLValue] = []
        while let current = try nextContentLine() {
            let line = lines[current]
            if line.indent < indent { break }
            if line.indent > indent {
                throw YAMLSubsetError(
                    line: line.number, "unexpected indentation: expected '- ' at column \(indent + 1)")
            }
            guard isSequenceItem(line.content) else { break }
            let afterDash = line.content.dropFirst()
            let rest = afterDash.drop { $0 == " " }
            if rest.first == "\t" {
                throw YAMLSubsetError(line: line.number, "tab after '-'; separate with spaces")
            }
            if rest.isEmpty || rest.first == "#" {
                index = current + 1
                items.append(try parseBlockValue(parentIndent: indent, allowsSequenceAtSameIndent: false))
            } else if try opensNode(rest, line: line.number) {
                // "- key: value" and "- - item" open a node whose column is that of the text after the dash.
                let column = indent + 1 + (afterDash.count - rest.count)
                lines[current].indent = column
                lines[current].content = rest
                items.append(try parseNode(at: column, parentIndent: indent))
            } else {
                index = current + 1
                items.append(try parseInlineValue(rest, line: line.number, parentIndent: indent))
            }
        }
        return .sequence(items)
    }

    /// The value of `key:` or `-` with nothing after it: a more indented node on the next lines,
    /// a sequence at the key's own indentation (`key:\n- item`), or null.
    private mutating func parseBlockValue(
        parentIndent: Int, allowsSequenceAtSameIndent: Bool
    ) throws(YAMLSubsetError) -> YAMLValue {
        guard let next = try nextContentLine() else { return .null }
        let line = lines[next]
        if line.indent > parentIndent { return try parseNode(at: line.indent, parentIndent: parentIndent) }
        if allowsSequenceAtSameIndent, line.indent == parentIndent, isSequenceItem(line.content) {
            return try parseSequence(at: parentIndent)
        }
        return .null
    }

    /// Whether text after a dash starts a collection of its own (`- key: value`, `- - item`) rather than a scalar.
    private func opensNode(_ text: Scalars, line: Int) throws(YAMLSubsetError) -> Bool {
        if isSequenceItem(text) { return true }
        return try splitEntry(text, line: line) != nil
    }

    func isSequenceItem(_ text: Scalars) -> Bool {
        text.first == "-" && (text.count == 1 || text.dropFirst().first == " " || text.dropFirst().first == "\t")
    }

    /// Splits `key: rest` when the text is a mapping entry; nil when it is a lone scalar.
    func splitEntry(_ text: Scalars, line: Int) throws(YAMLSubsetError) -> (String, Scalars)? {
        guard let first = text.first else { return nil }
        if first == "\"" || first == "'" {
            let (key, end) = try readQuoted(text, line: line)
            let after = text[end...].drop { $0 == " " }
            guard after.first == ":", after.count == 1 || after.dropFirst().first == " " else { return nil }
            return (key, after.dropFirst())
        }
        if first == "[" || first == "{" { return nil }
        if first == "?", text.count == 1 || text.dropFirst().first == " " {
            throw YAMLSubsetError(line: line, "complex keys ('? ') are not supported")
        }
        var position = text.startIndex
        while position < text.endIndex {
            let scalar = text[position]
            if scalar == "#", position > text.startIndex, text[position - 1] == " " { return nil }
            if scalar == ":", position + 1 == text.endIndex || text[position + 1] == " " {
                var keyText = text[text.startIndex..<position]
                while keyText.last == " " { keyText.removeLast() }
                if keyText.isEmpty { throw YAMLSubsetError(line: line, "empty mapping key") }
                try checkPlainStart(keyText, line: line)
                return (String(String.UnicodeScalarView(keyText)), text[(position + 1)...])
            }
            position += 1
        }
        return nil
    }
}
