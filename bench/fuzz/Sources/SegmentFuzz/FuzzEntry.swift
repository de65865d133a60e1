// Built with `-Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer` (bench/fuzz/run.sh), libFuzzer supplies `main` and
// calls the entry point below. Built normally, the target is a replayer: `SegmentFuzz FILE...` checks each file.

#if FUZZING
    public typealias FuzzArguments = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        let problems = SegmentInvariants.violations(input)
        if !problems.isEmpty { fatalError("invariant broken: " + problems.joined(separator: "; ")) }
        return 0
    }

    /// libFuzzer's driver (compiler-rt), started from the entry point SwiftPM links executables to.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<FuzzArguments?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    // SwiftPM links an executable's `main` to `<module>_main`; with no `@main` in this build, define it here.
    @_cdecl("SegmentFuzz_main")
    public func segmentFuzzMain(_ argc: CInt, _ argv: FuzzArguments?) -> CInt {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments, fuzzOneInput)
    }
#else
    import Foundation

    @main
    enum SegmentFuzzReplay {
        static func main() {
            var failed = 0
            for path in CommandLine.arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("\(path): cannot read")
                    failed += 1
                    continue
                }
                let problems = SegmentInvariants.violations(Array(data))
                if !problems.isEmpty { failed += 1 }
                for problem in problems { print("\(path): \(problem)") }
            }
            print("\(CommandLine.arguments.count - 1) inputs, \(failed) failing")
            exit(failed == 0 ? 0 : 1)
        }
    }
#endif
