import Foundation

/// Files shipped inside the package's resource bundle (countries, OpenAPI document, sample, the
/// explorer's page and assets).
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

    /// The regular files directly inside `Resources/<directory>`, by name, sorted by name.
    public static func files(in directory: String) throws -> [(name: String, data: Data)] {
        guard let url = Bundle.module.url(forResource: directory, withExtension: nil, subdirectory: "Resources")
        else { throw MissingError(name: directory + "/") }
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        return try names.compactMap { name in
            let path = url.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { return nil }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MissingError(name: directory + "/" + name)
            }
            return (name, data)
        }
    }
}
