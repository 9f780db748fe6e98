internal import GraphQL
import SyncCore

/// One applied `inventoryAdjustQuantities`: what its `inventoryAdjustmentGroup` shows.
struct ShopifyInventoryAdjustmentGroup: Sendable, Hashable {
    struct Change: Sendable, Hashable {
        var inventoryItemID: Int
        var delta: Int
        var quantityAfterChange: Int
    }

    var id: Int
    var reason: String
    var referenceDocumentUri: String?
    var createdAt: Int64
    var changes: [Change]
}

/// The first answer given for an idempotency key, replayed while the key is remembered.
struct ShopifyIdempotencyRecord: Sendable, Hashable {
    /// The mutation's `input` as sent; the same key with other input is refused.
    var input: JSONValue
    var recordedAt: Int64
    var group: ShopifyInventoryAdjustmentGroup
}

/// `inventoryAdjustQuantities` with `@idempotent(key:)` and `changeFromQuantity` compare-and-swap.
///
/// From https://shopify.dev/docs/api/usage/implementing-idempotency and the concurrency-protection
/// changelog: since 2026-04 the `@idempotent` directive is mandatory ("an error at runtime" without
/// it; the emulator answers a top-level error, the field `null`) and every change must carry
/// `changeFromQuantity` (explicit `null` opts out of the check). A key seen before with the same
/// input returns the first answer and applies nothing; with other input it is refused with
/// `IDEMPOTENCY_KEY_PARAMETER_MISMATCH`. Refused requests are not remembered, so a retry of one is
/// judged afresh. Keys are kept for ``idempotencyWindowMilliseconds`` of store time (the length of
/// Shopify's window is not stated on the pages checked; 24 hours is assumed).
extension ShopifyGraphQLMutations {
    static let idempotencyWindowMilliseconds: Int64 = 86_400_000

    /// Shopify's inventory adjustment reasons.
    static let inventoryReasons: Set<String> = [
        "correction", "cycle_count_available", "damaged", "movement_created", "movement_updated", "movement_received",
        "movement_canceled", "other", "promotion", "quality_control", "received", "reservation_created",
        "reservation_deleted", "reservation_updated", "restock", "safety_stock", "shrinkage",
    ]

