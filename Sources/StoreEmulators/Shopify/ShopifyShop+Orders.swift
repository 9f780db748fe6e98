import Foundation
import SyncCore

/// Orders: placement with taxes and inventory, edits, payment, fulfilment, cancel, refunds.
extension ShopifyShop {
    static let financialStatuses = ["pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", "voided"]

    func sortedOrders(_ q: ShopifyListQuery) throws -> [ShopifyOrder] {
        let status = q.filter("status") ?? "open"
        guard ["open", "closed", "cancelled", "any"].contains(status) else { throw Self.badParameter("status", "must be open, closed, cancelled or any") }
        let financial = q.filter("financial_status") ?? "any"
        let fulfillment = q.filter("fulfillment_status") ?? "any"
        return try orders.values.sorted { $0.id < $1.id }.filter { o in
            guard try passesCommonFilters(q, id: o.id, createdAt: o.createdAt, updatedAt: o.updatedAt) else { return false }
            switch status {
            case "open": if o.closedAt != nil || o.cancelledAt != nil { return false }
            case "closed": if o.closedAt == nil { return false }
            case "cancelled": if o.cancelledAt == nil { return false }
            default: break
            }
            switch financial {
            case "any": break
            case "unpaid": if !["pending", "authorized", "partially_paid"].contains(o.financialStatus) { return false }
            default: if !financial.split(separator: ",").map(String.init).contains(o.financialStatus) { return false }
            }
            switch fulfillment {
            case "any": break
            case "shipped": if o.fulfillmentStatus != "fulfilled" { return false }
            case "partial": if o.fulfillmentStatus != "partial" { return false }
            case "unshipped": if o.fulfillmentStatus != nil { return false }
            case "unfulfilled": if o.fulfillmentStatus == "fulfilled" { return false }
            default: break
            }
            return true
        }
    }

    func listOrders(_ request: StoreRequest) throws -> StoreResponse {
        let q = try listQuery(request)
        return page(try sortedOrders(q), id: \.id, render: { orderJSON($0) }, q, root: "orders", request: request)
    }

    func countOrders(_ request: StoreRequest) throws -> JSONValue {
        ["count": .integer(try sortedOrders(try listQuery(request)).count)]
    }

    func getOrder(_ id: Int) throws -> JSONValue {
        guard let o = orders[id] else { throw Self.notFound() }
        return orderJSON(o)
    }

    /// The tax on `total` at `rate`: extracted from a tax-inclusive total, or added on top.
    static func tax(on total: ExactDecimal, rate: ExactDecimal, included: Bool) -> ExactDecimal {
        if included {
            return (total * rate).divided(by: ExactDecimal(1) + rate, scale: 2) ?? .zero
        }
        return (total * rate).rounded(scale: 2)
    }

    private static func parseTaxLines(_ value: JSONValue?, field: String) throws -> [(title: String, rate: ExactDecimal, price: ExactDecimal?)]? {
        guard let value, !value.isNull else { return nil }
        guard let array = value.array else { throw unprocessable(field, "is invalid") }
        return try array.map { item in
            guard let o = item.object else { throw unprocessable(field, "is invalid") }
            guard let rate = o["rate"]?.decimal, !rate.isNegative else { throw unprocessable("\(field).rate", "is not a number") }
            let price = try optionalMoney(o, "price") ?? nil
            return (o["title"]?.shopifyText ?? "Tax", rate, price)
        }
    }

