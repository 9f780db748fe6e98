internal import GraphQL
import SyncCore

/// Orders as the GraphQL Admin API shows them: money bags, display statuses, line item connection.
extension ShopifyGraphQLRoot {
    func orders(_ args: Map) throws -> ShopifyGraphQLObject {
        let search = try ShopifySearchQuery(args["query"].string, fields: ["updated_at", "created_at", "email"])
        let offset = config.timezoneOffsetMinutes
        let reverse = args["reverse"].bool ?? false
        let items = try shop.orders.values.sorted { reverse ? $0.id > $1.id : $0.id < $1.id }.filter {
            try search.matches(time: "updated_at", $0.updatedAt, offsetMinutes: offset)
                && search.matches(time: "created_at", $0.createdAt, offsetMinutes: offset) && search.matches(text: "email", $0.email)
        }
        return try ShopifyGraphQLConnection.page(items, id: \.id, args: args, node: order)
    }

    /// A `MoneyBag` in the shop currency (the emulator presents in the shop currency).
    func moneyBag(_ d: ExactDecimal) -> ShopifyGraphQLObject {
        let money = ShopifyGraphQLObject.values(["amount": d.formatted(scale: 2), "currencyCode": Map.string(config.currency)])
        return .values(["shopMoney": money, "presentmentMoney": money])
    }

    func taxLine(_ t: ShopifyTaxLine) -> ShopifyGraphQLObject {
        let rate = Double(t.rate.description) ?? 0
        return .values(["title": t.title, "rate": rate, "ratePercentage": rate * 100, "priceSet": moneyBag(t.price)])
    }

    func order(_ o: ShopifyOrder) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, args in
            switch name {
            case "id": return ShopifyGlobalID.make("Order", o.id)
            case "name": return o.name
            case "email": return o.email
            case "phone": return o.phone
            case "note": return o.note
            case "tags": return Self.tags(o.tags)
            case "createdAt": return time(o.createdAt)
            case "updatedAt": return time(o.updatedAt)
            case "processedAt": return time(o.processedAt)
            case "cancelledAt": return time(o.cancelledAt)
            case "cancelReason": return o.cancelReason.map { Map.string($0.uppercased()) }
            case "closed": return o.closedAt != nil
            case "closedAt": return time(o.closedAt)
            case "currencyCode", "presentmentCurrencyCode": return Map.string(config.currency)
            case "taxesIncluded": return o.taxesIncluded
            case "displayFinancialStatus": return Map.string(o.financialStatus.uppercased())
            case "displayFulfillmentStatus":
                return Map.string(o.fulfillmentStatus == "fulfilled" ? "FULFILLED" : o.fulfillmentStatus == "partial" ? "PARTIALLY_FULFILLED" : "UNFULFILLED")
            case "subtotalPriceSet": return moneyBag(o.subtotal)
            case "totalPriceSet": return moneyBag(o.totalPrice)
            case "totalTaxSet": return moneyBag(o.totalTax)
            case "totalShippingPriceSet": return moneyBag(o.shippingTotal)
            case "totalRefundedSet": return moneyBag(o.refundedAmount)
            case "taxLines": return o.taxLines.map { taxLine($0) as (any Sendable)? }
            case "totalDiscountsSet": return moneyBag(.zero)
            case "shippingLines":
                return try ShopifyGraphQLConnection.page(o.shippingLines, id: \.id, args: args) { line in
                    ShopifyGraphQLObject.values(["id": ShopifyGlobalID.make("ShippingLine", line.id), "title": line.title,
                                                 "originalPriceSet": moneyBag(line.price), "taxLines": [(any Sendable)?]()])
                }
            case "refunds":
                let first = args["first"].int ?? o.refunds.count
                return o.refunds.sorted { $0.id < $1.id }.prefix(max(0, first)).map { refund($0, of: o) as (any Sendable)? }
            case "lineItems": return try ShopifyGraphQLConnection.page(o.lineItems, id: \.id, args: args, node: lineItem)
            case "shippingAddress": return o.shippingAddress.map(address)
            case "billingAddress": return o.billingAddress.map(address)
            case "customer": return o.customerID.flatMap { shop.customers[$0] }.map(customer)
            case "fulfillmentOrders": return try ShopifyGraphQLConnection.page([o], id: \.id, args: args, node: fulfillmentOrder)
            default: return nil
            }
        }
    }

    func lineItem(_ l: ShopifyLineItem) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, _ in
            let current = l.quantity - l.refundedQuantity
            switch name {
            case "id": return ShopifyGlobalID.make("LineItem", l.id)
            case "name": return l.variantTitle.map { "\(l.title) - \($0)" } ?? l.title
            case "title": return l.title
            case "variantTitle": return l.variantTitle
            case "vendor": return l.vendor
            case "sku": return l.sku
            case "quantity": return l.quantity
            case "currentQuantity": return current
            case "refundableQuantity": return current
            case "unfulfilledQuantity": return max(0, current - l.fulfilledQuantity)
            case "taxable": return l.taxable
            case "requiresShipping": return l.grams > 0
            case "originalUnitPriceSet": return moneyBag(l.price)
            case "originalTotalSet": return moneyBag(l.price * l.quantity)
            case "taxLines": return l.taxLines.map { taxLine($0) as (any Sendable)? }
            case "discountAllocations": return [(any Sendable)?]()
            case "variant": return l.variantID.flatMap(variant(id:))
            case "product": return l.productID.flatMap { shop.products[$0] }.map(product)
            default: return nil
            }
        }
    }

    /// A refund with its lines and transactions (the emulator records no discounts or shipping taxes).
    func refund(_ r: ShopifyRefund, of o: ShopifyOrder) -> ShopifyGraphQLObject {
        ShopifyGraphQLObject { name, args in
            switch name {
            case "id": return ShopifyGlobalID.make("Refund", r.id)
            case "createdAt": return time(r.createdAt)
            case "note": return r.note
            case "totalRefundedSet": return moneyBag(r.transactions.filter { $0.kind == "refund" }.reduce(ExactDecimal.zero) { $0 + $1.amount })
            case "refundLineItems":
                return try ShopifyGraphQLConnection.page(r.lines, id: \.id, args: args) { line in
                    ShopifyGraphQLObject.values([
                        "id": ShopifyGlobalID.make("RefundLineItem", line.id),
                        "lineItem": o.lineItems.first { $0.id == line.lineItemID }.map(lineItem), "quantity": line.quantity,
                        "restockType": Map.string(line.restockType.uppercased()), "restocked": line.restockType != "no_restock",
                        "subtotalSet": moneyBag(line.subtotal), "totalTaxSet": moneyBag(line.totalTax),
                    ])
                }
            case "transactions":
                return try ShopifyGraphQLConnection.page(r.transactions, id: \.id, args: args) { t in
                    ShopifyGraphQLObject.values(["id": ShopifyGlobalID.make("OrderTransaction", t.id), "kind": Map.string(t.kind.uppercased()),
                                                 "status": Map.string("SUCCESS"), "amountSet": moneyBag(t.amount), "createdAt": time(t.createdAt)])
                }
            default: return nil
            }
        }
    }
}
