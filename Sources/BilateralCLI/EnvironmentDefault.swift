import ArgumentParser
import Foundation

/// Options fall back to `BILATERAL_<NAME>` environment variables, then to their defaults.
enum EnvironmentDefault {
    static func string(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment["BILATERAL_" + name], !value.isEmpty else { return nil }
        return value
    }

    /// The option, else the variable parsed by `parse`, else `fallback`.
    /// - Throws: `ValidationError` naming the variable when its value does not parse.
    static func resolve<T>(_ option: T?, _ name: String, _ fallback: T, parse: (String) -> T?) throws -> T {
        if let option { return option }
        guard let text = string(name) else { return fallback }
        guard let value = parse(text) else {
            throw ValidationError("The environment variable BILATERAL_\(name)='\(text)' is not a valid value.")
        }
        return value
    }

    static func flag(_ option: Bool, _ name: String) throws -> Bool {
        if option { return true }
        guard let text = string(name) else { return false }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ValidationError("The environment variable BILATERAL_\(name)='\(text)' must be true or false.")
        }
    }
}