    mutating func createOrder(_ input: [String: JSONValue], sourceName: String = "web") throws -> JSONValue {
        guard let rawLines = input["line_items"]?.array, !rawLines.isEmpty else { throw Self.unprocessable("line_items", "can't be blank") }
        let included = try Self.optionalBool(input, "taxes_included") ?? configuration.taxesIncluded
        let orderTaxes = try Self.parseTaxLines(input["tax_lines"], field: "tax_lines")
        let behaviour = input["inventory_behaviour"]?.string ?? "decrement_ignoring_policy"
        guard ["bypass", "decrement_ignoring_policy", "decrement_obeying_policy"].contains(behaviour) else {
            throw Self.unprocessable("inventory_behaviour", "is not included in the list")
        }
        let financial = input["financial_status"]?.string ?? "paid"
        guard ["pending", "authorized", "partially_paid", "paid"].contains(financial) else {
            throw Self.unprocessable("financial_status", "is not included in the list")
        }
        // Validate every line before any state changes.
        var lines: [ShopifyLineItem] = []
        var demand: [Int: Int] = [:]
        for raw in rawLines {
            guard let o = raw.object else { throw Self.unprocessable("line_items", "is invalid") }
            let quantity = try Self.optionalInt(o, "quantity") ?? 1
            guard quantity > 0 else { throw Self.unprocessable("line_items.quantity", "must be greater than 0") }
            let explicitPrice = try Self.optionalMoney(o, "price") ?? nil
            var line: ShopifyLineItem
            if let vid = try Self.optionalInt(o, "variant_id") {
                guard let v = variant(vid), let p = products[v.productID] else {
                    throw Self.unprocessable("line_items", "variant \(vid) does not exist")
                }
                line = ShopifyLineItem(
                    id: 0, variantID: v.id, productID: p.id, sku: v.sku, title: o["title"]?.string ?? p.title,
                    variantTitle: v.title == "Default Title" ? nil : v.title, vendor: p.vendor, quantity: quantity,
                    price: explicitPrice ?? v.price, taxable: try Self.optionalBool(o, "taxable") ?? v.taxable, grams: v.grams,
                    taxLines: [], inventoryManaged: v.inventoryManagement == "shopify")
                if line.inventoryManaged { demand[v.inventoryItemID, default: 0] += quantity }
            } else {
                guard let title = o["title"]?.shopifyText, !title.isEmpty else { throw Self.unprocessable("line_items.title", "can't be blank") }
                guard let price = explicitPrice else { throw Self.unprocessable("line_items.price", "can't be blank") }
                line = ShopifyLineItem(
                    id: 0, variantID: nil, productID: nil, sku: o["sku"]?.shopifyText, title: title, variantTitle: o["variant_title"]?.string,
                    vendor: o["vendor"]?.string, quantity: quantity, price: price, taxable: try Self.optionalBool(o, "taxable") ?? true,
                    grams: try Self.optionalInt(o, "grams") ?? 0, taxLines: [], inventoryManaged: false)
            }
            let lineTotal = line.price * line.quantity
            if let given = try Self.parseTaxLines(o["tax_lines"], field: "line_items.tax_lines") {
                line.taxLines = given.map { ShopifyTaxLine(title: $0.title, rate: $0.rate, price: $0.price ?? Self.tax(on: lineTotal, rate: $0.rate, included: included)) }
            } else if line.taxable {
                let rates = orderTaxes.map { $0.map { ($0.title, $0.rate) } } ?? (configuration.defaultTaxRate.isZero ? [] : [(configuration.defaultTaxTitle, configuration.defaultTaxRate)])
                line.taxLines = rates.map { ShopifyTaxLine(title: $0.0, rate: $0.1, price: Self.tax(on: lineTotal, rate: $0.1, included: included)) }
            }
            lines.append(line)
        }
        if behaviour == "decrement_obeying_policy" {
            for (item, qty) in demand {
                let policy = inventoryItemVariant[item].flatMap { variant($0) }?.inventoryPolicy ?? "deny"
                if policy == "deny", (levels[item]?.available ?? 0) < qty {
                    throw Self.unprocessable("line_items", "Unable to reserve inventory")
                }
            }
        }
        var shippingLines: [ShopifyShippingLine] = []
        if let list = input["shipping_lines"]?.array {
            for s in list {
                guard let o = s.object, let price = try Self.optionalMoney(o, "price") ?? nil else { throw Self.unprocessable("shipping_lines.price", "is not a number") }
                shippingLines.append(ShopifyShippingLine(id: 0, title: o["title"]?.shopifyText ?? "Envío", price: price))
            }
        }
        var email = try Self.optionalString(input, "email") ?? nil
        if let e = email {
            email = e.trimmingCharacters(in: .whitespaces).lowercased()
            guard Self.isValidEmail(email!) else { throw Self.unprocessable("email", "is invalid") }
        }
        let processedAt: Int64
        if let raw = input["processed_at"]?.string {
            guard let t = ISO8601Time.parse(raw) else { throw Self.unprocessable("processed_at", "is invalid") }
            processedAt = t - ((t % 1000) + 1000) % 1000
        } else {
            processedAt = now
        }
        // Resolve or create the customer.
        var customerID: Int?
        if let c = input["customer"]?.object {
            if let id = c["id"]?.int {
                guard customers[id] != nil else { throw Self.unprocessable("customer", "not found") }
                customerID = id
            } else {
                let ce = (c["email"]?.string ?? email)?.lowercased()
                if let ce, let existing = customers.values.first(where: { $0.email == ce }) {
                    customerID = existing.id
                } else {
                    var fields = c
                    if let ce { fields["email"] = .string(ce) }
                    customerID = try createCustomer(fields)["id"]?.int
                }
            }
        } else if let e = email {
            if let existing = customers.values.first(where: { $0.email == e }) {
                customerID = existing.id
            } else {
                customerID = try createCustomer(["email": .string(e)])["id"]?.int
            }
        }
        if email == nil, let cid = customerID { email = customers[cid]?.email }
        // Commit.
        let t = now
        let id = newID()
        for i in lines.indices { lines[i].id = newID() }
        for i in shippingLines.indices { shippingLines[i].id = newID() }
        var order = ShopifyOrder(
            id: id, number: nextOrderNumber, email: email, phone: nil, customerID: customerID, lineItems: lines,
            shippingLines: shippingLines, taxesIncluded: included, financialStatus: financial, processedAt: processedAt,
            token: randomHex(32), sourceName: sourceName, createdAt: t, updatedAt: t)
        nextOrderNumber += 1
        if let orderTaxes, orderTaxes.allSatisfy({ $0.price != nil }) {
            order.explicitTaxLines = orderTaxes.map { ShopifyTaxLine(title: $0.title, rate: $0.rate, price: $0.price!) }
        }
        if let v = try Self.optionalString(input, "note") { order.note = v }
        if let v = input["tags"] { order.tags = try Self.normalizedTags(v) }
        if let a = input["shipping_address"]?.object { order.shippingAddress = makeAddress(a, id: nil, customerID: nil, isDefault: false) }
        if let a = input["billing_address"]?.object { order.billingAddress = makeAddress(a, id: nil, customerID: nil, isDefault: false) }
        if let p = try Self.optionalString(input, "phone"), let raw = p { order.phone = try Self.normalizedPhone(raw) }
        switch financial {
        case "paid": order.transactions = [ShopifyTransaction(id: newID(), kind: "sale", amount: order.totalPrice, createdAt: t)]
        case "authorized": order.transactions = [ShopifyTransaction(id: newID(), kind: "authorization", amount: order.totalPrice, createdAt: t)]
        default: break
        }
        orders[id] = order
        emit("orders/create", orderJSON(order))
        if financial == "paid" { emit("orders/paid", orderJSON(order)) }
        if behaviour != "bypass" {
            for item in demand.keys.sorted() {
                changeStock(item, to: (levels[item]?.available ?? 0) - (demand[item] ?? 0))
            }
        }
        return orderJSON(orders[id]!)
    }

