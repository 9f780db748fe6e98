import OordenLedger
import OordenLedgerAdapter
import SyncCore
import SyncEngine

/// A deliberately broken rule the simulator must catch (the mutation test).
public enum SimMutation: String, Sendable, Hashable, CaseIterable {
    /// No mutation: the real engine.
    case none
    /// Oorden's change times reach the engine 10 minutes in the past, so the engine's winner rule
    /// no longer sees Oorden edits as the later ones: store edits win edits they lost.
    case oordenTimesInPast = "oorden-times-in-past"
    /// Oorden's stock cell counts every movement — the engine's own corrections and the movements of
    /// store orders' documents too — instead of its users' stock changes only: the echo filter of
    /// `userMovementTotals` is gone, so one store sale is counted twice.
    case oordenStockEchoes = "oorden-stock-echoes"
    /// The engine stamps Oorden's writes with the raw ledger time instead of ticking Oorden's clock
    /// (the rule before it ticked): when the ledger's clock steps back between two Oorden edits of a
    /// field, the later edit reads as older and is lost. The one mutation that is an engine switch
    /// (``SyncEngine/open(path:clock:seed:logger:ticksOordenClock:)``), not a host wrapper.
    case oordenRawLedgerTime = "oorden-raw-ledger-time"
}

/// The Oorden host the simulated engine talks to: the reference ``OordenLedgerHost``, optionally
/// with a mutation applied to what it reports.
///
/// With `atomicBatches` (the seed's ``SimConfiguration/atomicHostBatches``) its batches are the
/// ledger's transactions, as production runs them; without, each call commits on its own.
struct SimHost: OordenHost {
    let inner: OordenLedgerHost
    let mutation: SimMutation
    let atomicBatches: Bool

    /// Forwards to the ledger host's batch (the body gets this host over the ledger working in it),
    /// or, without atomic batches, hands the body this host as is.
    func batch<T>(_ body: (SimHost) throws -> T) throws -> T {
        guard atomicBatches else { return try body(self) }
        return try inner.batch { inner in try body(SimHost(inner: inner, mutation: mutation, atomicBatches: atomicBatches)) }
    }

    var batchesAtomically: Bool { atomicBatches && inner.batchesAtomically }

    var sales: (any OordenSalesHost)? { self }
    var stock: (any OordenStockHost)? { self }

    private var shift: Int64 { mutation == .oordenTimesInPast ? -600_000 : 0 }

    func companyCurrency() throws -> String? { try inner.companyCurrency() }

    func changes(after cursor: Int64, limit: Int) throws -> [HostChange] {
        try inner.changes(after: cursor, limit: limit).map { c in
            var c = c
            c.time += shift
            return c
        }
    }

    func record(_ kind: RecordKind, id: String) throws -> HostRecord? { try inner.record(kind, id: id).map(shifted) }
    func find(_ kind: RecordKind, naturalKey: String) throws -> HostRecord? { try inner.find(kind, naturalKey: naturalKey).map(shifted) }

    func create(_ kind: RecordKind, fields: FieldValues, origin: ReplicaID) throws -> HostRecord {
        shifted(try inner.create(kind, fields: fields, origin: origin))
    }

    func update(_ kind: RecordKind, id: String, fields: FieldValues, origin: ReplicaID) throws -> HostRecord {
        shifted(try inner.update(kind, id: id, fields: fields, origin: origin))
    }

    private func shifted(_ r: HostRecord) -> HostRecord {
        var r = r
        r.updatedAt += shift
        return r
    }
}

/// Orders and stock go to the reference ledger unchanged: the mutation only shifts change times.
extension SimHost: OordenSalesHost {
    func taxID(percent: ExactDecimal) throws -> String? { try inner.taxID(percent: percent) }
    func salesOrder(store: String, remoteID: String) throws -> HostSalesOrder? { try inner.salesOrder(store: store, remoteID: remoteID) }
    func previewTotal(_ draft: HostSalesOrderDraft) throws -> ExactDecimal { try inner.previewTotal(draft) }
    func createSalesOrder(_ draft: HostSalesOrderDraft, origin: ReplicaID) throws -> HostSalesOrder { try inner.createSalesOrder(draft, origin: origin) }
    func registerSale(salesOrderID: String, date: Int64?, origin: ReplicaID) throws { try inner.registerSale(salesOrderID: salesOrderID, date: date, origin: origin) }
    func cancelSalesOrder(id: String, origin: ReplicaID) throws { try inner.cancelSalesOrder(id: id, origin: origin) }
    func createCreditNote(salesOrderID: String, amount: ExactDecimal, marker: String, date: Int64?, origin: ReplicaID) throws {
        try inner.createCreditNote(salesOrderID: salesOrderID, amount: amount, marker: marker, date: date, origin: origin)
    }
    func salesOrderEdits(id: String) throws -> (store: String, remoteID: String, fields: FieldValues)? { try inner.salesOrderEdits(id: id) }
}

extension SimHost: OordenStockHost {
    func stockOnHand(productID: String) throws -> Int64 { try inner.stockOnHand(productID: productID) }
    func userStockTotals(productID: String) throws -> PNCounter.Cell {
        guard mutation == .oordenStockEchoes, let id = Int64(productID) else { return try inner.userStockTotals(productID: productID) }
        var cell = PNCounter.Cell()
        for m in try inner.ledger.movements(productID: id) {
            if m.quantity > 0 { cell.increments += m.quantity } else { cell.decrements -= m.quantity }
        }
        return cell
    }
    func adjustStock(productID: String, delta: Int64, origin: ReplicaID) throws { try inner.adjustStock(productID: productID, delta: delta, origin: origin) }
}
