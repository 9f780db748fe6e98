import SyncCore

private func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
private func optional(_ i: Int64?) -> JSONValue { i.map { .number(String($0)) } ?? .null }
private func int(_ i: Int64) -> JSONValue { .number(String(i)) }
/// Money as two-decimal text (``Money/text(_:)``): `"16.00"`.
private func money(_ d: ExactDecimal) -> JSONValue { .string(Money.text(d)) }
/// A percentage as canonical decimal text (`"16"`, `"10.5"`): a rate, not money.
private func rate(_ d: ExactDecimal) -> JSONValue { .string(d.description) }

extension Contact {
    /// The contact as a JSON object (times in milliseconds).
    public var json: JSONValue {
        .object([
            "id": int(id), "first_name": .string(firstName), "last_name": .string(lastName), "email": optional(email),
            "phone": optional(phone), "company": optional(company), "note": optional(note), "address": address ?? .null,
            "archived": .bool(archived), "created_at": int(createdAt), "updated_at": int(updatedAt),
        ])
    }
}

extension Product {
    /// The product as a JSON object, with its stock on hand.
    public func json(stock: Int64) -> JSONValue {
        .object([
            "id": int(id), "sku": .string(sku), "name": .string(name), "price": money(price), "taxable": .bool(taxable),
            "active": .bool(active), "tax_id": optional(taxID), "stock": int(stock), "created_at": int(createdAt), "updated_at": int(updatedAt),
        ])
    }
}

extension Tax {
    /// The tax as a JSON object; the percentage as a canonical decimal string.
    public var json: JSONValue {
        .object(["id": int(id), "name": .string(name), "percentage": rate(percentage), "created_at": int(createdAt)])
    }
}

extension InventoryMovement {
    /// The movement as a JSON object.
    public var json: JSONValue {
        .object([
            "id": int(id), "product_id": int(productID), "quantity": int(quantity), "kind": .string(kind.rawValue),
            "reference": optional(reference), "time": int(time), "origin": .string(origin.rawValue),
        ])
    }
}

extension SalesOrder {
    /// The order as a JSON object with its lines and taxes.
    public var json: JSONValue {
        .object([
            "id": int(id), "number": .string(number), "contact_id": optional(contactID), "date": int(date), "status": .string(status.rawValue), "fulfilled": .bool(fulfilled),
            "currency": .string(currency), "prices_include_tax": .bool(pricesIncludeTax),
            "lines": .array(lines.map { line in
                .object([
                    "position": .number(String(line.position)), "product_id": optional(line.productID), "description": .string(line.description),
                    "quantity": int(line.quantity), "unit_price": money(line.unitPrice), "discount": money(line.discount),
                    "tax_id": optional(line.taxID), "net": money(line.net), "tax_amount": money(line.taxAmount), "line_total": money(line.lineTotal),
                ])
            }),
            "taxes": .array(taxes.map { .object(["tax_id": int($0.taxID), "base": money($0.base), "amount": money($0.amount)]) }),
            "shipping": money(shipping), "shipping_tax_id": optional(shippingTaxID), "shipping_net": money(shippingNet),
            "subtotal": money(subtotal), "tax_total": money(taxTotal), "rounding": money(rounding), "total": money(total),
            "note": optional(note), "shipping_address": shippingAddress ?? .null,
            "external_reference": externalReference.map { .object(["store": .string($0.store), "remote_id": .string($0.remoteID)]) } ?? .null,
            "created_at": int(createdAt), "updated_at": int(updatedAt),
        ])
    }
}

extension Sale {
    /// The sale as a JSON object with its credit notes.
    public func json(creditNotes: [CreditNote]) -> JSONValue {
        .object([
            "id": int(id), "number": .string(number), "order_id": int(orderID), "contact_id": optional(contactID), "date": int(date),
            "currency": .string(currency), "subtotal": money(subtotal), "tax_total": money(taxTotal), "total": money(total),
            "created_at": int(createdAt), "credit_notes": .array(creditNotes.map(\.json)),
        ])
    }
}

extension CreditNote {
    /// The credit note as a JSON object.
    public var json: JSONValue {
        .object([
            "id": int(id), "number": .string(number), "sale_id": int(saleID), "date": int(date), "amount": money(amount),
            "restock": .bool(restock), "reason": optional(reason),
            "lines": .array(lines.map { .object(["product_id": int($0.productID), "quantity": int($0.quantity)]) }),
            "created_at": int(createdAt),
        ])
    }
}
