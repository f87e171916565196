import Foundation
import Testing

/// `Scripts/release-package` in a scratch repository. `--skip-tests` keeps `swift test` out: the scratch
/// package has no tests, and the real script's test run is `swift test --package-path`, as CI runs it.
@Suite("Scripts/release-package: tag and subtree split of one package")
struct ReleasePackageTests {
    @Test func tagsTheVersionAndSplitsThePackageToItsOwnRoot() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Widget", version: "0.1.0")
        try repository.write("Other/file.txt", "not part of Widget\n")
        try repository.commit("Widget 0.1.0")

        let result = try repository.script("release-package", ["--skip-tests", "Widget"])
        #expect(result.status == 0, "\(result.transcript)")
        #expect(result.output.contains("tagged Widget-0.1.0"), "\(result.transcript)")

        let tag = try repository.git("cat-file", "-t", "Widget-0.1.0").output
        #expect(tag.trimmingCharacters(in: .newlines) == "tag", "an annotated tag")
        let message = try repository.git("tag", "-l", "--format=%(contents)", "Widget-0.1.0").output
        #expect(message.contains("Widget 0.1.0") && message.contains("- Changes."), "\(message)")

        let files = try repository.git("ls-tree", "-r", "--name-only", "mirror/Widget").output
        #expect(
            files.split(separator: "\n") == ["CHANGELOG.md", "Package.swift", "Sources/Widget/Widget.swift", "VERSION"]
        )
        #expect(result.output.contains("Nothing was pushed"))
    }

    @Test func refusesAVersionThatIsNotNewerThanTheLastTag() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Widget", version: "0.2.0")
        try repository.commit("Widget 0.2.0")
        try repository.git("tag", "Widget-0.10.0")

        let result = try repository.script("release-package", ["--skip-tests", "Widget"])
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.error.contains("0.2.0 is older than the last release, Widget-0.10.0"), "\(result.transcript)")
    }

    @Test func refusesAnAlreadyReleasedVersion() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Widget", version: "0.2.0")
        try repository.commit("Widget 0.2.0")
        try repository.git("tag", "Widget-0.2.0")

        let result = try repository.script("release-package", ["--skip-tests", "Widget"])
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.error.contains("already released as Widget-0.2.0; bump it first"), "\(result.transcript)")
    }

    @Test func refusesAVersionWithoutAChangelogEntry() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Widget", version: "0.2.0", changelog: ["0.1.0"])
        try repository.commit("Widget 0.2.0")

        let result = try repository.script("release-package", ["--skip-tests", "Widget"])
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.error.contains("CHANGELOG.md has no '## 0.2.0' entry"), "\(result.transcript)")
        #expect(try repository.git("tag").output.isEmpty)
    }

    @Test func refusesUncommittedChanges() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Widget", version: "0.1.0")
        try repository.commit("Widget 0.1.0")
        try repository.write("Packages/Widget/Sources/Widget/Widget.swift", "public enum Widget { case one }\n")

        let result = try repository.script("release-package", ["--skip-tests", "Widget"])
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.error.contains("uncommitted changes"), "\(result.transcript)")
    }

    @Test func refusesASiblingFromAMirrorThatIsNotReleased() throws {
        let repository = try ScratchRepository()
        defer { repository.remove() }
        try repository.addPackage("Codec", version: "0.2.0")
        try repository.addPackage("Widget", version: "0.1.0")
        try repository.write(
            "Packages/Widget/Package.swift",
            """
            // swift-tools-version:6.0
            import PackageDescription

            let package = Package(
                name: "Widget",
                dependencies: [sibling("Codec", from: "0.2.0")],
                targets: [.target(name: "Widget")]
            )

            """
        )
        try repository.commit("Widget needs Codec")

        let refused = try repository.script("release-package", ["--dry-run", "Widget"])
        #expect(refused.status == 1, "\(refused.transcript)")
        #expect(refused.error.contains("Codec-0.2.0 is not released; release Codec first"), "\(refused.transcript)")

        try repository.git("tag", "Codec-0.2.0")
        let accepted = try repository.script("release-package", ["--dry-run", "Widget"])
        #expect(accepted.status == 0, "\(accepted.transcript)")
        #expect(accepted.output.contains("dry run: checks passed"), "\(accepted.transcript)")
    }
}
