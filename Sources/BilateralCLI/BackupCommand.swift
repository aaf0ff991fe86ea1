import ArgumentParser
import Foundation
import SQLiteStore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to DEST with SQLite's online backup API, while a server may be using it.",
        discussion: """
            The copy is one consistent moment of the database, written beside DEST, checked with \
            PRAGMA integrity_check, then renamed into place: DEST holds either what it held before or a \
            complete, sound copy. The server's reads and writes go on meanwhile.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The file to write (replaced if it exists); its directory must exist.")
    var destination: String

    func run() throws {
        let opened = try StoreOpener.openExisting(store)
        defer { opened.close() }
        guard let pool = opened as? SQLitePool else {
            throw ValidationError(
                "backup copies a SQLite file; back a PostgreSQL database up with its own tools: "
                    + "pg_dump --format=custom (or continuous archiving), or `bilateral export` for the records.")
        }
        try pool.backup(to: destination)
        let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
        print("Backed up \(try store.location()) to \(destination) (\(size) bytes); integrity check: ok.")
    }
}
