import ArgumentParser
import BilateralAPI
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load NDJSON records (the import format of GET /v1/export) into the database, all or nothing.",
        discussion: """
            Each line is {"type": "actor"|"source"|"meeting"|"statement"|"initiative", "id": ..., ...} and
            creates or replaces the record with that id. Lines may refer to records further down. Any bad
            line and nothing is written: every bad line is listed with its number. Works while a server
            uses the same database.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The NDJSON file, or - for standard input.")
    var file: String

    func run() throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw ValidationError("Cannot read '\(file)'.")
            }
            data = contents
        }
        let pool = try DatabasePoolOpener.open(store)
        defer { pool.close() }
        try Schema.migrator.migrate(pool)
        do {
            let counts = try RecordImport.apply(Array(data), to: pool)
            print("created \(counts.created), updated \(counts.updated), unchanged \(counts.unchanged)")
        } catch let failure as RecordImport.Failure {
            var report = "Nothing was imported: \(failure.errors.count) line(s) are invalid.\n"
            for error in failure.errors.prefix(100) {
                let fields = error.errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
                report += "line \(error.line)\(error.id.map { " (\($0))" } ?? ""): \(error.detail)"
                report += fields.isEmpty ? "\n" : " — \(fields)\n"
            }
            if failure.errors.count > 100 { report += "... and \(failure.errors.count - 100) more\n" }
            FileHandle.standardError.write(Data(report.utf8))
            throw ExitCode(1)
        }
    }
}
