import Foundation
import SyncCore

extension WooCommerceSite {
    /// A shopper's checkout: builds the order, fires `order.created`, then moves it to its status.
    mutating func place(_ placement: WooCommerceOrderPlacement) throws -> Int {
        guard WooCommerceSite.orderStatuses.contains(placement.status) else {
            throw WooParams.invalid("status", "status is not one of \(Self.orderStatuses.joined(separator: ", ")).")
        }
        if placement.customerID != 0, customers[placement.customerID] == nil {
            throw WooCommerceEmulatorError(code: "woocommerce_rest_invalid_customer_id", message: "Customer ID is invalid.", status: 400)
        }
        var order = WooOrderRecord(id: 0, orderKey: "", status: "pending", currency: config.currency, created: now, modified: now,
                                   pricesIncludeTax: config.pricesIncludeTax, customerID: placement.customerID)
        if let c = customers[placement.customerID] {
            order.billing = c.billing
            order.shipping = c.shipping
            if order.billing["email"].isEmpty { order.billing["email"] = c.email }
        }
        for (k, v) in placement.billing where WooAddress.billingKeys.contains(k) { order.billing[k] = v }
        if order.shipping.values.isEmpty {
            for k in WooAddress.shippingKeys { order.shipping[k] = order.billing[k] }
        }
        order.paymentMethod = placement.paymentMethod
        order.paymentMethodTitle = ["bacs": "Transferencia bancaria directa", "cod": "Pago contra entrega", "stripe": "Tarjeta de crédito"][placement.paymentMethod] ?? placement.paymentMethod
        order.customerNote = placement.customerNote
        let lines = placement.lines.map { WooLineRequest(productID: $0.productID, variationID: $0.variationID, quantity: $0.quantity, total: nil, subtotal: nil) }
        try buildOrder(
            lines: lines, taxRateID: placement.taxRateID, pricesIncludeTax: order.pricesIncludeTax,
            country: order.billing["country"].isEmpty ? config.country : order.billing["country"],
            shipping: placement.shippingTotal.map { [(title: "Envío estándar", methodID: "flat_rate", total: $0)] } ?? [],
            fees: [], coupons: placement.couponDiscount.map { [(code: "descuento", discount: $0)] } ?? [], into: &order)
        order.id = takePostID()
        order.orderKey = newOrderKey()
        orders[order.id] = order
        fire("order", "created", id: order.id)
        if placement.status != "pending" { transition(order.id, to: placement.status) }
        return order.id
    }

