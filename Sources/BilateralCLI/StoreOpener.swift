import ArgumentParser
import Foundation
import PostgresStore
import SQLiteStore
import Storage

/// Opens the database of `StoreOptions` with a clear error instead of a raw store one.
enum StoreOpener {
    /// Opens a database that must exist already (export, backup): never creates an empty one.
    static func openExisting(_ options: StoreOptions) throws -> any DatabaseStore {
        if case .sqlite(let path) = try options.location(), !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("There is no database at '\(path)' (give its path with --db).")
        }
        return try open(options)
    }

    static func open(_ options: StoreOptions) throws -> any DatabaseStore {
        let location = try options.location()
        do {
            switch location {
            case .sqlite(let path):
                return try SQLitePool(path: path, configuration: try options.configuration())
            case .postgresql(let url):
                return try PostgresPool(url: url, configuration: PostgresConfiguration())
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("Cannot open the database '\(location)': \(error)")
        }
    }
}
