import ArgumentParser
import SQLiteStore

/// Opens the database of `StoreOptions` with a clear error instead of a raw SQLite one.
enum DatabasePoolOpener {
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
