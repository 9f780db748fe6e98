import Foundation
import Testing

/// The stores' published example bodies, kept in the repository (`Tests/Fixtures/`, see its README).
enum FixtureFiles {
    /// `<repo>/Tests/Fixtures`, from this file's path (`<repo>/Tests/ConnectorsTests/FixtureFiles.swift`):
    /// inside the checkout, so a plain clone finds them.
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // ConnectorsTests
            .deletingLastPathComponent()  // Tests
            .appendingPathComponent("Fixtures")
    }

    /// The fixture's bytes; a missing folder or file is a test failure with the path in the message.
    static func data(_ store: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Data {
        let url = directory.appendingPathComponent(store).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FixtureMissing(message: "fixture \(url.path) is missing: Tests/Fixtures is part of the repository; restore it with `git checkout -- Tests/Fixtures`")
        }
        return data
    }

    /// Every `.json` file of a store's fixture folder, sorted; throws when the folder is missing.
    static func names(_ store: String) throws -> [String] {
        let dir = directory.appendingPathComponent(store)
        guard let items = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw FixtureMissing(message: "fixture folder \(dir.path) is missing: Tests/Fixtures is part of the repository; restore it with `git checkout -- Tests/Fixtures`")
        }
        return items.filter { $0.hasSuffix(".json") }.sorted()
    }
}

struct FixtureMissing: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
