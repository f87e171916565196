/// Builds random but plausible commands from `COMMAND DOCS` argument trees: optional arguments come and go,
/// multiple ones repeat, `oneof` picks a branch, keywords change case, and a `numkeys` count usually matches
/// the keys that follow it. Keys get unique names (`key:N`), so a reply of key names maps back to positions.
struct CommandArgumentGenerator {
    private var random: SplitMix64
    private var serial = 0

    init(seed: UInt64) {
        self.random = SplitMix64(seed: seed)
    }

    /// Arguments after the command (and subcommand) name.
    mutating func arguments(for documented: [CommandDocArgument]) -> [String] {
        var output: [String] = []
        self.append(documented, to: &output)
        return output
    }

    private mutating func append(_ arguments: [CommandDocArgument], to output: inout [String]) {
        var pendingCount: Int? = nil
        for argument in arguments {
            if argument.isOptional && Bool.random(using: &self.random) {
                if let countIndex = pendingCount, argument.type == "key" {
                    output[countIndex] = "0"
                    pendingCount = nil
                }
                continue
            }
            let keysBefore = output.filter { $0.hasPrefix("key:") }.count
            let repeats = argument.isMultiple ? Int.random(in: 1...3, using: &self.random) : 1
            for repetition in 0..<repeats {
                if let token = argument.token, repetition == 0 || argument.repeatsToken {
                    output.append(self.randomCase(token))
                }
                self.appendValue(of: argument, to: &output)
            }
            if argument.type == "integer" && argument.name == "numkeys" {
                pendingCount = output.count - 1
            } else if let countIndex = pendingCount, argument.type == "key" {
                // One time in eight the count stays random, to exercise counts that do not match.
                if Int.random(in: 0..<8, using: &self.random) != 0 {
                    output[countIndex] = String(output.filter { $0.hasPrefix("key:") }.count - keysBefore)
                }
                pendingCount = nil
            }
        }
    }

    private mutating func appendValue(of argument: CommandDocArgument, to output: inout [String]) {
        switch argument.type {
        case "pure-token":
            if argument.token == nil { output.append(argument.name.uppercased()) }
        case "oneof":
            if let branch = argument.children.randomElement(using: &self.random) {
                self.append([CommandDocArgument(branch, optional: false)], to: &output)
            }
        case "block":
            self.append(argument.children, to: &output)
        case "key":
            self.serial += 1
            output.append("key:\(self.serial)")
        case "integer":
            output.append(String(Int.random(in: 1...3, using: &self.random)))
        case "double":
            output.append("1.5")
        case "unix-time":
            output.append("1700000000")
        default:
            self.serial += 1
            output.append("\(argument.name)-\(self.serial)")
        }
    }

    private mutating func randomCase(_ word: String) -> String {
        switch Int.random(in: 0..<4, using: &self.random) {
        case 0: word.lowercased()
        case 1:
            String(
                word.enumerated().map { $0.offset.isMultiple(of: 2) ? Character($0.element.lowercased()) : $0.element }
            )
        default: word
        }
    }
}

extension CommandDocArgument {
    /// A `oneof` branch is chosen, so it is never skipped as optional.
    fileprivate init(_ branch: CommandDocArgument, optional: Bool) {
        self = branch
        self.isOptional = optional
    }
}
