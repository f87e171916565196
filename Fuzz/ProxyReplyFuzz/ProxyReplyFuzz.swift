import ProxyFuzzing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if FUZZING
// Built by Scripts/fuzz with -sanitize=fuzzer,address -D FUZZING: libFuzzer drives the harness.

@_cdecl("LLVMFuzzerTestOneInput")
public func proxyReplyFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do {
        try ProxyReplyFuzzer.run(Array(UnsafeBufferPointer(start: data, count: size)))
    } catch {
        fatalError("proxy-reply: \(error)")
    }
    return 0
}

// SwiftPM links an executable's entry point under the name `<Target>_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("ProxyReplyFuzz_main")
public func proxyReplyFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments) { data, size in proxyReplyFuzzOne(data, size) }
}
#else
/// Replays fuzz inputs (files or directories) through the harness: `ProxyReplyFuzz Fuzz/corpus/proxy-reply`.
@main
struct ProxyReplyFuzz {
    static func main() {
        exit(ProxyFuzzReplay.main(arguments: CommandLine.arguments, harness: ProxyReplyFuzzer.run))
    }
}
#endif