    /// Stamps `updated_at`, stores and fires `orders/updated` plus any extra topics.
    private mutating func saveOrder(_ order: ShopifyOrder, topics: [String]) {
        var o = order
        o.updatedAt = now
        orders[o.id] = o
        let json = orderJSON(o)
        for topic in topics { emit(topic, json) }
        emit("orders/updated", json)
    }

    mutating func updateOrder(_ id: Int, _ input: [String: JSONValue]) throws -> JSONValue {
        guard var o = orders[id] else { throw Self.notFound() }
        let before = o
        if let v = try Self.optionalString(input, "note") { o.note = v }
        if let v = input["tags"] { o.tags = try Self.normalizedTags(v) }
        if let v = try Self.optionalString(input, "email") {
            if let e = v?.trimmingCharacters(in: .whitespaces).lowercased(), !e.isEmpty {
                guard Self.isValidEmail(e) else { throw Self.unprocessable("email", "is invalid") }
                o.email = e
            } else {
                o.email = nil
            }
        }
        if let v = try Self.optionalString(input, "phone") { o.phone = try v.map { try Self.normalizedPhone($0) } }
        if let a = input["shipping_address"] {
            if a.isNull { o.shippingAddress = nil } else {
                guard let obj = a.object else { throw Self.unprocessable("shipping_address", "is invalid") }
                var merged = o.shippingAddress ?? [:]
                for (k, v) in obj { merged[k] = v }
                o.shippingAddress = makeAddress(merged, id: nil, customerID: nil, isDefault: false)
            }
        }
        if let a = input["billing_address"]?.object { o.billingAddress = makeAddress(a, id: nil, customerID: nil, isDefault: false) }
        guard o != before else { return orderJSON(o) }
        saveOrder(o, topics: [])
        return orderJSON(orders[id]!)
    }

