import Foundation

/// Runs fuzz inputs kept as files: a corpus, or crash inputs turned into regression cases.
///
/// ```swift
/// let failures = ProxyFuzzReplay.run(paths: ["Fuzz/corpus/proxy-request"], through: ProxyRequestFuzzer.run)
/// ```
public enum ProxyFuzzReplay {
    /// Every regular file under `paths` (files or directories), sorted by path.
    public static func inputs(_ paths: [String]) -> [URL] {
        var files: [URL] = []
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { !$0.hasPrefix(".") }.map { url.appendingPathComponent($0) }
            } else {
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Runs each file through `harness`; returns the failures as `path: reason`.
    public static func run(paths: [String], through harness: ([UInt8]) throws -> Void) -> [String] {
        var failures: [String] = []
        for file in Self.inputs(paths) {
            do {
                let bytes = try [UInt8](Data(contentsOf: file))
                try harness(bytes)
            } catch {
                failures.append("\(file.path): \(error)")
            }
        }
        return failures
    }

    /// The executables' `main` outside libFuzzer: replays the files or directories given as arguments.
    public static func main(arguments: [String], harness: ([UInt8]) throws -> Void) -> Int32 {
        let paths = Array(arguments.dropFirst())
        guard !paths.isEmpty else {
            print(
                "usage: \(arguments.first ?? "fuzz") FILE_OR_DIRECTORY...  (replays inputs; built with -D FUZZING it is a libFuzzer target)"
            )
            return 2
        }
        let count = Self.inputs(paths).count
        let failures = Self.run(paths: paths, through: harness)
        for failure in failures { print("FAIL \(failure)") }
        print("\(count - failures.count)/\(count) inputs passed")
        return failures.isEmpty ? 0 : 1
    }
}
