import SyncCore

/// Realistic Mexican-market sample data, generated deterministically from the emulator's seed.
extension ShopifyEmulator {
    /// Adds `customers` customers, `products` products (1–3 variants each, with SKUs and stock)
    /// and `orders` orders cycling through every state (pending, authorized, paid, fulfilled,
    /// partially refunded, refunded, cancelled, closed; some guests). The same seed and clock give
    /// byte-identical data. Fires the same webhooks the admin would.
    public func seed(customers: Int, products: Int, orders: Int) {
        seedData(customers: customers, products: products, orders: orders)
    }

    private func seedData(customers customerCount: Int, products productCount: Int, orders orderCount: Int) {
        _ = try? perform { shop in
            var rng = shop.seedRandom
            defer { shop.seedRandom = rng }
            func pick<T>(_ list: [T]) -> T { list[Int.random(in: 0..<list.count, using: &rng)] }
            var customerIDs: [Int] = []
            for i in 0..<customerCount {
                let first = pick(ShopifySeedData.firstNames), last = pick(ShopifySeedData.lastNames), second = pick(ShopifySeedData.lastNames)
                let email = "\(ShopifySeedData.ascii(first)).\(ShopifySeedData.ascii(last))\(i + 1)@\(pick(ShopifySeedData.domains))".lowercased()
                let area = pick(["55", "33", "81", "222", "442", "999"])
                let local = area.count == 2 ? Int.random(in: 10_000_000...99_999_999, using: &rng) : Int.random(in: 1_000_000...9_999_999, using: &rng)
                let phone = "+52\(area)\(local)"
                let city = pick(ShopifySeedData.cities)
                let address: JSONValue = [
                    "first_name": .string(first), "last_name": .string("\(last) \(second)"),
                    "address1": .string("\(pick(ShopifySeedData.streets)) \(Int.random(in: 1...999, using: &rng))"),
                    "address2": .string("Col. \(pick(ShopifySeedData.colonias))"), "city": .string(city.0), "province": .string(city.1),
                    "province_code": .string(city.2), "zip": .string(city.3), "country": "Mexico", "country_code": "MX",
                    "phone": .string(phone),
                ]
                let fields: [String: JSONValue] = [
                    "first_name": .string(first), "last_name": .string("\(last) \(second)"), "email": .string(email),
                    "phone": .string(phone), "verified_email": true, "tags": .string(i % 4 == 0 ? "mayoreo" : ""),
                    "addresses": [address],
                ]
                if let id = (try? shop.createCustomer(fields))?["id"]?.int { customerIDs.append(id) }
            }
            var variantIDs: [Int] = []
            for i in 0..<productCount {
                let base = ShopifySeedData.products[i % ShopifySeedData.products.count]
                let title = i < ShopifySeedData.products.count ? base.0 : "\(base.0) \(i / ShopifySeedData.products.count + 1)"
                let sizes = base.2
                let count = min(sizes.count, Int.random(in: 1...3, using: &rng))
                let basePrice = Int.random(in: 49...899, using: &rng)
                let variants: [JSONValue] = (0..<count).map { v in
                    let cents = [0, 50, 90][Int.random(in: 0..<3, using: &rng)]
                    let price = ExactDecimal(basePrice + v * 60) + (ExactDecimal(cents).divided(by: ExactDecimal(100), scale: 2) ?? .zero)
                    return [
                        "option1": .string(count == 1 ? "Default Title" : sizes[v]),
                        "sku": .string("\(base.1)-\(ShopifySeedData.pad3(i + 1))-\(v + 1)"),
                        "price": .string(price.formatted(scale: 2)),
                        "barcode": .string("750\(String(Int.random(in: 1_000_000_000...9_999_999_999, using: &rng)))"),
                        "taxable": .bool(base.3),
                        "inventory_management": "shopify",
                        "inventory_quantity": .integer(Int.random(in: 5...120, using: &rng)),
                        "grams": .integer(Int.random(in: 100...2_000, using: &rng)),
                    ]
                }
                let status = i % 9 == 8 ? "draft" : (i % 11 == 10 ? "archived" : "active")
                let fields: [String: JSONValue] = [
                    "title": .string(title), "vendor": .string(base.4), "product_type": .string(base.5), "status": .string(status),
                    "body_html": .string("<p>\(title) — producto mexicano de calidad.</p>"), "variants": .array(variants),
                ]
                if let p = try? shop.createProduct(fields), status == "active" {
                    variantIDs += p["variants"]?.array?.compactMap { $0["id"]?.int } ?? []
                }
            }
            guard !variantIDs.isEmpty else { return }
            let states = ["paid", "pending", "fulfilled", "partially_refunded", "refunded", "cancelled", "authorized", "closed", "guest", "voided"]
            for i in 0..<orderCount {
                let kind = states[i % states.count]
                let lineCount = Int.random(in: 1...3, using: &rng)
                var lines: [JSONValue] = []
                var used: Set<Int> = []
                for _ in 0..<lineCount {
                    let vid = pick(variantIDs)
                    if used.insert(vid).inserted { lines.append(["variant_id": .integer(vid), "quantity": .integer(Int.random(in: 1...3, using: &rng))]) }
                }
                var input: [String: JSONValue] = [
                    "line_items": .array(lines),
                    "financial_status": .string(["pending", "voided"].contains(kind) ? "pending" : (kind == "authorized" ? "authorized" : "paid")),
                ]
                if kind != "guest", !customerIDs.isEmpty {
                    let cid = pick(customerIDs)
                    input["customer"] = ["id": .integer(cid)]
                    if let address = shop.customers[cid]?.addresses.first { input["shipping_address"] = .object(address) }
                }
                if Int.random(in: 0..<3, using: &rng) == 0 {
                    input["shipping_lines"] = [["title": "Envío estándar", "price": "99.00"]]
                }
                guard let order = try? shop.createOrder(input, sourceName: "web"), let oid = order["id"]?.int else { continue }
                switch kind {
                case "fulfilled": _ = try? shop.fulfillOrder(oid, [:])
                case "partially_refunded":
                    if let line = shop.orders[oid]?.lineItems.first {
                        let amount = line.price
                        _ = try? shop.refundOrder(oid, [
                            "refund_line_items": [["line_item_id": .integer(line.id), "quantity": 1, "restock_type": "return"]],
                            "transactions": [["kind": "refund", "amount": .string(amount.formatted(scale: 2))]],
                        ])
                    }
                case "refunded":
                    if let total = shop.orders[oid]?.totalPrice {
                        _ = try? shop.refundOrder(oid, ["transactions": [["kind": "refund", "amount": .string(total.formatted(scale: 2))]], "note": "Devolución total"])
                    }
                case "cancelled": _ = try? shop.cancelOrder(oid, ["reason": "customer", "restock": true])
                case "voided": _ = try? shop.cancelOrder(oid, ["reason": "declined", "restock": true])
                case "closed":
                    _ = try? shop.fulfillOrder(oid, [:])
                    _ = try? shop.closeOrder(oid, open: false)
                default: break
                }
            }
        }
    }
}

