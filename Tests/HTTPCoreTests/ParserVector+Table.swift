/// The request vectors. Limits are `ParserVector.limits`: request line 64, header section 256,
/// 8 fields, body 32.
extension ParserVector {
    typealias R = Summary

    static let valid: [ParserVector] = [
        .valid("simple GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", R(method: "GET", target: "/")),
        .valid(
            "query and percent escapes", "GET /items/a%20b?x=1&y=2 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n",
            R(method: "GET", target: "/items/a%20b?x=1&y=2")),
        // RFC 9112 §3.2.2: a server MUST accept the absolute-form.
        .valid(
            "absolute-form target", "GET http://localhost/healthz HTTP/1.1\r\nHost: localhost\r\n\r\n",
            R(method: "GET", target: "http://localhost/healthz")),
        // RFC 9112 §3.2.4: asterisk-form, OPTIONS only.
        .valid("asterisk-form", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", R(method: "OPTIONS", target: "*")),
        .valid(
            "Content-Length body", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
            R(method: "POST", target: "/echo", body: "hello")),
        // RFC 9112 §7.1.1, §7.1.2: extensions and trailer fields are read and ignored.
        .valid(
            "chunked with extensions and trailers",
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n"
                + "6 ; a ; b=\"q r\"\r\n world\r\n0;last\r\nX-Trailer: t\r\nChecksum: 1\r\n\r\n",
            R(method: "POST", target: "/echo", body: "hello world")),
        .valid(
            "chunked, coding name in upper case, hex in upper case",
            "PUT /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
            R(method: "PUT", target: "/p", body: "0123456789")),
        .valid(
            "pipelined GET, POST, GET",
            "GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz"
                + "GET /c HTTP/1.1\r\nHost: a\r\n\r\n",
            R(method: "GET", target: "/a"), R(method: "POST", target: "/b", body: "xyz"), R(method: "GET", target: "/c")
        ),
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before a request-line.
        .valid(
            "empty lines before the request line", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            R(method: "GET", target: "/")),
        .valid(
            "CRLF after a body, before the next request",
            "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi\r\nGET /c HTTP/1.1\r\nHost: a\r\n\r\n",
            R(method: "POST", target: "/b", body: "hi"), R(method: "GET", target: "/c")),
        .valid("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", R(method: "GET", target: "/", version: .http1_0)),
        // RFC 9110 §8.6: a list of identical lengths may be taken as one.
        .valid(
            "identical Content-Length values",
            "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
            R(method: "POST", target: "/b", body: "abc")),
        // RFC 9110 §8.6: Content-Length = 1*DIGIT; a lone value with leading zeros is valid.
        .valid(
            "Content-Length with a leading zero", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 03\r\n\r\nabc",
            R(method: "POST", target: "/b", body: "abc")),
        .valid(
            "chunk size, whitespace, then an extension",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\t;a\r\nhello\r\n0 ;z\r\n\r\n",
            R(method: "POST", target: "/b", body: "hello")),
        .valid(
            "Content-Length 0", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
            R(method: "POST", target: "/b")),
        .valid(
            "Expect: 100-continue",
            "POST /b HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nok",
            R(method: "POST", target: "/b", body: "ok")),
        .valid(
            "optional whitespace and tabs around values", "GET / HTTP/1.1\r\nHost:a\r\nX-A: \t v w \t\r\nX-B:\r\n\r\n",
            R(method: "GET", target: "/")),
        .valid(
            "methods",
            "DELETE /d HTTP/1.1\r\nHost: a\r\n\r\nPATCH /p HTTP/1.1\r\nHost: a\r\n\r\n"
                + "HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n",
            R(method: "DELETE", target: "/d"), R(method: "PATCH", target: "/p"), R(method: "HEAD", target: "/h")),
        .valid(
            "request line exactly at the limit",
            "GET /\(String(repeating: "a", count: 50)) HTTP/1.1\r\nHost: a\r\n\r\n",
            R(method: "GET", target: "/" + String(repeating: "a", count: 50))),
        .valid(
            "header section exactly at the limit",
            "GET / HTTP/1.1\r\nHost: a\r\nX-Fill: \(String(repeating: "f", count: 237))\r\n\r\n",
            R(method: "GET", target: "/")),
        .valid(
            "header count exactly at the limit",
            "GET / HTTP/1.1\r\nHost: a\r\n" + (1...7).map { "X-\($0): v\r\n" }.joined() + "\r\n",
            R(method: "GET", target: "/")),
        .valid(
            "body exactly at the limit",
            "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 32\r\n\r\n\(String(repeating: "b", count: 32))",
            R(method: "POST", target: "/b", body: String(repeating: "b", count: 32))),
        .valid(
            "chunked body exactly at the limit",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "10\r\n\(String(repeating: "c", count: 16))\r\n"
                + "10\r\n\(String(repeating: "d", count: 16))\r\n0\r\n\r\n",
            R(method: "POST", target: "/b", body: String(repeating: "c", count: 16) + String(repeating: "d", count: 16))
        ),
    ]

    static let invalid: [ParserVector] = [
        // RFC 9112 §6.1: Content-Length with Transfer-Encoding "ought to be handled as an error".
        .invalid(
            "Content-Length and Transfer-Encoding",
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            status: 400),
        .invalid(
            "Transfer-Encoding and Content-Length",
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n",
            status: 400),
        // RFC 9110 §8.6 and RFC 9112 §6.3: differing or invalid lengths are unrecoverable.
        .invalid(
            "differing Content-Length fields",
            "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            status: 400),
        .invalid(
            "differing Content-Length list", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!",
            status: 400),
        .invalid("Content-Length -1", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", status: 400),
        .invalid("Content-Length 1a", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 1a\r\n\r\nx", status: 400),
        .invalid("Content-Length empty", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", status: 400),
        .invalid("Content-Length +5", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", status: 400),
        .invalid("Content-Length 0x5", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello", status: 400),
        .invalid(
            "Content-Length with inner space", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", status: 400
        ),
        // RFC 9110 §8.6 lets a recipient take "the same decimal value repeated" as one; `044`
        // beside `44` is not the same text, and an intermediary may read either one.
        .invalid(
            "Content-Length 03 beside 3",
            "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 03\r\nContent-Length: 3\r\n\r\nabc",
            status: 400),
        .invalid(
            "Content-Length list 3, 03", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 03\r\n\r\nabc",
            status: 400),
        .invalid(
            "Content-Length overflowing", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
            status: 400),
        // RFC 9112 §6.1: chunked must be the final coding; we implement no other (501).
        .invalid(
            "Transfer-Encoding gzip, chunked",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            status: 501),
        .invalid(
            "Transfer-Encoding gzip", "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501),
        .invalid(
            "Transfer-Encoding chunked, gzip",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            status: 501),
        .invalid(
            "Transfer-Encoding identity", "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n",
            status: 501),
        .invalid(
            "Transfer-Encoding chunked, chunked",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", status: 400),
        // RFC 9110 §5.6.1.2 asks recipients to skip empty list elements, but for the field that
        // frames the body we refuse them: a peer that does not skip them reads another body.
        .invalid(
            "Transfer-Encoding ,chunked", "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n",
            status: 400),
        .invalid(
            "Transfer-Encoding chunked,", "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked,\r\n\r\n0\r\n\r\n",
            status: 400),
        .invalid(
            "Transfer-Encoding chunked, , (empty element inside)",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, ,chunked\r\n\r\n0\r\n\r\n", status: 400),
        .invalid(
            "Transfer-Encoding empty beside chunked",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            status: 400),
        .invalid(
            "Transfer-Encoding chunked twice",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            status: 400),
        // RFC 9112 §7.1: chunk-size = 1*HEXDIG.
        .invalid(
            "chunk size zz",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", status: 400),
        .invalid(
            "chunk size -1", "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n\r\n",
            status: 400),
        .invalid(
            "chunk size empty", "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n",
            status: 400),
        .invalid(
            "chunk size followed by junk",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n",
            status: 400),
        // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ):
        // whitespace after the size is only allowed before a ";".
        .invalid(
            "chunk size followed by a space",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n",
            status: 400),
        .invalid(
            "chunk size followed by a tab",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\t\r\nhello\r\n0\r\n\r\n",
            status: 400),
        .invalid(
            "last chunk followed by a space",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0 \r\n\r\n", status: 400),
        .invalid(
            "chunk data without CRLF",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
            status: 400),
        .invalid(
            "chunk size overflowing",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nx\r\n",
            status: 400),
        .invalid(
            "chunk extension with a control character",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\u{1}\r\nhello\r\n0\r\n\r\n",
            status: 400),
        .invalid(
            "chunk size over the body limit", "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n21\r\n",
            status: 413),
        .invalid(
            "chunked body growing past the limit",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "14\r\n\(String(repeating: "x", count: 20))\r\n"
                + "14\r\n\(String(repeating: "y", count: 20))\r\n0\r\n\r\n", status: 413),
        .invalid(
            "declared body over the limit", "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 33\r\n\r\n", status: 413),
        // RFC 9112 §5.1: no whitespace between field name and colon (400).
        .invalid("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", status: 400),
        .invalid("tab before colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A\t: b\r\n\r\n", status: 400),
        // RFC 9112 §5.2: obs-fold in a request is rejected with 400.
        .invalid("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", status: 400),
        .invalid("obs-fold on the first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", status: 400),
        // RFC 9110 §5.5: CR, LF and NUL are never allowed in a field value.
        .invalid("NUL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", status: 400),
        .invalid("bare CR in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", status: 400),
        .invalid("bare LF as a line ending", "GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n", status: 400),
        .invalid("bare LF after the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", status: 400),
        .invalid("DEL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}\r\n\r\n", status: 400),
        // RFC 9110 §5.1: field-name = token.
        .invalid("parenthesis in a name", "GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n", status: 400),
        .invalid("space inside a name", "GET / HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n", status: 400),
        .invalid("non-ASCII name", "GET / HTTP/1.1\r\nHost: a\r\nX-Ä: b\r\n\r\n", status: 400),
        .invalid("empty name", "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", status: 400),
        .invalid("field line without colon", "GET / HTTP/1.1\r\nHost: a\r\nGarbage\r\n\r\n", status: 400),
        // RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, or with more than one.
        .invalid("missing Host on HTTP/1.1", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", status: 400),
        .invalid("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
        .invalid("two Host fields on HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", status: 400),
        // Fields that decide who asks and how the body is read: a second one (valid then bad,
        // or the reverse) must not let one reader see the first and another the last.
        .invalid(
            "two Authorization fields", "GET / HTTP/1.1\r\nHost: a\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n",
            status: 400),
        .invalid(
            "two Content-Type fields",
            "GET / HTTP/1.1\r\nHost: a\r\nContent-Type: a/b\r\ncontent-type: a/b\r\n\r\n", status: 400),
        .invalid("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400),
        .invalid("Host with a slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", status: 400),
        // RFC 9110 §15.6.6: 505 for a major version we do not support.
        .invalid("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505),
        .invalid("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", status: 505),
        .invalid("HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", status: 505),
        .invalid("version in lower case", "GET / http/1.1\r\nHost: a\r\n\r\n", status: 400),
        .invalid("version with two minor digits", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", status: 400),
        .invalid("version without minor", "GET / HTTP/1\r\nHost: a\r\n\r\n", status: 400),
        .invalid("garbage version", "GET / HTQP/x.y\r\nHost: a\r\n\r\n", status: 400),
        .invalid("no version", "GET /\r\nHost: a\r\n\r\n", status: 400),
        .invalid("two spaces in the request line", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .invalid("space after the version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", status: 400),
        .invalid("tab in the target", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .invalid("non-ASCII target", "GET /ä HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .invalid("relative target", "GET a HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .invalid("asterisk with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .invalid("bad character in the method", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        .invalid(
            "too many empty lines first", String(repeating: "\r\n", count: 9) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            status: 400),
        // RFC 9110 §9.1: 501 for a method the server does not implement.
        .invalid("unknown method FOO", "FOO / HTTP/1.1\r\nHost: a\r\n\r\n", status: 501),
        .invalid("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", status: 501),
        .invalid("method in lower case", "get / HTTP/1.1\r\nHost: a\r\n\r\n", status: 501),
        // RFC 9110 §10.1.1: an expectation other than 100-continue gets 417.
        .invalid("unknown expectation", "GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n", status: 417),
        // RFC 9112 §3: 414 for a request line over the limit; RFC 6585 §5: 431 for headers.
        .invalid(
            "request line one byte over the limit",
            "GET /\(String(repeating: "a", count: 51)) HTTP/1.1\r\nHost: a\r\n\r\n", status: 414),
        .invalid(
            "request line over the limit and unterminated", "GET /" + String(repeating: "a", count: 80), status: 414),
        .invalid(
            "header section one byte over the limit",
            "GET / HTTP/1.1\r\nHost: a\r\nX-Fill: \(String(repeating: "f", count: 238))\r\n\r\n", status: 431),
        .invalid(
            "header section over the limit and unterminated",
            "GET / HTTP/1.1\r\nHost: a\r\nX-Fill: " + String(repeating: "f", count: 300), status: 431),
        .invalid(
            "one header field too many",
            "GET / HTTP/1.1\r\nHost: a\r\n" + (1...8).map { "X-\($0): v\r\n" }.joined() + "\r\n", status: 431),
        .invalid(
            "error after a valid request", "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/2.0\r\nHost: a\r\n\r\n",
            status: 505, after: 1),
        .invalid(
            "trailer section over the limit",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
                + "X-T: \(String(repeating: "t", count: 260))\r\n\r\n",
            status: 431),
        .invalid(
            "trailer with a bad name",
            "POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Name: x\r\n\r\n", status: 400),
    ]
}
