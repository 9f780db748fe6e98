import Foundation
import SyncCore

extension ShopifyGraphQLDocuments {
    /// Orders a page: an order node with ``linesPerOrder`` lines, up to ``refundsPerOrder`` refunds
    /// and its shipping requests about 400 points, so two stay under 1,000.
    package static let ordersPerPage = 2
    /// Lines read with an order; an order with more reads the rest through its own line connection.
    package static let linesPerOrder = 10
    /// Lines a page of ``orderLines(orderID:after:)`` reads (about 750 points).
    package static let linesPerPage = 50
    /// Refunds read with an order, and lines read with each: an order with more is held, named, not
    /// read in part (Shopify's `refunds` is a plain list without paging).
    package static let refundsPerOrder = 5
    package static let linesPerRefund = 10

    static let money = "shopMoney { amount }"
    static let taxLineFields = "title rate priceSet { \(money) }"

    package static let lineFields = """
    id sku name quantity variant { id } product { id } originalUnitPriceSet { \(money) }
    discountAllocations { allocatedAmountSet { \(money) } } taxLines { \(taxLineFields) }
    """

    static let addressFields = "firstName lastName company address1 address2 city province provinceCode zip countryCodeV2 phone"

    package static let orderFields = """
    id name email note createdAt updatedAt cancelledAt closedAt currencyCode presentmentCurrencyCode taxesIncluded
    displayFinancialStatus displayFulfillmentStatus customer { id }
    billingAddress { \(addressFields) } shippingAddress { \(addressFields) }
    subtotalPriceSet { \(money) } totalDiscountsSet { \(money) } totalTaxSet { \(money) } totalPriceSet { \(money) }
    taxLines { \(taxLineFields) }
    shippingLines(first: 5) { nodes { title originalPriceSet { \(money) } taxLines { \(taxLineFields) } } }
    refunds(first: \(refundsPerOrder)) {
      id createdAt note
      refundLineItems(first: \(linesPerRefund)) { nodes { lineItem { id } quantity restockType subtotalSet { \(money) } } pageInfo { hasNextPage } }
      transactions(first: 5) { nodes { kind status amountSet { \(money) } } pageInfo { hasNextPage } }
    }
    lineItems(first: \(linesPerOrder)) { nodes { \(lineFields) } pageInfo { hasNextPage endCursor } }
    """

    /// `orders(first:after:)`, every status, oldest id first.
    package static func orders(after cursor: String?) -> GraphQLOperation {
        GraphQLOperation(name: "Orders", query: """
            query Orders($first: Int!, $after: String) {
              orders(first: $first, after: $after) { nodes { \(orderFields) } pageInfo { hasNextPage endCursor } }
            }
            """, variables: pageVariables(first: ordersPerPage, after: cursor, query: nil))
    }

    /// `order(id:)`.
    package static func order(id: String) -> GraphQLOperation {
        GraphQLOperation(name: "Order", query: """
            query Order($id: ID!) { order(id: $id) { \(orderFields) } }
            """, variables: ["id": .string(ShopifyGlobalID.make("Order", id))])
    }

    /// The lines of one order after `cursor`.
    package static func orderLines(orderID: String, after cursor: String) -> GraphQLOperation {
        GraphQLOperation(name: "OrderLines", query: """
            query OrderLines($id: ID!, $first: Int!, $after: String) {
              order(id: $id) { lineItems(first: $first, after: $after) { nodes { \(lineFields) } pageInfo { hasNextPage endCursor } } }
            }
            """, variables: ["id": .string(ShopifyGlobalID.make("Order", orderID)), "first": .integer(linesPerPage), "after": .string(cursor)])
    }
}

extension ShopifyGraphQLRecords {
    /// An `Order` node selected as ``ShopifyGraphQLDocuments/orderFields`` → the order REST reads.
    /// `moreLines` are lines read beyond the node's first page. Amounts are shop money.
    package static func order(node: JSONValue, moreLines: [JSONValue] = []) throws -> OrderRecord {
        let r = try JSONFieldReader(node, resource: "order")
        let currency = try r.requiredString("currencyCode")
        let presentment = try r.string("presentmentCurrencyCode")
        let financialText = (try r.string("displayFinancialStatus") ?? "PENDING").lowercased()
        let fulfillmentText = try r.string("displayFulfillmentStatus")
        let lifecycle = OrderLifecycle(
            financial: try ShopifyAPI.financial(financialText, r, field: "displayFinancialStatus"),
            fulfillment: fulfillmentText == "FULFILLED" ? .fulfilled : fulfillmentText == "PARTIALLY_FULFILLED" ? .partial : .unfulfilled,
            cancelledAt: try r.time("cancelledAt"), closedAt: try r.time("closedAt"))
        let lineNodes = try (r.object("lineItems")?.array("nodes") ?? []) + moreLines
        let id = try r.requiredGlobalID("id", type: "Order")
        let refunds = try r.objects("refunds")
        try checkRefundsReadWhole(refunds, r)
        return OrderRecord(
            store: .shopify, remoteID: id, number: try r.string("name") ?? id, email: try r.string("email"),
            customerRemoteID: try r.object("customer")?.globalID("id", type: "Customer"),
            billingAddress: try r.object("billingAddress").map(postalAddress), shippingAddress: try r.object("shippingAddress").map(postalAddress),
            currency: currency, presentmentCurrency: presentment == currency ? nil : presentment, taxesIncluded: try r.bool("taxesIncluded") ?? false,
            lifecycle: lifecycle, storeStatus: financialText,
            lines: try lineNodes.map { try line(JSONFieldReader($0, resource: "line item")) },
            taxLines: try r.objects("taxLines").map(taxLine),
            shippingLines: try (r.object("shippingLines")?.objects("nodes") ?? []).map(shippingLine),
            discountTotal: try shopMoney(r, "totalDiscountsSet"), subtotal: try shopMoney(r, "subtotalPriceSet"),
            totalTax: try shopMoney(r, "totalTaxSet"), total: try shopMoney(r, "totalPriceSet"),
            refunds: try refunds.map(refund), note: try r.string("note"), paidAt: nil, completedAt: nil,
            createdAt: try r.time("createdAt"), updatedAt: try r.time("updatedAt"))
    }

