import Foundation
import SyncCore
import SyncEngine

extension SyncDriver {
    /// Reads Oorden's changes, projects the merged state and pushes until nothing is left to write —
    /// a pass without pulling the stores.
    ///
    /// The daemon calls it after ingesting webhook deliveries: what a webhook brought in reaches Oorden
    /// and the other stores without a full scan. Unlike a pass it sends no currency check: every
    /// endpoint of this driver is pushed to, so build the driver from stores already accepted
    /// (``currencyRefusal(_:companyCurrency:)`` returned nil). Store write failures never throw (they are held or retried, as in ``pass(maxRounds:progress:)``);
    /// engine or Oorden errors do.
    public func pushPending(maxRounds: Int = 6, progress: SyncProgressHandler? = nil) async throws -> SyncPassSummary {
        var summary = SyncPassSummary()
        let active = endpoints
        summary.oordenChanges += try drainOorden()
        for round in 1...maxRounds {
            summary.rounds = round
            let projection = try engine.project(host: host)
            summary.oordenCreates += projection.hostCreates
            summary.oordenUpdates += projection.hostUpdates
            summary.oordenLinks += projection.hostLinks
            let perStore = Dictionary(grouping: projection.pushes, by: \.link)
            for ep in active {
                guard let intents = perStore[ep.link] else { continue }
                var counts = summary.stores[ep.link] ?? SyncPassSummary.StoreCounts()
                for (i, intent) in intents.enumerated() {
                    await push(intent, to: ep, counts: &counts)
                    progress?(SyncProgress(store: ep.link, phase: .pushing, done: i + 1, total: intents.count))
                }
                summary.stores[ep.link] = counts
            }
            summary.oordenChanges += try drainOorden()
            if projection.pushes.isEmpty, try engine.dirtyCount() == 0 { break }
        }
        summary.heldRecords = try engine.heldRecords().count
        return summary
    }
}
