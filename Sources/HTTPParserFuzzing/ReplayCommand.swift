// Without the fuzzer, the product replays inputs: `swift run HTTPParserFuzzing FILE...` checks each
// file as the fuzzer would, so a crash the fuzzer saved can be reproduced in an ordinary build.
#if !BILATERAL_FUZZER
    import Foundation

    @main
    enum ReplayCommand {
        static func main() {
            let paths = CommandLine.arguments.dropFirst()
            if paths.isEmpty {
                print("usage: HTTPParserFuzzing FILE...  (checks each file as one fuzzer input)")
            }
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("cannot read \(path)")
                    exit(2)
                }
                ParserCheck.run(Array(data))
                print("ok \(path)")
            }
        }
    }
#endif
