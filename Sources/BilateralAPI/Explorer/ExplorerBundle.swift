import HTTPCore

/// The explorer as the binary ships it: its page (`Resources/explorer.html`, served at `/`) and
/// the scripts, stylesheet and icon in `Resources/explorer/`, read once at start.
///
/// The assets are served under `/explorer/<version>/<name>`, where the version is a digest of
/// every asset's name and bytes. The modules import each other by relative path (`./api.js`), so
/// one version segment for all of them keeps those imports plain while every URL still names its
/// content: a new build gets new URLs, and a copy is cached for a year without going stale.
struct ExplorerBundle: Sendable {
    struct Asset: Sendable {
        let bytes: [UInt8]
        let tag: String
        let contentType: String
    }

    /// Assets by file name.
    let assets: [String: Asset]
    /// Sixteen hex digits of the SHA-256 of the assets' names and bytes.
    let version: String
    /// The page, its asset paths filled in.
    let page: [UInt8]
    let pageTag: String

    /// What the page's template says where the assets' folder goes.
    static let assetsPlaceholder = "@ASSETS@"

    /// Media types of the files served; a file of any other kind in the folder is not served.
    /// JavaScript is `text/javascript` (RFC 9239 §6, which makes `application/javascript` obsolete).
    static let contentTypes = [
        "js": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml",
    ]

    /// The page's path to the assets: `/explorer/<version>`.
    var assetsPath: String { "/explorer/" + version }

    /// Reads the bundled page and assets.
    /// - Throws: `BundledResource.MissingError` when the bundle is not beside the executable.
    static func load() throws -> ExplorerBundle {
        var assets: [String: Asset] = [:]
        var digestInput: [UInt8] = []
        for (name, data) in try BundledResource.files(in: "explorer") {
            guard let ext = name.split(separator: ".").last, let type = contentTypes[String(ext)] else { continue }
            let bytes = Array(data)
            assets[name] = Asset(bytes: bytes, tag: ETag.of(bytes), contentType: type)
            // Name, NUL, length, bytes: no two different folders give the same input.
            digestInput += Array(name.utf8) + [0] + Array(String(bytes.count).utf8) + [0] + bytes
        }
        let version = String(SHA256.hash(digestInput).hexString.prefix(16))
        let template = try BundledResource.text("explorer.html")
        let page = Array(template.replacing(assetsPlaceholder, with: "/explorer/" + version).utf8)
        return ExplorerBundle(assets: assets, version: version, page: page, pageTag: ETag.of(page))
    }
}
