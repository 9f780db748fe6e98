import Foundation
import GRDB
import SyncCore

/// One row of `pending_order_edits`: what Oorden users changed on an imported order that its store
/// has not applied yet (note, shipping address, cancellation, fulfilment), merged across edits.
struct PendingOrderEditRow: FetchableRecord, PersistableRecord, Hashable {
    static let databaseTableName = "pending_order_edits"

    enum Columns {
        static let link = Column("link")
        static let remoteID = Column("remote_id")
        static let fields = Column("fields")
    }

    var link: String
    /// The store's order id.
    var remoteID: String
    var encodedFields: String

    init(link: String, remoteID: String, fields: FieldValues) {
        self.link = link
        self.remoteID = remoteID
        self.encodedFields = StoreIngest.encodeFields(fields)
    }

    init(row: Row) throws {
        link = row[Columns.link]
        remoteID = row[Columns.remoteID]
        encodedFields = row[Columns.fields]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.link] = link
        container[Columns.remoteID] = remoteID
        container[Columns.fields] = encodedFields
    }

    /// The edited fields.
    func fields() throws -> FieldValues {
        try StoreIngest.decodeFields(encodedFields)
    }

    /// The queued edits of one store order, if any.
    static func find(_ db: Database, link: String, remoteID: String) throws -> PendingOrderEditRow? {
        try fetchOne(db, key: [Columns.link.name: link, Columns.remoteID.name: remoteID])
    }
}
