import Foundation
import GRDB
import SyncCore
import SyncDaemon
import Testing

/// A stored delivery's store kind is never guessed: read as another store's JSON it would be misread.
@Suite struct InboxUnknownKindTests {
    @Test func aDeliveryOfAnUnknownKindIsAnErrorNamingItNotAShopifyDelivery() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-kind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("inbox.sqlite").path
        let inbox = try WebhookInbox(path: path)
        try inbox.store(store: "tienda", kind: .woocommerce, deliveryID: "1", topic: "customer.updated", receivedAt: 1_000,
                        triggeredAt: nil, body: Data(#"{"id": 1}"#.utf8))
        #expect(try inbox.pending(limit: 10).map(\.kind) == [.woocommerce])

        // A newer version's kind, written by that version into the same file.
        let other = try DatabaseQueue(path: path)
        try other.write { db in try db.execute(sql: "UPDATE deliveries SET kind = 'magento'") }

        let error = #expect(throws: DaemonError.self) { try inbox.pending(limit: 10) }
        #expect(error?.code == .corruptDelivery)
        #expect(error?.message.contains("\"magento\"") == true, "\(String(describing: error))")
        #expect(error?.message.contains("sequence = 1") == true, "the delivery to set aside is named")
    }
}
