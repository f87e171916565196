import Foundation
import NIOCore
import RESPCodec
import RedisTestSupport
import Testing

/// Checks RESPCodec's key extraction against a real Redis: for every command in the table that has keys,
/// plausible commands are generated from the server's own `COMMAND DOCS`, and `COMMAND GETKEYS` must name the
/// same keys, in the same order, as `RESPCommandSpec.keyIndices(in:)`.
@Suite(.blockingAllowed) struct CommandKeysTests {
    /// Fixed so failures replay; `COMMAND_KEYS_SEED=N swift test --filter CommandKeys` explores other commands.
    static let seed: UInt64 =
        ProcessInfo.processInfo.environment["COMMAND_KEYS_SEED"].flatMap { UInt64($0) } ?? 0x5EED_C0DE
    static let variantsPerCommand = 3
    /// Commands whose keys depend on the arguments get more variants, as they are where extraction can go wrong.
    static let variantsPerMovableCommand = 12

    private struct Case {
        var spec: RESPCommandSpec
        var arguments: [String]
    }

    @Test func keyExtractionMatchesCommandGetKeys() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let connection = try BlockingRESPConnection(port: server.port)
        defer { connection.disconnect() }

        let setup = try connection.pipeline([["HELLO", "3"], ["COMMAND", "DOCS"]])
        let docs = try #require(setup[1].mapFields, "COMMAND DOCS did not answer with a map: \(setup[1])")

        var generator = CommandArgumentGenerator(seed: Self.seed)
        var cases: [Case] = []
        for command in RESPCommandTable.commands {
            let commandDocs = docs[command.name]?.mapFields ?? [:]
            let subcommandDocs = commandDocs["subcommands"]?.mapFields ?? [:]
            let specs = command.subcommands.isEmpty ? [command] : command.subcommands
            for spec in specs where !spec.traits.contains(.keyless) {
                let documented = spec.name.contains("|") ? subcommandDocs[spec.name]?.mapFields : commandDocs
                let name = spec.name.split(separator: "|").map { $0.uppercased() }
                let variants =
                    spec.flags.contains(.movableKeys) ? Self.variantsPerMovableCommand : Self.variantsPerCommand
                for _ in 0..<variants {
                    let arguments =
                        name + generator.arguments(for: CommandDocArgument.list(from: documented?["arguments"]))
                    cases.append(Case(spec: spec, arguments: arguments))
                }
            }
        }
        #expect(cases.count >= 400)

        let replies = try connection.pipeline(cases.map { ["COMMAND", "GETKEYS"] + $0.arguments })
        var compared = 0
        var comparedWithKeys: Set<String> = []
        var refused: [String: Int] = [:]
        var mismatches: [String] = []
        var indices: [Int] = []
        for (testCase, reply) in zip(cases, replies) {
            let serverKeys: [String]
            switch reply {
            case .array(let elements?):
                serverKeys = elements.compactMap(\.text)
            case .simpleError(let message) where String(buffer: message).contains("no key arguments"):
                serverKeys = []
            case .simpleError(let message):
                refused[String(buffer: message), default: 0] += 1
                continue
            default:
                mismatches.append("\(testCase.arguments): unexpected reply \(reply)")
                continue
            }
            let arguments = testCase.arguments.map { ByteBuffer(string: $0) }
            #expect(RESPCommandTable.lookup(arguments: arguments)?.name == testCase.spec.name)
            testCase.spec.keyIndices(in: arguments, into: &indices)
            let ourKeys = indices.map { testCase.arguments[$0] }
            #expect(testCase.spec.firstKeyIndex(in: arguments) == indices.first)
            if let range = testCase.spec.keyRange(argumentCount: arguments.count) { #expect(Array(range) == indices) }
            compared += 1
            if !serverKeys.isEmpty { comparedWithKeys.insert(testCase.spec.name) }
            if ourKeys != serverKeys {
                mismatches.append("\(testCase.arguments): Redis \(serverKeys), RESPCodec \(ourKeys)")
            }
        }

        let refusedCount = refused.values.reduce(0, +)
        print(
            "CommandKeysTests: \(cases.count) generated, \(compared) compared, \(refusedCount) refused by Redis "
                + "(seed \(Self.seed)): \(refused.sorted { $0.value > $1.value }); "
                + "\(comparedWithKeys.count) of \(Set(cases.map(\.spec.name)).count) commands compared with keys"
        )
        #expect(
            mismatches.isEmpty,
            "\(mismatches.count) mismatches, first: \(mismatches.prefix(10).joined(separator: "\n"))"
        )
        #expect(compared >= 300, "only \(compared) commands compared; refused: \(refused)")
        let movableNeverCompared = Self.movableKeyCommands.subtracting(comparedWithKeys)
        #expect(movableNeverCompared.isEmpty, "movable-key commands never compared with keys: \(movableNeverCompared)")
    }

    /// Commands whose keys depend on the arguments; each must have been compared with keys at least once.
    static var movableKeyCommands: Set<String> {
        Set(RESPCommandTable.allCommands.filter { $0.flags.contains(.movableKeys) }.map(\.name))
    }
}
