import ArgumentParser
import Foundation
import SyncCore
import SyncEngine

/// How `inspect` and `log` pick one entity: by id, by e-mail (contacts), by SKU (products) or by a
/// side's record id.
struct EntitySelection: ParsableArguments {
    @Argument(help: "contact or product.")
    var kind: String

    @Argument(help: "The entity id (32 hex digits).")
    var id: String?

    @Option(help: "A contact's e-mail (any case, spaces trimmed).")
    var email: String?

    @Option(help: "A product's SKU.")
    var sku: String?

    @Option(help: "A side's record, as SIDE:ID (oorden:12, tienda-shopify:7000000000012).")
    var store: String?

    func validate() throws {
        guard kind == "contact" || kind == "product" else { throw ValidationError("kind must be contact or product, got \"\(kind)\".") }
        let given = [id, email, sku, store].compactMap { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of: an entity id, --email, --sku, --store SIDE:ID.") }
        if email != nil && kind != "contact" { throw ValidationError("--email selects contacts.") }
        if sku != nil && kind != "product" { throw ValidationError("--sku selects products.") }
    }

    var entityKind: EntityKind { kind == "contact" ? .contact : .product }

    /// The selected entity, checked to exist and to be of the selected kind.
    func resolve(in engine: SyncEngine) throws -> EntityInspection {
        let entity: EntityID?
        if let id {
            guard let e = EntityID(hex: id) else { throw CLIError("\"\(id)\" is not an entity id (32 hex digits)") }
            entity = e
        } else if let email {
            entity = try engine.entity(kind: .contact, naturalKey: email)
        } else if let sku {
            entity = try engine.entity(kind: .product, naturalKey: sku)
        } else {
            let parts = store!.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw CLIError("--store takes SIDE:ID, e.g. tienda-shopify:7000000000012") }
            entity = try engine.entity(link: parts[0], kind: entityKind, remoteID: parts[1])
        }
        guard let entity, let inspection = try engine.inspect(entity), inspection.kind == entityKind else {
            throw CLIError("no \(kind) matches; `oorden-sync problems` lists records that are held instead of synced")
        }
        return inspection
    }
}
