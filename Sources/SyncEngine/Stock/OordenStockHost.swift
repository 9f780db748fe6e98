import SyncCore

/// What Oorden implements so stock stays exact on every side.
///
/// Stock is a PN-counter, not a field: Oorden's cell is the running totals of the stock movements its
/// users made (purchases, counts), never the movements the engine caused itself (reservations and
/// sales of store orders, and its own corrections), which are echoes of store changes already counted.
public protocol OordenStockHost: OordenHost {
    /// Stock on hand (available to sell) of a product.
    func stockOnHand(productID: String) throws -> Int64
    /// The in/out totals of the product's movements made by Oorden users.
    func userStockTotals(productID: String) throws -> PNCounter.Cell
    /// Records a correction so stock on hand moves by `delta`; made for `origin`, so it is an echo.
    func adjustStock(productID: String, delta: Int64, origin: ReplicaID) throws
}
