import ArgumentParser
import BilateralAPI
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every record as NDJSON to standard output, in the format `bilateral import` reads.",
        discussion: """
            The same lines as GET /v1/export: one consistent snapshot, references before the records \
            that name them, in a stable order. Works while a server uses the database (it never blocks \
            the server's writes).
            """
    )

    @OptionGroup var store: StoreOptions

    @OptionGroup var types: RecordTypesOption

    func run() throws {
        let wanted = try types.wanted()
        let pool = try StoreOpener.openExisting(store)
        defer { pool.close() }
        let output = FileHandle.standardOutput
        try pool.read { db in
            _ = try RecordExport.write(types: wanted, from: db) { output.write(Data($0)) }
        }
    }
}