/// Word lists for seeded data.
enum ShopifySeedData {
    /// Zero-padded to three digits.
    static func pad3(_ value: Int) -> String {
        let s = String(value)
        return s.count >= 3 ? s : String(repeating: "0", count: 3 - s.count) + s
    }

    static let firstNames = ["José", "María", "Juan", "Guadalupe", "Luis", "Fernanda", "Carlos", "Sofía", "Miguel", "Valeria",
                             "Alejandro", "Ximena", "Jorge", "Daniela", "Ricardo", "Paola", "Eduardo", "Mariana", "Francisco", "Andrea"]
    static let lastNames = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez", "Cruz",
                            "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", "Torres", "Díaz", "Gutiérrez", "Ruiz"]
    static let domains = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com.mx", "prodigy.net.mx"]
    static let streets = ["Av. Insurgentes Sur", "Calle Madero", "Av. Juárez", "Calle 5 de Mayo", "Av. Revolución", "Calle Hidalgo", "Av. Chapultepec"]
    static let colonias = ["Centro", "Roma Norte", "Condesa", "Del Valle", "Providencia", "San Pedro", "Polanco"]
    static let cities: [(String, String, String, String)] = [
        ("Ciudad de México", "Ciudad de México", "CMX", "06700"), ("Guadalajara", "Jalisco", "JAL", "44100"),
        ("Monterrey", "Nuevo León", "NL", "64000"), ("Puebla", "Puebla", "PUE", "72000"), ("Querétaro", "Querétaro", "QRO", "76000"),
        ("Mérida", "Yucatán", "YUC", "97000"), ("Oaxaca de Juárez", "Oaxaca", "OAX", "68000"),
    ]
    /// (title, SKU prefix, variant names, taxable, vendor, type)
    static let products: [(String, String, [String], Bool, String, String)] = [
        ("Café de Chiapas", "CAF", ["250 g", "500 g", "1 kg"], true, "Finca El Triunfo", "Café"),
        ("Mezcal Espadín", "MEZ", ["375 ml", "750 ml", "1 L"], true, "Destilería Oaxaqueña", "Bebidas"),
        ("Rebozo de Santa María", "REB", ["Azul", "Rojo", "Negro"], true, "Artesanas del Río", "Textiles"),
        ("Talavera Plato Hondo", "TAL", ["Chico", "Mediano", "Grande"], true, "Talavera Poblana", "Cerámica"),
        ("Chocolate de Metate", "CHO", ["Semiamargo", "Con canela", "Con chile"], true, "Cacao de Tabasco", "Alimentos"),
        ("Tortillas de Maíz Azul", "TOR", ["Paquete 1 kg", "Paquete 2 kg"], false, "Molino La Esperanza", "Alimentos"),
        ("Sombrero de Palma", "SOM", ["Chico", "Mediano", "Grande"], true, "Tejedores de Becal", "Accesorios"),
        ("Vainilla de Papantla", "VAI", ["5 vainas", "10 vainas", "25 vainas"], true, "Totonacapan", "Alimentos"),
        ("Huaraches de Piel", "HUA", ["24", "25", "26"], true, "Zapatería Sahuayo", "Calzado"),
        ("Miel de Abeja Melipona", "MIE", ["250 g", "500 g"], false, "Apiarios Mayas", "Alimentos"),
    ]

    /// Lower-case ASCII for e-mail local parts.
    static func ascii(_ s: String) -> String {
        s.folding(options: [.diacriticInsensitive], locale: nil).lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
