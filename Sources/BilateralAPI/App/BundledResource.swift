import Foundation

/// Files shipped inside the package's resource bundle (countries, OpenAPI document, sample).
public enum BundledResource {
    public struct MissingError: Error, CustomStringConvertible {
        public let name: String
        public var description: String {
            "The bundled resource '\(name)' is missing; the Bilateral_BilateralAPI.resources folder must sit next to the executable."
        }
    }

    /// The bytes of `Resources/<name>`.
    public static func data(_ name: String) throws -> Data {
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Resources"),
            let data = FileManager.default.contents(atPath: url.path)
        else { throw MissingError(name: name) }
        return data
    }

    public static func text(_ name: String) throws -> String {
        String(decoding: try data(name), as: UTF8.self)
    }
}
