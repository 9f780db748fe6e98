import SyncCore

extension ShopifyGraphQLMutations {
    // MARK: Orders

    /// `orderUpdate` with the note (empty text clears it) and/or the shipping address.
    package static func orderUpdate(id: String, note: String?, shippingAddress: PostalAddress?) -> GraphQLOperation {
        var input: [String: JSONValue] = ["id": .string(ShopifyGlobalID.make("Order", id))]
        if let note { input["note"] = .string(note) }
        if let a = shippingAddress {
            var address: [String: JSONValue] = [
                "address1": RequestBody.text(a.line1), "address2": RequestBody.text(a.line2), "city": RequestBody.text(a.city),
                "provinceCode": RequestBody.text(a.region), "zip": RequestBody.text(a.postalCode), "countryCode": RequestBody.text(a.countryCode),
                "phone": RequestBody.text(a.phone),
            ]
            if let f = a.firstName { address["firstName"] = .string(f) }
            if let l = a.lastName { address["lastName"] = .string(l) }
            if let c = a.company { address["company"] = .string(c) }
            input["shippingAddress"] = .object(address)
        }
        return GraphQLOperation(name: "OrderUpdate", query: """
            mutation OrderUpdate($input: OrderInput!) { orderUpdate(input: $input) { order { id } \(userErrors) } }
            """, variables: ["input": .object(input)], repeatsSafely: true)
    }

    /// `orderCancel` as the REST cancel does it: reason OTHER, stock restocked, no refund, no e-mail.
    package static func orderCancel(id: String) -> GraphQLOperation {
        GraphQLOperation(name: "OrderCancel", query: """
            mutation OrderCancel($orderId: ID!) {
              orderCancel(orderId: $orderId, reason: OTHER, refund: false, restock: true, notifyCustomer: false) {
                job { id } orderCancelUserErrors { field message code }
              }
            }
            """, variables: ["orderId": .string(ShopifyGlobalID.make("Order", id))])
    }

    /// The order's open fulfillment orders, to fulfil (`fulfillmentCreate` works on those).
    package static func fulfillmentOrders(orderID: String) -> GraphQLOperation {
        GraphQLOperation(name: "FulfillmentOrders", query: """
            query FulfillmentOrders($id: ID!) {
              order(id: $id) { cancelledAt displayFulfillmentStatus fulfillmentOrders(first: 20) { nodes { id status } } }
            }
            """, variables: ["id": .string(ShopifyGlobalID.make("Order", orderID))])
    }

    /// `fulfillmentCreate` of every remaining unit of `fulfillmentOrderIDs` (global ids), without notifying the customer.
    package static func fulfillmentCreate(fulfillmentOrderIDs: [String]) -> GraphQLOperation {
        let byOrder: [JSONValue] = fulfillmentOrderIDs.map { ["fulfillmentOrderId": .string($0)] }
        return GraphQLOperation(name: "FulfillmentCreate", query: """
            mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
              fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id status } \(userErrors) }
            }
            """, variables: ["fulfillment": ["lineItemsByFulfillmentOrder": .array(byOrder), "notifyCustomer": false]])
    }

    // MARK: Webhooks

    /// `customers/update` ↔ `CUSTOMERS_UPDATE`: REST's topic names and GraphQL's enum.
    package static func topicEnum(_ topic: String) -> String {
        topic.uppercased().replacingOccurrences(of: "/", with: "_")
    }

    /// ``topicEnum(_:)`` back: the enum's first `_` that separates resource and event is the one
    /// after the resource, which for every topic we use is a known resource name.
    package static func restTopic(_ value: String) -> String {
        let lowered = value.lowercased()
        for resource in ["inventory_levels", "inventory_items", "customers", "products", "orders", "refunds", "fulfillments", "app"]
            where lowered.hasPrefix(resource + "_") {
            return resource + "/" + lowered.dropFirst(resource.count + 1)
        }
        return lowered
    }

    /// `webhookSubscriptions(first: 100)`.
    package static let webhookSubscriptions = GraphQLOperation(name: "WebhookSubscriptions", query: """
        query WebhookSubscriptions { webhookSubscriptions(first: 100) { nodes { id topic uri } } }
        """)

    /// `webhookSubscriptionCreate` of `topic` (REST name) to `address`, JSON bodies.
    package static func webhookSubscriptionCreate(topic: String, address: String) -> GraphQLOperation {
        GraphQLOperation(name: "WebhookSubscriptionCreate", query: """
            mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $subscription: WebhookSubscriptionInput!) {
              webhookSubscriptionCreate(topic: $topic, webhookSubscription: $subscription) { webhookSubscription { id } \(userErrors) }
            }
            """, variables: ["topic": .string(topicEnum(topic)), "subscription": ["uri": .string(address), "format": "JSON"]])
    }

    // MARK: Access

    /// The access scopes granted to the app on this shop.
    package static let accessScopes = GraphQLOperation(name: "AccessScopes", query: """
        query AccessScopes { currentAppInstallation { accessScopes { handle } } }
        """)
}
