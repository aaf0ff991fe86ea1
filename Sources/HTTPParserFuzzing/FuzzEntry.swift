// The libFuzzer entry point, compiled only into the fuzzer build (`scripts/fuzz-parser`), where
// libFuzzer supplies `main`. Elsewhere the same checks run on files (`ReplayCommand`).
#if BILATERAL_FUZZER
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        ParserCheck.run(bytes)
        return 0
    }
#endif
