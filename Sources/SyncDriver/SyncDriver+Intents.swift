import Connectors
import Foundation
import SyncCore
import SyncEngine

extension SyncDriver {
    /// Reads Oorden's changes, projects the merged state and pushes until nothing is left to write —
    /// a pass without pulling the stores. Oorden's stock is corrected by the next full pass.
    ///
    /// The daemon calls it after ingesting webhook deliveries: what a webhook brought in reaches Oorden
    /// and the other stores without a full scan. A new product is created in a Shopify store only by the
    /// next pass, after it has read that store's changed products (see ``settle``). Unlike a pass it sends no currency check: every
    /// endpoint of this driver is pushed to, so build the driver from stores already accepted
    /// (``currencyRefusal(_:companyCurrency:)`` returned nil). Store write failures never throw (they are held or retried, as in ``pass(maxRounds:progress:)``);
    /// engine or Oorden errors do.
    public func pushPending(maxRounds: Int = 6, progress: SyncProgressHandler? = nil) async throws -> SyncPassSummary {
        var summary = SyncPassSummary()
        let requestsBefore = requestCounts()
        summary.oordenChanges += try drainOorden()
        // Oorden's stock is left to the reconciliation pass, which applies the stores' orders first
        // (their reservations are the Oorden side of a store sale already counted by the store).
        try await settle(active: endpoints, maxRounds: maxRounds, hostStock: false, afterScan: false, summary: &summary, progress: progress)
        summary.heldRecords = try engine.heldRecords().count
        countRequests(into: &summary, since: requestsBefore)
        return summary
    }
}
