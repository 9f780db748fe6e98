/// A postal address in canonical form, independent of the store's field names.
///
/// Empty strings from a store (WooCommerce sends `""` for every unset field) are read as `nil`, so a
/// Shopify address and a WooCommerce address holding the same data are `==`. ``json`` is the
/// canonical form stored in an LWW register (`"address"` field of a contact).
///
/// ```swift
/// let a = PostalAddress(line1: "969 Market", city: "San Francisco", region: "CA", postalCode: "94103", countryCode: "US")
/// a.json.jsonText  // {"city":"San Francisco","country_code":"US","line1":"969 Market","postal_code":"94103","region":"CA"}
/// ```
public struct PostalAddress: Sendable, Hashable {
    public var firstName: String?
    public var lastName: String?
    public var company: String?
    public var line1: String?
    public var line2: String?
    public var city: String?
    /// The state/province code when the store gives one (`KY`, `CA`), else its name.
    public var region: String?
    public var postalCode: String?
    /// ISO 3166-1 alpha-2 country code (`US`, `MX`).
    public var countryCode: String?
    public var phone: String?

    public init(
        firstName: String? = nil, lastName: String? = nil, company: String? = nil, line1: String? = nil,
        line2: String? = nil, city: String? = nil, region: String? = nil, postalCode: String? = nil,
        countryCode: String? = nil, phone: String? = nil
    ) {
        self.firstName = PostalAddress.clean(firstName)
        self.lastName = PostalAddress.clean(lastName)
        self.company = PostalAddress.clean(company)
        self.line1 = PostalAddress.clean(line1)
        self.line2 = PostalAddress.clean(line2)
        self.city = PostalAddress.clean(city)
        self.region = PostalAddress.clean(region)
        self.postalCode = PostalAddress.clean(postalCode)
        self.countryCode = PostalAddress.clean(countryCode)
        self.phone = PostalAddress.clean(phone)
    }

    /// `nil` for `nil`, empty or all-space text; otherwise the text unchanged.
    public static func clean(_ text: String?) -> String? {
        guard let text, !text.allSatisfy(\.isWhitespace) else { return nil }
        return text
    }

    /// Whether no field is set.
    public var isEmpty: Bool { self == PostalAddress() }

    /// The canonical JSON object (only set fields; keys `first_name`, `last_name`, `company`, `line1`,
    /// `line2`, `city`, `region`, `postal_code`, `country_code`, `phone`).
    public var json: JSONValue {
        var o: [String: JSONValue] = [:]
        for (key, value) in pairs { if let value { o[key] = .string(value) } }
        return .object(o)
    }

    /// Reads the canonical JSON object written by ``json``; unknown keys are ignored, non-string
    /// values are an error.
    public init(json: JSONValue) throws {
        guard case .object(let o) = json else {
            throw ValueDecodingError(message: "an address must be a JSON object, got \(json.typeName)")
        }
        func text(_ key: String) throws -> String? {
            switch o[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case let other?: throw ValueDecodingError(message: "address field \"\(key)\" must be a string, got \(other.typeName)")
            }
        }
        self.init(
            firstName: try text("first_name"), lastName: try text("last_name"), company: try text("company"),
            line1: try text("line1"), line2: try text("line2"), city: try text("city"), region: try text("region"),
            postalCode: try text("postal_code"), countryCode: try text("country_code"), phone: try text("phone"))
    }

    private var pairs: [(String, String?)] {
        [
            ("first_name", firstName), ("last_name", lastName), ("company", company), ("line1", line1),
            ("line2", line2), ("city", city), ("region", region), ("postal_code", postalCode),
            ("country_code", countryCode), ("phone", phone),
        ]
    }
}
