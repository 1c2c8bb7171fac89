import InputChecks

/// libFuzzer's entry point: `make fuzz` builds this with `--sanitize=fuzzer`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    InputChecks.checkScript(UnsafeBufferPointer(start: data, count: size))
    return 0
}