    func inventoryAdjustQuantities(_ args: Map, idempotencyKey: String?) throws -> ShopifyGraphQLObject {
        let strict = versionAtLeast("2026-04")
        if strict, idempotencyKey == nil {
            throw ShopifyGraphQLError(
                message: "The @idempotent directive is required for inventoryAdjustQuantities as of API version 2026-04: add @idempotent(key: \"<uuid>\") to the field.",
                code: "IDEMPOTENCY_KEY_REQUIRED")
        }
        let input = ShopifyGraphQLInput.json(args["input"]) ?? .null
        let now = shop.nowPrecise
        shop.idempotencyRecords = shop.idempotencyRecords.filter { now - $0.value.recordedAt < Self.idempotencyWindowMilliseconds }
        if let key = idempotencyKey, let record = shop.idempotencyRecords[key] {
            guard record.input == input else {
                return adjustmentPayload(nil, [ShopifyUserError(["input"], "The same idempotency key cannot be used with different operation parameters.",
                                                                code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH")])
            }
            shop.idempotentReplays += 1
            return adjustmentPayload(record.group, [])
        }
        let changes: [(item: Int, delta: Int)]
        switch inventoryChanges(input, strict: strict) {
        case .failure(let error): return adjustmentPayload(nil, [error])
        case .success(let c): changes = c
        }
        var group = ShopifyInventoryAdjustmentGroup(id: 0, reason: input["reason"]?.string ?? "", referenceDocumentUri: input["referenceDocumentUri"]?.string,
                                                    createdAt: shop.now, changes: [])
        do {
            try transaction { s in
                group.id = s.newID()
                for c in changes {
                    // The REST adjust: stamps the level, variant and product and fires inventory_levels/update.
                    _ = try s.adjustLevel(["location_id": .integer(s.configuration.primaryLocationID), "inventory_item_id": .integer(c.item),
                                           "available_adjustment": .integer(c.delta)])
                    group.changes.append(.init(inventoryItemID: c.item, delta: c.delta, quantityAfterChange: s.levels[c.item]?.available ?? 0))
                }
            }
        } catch let error as ShopifyEmulatorError {
            return adjustmentPayload(nil, ShopifyUserError.from(error, prefix: ["input"], code: "ADJUST_QUANTITIES_FAILED"))
        }
        if let key = idempotencyKey {
            shop.idempotencyRecords[key] = ShopifyIdempotencyRecord(input: input, recordedAt: now, group: group)
        }
        shop.idempotentAdjustmentsApplied += 1
        return adjustmentPayload(group, [])
    }

    /// Validates the whole input before anything changes; the first problem is the answer.
    private func inventoryChanges(_ input: JSONValue, strict: Bool) -> Result<[(item: Int, delta: Int)], ShopifyUserError> {
        guard let name = input["name"]?.string, ShopifyGraphQLRoot.quantityNames.contains(name) else {
            return .failure(ShopifyUserError(["input", "name"], "The specified quantity name is invalid.", code: "INVALID_QUANTITY_NAME"))
        }
        guard name == "available" else {
            return .failure(ShopifyUserError(["input", "name"], "The emulator holds only the available quantity; adjust \"available\".", code: "INVALID_QUANTITY_NAME"))
        }
        guard let reason = input["reason"]?.string, Self.inventoryReasons.contains(reason) else {
            return .failure(ShopifyUserError(["input", "reason"], "The specified reason is invalid.", code: "INVALID_REASON"))
        }
        var out: [(item: Int, delta: Int)] = []
        var projected: [Int: Int] = [:]
        for (i, change) in (input["changes"]?.array ?? []).enumerated() {
            let path = ["input", "changes", String(i)]
            guard let item = ShopifyGlobalID.parse(change["inventoryItemId"]?.string, type: "InventoryItem"), let level = shop.levels[item] else {
                return .failure(ShopifyUserError(path + ["inventoryItemId"], "The specified inventory item could not be found.", code: "INVALID_INVENTORY_ITEM"))
            }
            guard ShopifyGlobalID.parse(change["locationId"]?.string, type: "Location") == shop.configuration.primaryLocationID else {
                return .failure(ShopifyUserError(path + ["locationId"], "The specified location could not be found.", code: "INVALID_LOCATION"))
            }
            let delta = change["delta"]?.int ?? 0
            let current = projected[item] ?? level.available
            switch change.object?["changeFromQuantity"] {
            case nil where strict:
                // Shopify documents only that omitting it "returns an error"; the code here is a guess (none).
                return .failure(ShopifyUserError(path + ["changeFromQuantity"],
                                                 "changeFromQuantity is required: pass the quantity you expect before the change, or null to skip the check."))
            case .some(let expected) where !expected.isNull && expected.int != level.available:
                return .failure(ShopifyUserError(path + ["changeFromQuantity"], "The changeFromQuantity argument no longer matches the persisted quantity.",
                                                 code: "CHANGE_FROM_QUANTITY_STALE"))
            default: break
            }
            guard current + delta <= 2_000_000_000 else {
                return .failure(ShopifyUserError(path + ["delta"], "The quantity can't be higher than 2,000,000,000.", code: "INVALID_QUANTITY_TOO_HIGH"))
            }
            guard current + delta >= -2_000_000_000 else {
                return .failure(ShopifyUserError(path + ["delta"], "The quantity can't be lower than -2,000,000,000.", code: "INVALID_QUANTITY_TOO_LOW"))
            }
            projected[item] = current + delta
            out.append((item, delta))
        }
        return .success(out)
    }

    /// `InventoryAdjustQuantitiesPayload`.
    func adjustmentPayload(_ group: ShopifyInventoryAdjustmentGroup?, _ errors: [ShopifyUserError]) -> ShopifyGraphQLObject {
        let view = self.view
        return .values([
            "inventoryAdjustmentGroup": group.map { view.adjustmentGroup($0) },
            "userErrors": errors.map { $0.object as (any Sendable)? },
        ])
    }
}

extension ShopifyGraphQLRoot {
    /// `InventoryAdjustmentGroup`. Adjusting `available` also moves `on_hand` by the same delta,
    /// and Shopify lists both changes; `changes(quantityNames:)` filters them.
    func adjustmentGroup(_ g: ShopifyInventoryAdjustmentGroup) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, args in
            switch name {
            case "id": return ShopifyGlobalID.make("InventoryAdjustmentGroup", g.id)
            case "createdAt": return time(g.createdAt)
            case "reason": return g.reason
            case "referenceDocumentUri": return g.referenceDocumentUri
            case "changes":
                let names = args["quantityNames"].array?.compactMap(\.string)
                let items = args["inventoryItemIds"].array?.compactMap { ShopifyGlobalID.parse($0.string, type: "InventoryItem") }
                let locations = args["locationIds"].array?.compactMap { ShopifyGlobalID.parse($0.string, type: "Location") }
                if let locations, !locations.contains(config.primaryLocationID) { return [(any Sendable)?]() }
                return g.changes.filter { items?.contains($0.inventoryItemID) ?? true }.flatMap { c in
                    ["available", "on_hand"].filter { names?.contains($0) ?? true }.map { n -> (any Sendable)? in inventoryChange(c, name: n) }
                }
            default: return nil
            }
        }
    }

    func inventoryChange(_ c: ShopifyInventoryAdjustmentGroup.Change, name: String) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { field, _ in
            switch field {
            case "name": return name
            case "delta": return c.delta
            case "quantityAfterChange": return c.quantityAfterChange
            case "ledgerDocumentUri": return nil
            case "item":
                guard let vid = shop.inventoryItemVariant[c.inventoryItemID], let pid = shop.variantOwner[vid], let p = shop.products[pid],
                      let v = p.variants.first(where: { $0.id == vid }) else { return nil }
                return inventoryItem(v, of: p)
            case "location": return location
            default: return nil
            }
        }
    }
}
