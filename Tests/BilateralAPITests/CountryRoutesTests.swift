import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// `/v1/countries` and `/v1/countries/{code}` over a real socket, against the real app.
@Suite("Countries over HTTP")
struct CountryRoutesTests {
    static let cambodia =
        #"{"code":"KH","alpha3":"KHM","numeric":"116","name":"Cambodia","official_name":"Cambodia","region":"Asia","subregion":"South-eastern Asia"}"#

    /// Pins the encoder's bytes: field order, separators, no whitespace, no escaping surprises.
    @Test func cambodiaExactBytes() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/v1/countries/kh")
            #expect(response.status == 200)
            #expect(response.bodyString == Self.cambodia)
            #expect(response["Content-Type"] == "application/json")
            #expect(response["Content-Length"] == String(Self.cambodia.utf8.count))
        }
    }

    @Test(arguments: ["/v1/countries/KH", "/v1/countries/kh", "/v1/countries/Kh", "/v1/countries/%4B%48"])
    func codeIsCaseInsensitive(target: String) throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", target)
            #expect(response.status == 200)
            #expect(response.bodyString == Self.cambodia)
        }
    }

    @Test func antarcticaHasNullRegion() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/v1/countries/AQ")
            #expect(response.status == 200)
            #expect(response.bodyString.contains(#""region":null,"subregion":null}"#))
            let object = try response.jsonObject()
            #expect(object["region"] is NSNull)
            #expect(object["subregion"] is NSNull)
            #expect(object["name"] as? String == "Antarctica")
        }
    }

    @Test(arguments: ["/v1/countries/ZZ", "/v1/countries/KHM", "/v1/countries/k", "/v1/countries/%C3%A9%C3%A9"])
    func unknownCodeIsAProblem(target: String) throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", target)
            #expect(response.status == 404)
            #expect(response["Content-Type"] == "application/problem+json")
            let problem = try response.jsonObject()
            // RFC 9457 §3.1: every member present.
            #expect(problem["type"] as? String == "about:blank")
            #expect(problem["title"] as? String == "Not Found")
            #expect(problem["status"] as? Int == 404)
            #expect((problem["detail"] as? String)?.contains("ISO 3166-1") == true)
            #expect(problem["instance"] as? String == String(target.prefix { $0 != "?" }))
            #expect(response["X-Request-Id"] != nil)
        }
    }

    @Test func getRejectsQueryParameters() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/v1/countries/KH?fields=name")
            #expect(response.status == 400)
            #expect(try response.firstErrorField() == "fields")
        }
    }

    /// SPEC: paging returns every record exactly once, in order; `Link` exactly when a cursor follows.
    @Test func pagingThroughAllCountries() throws {
        let expected = try CountryCatalog.load().map(\.country.code).sorted()
        #expect(expected.count == 249)
        try withAPIServer { server, _, _ in
            var seen: [String] = []
            var target: String? = "/v1/countries?limit=7"
            var pages = 0
            while let current = target {
                pages += 1
                guard pages <= 40 else {
                    Issue.record("paging does not end")
                    return
                }
                let response = try server.request("GET", current)
                try #require(response.status == 200, "\(current): \(response)")
                let object = try response.jsonObject()
                let codes = try response.countryCodes()
                seen += codes
                let next = object["next_cursor"] as? String
                let links = response.values(of: "Link")
                if let next {
                    #expect(codes.count == 7)
                    #expect(links.count == 1)
                    let link = try #require(links.first)
                    #expect(link.hasSuffix(">; rel=\"next\""))
                    let url = String(link.dropFirst().prefix { $0 != ">" })
                    #expect(url == "/v1/countries?limit=7&cursor=\(next)")
                    target = url
                } else {
                    #expect(object["next_cursor"] is NSNull, "next_cursor is present and null at the end")
                    #expect(links.isEmpty)
                    target = nil
                }
            }
            #expect(pages == 36)
            #expect(seen == expected)
        }
    }

    @Test func regionIsCaseInsensitive() throws {
        try withAPIServer { server, _, _ in
            let lower = try server.request("GET", "/v1/countries?region=asia&limit=500")
            let upper = try server.request("GET", "/v1/countries?region=ASIA&limit=500")
            #expect(lower.status == 200)
            #expect(lower.body == upper.body)
            let data = try #require(try lower.jsonObject()["data"] as? [[String: Any]])
            #expect(data.count > 40)
            #expect(data.allSatisfy { $0["region"] as? String == "Asia" })
            #expect(try lower.countryCodes().contains("KH"))
        }
    }

    @Test func unknownRegionListsTheAcceptedOnes() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/v1/countries?region=Atlantis")
            #expect(response.status == 400)
            #expect(response["Content-Type"] == "application/problem+json")
            #expect(try response.firstErrorField() == "region")
            let detail = try #require(try response.jsonObject()["detail"] as? String)
            #expect(detail.contains("Atlantis"))
            for region in ["Africa", "Americas", "Asia", "Europe", "Oceania"] {
                #expect(detail.contains(region), "lists \(region)")
            }
        }
    }

    @Test(arguments: [
        ("camb", ["KH"]), ("KHM", ["KH"]), ("khm", ["KH"]), ("116", ["KH"]),
        ("kh", ["KH", "KZ"]),  // the code exactly, and Kazakhstan by name
        ("%25", []),  // `%` is literal, not a LIKE wildcard
        ("_", []),  // so is `_`
        ("c%25a", []),
        ("Cambodia%25", []),
        ("Kingdom+of", ["GB"]),  // `+` is a space; the official name is searched too
        ("kingdom+OF+great", ["GB"]),
    ])
    func searchByNameOrCode(query: String, expected: [String]) throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/v1/countries?limit=500&q=\(query)")
            #expect(response.status == 200, "\(response)")
            let codes = try response.countryCodes()
            #expect(codes == expected)
        }
    }

    @Test func likeWildcardsWouldHaveMatchedEverything() throws {
        // The escaping matters: unescaped, `q=%` is `LIKE '%%%'` and matches all 249.
        try withAPIServer { server, _, _ in
            let percent = try server.request("GET", "/v1/countries?limit=500&q=%25")
            #expect(try percent.countryCodes().isEmpty)
            #expect(try server.request("GET", "/v1/countries?limit=500&q=a").countryCodes().count > 100)
        }
    }

    @Test func limitBounds() throws {
        try withAPIServer { server, _, _ in
            for bad in ["0", "501", "abc", "-1", ""] {
                let response = try server.request("GET", "/v1/countries?limit=\(bad)")
                #expect(response.status == 400, "limit=\(bad)")
                #expect(try response.firstErrorField() == "limit", "limit=\(bad)")
            }
            #expect(try server.request("GET", "/v1/countries?limit=1").countryCodes() == ["AD"])
            let all = try server.request("GET", "/v1/countries?limit=500")
            #expect(try all.countryCodes().count == 249)
            #expect(try all.jsonObject()["next_cursor"] is NSNull)
            #expect(all.values(of: "Link").isEmpty)
            let byDefault = try server.request("GET", "/v1/countries")
            #expect(try byDefault.countryCodes().count == 50)
            #expect(try byDefault.jsonObject()["next_cursor"] is String)
        }
    }

    @Test func tamperedCursorIs400() throws {
        try withAPIServer { server, _, _ in
            let first = try server.request("GET", "/v1/countries?limit=2")
            let cursor = try #require(try first.jsonObject()["next_cursor"] as? String)
            let parts = cursor.split(separator: ".").map(String.init)
            let forged = Base64URL.encode(Array(#"["KH"]"#.utf8)) + "." + parts[1]
            for bad in [forged, cursor + "x", "garbage", String(cursor.dropLast())] {
                let response = try server.request("GET", "/v1/countries?limit=2&cursor=\(bad)")
                #expect(response.status == 400, "cursor \(bad)")
                #expect(try response.firstErrorField() == "cursor")
            }
            // The genuine one still works.
            #expect(try server.request("GET", "/v1/countries?limit=2&cursor=\(cursor)").countryCodes() == ["AF", "AG"])
        }
    }

    @Test func cursorFromAnotherFilterIs400() throws {
        try withAPIServer { server, _, _ in
            let asia = try server.request("GET", "/v1/countries?region=asia&limit=2")
            let cursor = try #require(try asia.jsonObject()["next_cursor"] as? String)
            for other in ["", "&region=Europe", "&q=a", "&region=asia&q=a"] {
                let response = try server.request("GET", "/v1/countries?limit=2&cursor=\(cursor)\(other)")
                #expect(response.status == 400, "with '\(other)'")
                #expect(try response.firstErrorField() == "cursor")
            }
            // The same filter in another spelling is the same query.
            let again = try server.request("GET", "/v1/countries?region=ASIA&limit=2&cursor=\(cursor)")
            #expect(again.status == 200)
        }
    }

    @Test func unknownParameterIs400() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", "/v1/countries?regoin=Asia")
            #expect(response.status == 400)
            #expect(try response.firstErrorField() == "regoin")
            #expect(try (response.jsonObject()["detail"] as? String)?.contains("cursor, limit, q, region") == true)
        }
    }

    @Test(arguments: ["/v1/countries/KH", "/v1/countries?region=Asia"])
    func etagAndNotModified(target: String) throws {
        try withAPIServer { server, _, _ in
            let first = try server.request("GET", target)
            let etag = try #require(first["ETag"])
            #expect(etag == ETag.of(first.body))
            #expect(try server.request("GET", target)["ETag"] == etag, "stable")
            for header in [etag, "W/" + etag, "\"nope\", " + etag, "*"] {
                let again = try server.request("GET", target, headers: [("If-None-Match", header)])
                #expect(again.status == 304, "If-None-Match: \(header)")
                #expect(again.body.isEmpty)
                #expect(again["ETag"] == etag)
                #expect(again["Content-Length"] == nil || again["Content-Length"] == "0")
            }
            let changed = try server.request("GET", target, headers: [("If-None-Match", "\"nope\"")])
            #expect(changed.status == 200)
            #expect(changed.body == first.body)
        }
    }

    /// RFC 9110 §5.3: a list-based field may arrive as several field lines; they form one list.
    @Test func ifNoneMatchOnSeveralFieldLines() throws {
        try withAPIServer { server, _, _ in
            let etag = try #require(try server.request("GET", "/v1/countries/KH")["ETag"])
            let response = try server.request(
                "GET", "/v1/countries/KH", headers: [("If-None-Match", "\"other\""), ("If-None-Match", etag)])
            #expect(response.status == 304)
        }
    }

    @Test(arguments: ["/v1/countries/KH", "/v1/countries?limit=3", "/v1/countries/ZZ"])
    func headHasGETsHeadersAndNoBody(target: String) throws {
        try withAPIServer { server, _, _ in
            let get = try server.request("GET", target)
            let client = try RawClient.connect(port: server.port)
            defer { client.close() }
            // HEAD then GET on one connection: a body after HEAD would corrupt the second response.
            try client.send("HEAD \(target) HTTP/1.1\r\nHost: x\r\n\r\nGET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(isHEAD: true)
            let second = try client.readResponse()
            #expect(head.status == get.status)
            #expect(head.body.isEmpty)
            for name in ["Content-Type", "Content-Length", "ETag", "Vary", "Link"] {
                #expect(head[name] == get[name], "\(name)")
            }
            #expect(second.status == get.status)
            #expect(second.body == get.body)
        }
    }

    @Test func gzipForLargeBodiesOnly() throws {
        try withAPIServer { server, _, _ in
            let identity = try server.request("GET", "/v1/countries?limit=50")
            #expect(identity.body.count >= 1024)
            #expect(identity["Content-Encoding"] == nil)
            #expect(identity.headers.listValues(for: "Vary").contains("Accept-Encoding"))

            let gzipped = try server.request("GET", "/v1/countries?limit=50", headers: [("Accept-Encoding", "gzip")])
            #expect(gzipped.status == 200)
            #expect(gzipped["Content-Encoding"] == "gzip")
            #expect(gzipped.headers.listValues(for: "Vary").contains("Accept-Encoding"))
            #expect(gzipped.body.count < identity.body.count)
            #expect(try GzipDecoder.decompress(gzipped.body, limit: 1 << 20) == identity.body)
            let identityTag = try #require(identity["ETag"])
            #expect(gzipped["ETag"] == String(identityTag.dropLast()) + "-gzip\"", "its own strong tag")
            // Either tag revalidates the gzip representation.
            let revalidated = try server.request(
                "GET", "/v1/countries?limit=50",
                headers: [("Accept-Encoding", "gzip"), ("If-None-Match", gzipped["ETag"] ?? "")])
            #expect(revalidated.status == 304)
            #expect(revalidated["ETag"] == gzipped["ETag"])

            let refused = try server.request(
                "GET", "/v1/countries?limit=50", headers: [("Accept-Encoding", "gzip;q=0")])
            #expect(refused["Content-Encoding"] == nil)

            // Under 1 KiB: sent as is, but Vary still says it could differ.
            let small = try server.request("GET", "/v1/countries/KH", headers: [("Accept-Encoding", "gzip")])
            #expect(small["Content-Encoding"] == nil)
            #expect(small.bodyString == Self.cambodia)
            #expect(small.headers.listValues(for: "Vary").contains("Accept-Encoding"))
        }
    }

    @Test func requestIdIsEchoedWhenSaneAndGeneratedOtherwise() throws {
        try withAPIServer { server, _, _ in
            let echoed = try server.request("GET", "/v1/countries/KH", headers: [("X-Request-Id", "trace-42.a:b_c")])
            #expect(echoed["X-Request-Id"] == "trace-42.a:b_c")

            let insane = try server.request("GET", "/v1/countries/KH", headers: [("X-Request-Id", "<script>")])
            let generated = try #require(insane["X-Request-Id"])
            #expect(generated != "<script>")
            #expect(!generated.isEmpty)

            let tooLong = String(repeating: "a", count: 129)
            #expect(
                try server.request("GET", "/v1/countries/KH", headers: [("X-Request-Id", tooLong)])["X-Request-Id"]
                    != tooLong)

            let a = try #require(try server.request("GET", "/v1/countries/KH")["X-Request-Id"])
            let b = try #require(try server.request("GET", "/v1/countries/ZZ")["X-Request-Id"])
            #expect(a != b, "a fresh id per request, errors included")
        }
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "PATCH"])
    func writesAreNotAllowed(method: String) throws {
        try withAPIServer { server, _, _ in
            for target in ["/v1/countries", "/v1/countries/KH"] {
                let response = try server.request(method, target, body: Array("{}".utf8))
                #expect(response.status == 405, "\(method) \(target)")
                #expect(response["Allow"] == "GET, HEAD, OPTIONS")
                #expect(response["Content-Type"] == "application/problem+json")
            }
        }
    }
}
