import Foundation
import Testing

@Suite("Scripts/check-versions: changed sources need a new version")
struct CheckVersionsTests {
    @Test func theRepositoryPasses() throws {
        let result = try Command.run(RepositoryRoot.url.appendingPathComponent("Scripts/check-versions").path, [])
        #expect(result.status == 0, "\(result.transcript)")
    }

    @Test func aPackageThatWasNeverReleasedPasses() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Widget", version: "0.1.0")
        try repository.commit("Widget 0.1.0")

        let result = try repository.script("check-versions")
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.output.contains("Widget 0.1.0: no Widget-x.y.z tag"))
    }

    @Test func changedSourcesWithTheReleasedVersionFailAndNameThePackage() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Widget", version: "0.1.0")
        try repository.addPackage("Gadget", version: "1.0.0")
        try repository.commit("Widget 0.1.0, Gadget 1.0.0")
        try repository.git("tag", "Widget-0.1.0")
        try repository.git("tag", "Gadget-1.0.0")
        try repository.write("Packages/Widget/Sources/Widget/Widget.swift", "public enum Widget { case one }\n")
        try repository.write("Packages/Gadget/README.md", "Only documentation changed.\n")
        try repository.commit("Widget: a case")

        let result = try repository.script("check-versions")
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.error.contains("FAIL Widget: sources changed since Widget-0.1.0"), "\(result.transcript)")
        #expect(!result.error.contains("Gadget"), "\(result.transcript)")
    }

    @Test func aBumpedVersionWithAChangelogEntryPasses() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Widget", version: "0.1.0")
        try repository.commit("Widget 0.1.0")
        try repository.git("tag", "Widget-0.1.0")
        try repository.addPackage("Widget", version: "0.2.0", changelog: ["0.2.0", "0.1.0"])
        try repository.write("Packages/Widget/Sources/Widget/Widget.swift", "public enum Widget { case one }\n")
        try repository.commit("Widget 0.2.0")

        let result = try repository.script("check-versions")
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.output.contains("Widget 0.2.0: changed since Widget-0.1.0 (1 file)"), "\(result.transcript)")
    }

    @Test func aVersionWithoutAChangelogEntryFails() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Widget", version: "0.2.0", changelog: ["0.1.0"])
        try repository.commit("Widget 0.2.0 without its entry")

        let result = try repository.script("check-versions")
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.error.contains("Widget: Packages/Widget/CHANGELOG.md has no '## 0.2.0' entry"))
    }

    @Test func aShallowCloneSaysWhatItCannotCompare() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Widget", version: "0.1.0")
        try repository.commit("Widget 0.1.0")
        try repository.git("tag", "Widget-0.1.0")
        try repository.write("Packages/Widget/Sources/Widget/Widget.swift", "public enum Widget { case one }\n")
        try repository.commit("Widget: a case, without a bump")

        let clone = URL(fileURLWithPath: repository.url.path + "-shallow")
        defer { try? FileManager.default.removeItem(at: clone) }
        try repository.git("clone", "-q", "--depth", "1", "file://\(repository.url.path)", clone.path)
        let result = try repository.script("check-versions", in: clone)
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.output.contains("shallow clone"), "\(result.transcript)")
        #expect(
            result.output.contains("Widget 0.1.0: no Widget-x.y.z tag in this shallow clone"),
            "\(result.transcript)"
        )
    }
}