    mutating func closeOrder(_ id: Int, open: Bool) throws -> JSONValue {
        guard var o = orders[id] else { throw Self.notFound() }
        if open { o.closedAt = nil } else if o.closedAt == nil { o.closedAt = now }
        saveOrder(o, topics: [])
        return orderJSON(orders[id]!)
    }

    /// Cancels: voids unpaid orders, refunds what is left of paid ones, optionally restocks.
    mutating func cancelOrder(_ id: Int, _ input: [String: JSONValue]) throws -> JSONValue {
        guard var o = orders[id] else { throw Self.notFound() }
        guard o.cancelledAt == nil else { throw Self.unprocessable("base", "Order has already been cancelled") }
        guard o.fulfillmentStatus == nil else { throw Self.unprocessable("base", "Cannot cancel an order that has fulfilled line items; refund it instead") }
        let reason = input["reason"]?.string ?? "other"
        guard ["customer", "fraud", "inventory", "declined", "other", "staff"].contains(reason) else {
            throw Self.unprocessable("reason", "is not included in the list")
        }
        let restock = try Self.optionalBool(input, "restock") ?? false
        // GraphQL's orderCancel can cancel without refunding; REST always refunds what was paid.
        let refund = try Self.optionalBool(input, "refund") ?? true
        let t = now
        var restocks: [(Int, Int)] = []
        var refundLines: [ShopifyRefundLine] = []
        for i in o.lineItems.indices {
            let line = o.lineItems[i]
            let remaining = line.quantity - line.refundedQuantity
            guard remaining > 0 else { continue }
            let lineTax = line.taxLines.reduce(ExactDecimal.zero) { $0 + $1.price }
            let share = (lineTax * remaining).divided(by: ExactDecimal(line.quantity), scale: 2) ?? .zero
            refundLines.append(ShopifyRefundLine(id: newID(), lineItemID: line.id, quantity: remaining, restockType: restock ? "cancel" : "no_restock",
                                                 subtotal: line.price * remaining, totalTax: share))
            o.lineItems[i].refundedQuantity += remaining
            if restock, let vid = line.variantID, line.inventoryManaged, let item = variant(vid)?.inventoryItemID {
                let back = line.quantity - line.restockedQuantity
                if back > 0 {
                    restocks.append((item, back))
                    o.lineItems[i].restockedQuantity += back
                }
            }
        }
        switch o.financialStatus {
        case let status where !refund && ["paid", "partially_paid", "partially_refunded"].contains(status):
            break
        case "paid", "partially_paid", "partially_refunded":
            let paid = o.transactions.filter { $0.kind == "sale" || $0.kind == "capture" }.reduce(ExactDecimal.zero) { $0 + $1.amount }
            let amount = paid - o.refundedAmount
            let parent = o.transactions.last { $0.kind == "sale" || $0.kind == "capture" }?.id
            let transactions = amount.isNegative || amount.isZero ? [] : [ShopifyTransaction(id: newID(), kind: "refund", amount: amount, parentID: parent, createdAt: t)]
            o.refunds.append(ShopifyRefund(id: newID(), note: "Order canceled", restock: restock, lines: refundLines, transactions: transactions, createdAt: t))
            o.financialStatus = "refunded"
        default:
            o.financialStatus = "voided"
            if let auth = o.transactions.last(where: { $0.kind == "authorization" }) {
                o.transactions.append(ShopifyTransaction(id: newID(), kind: "void", amount: auth.amount, parentID: auth.id, createdAt: t))
            }
        }
        o.cancelledAt = t
        o.cancelReason = reason
        saveOrder(o, topics: ["orders/cancelled"])
        for (item, qty) in restocks { changeStock(item, to: (levels[item]?.available ?? 0) + qty) }
        return orderJSON(orders[id]!)
    }

