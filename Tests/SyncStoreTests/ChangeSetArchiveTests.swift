import Foundation
import Testing
@testable import SyncCore
@testable import SyncStore

@Suite("Change-set archives (gzip)")
struct ChangeSetArchiveTests {
    func populatedStore() throws -> CRDTStore {
        let store = try memoryStore(61)
        var g = ChangeSetGenerator(seed: 61)
        for _ in 0..<30 { try store.apply(g.changeSet(), physical: 5_000) }
        return store
    }

    @Test("export → gzip → import reproduces the state")
    func roundTrip() throws {
        let source = try populatedStore()
        let data = try ChangeSetArchive.encode(try source.changes(since: VersionVector()))
        #expect(data.prefix(2) == Data([0x1F, 0x8B]))
        let target = try memoryStore(62)
        try target.apply(try ChangeSetArchive.decode(data), physical: 5_000)
        #expect(try target.read { try $0.dump() } == source.read { try $0.dump() })
    }

    @Test("gzip round-trips random payloads, including empty and incompressible ones")
    func gzip() throws {
        var rng = SeededRandom(seed: 63)
        for size in [0, 1, 100, 70_000, 300_000] {
            let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) })
            #expect(try GzipCodec.decompress(GzipCodec.compress(bytes)) == bytes)
        }
        let text = Data(String(repeating: "contacto ", count: 50_000).utf8)
        let packed = try GzipCodec.compress(text)
        #expect(packed.count < text.count / 50)
        #expect(try GzipCodec.decompress(packed) == text)
        #expect(throws: SyncStoreError.self) { try GzipCodec.decompress(packed, maxOutput: 1_000) }
    }

    @Test("truncated, corrupt, foreign and future-version input is refused with nothing applied")
    func badInput() throws {
        let source = try populatedStore()
        let good = try ChangeSetArchive.encode(try source.changes(since: VersionVector()))
        let target = try memoryStore(64)
        var g = ChangeSetGenerator(seed: 640)
        try target.apply(g.changeSet(), physical: 5_000)
        let before = try target.read { try $0.dump() }

        func refused(_ data: Data, _ expected: ChangeSetError.Code) {
            do {
                let cs = try ChangeSetArchive.decode(data)
                try target.apply(cs, physical: 5_000)
                Issue.record("accepted bad input, expected \(expected)")
            } catch let e as ChangeSetError {
                #expect(e.code == expected, "\(e)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        refused(good.prefix(good.count / 2), .truncated)
        refused(good.dropLast(3), .truncated)
        var flipped = good
        flipped[flipped.startIndex + good.count / 2] ^= 0x55
        refused(flipped, .corrupt)
        var badCRC = good
        badCRC[badCRC.endIndex - 6] ^= 0x01
        refused(badCRC, .corrupt)
        refused(Data("not gzip at all, just text".utf8), .corrupt)
        refused(try GzipCodec.compress(Data("{\"hello\": 1}".utf8)), .malformed)
        refused(try GzipCodec.compress(Data("[1, 2".utf8)), .corrupt)
        var doc = try source.changes(since: VersionVector()).jsonDocument().object!
        doc["version"] = 99
        refused(try GzipCodec.compress(JSONValue.object(doc).jsonData), .unsupportedVersion)
        var rows = doc["registers"]!.array!
        rows[rows.count - 1] = ["not", "a", "row"]
        doc["version"] = 1
        doc["registers"] = .array(rows)
        refused(try GzipCodec.compress(JSONValue.object(doc).jsonData), .malformed)
        #expect(try target.read { try $0.dump() } == before)
    }

    @Test("files: write and read back, and a missing file is an io error")
    func files() throws {
        let source = try populatedStore()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-export-\(UUID().uuidString).gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cs = try source.changes(since: VersionVector())
        try ChangeSetArchive.write(cs, to: path)
        #expect(try ChangeSetArchive.read(from: path) == cs)
        #expect(throws: SyncStoreError.self) { try ChangeSetArchive.read(from: path + ".missing") }
    }
}
