import HTTPCore

/// The properties the fuzzer holds `HTTPParser` to, for any bytes.
enum ParserCheck {
    /// Runs every check on `bytes` under every configuration; a broken invariant stops the process.
    static func run(_ bytes: [UInt8]) {
        for configuration in FuzzConfiguration.all {
            let whole = ParserRun.feed([bytes[...]], configuration: configuration)
            // RFC 9112 is a byte stream: where TCP happens to cut it must never change the result.
            let byteByByte = ParserRun.feed(bytes.indices.map { bytes[$0...$0] }, configuration: configuration)
            invariant(byteByByte == whole, "fed one byte at a time: \(byteByByte) whole: \(whole)")
            if bytes.count > 1 {
                let cut = Int(bytes[0]) % bytes.count
                let split = ParserRun.feed([bytes[..<cut], bytes[cut...]], configuration: configuration)
                invariant(split == whole, "split at \(cut): \(split) whole: \(whole)")
            }
            for request in whole.requests { checkRoundTrip(request, configuration: configuration) }
        }
    }

    /// A head the parser accepted, written out again in canonical form, parses to the same head.
    /// The header section limit is lifted: canonical form may add a space after each colon.
    private static func checkRoundTrip(_ request: ParserRun.Parsed, configuration: FuzzConfiguration) {
        var roomy = configuration
        roomy.limits.maxHeaderBytes = 1 << 20
        var text = "\(request.method) \(request.target) \(request.version)\r\n"
        for field in request.headers { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        var parser = roomy.makeParser()
        parser.append(Array(text.utf8))
        let event: ParseEvent?
        do {
            event = try parser.next()
        } catch {
            return invariant(false, "the head of \(request) written out again fails: \(error)")
        }
        guard case .head(let head) = event else {
            return invariant(false, "the head of \(request) written out again gives \(String(describing: event))")
        }
        var again = ParserRun.Parsed(head)
        again.body = request.body
        again.isComplete = request.isComplete
        invariant(again == request, "the head of \(request) written out again parses as \(again)")
    }
}
