import Foundation
import Logging
import SyncCore
import SyncEngine
import Testing

/// `oorden-sync log`: the per-field history the engine keeps, with the writes that lost.
@Suite("oorden-sync log and the field history")
struct CLILogTests {
    func phoneContact(_ store: StoreKind, id: String, phone: String, at time: Int64) -> IncomingRecord<ContactRecord> {
        IncomingRecord(ContactRecord(store: store, remoteID: id, email: "ana@example.mx", firstName: "Ana", lastName: "López", phone: phone, updatedAt: time),
                       payload: "{}")
    }

    @Test("a write older than the merged value is recorded as lost, with the stamp it lost to; equal writes are not recorded; 50 per field are kept")
    func history() async throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("engine.sqlite").path
        let clock = ManualClock(milliseconds: t0 + 3_600_000)
        let engine = try SyncEngine.open(path: path, clock: clock, seed: 3, logger: Logger(label: "test"))
        let shop = try engine.connect(link: "tienda-shopify", kind: .shopify)
        let woo = try engine.connect(link: "tienda-woo", kind: .woocommerce)

        let first = try engine.ingest(contacts: [phoneContact(.shopify, id: "1", phone: "+525500000001", at: t0 + 10_000)], from: shop.name)
        let entity = try #require(first.first?.entity)
        // WooCommerce's copy was edited earlier than Shopify's: it links, and its phone loses.
        _ = try engine.ingest(contacts: [phoneContact(.woocommerce, id: "7", phone: "+525500000002", at: t0 + 5_000)], from: woo.name)
        _ = try engine.ingest(contacts: [phoneContact(.shopify, id: "1", phone: "+525500000003", at: t0 + 20_000)], from: shop.name)
        // The same version again changes nothing and records nothing.
        _ = try engine.ingest(contacts: [phoneContact(.shopify, id: "1", phone: "+525500000003", at: t0 + 20_000)], from: shop.name)

        let phone = try engine.history(of: entity, field: "phone")
        #expect(phone.map(\.outcome) == [.won, .lost, .won])
        #expect(phone.map(\.value) == [.string("+525500000001"), .string("+525500000002"), .string("+525500000003")])
        #expect(phone.map(\.side) == ["tienda-shopify", "tienda-woo", "tienda-shopify"])
        #expect(phone[0].previousValue == nil)
        #expect(phone[1].previousValue == .string("+525500000001"))
        #expect(phone[1].previousStamp == Stamp(hlc: HLC(milliseconds: t0 + 10_000, counter: 0), replica: shop.replica))
        #expect(phone[1].stamp == Stamp(hlc: HLC(milliseconds: t0 + 5_000, counter: 0), replica: woo.replica))
        #expect(phone[1].previousWriter == "shopify:tienda-shopify")
        #expect(phone[2].previousValue == .string("+525500000001"), "the lost write never became the value")
        // The linking record's equal fields (e-mail, names) are not recorded again.
        #expect(try engine.history(of: entity, field: "email").count == 1)

        // Through the CLI, text and JSON.
        let cli = try CLI.locate()
        let json = try await cli.succeed(["log", "contact", "--email", "ANA@example.mx", "--engine", path, "--field", "phone", "--json"]).json()
        #expect(json["entity"]?.string == entity.hex)
        let entries = try #require(json["entries"]?.array)
        #expect(entries.compactMap { $0["outcome"]?.string } == ["won", "lost", "won"])
        #expect(entries[1]["previous_value"]?.string == "\"+525500000001\"")
        #expect(entries[1]["previous_writer"]?.string == "shopify:tienda-shopify")
        #expect(entries[1]["writer"]?.string == "woocommerce:tienda-woo")
        let text = try await cli.succeed(["log", "contact", "--store", "tienda-woo:7", "--engine", path]).stdout
        #expect(text.contains("lost to \"+525500000001\""))
        #expect(text.contains("1 lost"))
        let missing = try await cli.run(["log", "contact", "--email", "nadie@example.mx", "--engine", path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no contact matches"))

        // Bounded: only the last 50 writes of a field are kept.
        for i in 0..<60 {
            _ = try engine.ingest(contacts: [phoneContact(.shopify, id: "1", phone: "+5255100000\(10 + i)", at: t0 + 30_000 + Int64(i) * 1_000)], from: shop.name)
        }
        let bounded = try engine.history(of: entity, field: "phone")
        #expect(bounded.count == 50)
        #expect(bounded.last?.value == .string("+5255100000\(69)"))
        #expect(bounded.first?.value == .string("+5255100000\(20)"))
    }
}
