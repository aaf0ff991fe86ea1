import Foundation
import HTTPCore
import Testing

/// Writes every parser vector as one file into the directory named by `BILATERAL_FUZZ_CORPUS`:
/// the seed corpus of the parser's fuzz target (scripts/fuzz-parser). Skipped without it.
@Suite("Parser vectors as the fuzzer's seed corpus")
struct ParserCorpusTests {
    static let directory = ProcessInfo.processInfo.environment["BILATERAL_FUZZ_CORPUS"]

    @Test("write the seed corpus", .enabled(if: directory != nil))
    func writeCorpus() throws {
        let directory = URL(fileURLWithPath: try #require(Self.directory))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let vectors = ParserVector.valid + ParserVector.invalid
        for (index, vector) in vectors.enumerated() {
            let name = String(format: "vector-%03d", index)
            try Data(vector.bytes).write(to: directory.appendingPathComponent(name))
        }
        #expect(vectors.count > 0)
    }
}
