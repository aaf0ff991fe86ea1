import ArgumentParser
import Foundation
import SQLiteStore

/// Opens the database of `StoreOptions` with a clear error instead of a raw SQLite one.
enum DatabasePoolOpener {
    /// Opens a database that must exist already (export, backup): never creates an empty one.
    static func openExisting(_ options: StoreOptions) throws -> DatabasePool {
        let path = try options.path()
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("There is no database at '\(path)' (give its path with --db).")
        }
        return try open(options)
    }

    static func open(_ options: StoreOptions) throws -> DatabasePool {
        let path = try options.path()
        do {
            return try DatabasePool(path: path, configuration: try options.configuration())
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("Cannot open the database '\(path)': \(error)")
        }
    }
}
