/// Text-to-HTML helpers for the docs page: escaping, anchors, and the little
/// Markdown that OpenAPI descriptions use here (paragraphs, `- ` lists, `code`, **bold**).
enum HTML {
    /// Escapes text for element content and double- or single-quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A fragment identifier made only of `[A-Za-z0-9_-]`, so it is safe in `id` and `href="#..."`.
    static func anchor(_ prefix: String, _ name: String) -> String {
        var out = prefix + "-"
        var lastWasDash = true
        for scalar in name.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                out.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash {
                out += "-"
                lastWasDash = true
            }
        }
        while out.hasSuffix("-"), out.count > prefix.count + 1 { out.removeLast() }
        return out
    }

    /// Renders a description: blank lines separate paragraphs, lines starting with `- ` form a
    /// list (indented lines continue an item), and inline `code` and **bold** are honoured.
    /// Everything is escaped first, so no HTML in the source survives as markup.
    static func markdown(_ text: String) -> String {
        var blocks: [[Substring]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !(blocks.last?.isEmpty ?? true) { blocks.append([]) }
            } else {
                blocks[blocks.count - 1].append(line)
            }
        }
        var out = ""
        for block in blocks where !block.isEmpty {
            if block[0].hasPrefix("- ") {
                var items: [String] = []
                for line in block {
                    if line.hasPrefix("- ") {
                        items.append(String(line.dropFirst(2)))
                    } else if items.isEmpty {
                        items.append(String(line))
                    } else {
                        items[items.count - 1] += " " + line.trimmingSpaces()
                    }
                }
                out += "<ul>" + items.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>"
            } else {
                out += "<p>" + inline(block.map { $0.trimmingSpaces() }.joined(separator: " ")) + "</p>"
            }
        }
        return out
    }

    /// Escapes `text`, then turns `code` spans and **bold** into elements.
    static func inline(_ text: String) -> String {
        var out = ""
        for (position, part) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
            if position % 2 == 1 {
                out += "<code>" + escape(String(part)) + "</code>"
            } else {
                let pieces = escape(String(part)).components(separatedBy: "**")
                for (index, piece) in pieces.enumerated() {
                    if index % 2 == 0 {
                        out += piece
                    } else {
                        // An unmatched final ** stays literal.
                        out += index == pieces.count - 1 ? "**" + piece : "<strong>" + piece + "</strong>"
                    }
                }
            }
        }
        return out
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

extension String {
    /// Splits on a separator string without Foundation.
    fileprivate func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var current = Substring(self)
        while let range = current.firstRange(of: separator) {
            parts.append(String(current[..<range.lowerBound]))
            current = current[range.upperBound...]
        }
        parts.append(String(current))
        return parts
    }
}
