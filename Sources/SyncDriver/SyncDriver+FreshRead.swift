import Connectors
import Foundation
import SyncCore
import SyncEngine

extension SyncDriver {
    /// The store's current copy of a customer, read by id; nil when the store no longer has it.
    ///
    /// The daemon reads it when a webhook's version cannot be ordered against what the engine last
    /// saw (``SyncEngine/needsFreshRead(contact:from:)``): the current record always can.
    public func currentContact(store name: String, remoteID: String) async throws -> IncomingRecord<ContactRecord>? {
        let ep = try endpoint(name)
        do {
            let read = try await platform(ep).contact(id: remoteID)
            return IncomingRecord(read.record, payload: read.payload)
        } catch let error as StoreAPIError where error.code == .notFound {
            return nil
        }
    }

    /// The store's current records of a product (one per sellable SKU), read by product id; nil
    /// when the store no longer has it (or, WooCommerce, has it in the trash). See
    /// ``currentContact(store:remoteID:)``.
    public func currentProduct(store name: String, productID: String) async throws -> [IncomingRecord<ProductRecord>]? {
        let ep = try endpoint(name)
        do {
            let read = try await platform(ep).product(id: productID)
            // In the trash is gone, as for a complete scan (which does not list it).
            return read.trashed ? nil : read.records.map { IncomingRecord($0, payload: read.payload) }
        } catch let error as StoreAPIError where error.code == .notFound {
            return nil
        }
    }

    func endpoint(_ name: String) throws -> StoreEndpoint {
        guard let ep = endpoints.first(where: { $0.link == name }) else {
            throw SyncDriverError(code: .unknownStore, message: "this driver has no store named \(name); add it to the configuration's stores")
        }
        return ep
    }
}
