import OordenLedger
import SyncCore
import SyncEngine

extension OordenLedgerHost: OordenStockHost {
    public func stockOnHand(productID: String) throws -> Int64 {
        try ledger.stockOnHand(productID: try Self.number(productID))
    }

    public func userStockTotals(productID: String) throws -> PNCounter.Cell {
        let totals = try ledger.userMovementTotals(productID: try Self.number(productID))
        return PNCounter.Cell(increments: totals.incoming, decrements: totals.outgoing)
    }

    public func adjustStock(productID: String, delta: Int64, origin: ReplicaID) throws {
        guard delta != 0 else { return }
        _ = try ledger.recordMovement(productID: try Self.number(productID), quantity: delta, kind: .adjustment,
                                      reference: "oorden-sync", origin: .sync(replica: origin.hex))
    }
}
