import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine
import Testing

/// Processed webhook bodies are personal data kept only as long as configured (issue #16 item 14);
/// the row that deduplicates a delivery stays.
@Suite struct InboxRetentionTests {
    static let day: Int64 = 86_400_000

    /// Three deliveries: one processed long ago, one processed just now, one still pending.
    static func filledInbox(at now: Int64) throws -> WebhookInbox {
        let inbox = try WebhookInbox(path: nil)
        for id in ["old", "recent", "waiting"] {
            try inbox.store(store: "tienda", kind: .shopify, deliveryID: id, topic: "customers/update", receivedAt: now - 40 * day,
                            triggeredAt: nil, body: Data(#"{"id": 1, "email": "ana@ejemplo.mx"}"#.utf8))
        }
        let all = try inbox.deliveries()
        try inbox.mark(all[0].sequence, .processed, reason: nil, at: now - 31 * day)
        try inbox.mark(all[1].sequence, .skipped, reason: "unknown topic", at: now - 1 * day)
        return inbox
    }

    @Test func bodiesPastTheRetentionAreDroppedAndTheirDeliveriesStillDeduplicate() throws {
        let now: Int64 = 1_800_000_000_000
        let inbox = try Self.filledInbox(at: now)
        #expect(try inbox.pruneBodies(processedBefore: now - 30 * Self.day, at: now) == 1)
        let after = try inbox.deliveries()
        #expect(after.map(\.deliveryID) == ["old", "recent", "waiting"], "every row stays")
        #expect(after[0].body.isEmpty && after[0].bodyPrunedAt != nil && after[0].status == .processed, "\(after[0])")
        #expect(!after[1].body.isEmpty && after[1].bodyPrunedAt == nil, "processed within the retention: kept")
        #expect(!after[2].body.isEmpty && after[2].status == .pending, "pending: never pruned")
        // The store retries the old delivery: still recognised as a duplicate, not processed again.
        #expect(try inbox.store(store: "tienda", kind: .shopify, deliveryID: "old", topic: "customers/update", receivedAt: now,
                                triggeredAt: nil, body: Data("{}".utf8)) == false)
        #expect(try inbox.pruneBodies(processedBefore: now - 30 * Self.day, at: now) == 0, "pruning again finds nothing")
    }

    @Test func theDaemonPrunesPeriodicallyOnItsClock() async throws {
        let rig = try await DaemonRig(directory: try temporaryDirectory(), withEmulator: false)
        var logger = Logger(label: "retention-test")
        logger.logLevel = .warning
        let now = rig.clock.nowMilliseconds()
        try rig.inbox.store(store: "shopify", kind: .shopify, deliveryID: "d1", topic: "customers/update", receivedAt: now,
                            triggeredAt: nil, body: Data("{}".utf8))
        try rig.inbox.mark(try rig.inbox.deliveries()[0].sequence, .skipped, reason: "test", at: now)
        var settings = SyncDaemon.Settings()
        settings.reconcileOnStart = false
        settings.reconciliationIntervalMilliseconds = 1_000 * Self.day
        settings.inboxRetentionMilliseconds = 30 * Self.day
        let driver = SyncDriver(engine: rig.engine, host: OordenLedgerHost(ledger: rig.ledger), endpoints: [], clock: rig.clock, logger: logger)
        let daemon = SyncDaemon(driver: driver, inbox: rig.inbox, stores: [], settings: settings, clock: rig.clock, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await daemon.run() }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try rig.inbox.deliveries()[0].bodyPrunedAt == nil, "within the retention")
            rig.clock.advance(by: 31 * Self.day)
            for _ in 0..<100 where try rig.inbox.deliveries()[0].bodyPrunedAt == nil { try await Task.sleep(for: .milliseconds(50)) }
            #expect(try rig.inbox.deliveries()[0].bodyPrunedAt != nil, "pruned by the running daemon")
            await daemon.stop()
            try await group.waitForAll()
        }
        await rig.shutdown()
    }

    @Test func theRetentionIsAConfigurationKeyWithADefaultOf30Days() throws {
        let base = #""engine": {"database": "e.sqlite"}, "ledger": {"path": "l.sqlite"}, "stores": []"#
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-retention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func load(_ text: String) throws -> SyncConfiguration {
            let path = dir.appendingPathComponent("c.json").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return try SyncConfiguration.load(path: path)
        }
        #expect(try load("{\(base)}").daemon.inboxRetentionDays == 30)
        #expect(try load(#"{\#(base), "daemon": {"inbox_retention_days": 7}}"#).daemon.inboxRetentionDays == 7)
        #expect(throws: ConfigurationError.self) { try load(#"{\#(base), "daemon": {"inbox_retention_days": 0}}"#) }
        #expect(try load(#"{\#(base), "daemon": {"inbox_retention_days": 7}}"#).daemonSettings().inboxRetentionMilliseconds == 7 * Self.day)
    }
}
