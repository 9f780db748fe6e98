import Connectors
import Foundation
import StoreEmulators
import SyncCore
import SyncDaemon
import SyncDriver

extension SimRunner {
    /// One webhook delivery round: every store's due deliveries (plus those delayed by an earlier
    /// round) reach the daemon's inbox as its receiver would store them — signature verified,
    /// deduplicated by delivery id — with the seed's faults when `faultsOn`: a delivery is dropped,
    /// delayed to the next round, or sent twice; a round arrives shuffled. Then the daemon's
    /// `InboxProcessor` applies the inbox and the driver pushes what it brought (`pushPending`).
    mutating func deliverWebhooks(seed: UInt64, faultsOn: Bool) async throws {
        guard configuration.webhooks else { return }
        var r = SeededRandom(seed: seed)
        let c = configuration
        for i in world.stores.indices {
            var batch = delayedWebhooks[i, default: []]
            delayedWebhooks[i] = []
            for d in world.takeDueWebhooks(store: i) {
                if faultsOn, r.chance(c.webhookDropProbability) {
                    faults["webhook_drop", default: 0] += 1
                    continue
                }
                if faultsOn, r.chance(c.webhookDelayProbability) {
                    delayedWebhooks[i, default: []].append(d)
                    faults["webhook_delay", default: 0] += 1
                    continue
                }
                batch.append(d)
                if faultsOn, r.chance(c.webhookDuplicateProbability) {
                    batch.append(d)
                    faults["webhook_duplicate", default: 0] += 1
                }
            }
            if faultsOn, batch.count > 1, r.chance(c.webhookReorderProbability) {
                batch.shuffle(using: &r)
                faults["webhook_reorder", default: 0] += 1
            }
            for d in batch { try receive(d, store: i) }
        }
        let processor = InboxProcessor(driver: world.driver, inbox: world.inbox, clock: world.engineClock, metrics: DaemonMetrics(), logger: world.logger)
        do {
            var processed = 0
            while true {
                let batch = try await processor.processBatch()
                if batch.total == 0 { break }
                processed += batch.total
            }
            let summary = try await world.driver.pushPending()
            trace.add("webhooks \(processed) \(Self.describe(summary))")
        } catch is SimCrash {
            faults["crash", default: 0] += 1
            trace.add("crash")
            try world.restartEngine()
        } catch let error as StoreAPIError {
            trace.add("webhook push failed: \(error.code)")
        } catch {
            fatal = SimFailure(invariant: "engine_error", entity: "-", detail: "webhook round threw: \(error)")
        }
    }

    /// What the daemon's receiver does with one delivery: verify the signature and that it names this
    /// store, store it in the inbox (a delivery id seen before is a duplicate and not stored again).
    mutating func receive(_ d: WebhookDelivery, store i: Int) throws {
        let envelope: WebhookEnvelope
        do {
            envelope = try world.verifiers[i].verify(headers: d.headers, body: d.body)
            try world.sources[i].check(envelope)
        } catch {
            fatal = SimFailure(invariant: "engine_error", entity: "-", detail: "a \(world.links[i]) webhook (\(d.topic)) failed verification: \(error)")
            return
        }
        guard !envelope.isPing, let topic = envelope.topic else { return }
        let stored = try world.inbox.store(store: world.links[i], kind: world.stores[i].kind, deliveryID: envelope.deliveryID ?? d.deliveryID,
                                           topic: topic, receivedAt: world.engineClock.nowMilliseconds(),
                                           triggeredAt: envelope.triggeredAtMilliseconds, body: d.body)
        trace.add("webhook \(world.links[i]) \(topic) \(stored ? "stored" : "duplicate")")
    }
}
