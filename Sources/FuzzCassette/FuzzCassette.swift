import InputChecks

/// libFuzzer's entry point: `make fuzz` builds this with `--sanitize=fuzzer`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCassette(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    InputChecks.checkCassette(UnsafeBufferPointer(start: data, count: size))
    return 0
}
