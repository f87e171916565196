import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A test CA with a server certificate for `localhost` / `127.0.0.1` and a client certificate, plus an unrelated CA
/// that trusts neither. Made once per test run with the `openssl` command.
struct TestCertificates: Sendable {
    let caCertificate: String
    let serverCertificate: String
    let serverKey: String
    let clientCertificate: String
    let clientKey: String
    let unrelatedCACertificate: String

    /// The certificates of this test run.
    static func shared() throws -> TestCertificates {
        try generated.get()
    }

    private static let generated = Result(catching: { try TestCertificates.generate() })

    private static func generate() throws -> TestCertificates {
        let directory = URL(fileURLWithPath: testCertificatesDirectory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: testCertificatesDirectory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        let keyOptions = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "unrelated-ca"] {
            try openssl(
                ["req", "-x509"] + keyOptions
                    + [
                        "-keyout", path("\(ca).key"), "-out", path("\(ca).crt"), "-days", "2", "-subj",
                        "/CN=SocketIO \(ca)",
                    ]
            )
        }
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(
            toFile: path("server.ext"),
            atomically: true,
            encoding: .utf8
        )
        try "extendedKeyUsage=clientAuth\n".write(toFile: path("client.ext"), atomically: true, encoding: .utf8)
        for leaf in ["server", "client"] {
            try openssl(
                ["req"] + keyOptions
                    + ["-keyout", path("\(leaf).key"), "-out", path("\(leaf).csr"), "-subj", "/CN=localhost"]
            )
            try openssl([
                "x509", "-req", "-in", path("\(leaf).csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", path("\(leaf).crt"), "-days", "2", "-extfile", path("\(leaf).ext"),
            ])
        }
        return TestCertificates(
            caCertificate: path("ca.crt"),
            serverCertificate: path("server.crt"),
            serverKey: path("server.key"),
            clientCertificate: path("client.crt"),
            clientKey: path("client.key"),
            unrelatedCACertificate: path("unrelated-ca.crt")
        )
    }

    /// `posix_spawn` and `waitpid` rather than `Process`: a `Process` spawned while another test of the same process
    /// spawns one can lose its termination notice, and `waitUntilExit()` then waits forever on an `openssl` that
    /// already exited.
    private static func openssl(_ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, flags) in [(Int32(0), O_RDONLY), (1, O_WRONLY), (2, O_WRONLY)] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", flags, 0)
        }
        let argv = (["/usr/bin/openssl"] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        var status: Int32 = 0
        var failed = posix_spawn(&pid, "/usr/bin/openssl", &actions, nil, argv, environ) != 0
        while !failed, waitpid(pid, &status, 0) < 0 {
            failed = errno != EINTR
        }
        guard !failed, status == 0 else {
            throw RedisTestServerError(message: "openssl \(arguments.prefix(2).joined(separator: " ")) failed")
        }
    }
}

/// Where this test process keeps its certificates; removed when the process exits.
private let testCertificatesDirectory = FileManager.default.temporaryDirectory
    .appendingPathComponent("socketio-tls-\(ProcessInfo.processInfo.processIdentifier)").path