    /// Records a payment (`capture`/`sale`): `paid` once the total is covered, else `partially_paid`.
    mutating func recordPayment(_ id: Int, _ input: [String: JSONValue]) throws -> JSONValue {
        guard var o = orders[id] else { throw Self.notFound() }
        let kind = input["kind"]?.string ?? "capture"
        guard ["capture", "sale"].contains(kind) else { throw Self.unprocessable("kind", "only capture and sale are emulated") }
        guard ["pending", "authorized", "partially_paid"].contains(o.financialStatus), o.cancelledAt == nil else {
            throw Self.unprocessable("base", "The order is \(o.financialStatus) and cannot take a payment")
        }
        let paid = o.transactions.filter { $0.kind == "sale" || $0.kind == "capture" }.reduce(ExactDecimal.zero) { $0 + $1.amount }
        let outstanding = o.totalPrice - paid
        let amount = (try Self.optionalMoney(input, "amount") ?? nil) ?? outstanding
        guard !amount.isNegative, !amount.isZero, amount <= outstanding else {
            throw Self.unprocessable("amount", "must be greater than 0 and at most the outstanding \(outstanding.formatted(scale: 2))")
        }
        let tx = ShopifyTransaction(id: newID(), kind: kind, amount: amount, parentID: o.transactions.last { $0.kind == "authorization" }?.id, createdAt: now)
        o.transactions.append(tx)
        o.financialStatus = amount == outstanding ? "paid" : "partially_paid"
        saveOrder(o, topics: o.financialStatus == "paid" ? ["orders/paid"] : [])
        return ["transaction": transactionJSON(tx, orderID: id)]
    }

    /// Fulfils every remaining unit (or the given `line_items` quantities).
    mutating func fulfillOrder(_ id: Int, _ input: [String: JSONValue]) throws -> JSONValue {
        guard var o = orders[id] else { throw Self.notFound() }
        guard o.cancelledAt == nil else { throw Self.unprocessable("base", "A cancelled order cannot be fulfilled") }
        var wanted: [Int: Int]?
        if let list = input["line_items"]?.array {
            var w: [Int: Int] = [:]
            for item in list {
                guard let lid = item["id"]?.int, let line = o.lineItems.first(where: { $0.id == lid }) else { throw Self.unprocessable("line_items", "is invalid") }
                w[lid] = item["quantity"]?.int ?? line.quantity
            }
            wanted = w
        }
        var fulfilled: [JSONValue] = []
        for i in o.lineItems.indices {
            let line = o.lineItems[i]
            let open = line.quantity - line.fulfilledQuantity - line.refundedQuantity
            let qty = min(open, wanted.map { $0[line.id] ?? 0 } ?? open)
            guard qty > 0 else { continue }
            o.lineItems[i].fulfilledQuantity += qty
            var j = lineItemJSON(o.lineItems[i]).object ?? [:]
            j["quantity"] = .integer(qty)
            fulfilled.append(.object(j))
        }
        guard !fulfilled.isEmpty else { throw Self.unprocessable("base", "Nothing left to fulfill on this order") }
        let fulfillmentID = newID()
        saveOrder(o, topics: o.fulfillmentStatus == "fulfilled" ? ["orders/fulfilled"] : [])
        return ["fulfillment": [
            "id": .integer(fulfillmentID), "order_id": .integer(id), "status": "success", "created_at": time(now), "updated_at": time(now),
            "location_id": .integer(configuration.primaryLocationID), "tracking_company": .null, "tracking_number": .null,
            "tracking_numbers": [], "tracking_url": .null, "tracking_urls": [], "line_items": .array(fulfilled), "name": .string("\(o.name).1"),
        ]]
    }