    static let firstNames = ["María", "José", "Guadalupe", "Juan", "Lucía", "Carlos", "Sofía", "Alejandro", "Fernanda", "Javier",
                             "Valentina", "Miguel", "Camila", "Diego", "Ximena", "Pablo", "Carmen", "Antonio", "Elena", "Rodrigo",
                             "Itzel", "Andrés", "Paula", "Luis", "Regina", "Jorge", "Daniela", "Manuel", "Renata", "Héctor"]
    static let lastNames = ["García", "Hernández", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez", "Torres",
                            "Flores", "Rivera", "Gómez", "Díaz", "Fernández", "Ruiz", "Moreno", "Jiménez", "Álvarez", "Romero",
                            "Cruz", "Morales", "Ortiz", "Castillo", "Núñez", "Vázquez", "Mendoza", "Aguilar", "Navarro", "Domínguez"]
    static let domains = ["gmail.com", "hotmail.com", "outlook.es", "yahoo.com.mx", "prodigy.net.mx", "icloud.com"]
    static let mexicanCities: [(city: String, state: String, postcode: String, street: String)] = [
        ("Ciudad de México", "CMX", "06700", "Av. Álvaro Obregón"), ("Guadalajara", "JAL", "44160", "Av. Chapultepec"),
        ("Monterrey", "NL", "64000", "Calle Padre Mier"), ("Puebla", "PUE", "72000", "Calle 5 de Mayo"),
        ("Querétaro", "QRO", "76000", "Av. Zaragoza"), ("Mérida", "YUC", "97000", "Calle 60"),
        ("Oaxaca de Juárez", "OAX", "68000", "Calle Macedonio Alcalá"), ("Tijuana", "BC", "22000", "Av. Revolución"),
    ]
    static let spanishCities: [(city: String, state: String, postcode: String, street: String)] = [
        ("Madrid", "M", "28013", "Calle Mayor"), ("Barcelona", "B", "08002", "Carrer de Ferran"), ("Valencia", "V", "46002", "Calle de la Paz"),
        ("Sevilla", "SE", "41004", "Calle Sierpes"), ("Bilbao", "BI", "48005", "Calle Ercilla"), ("Zaragoza", "Z", "50001", "Calle Alfonso I"),
    ]
    static let simpleCatalog: [(name: String, sku: String, price: String)] = [
        ("Café de Chiapas 500 g", "CAF-CHI-500", "189.00"), ("Mole poblano 250 g", "MOL-POB-250", "95.50"),
        ("Taza de barro negro", "TAZ-BAR-NEG", "149.00"), ("Rebozo de algodón", "REB-ALG", "650.00"),
        ("Vainilla de Papantla 100 ml", "VAI-PAP-100", "120.00"), ("Chocolate de Oaxaca 500 g", "CHO-OAX-500", "135.00"),
        ("Jabón artesanal de miel", "JAB-MIE", "45.90"), ("Sombrero de palma", "SOM-PAL", "320.00"),
        ("Salsa macha 250 g", "SAL-MAC-250", "89.00"), ("Aceite de oliva virgen extra 1 l", "ACE-OLI-1L", "259.00"),
        ("Turrón de Jijona 300 g", "TUR-JIJ-300", "175.25"), ("Cuaderno de papel amate", "CUA-AMA", "210.00"),
    ]
    static let variableCatalog: [(name: String, sku: String, price: String, attribute: String, options: [String])] = [
        ("Playera bordada", "PLA-BOR", "299.00", "Talla", ["CH", "M", "G"]),
        ("Huaraches de piel", "HUA-PIE", "799.00", "Talla", ["24", "25", "26", "27"]),
        ("Sudadera Oorden", "SUD-OOR", "549.00", "Color", ["Rojo", "Azul", "Negro"]),
    ]

