import ArgumentParser
import BilateralAPI
import Foundation
import HTTPCore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load NDJSON records (the format of `bilateral export`) into the database, all or nothing.",
        discussion: """
            Each line is {"type": "actor"|"source"|"meeting"|"statement"|"initiative", "id": ..., ...} and \
            creates or replaces the record with that id; blank lines are skipped. Lines may refer to \
            records further down. The same rules and the same report as POST /v1/import: by default any \
            bad line and nothing is written, and every bad line is listed with its number (the first 100); \
            the command exits 1 when any line is bad. \
            The input is read as it comes (a gzip file is decoded), so its size costs no memory. Works \
            while a server uses the same database: its writes wait until the import commits.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The NDJSON file (gzip-compressed or not), or - for standard input.")
    var file: String

    @Option(help: "`all` (any bad line and nothing is written) or `partial` (the good lines are written).")
    var mode: String = "all"

    @Flag(help: "Check and count, write nothing.")
    var dryRun = false

    @Flag(help: "Print the report as the JSON that POST /v1/import answers.")
    var json = false

    func run() throws {
        guard let mode = RecordImport.Mode(rawValue: mode) else {
            throw ValidationError("--mode must be `all` or `partial`, not '\(mode)'.")
        }
        let input: FileHandle
        if file == "-" {
            input = FileHandle.standardInput
        } else {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw ValidationError("Cannot read '\(file)'.")
            }
            input = handle
        }
        let pool = try StoreOpener.open(store)
        defer { pool.close() }
        try Schema.migrate(pool)
        var pieces = InputPieces(input)
        let report = try RecordImport.run(
            from: { try pieces.next() }, into: pool, options: RecordImport.Options(mode: mode, dryRun: dryRun))
        if json {
            var out = JSONWriter()
            out.beginObject()
            report.write(to: &out)
            out.endObject()
            print(String(decoding: out.bytes, as: UTF8.self))
        } else if report.failed == 0 {
            print(report.summary, terminator: "")
        } else {
            FileHandle.standardError.write(Data(report.summary.utf8))
        }
        // Any bad line fails the command, also in partial mode (where the good lines are written).
        if report.failed > 0 { throw ExitCode(1) }
    }
}

/// A file read in pieces, gzip-decoded when it starts with gzip's magic bytes.
private struct InputPieces {
    let handle: FileHandle
    var decoder: GzipDecoder?
    var started = false
    var ended = false

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() throws -> [UInt8]? {
        while !ended {
            let piece = [UInt8](try handle.read(upToCount: 256 * 1024) ?? Data())
            if !started {
                started = true
                // RFC 1952 §2.3.1: ID1 = 31, ID2 = 139.
                if piece.count >= 2 && piece[0] == 0x1F && piece[1] == 0x8B { decoder = try GzipDecoder(limit: .max) }
            }
            guard !piece.isEmpty else {
                ended = true
                try decoder?.finish()
                return nil
            }
            guard let decoder else { return piece }
            let decoded = try decoder.decompress(piece)
            if !decoded.isEmpty { return decoded }
        }
        return nil
    }
}