    /// An order whose refunds did not fit its read is held, named, rather than read in part.
    static func checkRefundsReadWhole(_ refunds: [JSONFieldReader], _ r: JSONFieldReader) throws {
        let more = try refunds.contains { refund in
            try refund.object("refundLineItems")?.object("pageInfo")?.bool("hasNextPage") == true
                || refund.object("transactions")?.object("pageInfo")?.bool("hasNextPage") == true
        }
        guard refunds.count >= ShopifyGraphQLDocuments.refundsPerOrder || more else { return }
        throw r.error("refunds", .invalidValue,
                      "has more refunds or refund lines than one read holds (\(ShopifyGraphQLDocuments.refundsPerOrder - 1) refunds of "
                          + "\(ShopifyGraphQLDocuments.linesPerRefund) lines): the order is held rather than read in part; check its refunds in Shopify")
    }

    /// `key { shopMoney { amount } }`, 0 when absent.
    static func shopMoney(_ r: JSONFieldReader, _ key: String) throws -> ExactDecimal {
        try r.object(key)?.object("shopMoney")?.decimal("amount") ?? .zero
    }

    static func taxLine(_ t: JSONFieldReader) throws -> OrderTaxLine {
        let rate = try t.decimal("rate")
        return OrderTaxLine(title: try t.string("title") ?? "", ratePercent: rate.map { $0 * 100 }, amount: try shopMoney(t, "priceSet"))
    }

    static func line(_ l: JSONFieldReader) throws -> OrderLine {
        let quantity = try l.int("quantity") ?? 0
        let unit = try shopMoney(l, "originalUnitPriceSet")
        let subtotal = unit * quantity
        let discount = try l.objects("discountAllocations").reduce(ExactDecimal.zero) { $0 + (try shopMoney($1, "allocatedAmountSet")) }
        return OrderLine(
            remoteID: try l.requiredGlobalID("id", type: "LineItem"), sku: try l.string("sku"),
            remoteProductID: try l.object("product")?.globalID("id", type: "Product"),
            remoteVariantID: try l.object("variant")?.globalID("id", type: "ProductVariant"), title: try l.string("name") ?? "",
            quantity: quantity, unitPrice: unit, subtotal: subtotal, discount: discount, total: subtotal - discount,
            taxLines: try l.objects("taxLines").map(taxLine))
    }

    static func shippingLine(_ s: JSONFieldReader) throws -> OrderShippingLine {
        let taxes = try s.objects("taxLines").map(taxLine)
        return OrderShippingLine(title: try s.string("title") ?? "", price: try shopMoney(s, "originalPriceSet"),
                                 tax: taxes.reduce(ExactDecimal.zero) { $0 + $1.amount }, taxLines: taxes)
    }

    /// A refund: its amount is the sum of its successful `REFUND` transactions; it restocked when
    /// any of its lines did (`restockType` other than `NO_RESTOCK`).
    static func refund(_ f: JSONFieldReader) throws -> OrderRefund {
        var amount = ExactDecimal.zero
        for t in try f.object("transactions")?.objects("nodes") ?? [] {
            let kind = try t.string("kind") ?? "REFUND"
            let status = try t.string("status") ?? "SUCCESS"
            if kind == "REFUND" && status == "SUCCESS" { amount = amount + (try shopMoney(t, "amountSet")) }
        }
        let lineNodes = try f.object("refundLineItems")?.objects("nodes") ?? []
        let lines = try lineNodes.map { li in
            OrderRefund.Line(lineID: try li.object("lineItem")?.requiredGlobalID("id", type: "LineItem") ?? li.requiredGlobalID("lineItem", type: "LineItem"),
                             quantity: try li.int("quantity") ?? 0,
                             subtotal: li.value("subtotalSet") == nil ? nil : try shopMoney(li, "subtotalSet"))
        }
        let restocked = try lineNodes.contains { try ($0.string("restockType") ?? "NO_RESTOCK") != "NO_RESTOCK" }
        return OrderRefund(remoteID: try f.requiredGlobalID("id", type: "Refund"), createdAt: try f.time("createdAt"), amount: amount,
                           reason: try f.string("note"), restock: restocked, lines: lines)
    }
}
