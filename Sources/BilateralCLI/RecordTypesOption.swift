import ArgumentParser
import BilateralAPI

/// `--types`: the record types a command works on (`export`, `changes`), all when none is given.
struct RecordTypesOption: ParsableArguments {
    @Option(
        parsing: .upToNextOption,
        help: "Only these types (source, actor, meeting, statement, initiative), separated by spaces or commas.")
    var types: [String] = []

    /// The types named, checked.
    /// - Throws: `ValidationError` naming the accepted types.
    func wanted() throws -> Set<String> {
        let names = types.flatMap { $0.split(separator: ",").map { String($0) } }
        do {
            return try RecordExport.types(names)
        } catch {
            throw ValidationError(
                "--types accepts \(RecordExport.kinds.joined(separator: ", ")); not '\(names.joined(separator: ","))'.")
        }
    }
}
