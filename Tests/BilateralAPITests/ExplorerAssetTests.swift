import Foundation
import HTTPCore
import HTTPTestSupport
import Testing

@testable import BilateralAPI

/// The explorer's bundled assets: found, typed, cached for good, gzip-encoded, and nothing else.
@Suite("Explorer assets over HTTP")
struct ExplorerAssetTests {
    /// The assets' folder the page names: `/explorer/<version>`.
    static func assetsPath(_ server: HTTPServer) throws -> String {
        let html = try server.request("GET", "/").bodyString
        return String(try #require(html.firstMatch(of: /src="(\/explorer\/[0-9a-f]{16})\/main\.js"/)?.1))
    }

    @Test func theVersionIsADigestOfTheAssets() throws {
        let bundle = try ExplorerBundle.load()
        #expect(bundle.version.count == 16 && bundle.version.allSatisfy(\.isHexDigit))
        #expect(try ExplorerBundle.load().version == bundle.version, "the same files give the same version")
        #expect(!String(decoding: bundle.page, as: UTF8.self).contains(ExplorerBundle.assetsPlaceholder))
        for name in ["main.js", "api.js", "dom.js", "explorer.css", "icon.svg"] {
            #expect(bundle.assets[name] != nil, "\(name)")
        }
    }

    /// Everything the page links and every module main.js reaches through its imports is served,
    /// with its media type and a year of caching.
    @Test func everyLinkedAssetAndImportedModuleIsServed() throws {
        try withAPIServer { server, _, _ in
            let folder = try Self.assetsPath(server)
            let html = try server.request("GET", "/").bodyString
            var pending = html.matches(of: /(?:src|href)="\/explorer\/[0-9a-f]{16}\/([^"]+)"/).map { String($0.1) }
            var seen: Set<String> = []
            while let name = pending.popLast() {
                guard seen.insert(name).inserted else { continue }
                let response = try server.request("GET", "\(folder)/\(name)")
                #expect(response.status == 200, "\(name)")
                #expect(response["Cache-Control"] == "public, max-age=31536000, immutable", "\(name)")
                #expect(response["X-Content-Type-Options"] == "nosniff", "\(name)")
                #expect(response["ETag"] != nil, "\(name)")
                let type = response["Content-Type"]
                switch name.split(separator: ".").last {
                case "js":
                    #expect(type == "text/javascript; charset=utf-8", "\(name)")
                    // Relative imports resolve inside the same versioned folder.
                    pending += response.bodyString.matches(of: /from "\.\/([\w-]+\.js)"/).map { String($0.1) }
                case "css": #expect(type == "text/css; charset=utf-8", "\(name)")
                case "svg": #expect(type == "image/svg+xml", "\(name)")
                default: Issue.record("unexpected asset \(name)")
                }
            }
            #expect(seen.isSuperset(of: ["main.js", "api.js", "live.js", "chart.js", "explorer.css", "icon.svg"]))
        }
    }

    /// The scripts never hand API data to the HTML parser: no innerHTML, outerHTML,
    /// insertAdjacentHTML, document.write or eval anywhere.
    @Test func noScriptParsesHTML() throws {
        let bundle = try ExplorerBundle.load()
        for (name, asset) in bundle.assets where name.hasSuffix(".js") {
            let source = String(decoding: asset.bytes, as: UTF8.self)
            for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
                #expect(!source.contains(sink), "\(name) uses \(sink)")
            }
        }
    }

    @Test func assetsRevalidateAndArriveGzipped() throws {
        try withAPIServer { server, _, _ in
            let path = try Self.assetsPath(server) + "/main.js"
            let identity = try server.request("GET", path)
            let etag = try #require(identity["ETag"])
            let notModified = try server.request("GET", path, headers: [("If-None-Match", etag)])
            #expect(notModified.status == 304)
            #expect(notModified["Cache-Control"] == "public, max-age=31536000, immutable")

            let css = try server.request("GET", try Self.assetsPath(server) + "/explorer.css")
            for (asset, plain) in [(path, identity), (try Self.assetsPath(server) + "/explorer.css", css)] {
                let gzipped = try server.request("GET", asset, headers: [("Accept-Encoding", "gzip")])
                #expect(gzipped.status == 200)
                #expect(gzipped["Content-Encoding"] == "gzip", "\(asset)")
                #expect(gzipped.headers.listValues(for: "Vary").contains("Accept-Encoding"))
                #expect(gzipped.body.count < plain.body.count)
                #expect(try GzipDecoder.decompress(gzipped.body, limit: 1 << 22) == plain.body)
                // The gzip copy has a tag of its own, and a 304 for it.
                let tag = try #require(gzipped["ETag"])
                #expect(tag != plain["ETag"])
                let again = try server.request(
                    "GET", asset, headers: [("Accept-Encoding", "gzip"), ("If-None-Match", tag)])
                #expect(again.status == 304)
            }
            let page = try server.request("GET", "/", headers: [("Accept-Encoding", "gzip")])
            #expect(page["Content-Encoding"] == "gzip")
        }
    }

    @Test(arguments: [
        "/explorer/0000000000000000/main.js",  // another build's version
        "{folder}/nope.js",
        "{folder}/..%2Fsample.ndjson",
        "{folder}/..%2F..%2Fexplorer.html",
        "/explorer/main.js",
        "/explorer/front-door.3f2a9c1b0d4e.css",
    ])
    func unknownAssetsAreProblems(_ target: String) throws {
        try withAPIServer { server, _, _ in
            let path = target.replacing("{folder}", with: try Self.assetsPath(server))
            let response = try server.request("GET", path)
            #expect(response.status == 404, "\(path)")
            #expect(response["Content-Type"] == "application/problem+json", "\(path)")
            #expect(response["Cache-Control"] == "no-store", "\(path)")
        }
    }

    @Test func assetsTakeNoQuery() throws {
        try withAPIServer { server, _, _ in
            let response = try server.request("GET", try Self.assetsPath(server) + "/main.js?v=2")
            #expect(response.status == 400)
        }
    }
}
