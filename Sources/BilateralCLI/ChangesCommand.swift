import ArgumentParser
import BilateralAPI
import Dispatch
import Foundation
import HTTPCore

struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Write the change feed after a seq as NDJSON to standard output, one change a line.",
        discussion: """
            The same changes as GET /v1/changes, in commit order, each once: note the last `seq` \
            printed and pass it as --since next time. With --follow, waits for new changes and \
            prints them as they commit, until interrupted. Fails (exit code 1) when changes after \
            --since were pruned: start again from `bilateral export`.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Print the changes after this seq (0: all that are kept).")
    var since: Int = 0

    @OptionGroup var types: RecordTypesOption

    @Flag(help: "Leave out each change's record: type, id, operation and version only.")
    var noRecord = false

    @Flag(help: "Keep printing new changes as they commit.")
    var follow = false

    func validate() throws {
        guard since >= 0 else { throw ValidationError("--since must be 0 or more.") }
    }

    func run() throws {
        let wanted = try types.wanted()
        let pool = try StoreOpener.openExisting(store)
        defer { pool.close() }
        let output = FileHandle.standardOutput
        // Woken by the database's notifications where it has them (PostgreSQL), else each second.
        let wake = DispatchSemaphore(value: 0)
        let listener = follow ? pool.listen(to: ChangeFeed.channel) { wake.signal() } : nil
        defer { listener?.stop() }
        var position = since
        do {
            while true {
                position = try ChangeFeed.writeNDJSON(
                    since: position, types: wanted, includeRecord: !noRecord, from: pool
                ) { output.write(Data($0)) }
                guard follow else { return }
                _ = wake.wait(timeout: .now() + .seconds(1))
            }
        } catch let error as HTTPError {
            FileHandle.standardError.write(Data("Error: \(error.problem.detail)\n".utf8))
            throw ExitCode.failure
        }
    }
}
