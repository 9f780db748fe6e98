import Testing
@testable import SyncCore

@Suite("ISO8601Time")
struct ISO8601TimeTests {
    @Test("parses store timestamps with offsets, Z and none")
    func parse() {
        let utc = ISO8601Time.parse("2026-11-29T15:00:05Z")
        #expect(utc == 1_795_964_405_000)
        #expect(ISO8601Time.parse("2026-11-29T10:00:05-05:00") == utc)
        #expect(ISO8601Time.parse("2026-11-29T15:00:05") == utc)
        #expect(ISO8601Time.parse("2026-11-29T21:00:05+0600") == utc)
        #expect(ISO8601Time.parse("2026-11-29T15:00:05.123Z") == 1_795_964_405_123)
        #expect(ISO8601Time.parse("2026-11-29T15:00:05.1234567Z") == 1_795_964_405_123)
        #expect(ISO8601Time.parse("2024-02-29T00:00:00Z") != nil)
    }

    @Test("rejects malformed timestamps", arguments: [
        "", "2026-11-29", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-29T24:00:00Z",
        "2026-11-29T10:00:05-5:00", "2026-11-29T10:00:05 junk", "2026-11-29T10:00:05.Z",
    ])
    func malformed(_ text: String) {
        #expect(ISO8601Time.parse(text) == nil)
    }

    @Test("formats with offsets and round-trips 1,000 random times")
    func format() {
        #expect(ISO8601Time.format(1_795_964_405_000, offsetMinutes: -300) == "2026-11-29T10:00:05-05:00")
        #expect(ISO8601Time.format(1_795_964_405_123, fractional: true, zulu: true) == "2026-11-29T15:00:05.123Z")
        #expect(ISO8601Time.formatGMTNoZone(1_795_964_405_000) == "2026-11-29T15:00:05")
        var rng = SeededRandom(seed: 5)
        for _ in 0..<1_000 {
            let ms = Int64.random(in: 0...4_102_444_800_000, using: &rng)
            let offset = [-360, -300, 0, 60, 330].randomElement(using: &rng)!
            #expect(ISO8601Time.parse(ISO8601Time.format(ms, offsetMinutes: offset, fractional: true)) == ms)
        }
    }

    @Test("HTTP dates")
    func httpDate() {
        #expect(ISO8601Time.httpDate(1_795_964_405_000) == "Sun, 29 Nov 2026 15:00:05 GMT")
        #expect(ISO8601Time.parseHTTPDate("Sun, 29 Nov 2026 15:00:05 GMT") == 1_795_964_405_000)
        #expect(ISO8601Time.httpDate(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(ISO8601Time.parseHTTPDate("yesterday") == nil)
    }
}
