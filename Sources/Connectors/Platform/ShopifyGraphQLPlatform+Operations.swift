import Foundation
import SyncCore

extension ShopifyGraphQLPlatform {
    // MARK: Stock

    /// `inventoryAdjustQuantities` at the primary location under `@idempotent(key:)`. The operation
    /// repeats safely, so an answer that says nothing definite (timeout, 5xx, lost connection) is
    /// resent with the same key by the client's retries — Shopify applies one key once — and an
    /// in-doubt error reaches the driver only when every retry failed too.
    package func adjustStock(_ record: ProductRecord, by delta: Int64, idempotencyKey: String) async throws {
        guard let item = record.inventoryItemID else {
            throw StoreAPIError(code: .validation, method: .post, path: client.path,
                                message: "variant \(record.remoteVariantID ?? record.remoteProductID) has no inventory item; it does not track stock")
        }
        guard let location = try await primaryLocationID() else {
            throw StoreAPIError(code: .validation, method: .post, path: client.path, message: "the shop reports no primary location for stock")
        }
        let operation = ShopifyGraphQLMutations.inventoryAdjust(inventoryItemID: item, locationID: location, delta: delta, idempotencyKey: idempotencyKey)
        _ = try await mutate(operation, "inventoryAdjustQuantities")
    }

    package func stockLevel(inventoryItemID: String, locationID: String) async throws -> InventoryLevelRecord? {
        let data = try await client.execute(ShopifyGraphQLMutations.inventoryLevel(inventoryItemID: inventoryItemID, locationID: locationID))
        guard let level = data["inventoryItem"]?["inventoryLevel"], !level.isNull else { return nil }
        let available = level["quantities"]?.array?.first { $0["name"]?.string == "available" }?["quantity"]?.int
        return InventoryLevelRecord(inventoryItemID: inventoryItemID, locationID: locationID, available: available,
                                    updatedAt: level["updatedAt"]?.string.flatMap(ISO8601Time.parse))
    }

    // MARK: Orders

    /// Note and address by `orderUpdate`; a cancel or fulfil the order already shows is not sent again
    /// (neither is repeatable). Fulfilment closes every open fulfillment order.
    package func editOrder(id: String, _ edit: OrderEdit) async throws {
        if edit.note != nil || edit.shippingAddress != nil {
            _ = try await mutate(ShopifyGraphQLMutations.orderUpdate(id: id, note: edit.note.map { $0 ?? "" }, shippingAddress: edit.shippingAddress), "orderUpdate")
        }
        guard edit.cancel || edit.fulfil else { return }
        let operation = ShopifyGraphQLMutations.fulfillmentOrders(orderID: id)
        guard let order = try await client.execute(operation)["order"], !order.isNull else {
            throw StoreAPIError(code: .notFound, method: .post, path: client.path, message: "Shopify has no order \(id) (\(operation.name) answered null)")
        }
        if edit.cancel {
            if order["cancelledAt"]?.isNull ?? true { _ = try await mutate(ShopifyGraphQLMutations.orderCancel(id: id), "orderCancel") }
            return
        }
        let open = (order["fulfillmentOrders"]?["nodes"]?.array ?? [])
            .filter { ["OPEN", "IN_PROGRESS", "SCHEDULED"].contains($0["status"]?.string ?? "") }.compactMap { $0["id"]?.string }
        guard order["displayFulfillmentStatus"]?.string != "FULFILLED", !open.isEmpty else { return }
        _ = try await mutate(ShopifyGraphQLMutations.fulfillmentCreate(fulfillmentOrderIDs: open), "fulfillmentCreate")
    }

    // MARK: Webhooks

    package func webhookSubscriptions() async throws -> [WebhookSubscription] {
        let data = try await client.execute(ShopifyGraphQLMutations.webhookSubscriptions)
        return (data["webhookSubscriptions"]?["nodes"]?.array ?? []).compactMap { node in
            guard let gid = node["id"]?.string, let topic = node["topic"]?.string, let uri = node["uri"]?.string else { return nil }
            return WebhookSubscription(id: ShopifyGlobalID.numeric(gid, type: "WebhookSubscription") ?? gid,
                                       topic: ShopifyGraphQLMutations.restTopic(topic), address: uri)
        }
    }

    /// Shopify signs deliveries with the app's client secret: `secret` is not sent.
    package func subscribe(topic: String, address: String, secret: String) async throws {
        _ = try await mutate(ShopifyGraphQLMutations.webhookSubscriptionCreate(topic: topic, address: address), "webhookSubscriptionCreate")
    }

    /// Shopify subscriptions have no status: it removes failing ones instead, so subscribing again is the repair.
    package func reactivate(_ subscription: WebhookSubscription) async throws {
        try await subscribe(topic: subscription.topic, address: subscription.address, secret: "")
    }

    // MARK: Diagnostics

    /// The app's granted scopes (`currentAppInstallation.accessScopes`) against those a pass reads
    /// with; a write scope grants its read.
    package func readPermissions() async throws -> ReadPermissions {
        let data = try await client.execute(ShopifyGraphQLMutations.accessScopes)
        let granted = Set((data["currentAppInstallation"]?["accessScopes"]?.array ?? []).compactMap { $0["handle"]?.string })
        let missing = Self.readScopes.filter { !granted.contains($0.scope) && !granted.contains("write_" + $0.scope.dropFirst("read_".count)) }
        return ReadPermissions(checked: Self.readScopes.map(\.what), denied: missing.map(\.what), missingScopes: missing.map(\.scope))
    }

    /// Shopify lists no tax rates: those charged on the latest 100 orders (order-level tax lines
    /// carry every rate of the order's lines and shipping).
    package func taxRatesInUse() async throws -> (rates: [(percent: ExactDecimal, name: String)], source: String) {
        let (percents, count) = try await reader.latestOrderTaxPercents()
        var seen: Set<ExactDecimal> = []
        let rates = percents.filter { seen.insert($0).inserted }.sorted().map { (percent: $0, name: "") }
        return (rates, "the taxes of the store's latest \(count) orders")
    }
}