    /// Builds (and, unless `dryRun`, records) a refund from `refund_line_items`, `transactions`
    /// and `shipping`. Without `transactions` no money moves, as on Shopify (use `calculate` first).
    mutating func refundOrder(_ id: Int, _ input: [String: JSONValue], dryRun: Bool = false) throws -> JSONValue {
        guard var o = orders[id] else { throw Self.notFound() }
        let legacyRestock = try Self.optionalBool(input, "restock") ?? false
        var lines: [ShopifyRefundLine] = []
        var restocks: [(Int, Int)] = []
        var suggested = ExactDecimal.zero
        for item in input["refund_line_items"]?.array ?? [] {
            guard let obj = item.object, let lid = obj["line_item_id"]?.int, let li = o.lineItems.firstIndex(where: { $0.id == lid }) else {
                throw Self.unprocessable("refund_line_items.line_item_id", "is invalid")
            }
            let line = o.lineItems[li]
            let qty = try Self.optionalInt(obj, "quantity") ?? 1
            guard qty > 0, qty <= line.quantity - line.refundedQuantity else {
                throw Self.unprocessable("refund_line_items.quantity", "cannot refund more items than were purchased")
            }
            let restockType = obj["restock_type"]?.string ?? (legacyRestock ? "return" : "no_restock")
            guard ["no_restock", "cancel", "return", "legacy_restock"].contains(restockType) else {
                throw Self.unprocessable("refund_line_items.restock_type", "is not included in the list")
            }
            let lineTax = line.taxLines.reduce(ExactDecimal.zero) { $0 + $1.price }
            let tax = (lineTax * qty).divided(by: ExactDecimal(line.quantity), scale: 2) ?? .zero
            let subtotal = line.price * qty
            suggested = suggested + subtotal + (o.taxesIncluded ? .zero : tax)
            lines.append(ShopifyRefundLine(id: dryRun ? 0 : newID(), lineItemID: lid, quantity: qty, restockType: restockType, subtotal: subtotal, totalTax: tax))
            o.lineItems[li].refundedQuantity += qty
            if restockType != "no_restock", line.inventoryManaged, let vid = line.variantID, let inv = variant(vid)?.inventoryItemID {
                restocks.append((inv, qty))
                o.lineItems[li].restockedQuantity += qty
            }
        }
        if let shipping = input["shipping"]?.object {
            if shipping["full_refund"]?.bool == true { suggested = suggested + o.shippingTotal }
            else if let a = try Self.optionalMoney(shipping, "amount") ?? nil { suggested = suggested + a }
        }
        let paidTxs = o.transactions.filter { $0.kind == "sale" || $0.kind == "capture" }
        let refundable = paidTxs.reduce(ExactDecimal.zero) { $0 + $1.amount } - o.refundedAmount
        let parent = paidTxs.last?.id
        if dryRun {
            let amount = min(suggested, refundable)
            var r = refundJSON(ShopifyRefund(id: 0, note: nil, restock: !restocks.isEmpty, lines: lines, transactions: [], createdAt: now), order: o).object ?? [:]
            r["transactions"] = [["order_id": .integer(id), "kind": "suggested_refund", "gateway": "manual", "parent_id": parent.map { .integer($0) } ?? .null,
                                  "amount": money(amount), "maximum_refundable": money(refundable), "currency": .string(configuration.currency)]]
            r["id"] = nil
            return ["refund": .object(r)]
        }
        var transactions: [ShopifyTransaction] = []
        for tx in input["transactions"]?.array ?? [] {
            guard let obj = tx.object, let amount = try Self.optionalMoney(obj, "amount") ?? nil, !amount.isNegative, !amount.isZero else {
                throw Self.unprocessable("transactions.amount", "must be greater than 0")
            }
            let kind = obj["kind"]?.string ?? "refund"
            guard kind == "refund" else { throw Self.unprocessable("transactions.kind", "must be refund") }
            transactions.append(ShopifyTransaction(id: newID(), kind: "refund", amount: amount, parentID: obj["parent_id"]?.int ?? parent, createdAt: now))
        }
        let total = transactions.reduce(ExactDecimal.zero) { $0 + $1.amount }
        if total > refundable {
            throw Self.unprocessable("base", "Refund amount \(total.formatted(scale: 2)) is greater than the refundable \(refundable.formatted(scale: 2))")
        }
        guard !lines.isEmpty || !transactions.isEmpty else { throw Self.unprocessable("base", "A refund needs refund_line_items or transactions") }
        let refund = ShopifyRefund(id: newID(), note: try Self.optionalString(input, "note") ?? nil, restock: !restocks.isEmpty, lines: lines, transactions: transactions, createdAt: now)
        o.refunds.append(refund)
        if !total.isZero {
            o.financialStatus = o.refundedAmount >= o.totalPrice ? "refunded" : "partially_refunded"
        }
        saveOrder(o, topics: [])
        for (item, qty) in restocks { changeStock(item, to: (levels[item]?.available ?? 0) + qty) }
        return ["refund": refundJSON(refund, order: orders[id]!)]
    }
}