    static func ascii(_ s: String) -> String {
        s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased().filter { $0.isLetter || $0.isNumber }
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(dataRNG.next() % UInt64(items.count))] }

    mutating func seed(customers customerCount: Int, products productCount: Int, orders orderCount: Int) throws {
        let taxID: Int
        if let existing = taxes.values.first(where: { $0.name == "IVA" }) {
            taxID = existing.id
        } else {
            taxID = try createTax(WooParams(body: ["country": .string(config.country), "rate": "16.0000", "name": "IVA", "shipping": true]))
        }
        let cities = config.country == "ES" ? Self.spanishCities : Self.mexicanCities
        var customerIDs: [Int] = []
        for i in 0..<customerCount {
            let first = pick(Self.firstNames), last = pick(Self.lastNames), second = pick(Self.lastNames)
            let place = pick(cities)
            let email = "\(Self.ascii(first)).\(Self.ascii(last))\(i + 1)@\(pick(Self.domains))"
            let phone = config.country == "ES" ? "+34 6\(10_000_000 + Int(dataRNG.next() % 89_999_999))" : "+52 55 \(1000 + Int(dataRNG.next() % 8999)) \(1000 + Int(dataRNG.next() % 8999))"
            var address: [String: JSONValue] = [
                "first_name": .string(first), "last_name": .string("\(last) \(second)"), "company": "",
                "address_1": .string("\(place.street) \(1 + Int(dataRNG.next() % 400))"), "address_2": "",
                "city": .string(place.city), "state": .string(place.state), "postcode": .string(place.postcode), "country": .string(config.country),
            ]
            var billing = address
            billing["email"] = .string(email)
            billing["phone"] = .string(phone)
            address["company"] = ""
            let id = try createCustomer(WooParams(body: [
                "email": .string(email), "first_name": .string(first), "last_name": .string("\(last) \(second)"),
                "billing": .object(billing), "shipping": .object(address),
            ]))
            customerIDs.append(id)
        }
        var sellable: [(productID: Int, variationID: Int)] = []
        for i in 0..<productCount {
            let round = i / 4
            let suffix = round == 0 ? "" : "-\(round + 1)"
            if i % 4 == 3 {
                let item = Self.variableCatalog[(i / 4) % Self.variableCatalog.count]
                let pid = try createProduct(WooParams(body: [
                    "name": .string(item.name + (round == 0 ? "" : " \(round + 1)")), "type": "variable", "sku": .string(item.sku + suffix),
                    "attributes": [["name": .string(item.attribute), "options": .array(item.options.map { .string($0) }), "variation": true]],
                ]))
                for option in item.options {
                    let vid = try createVariation(parentID: pid, WooParams(body: [
                        "sku": .string("\(item.sku)\(suffix)-\(Self.ascii(option).uppercased())"), "regular_price": .string(item.price),
                        "manage_stock": true, "stock_quantity": .integer(5 + Int(dataRNG.next() % 40)),
                        "attributes": [["name": .string(item.attribute), "option": .string(option)]],
                    ]))
                    sellable.append((pid, vid))
                }
            } else {
                let item = Self.simpleCatalog[(i - i / 4) % Self.simpleCatalog.count]
                var body: [String: JSONValue] = [
                    "name": .string(item.name + (round == 0 ? "" : " (\(round + 1))")), "type": "simple", "sku": .string(item.sku + suffix),
                    "regular_price": .string(item.price), "manage_stock": true, "stock_quantity": .integer(10 + Int(dataRNG.next() % 90)),
                ]
                if i % 5 == 4 {
                    let price = ExactDecimal.parse(item.price) ?? .zero
                    body["sale_price"] = .string(((price * ExactDecimal.parse("0.9")!).rounded(scale: 2)).formatted(scale: 2))
                }
                if i % 7 == 6 { body["status"] = "draft" }
                let pid = try createProduct(WooParams(body: body))
                sellable.append((pid, 0))
            }
        }
        guard !sellable.isEmpty || orderCount == 0 else {
            throw WooCommerceEmulatorError(code: "woocommerce_emulator_no_products", message: "Seeding orders needs at least one product; pass products > 0.", status: 400)
        }
        let statuses = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"]
        for i in 0..<orderCount {
            let status = statuses[i % statuses.count]
            let guest = customerIDs.isEmpty || i % 3 == 2
            var lines: [WooCommerceOrderPlacement.Line] = []
            for _ in 0..<(1 + Int(dataRNG.next() % 3)) {
                let s = pick(sellable)
                if lines.contains(where: { $0.productID == s.productID && $0.variationID == s.variationID }) { continue }
                lines.append(.init(productID: s.productID, variationID: s.variationID, quantity: 1 + Int(dataRNG.next() % 3)))
            }
            var billing: [String: String] = [:]
            if guest {
                let first = pick(Self.firstNames), last = pick(Self.lastNames)
                let place = pick(cities)
                billing = ["first_name": first, "last_name": last, "email": "\(Self.ascii(first)).\(Self.ascii(last)).invitado\(i + 1)@\(pick(Self.domains))",
                           "address_1": "\(place.street) \(1 + Int(dataRNG.next() % 400))", "city": place.city, "state": place.state,
                           "postcode": place.postcode, "country": config.country, "phone": ""]
            }
            let placement = WooCommerceOrderPlacement(
                lines: lines, customerID: guest ? 0 : pick(customerIDs), billing: billing, taxRateID: taxID,
                status: status == "refunded" || status == "cancelled" ? "processing" : status,
                shippingTotal: i % 2 == 0 ? ExactDecimal.parse("99.00") : nil,
                paymentMethod: pick(["bacs", "cod", "stripe"]))
            let id = try place(placement)
            if status == "cancelled" { transition(id, to: "cancelled") }
            if status == "refunded", let order = orders[id] {
                _ = try createRefund(orderID: id, WooParams(body: ["amount": .string(orderTotal(order).formatted(scale: 2)), "reason": "Devolución del cliente", "api_restock": false]))
            }
        }
    }
}
