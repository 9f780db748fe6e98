import SyncCore
import Testing

@Suite struct FieldValuesTests {
    @Test func keysAreDeclaredInNameOrderAndRoundTripTheirNames() {
        // The engine's shadows, push keys and `applying` order fields by name; FieldValues orders them
        // by key. Both must agree, or push keys computed before the change would differ after it.
        let names = FieldKey.allCases.map(\.name)
        #expect(names == names.sorted())
        #expect(Set(names).count == FieldKey.allCases.count)
        for key in FieldKey.allCases { #expect(FieldKey(name: key.name) == key) }
        #expect(FieldKey.firstName.name == "first_name")
        #expect(FieldKey.compareAtPrice.name == "compare_at_price")
        #expect(FieldKey.shippingAddress.name == "shipping_address")
        #expect(FieldKey(name: "nickname") == nil)
    }

    @Test func absentIsNotNull() {
        var f: FieldValues = [.email: .string("ana@example.mx"), .note: .null]
        #expect(f.count == 2)
        #expect(f[.note] == .null)
        #expect(f[.phone] == nil)
        f[.note] = nil
        #expect(f.count == 1 && f[.note] == nil)
        f[.phone] = nil  // removing an absent field changes nothing
        #expect(f.count == 1)
    }

    @Test func iteratesInKeyOrder() {
        let f: FieldValues = [.taxable: .bool(true), .active: .bool(false), .name: .string("Polo")]
        #expect(f.keys == [.active, .name, .taxable])
        #expect(f.map(\.value) == [.bool(false), .string("Polo"), .bool(true)])
    }

    @Test func equalityIgnoresHowTheValuesWereSet() {
        var built = FieldValues()
        built[.sku] = .string("S-1")
        built[.price] = .null
        built[.name] = .string("x")
        built[.name] = nil
        let literal: FieldValues = [.price: .null, .sku: .string("S-1")]
        #expect(built == literal)
        #expect(built.hashValue == literal.hashValue)
        #expect(FieldValues() == [:] as FieldValues)
        #expect(literal != [.sku: .string("S-1")])
        #expect(literal != [.price: .string("1"), .sku: .string("S-1")])
    }

    @Test func filteringRestrictingAndMerging() {
        let f: FieldValues = [.email: .string("a@b.mx"), .firstName: .string("Ana"), .archived: .bool(false)]
        #expect(f.restricted(to: [.firstName, .phone]) == [.firstName: .string("Ana")])
        #expect(f.filter { $0.key != .archived } == [.email: .string("a@b.mx"), .firstName: .string("Ana")])
        let merged = f.merging([.firstName: .string("Ana Luisa"), .phone: .null])
        #expect(merged == [.email: .string("a@b.mx"), .firstName: .string("Ana Luisa"), .archived: .bool(false), .phone: .null])
    }

    @Test func namedFormRoundTripsAndRefusesUnknownNames() throws {
        let f: FieldValues = [.lastName: .string("López"), .compareAtPrice: .null]
        #expect(f.named == ["last_name": .string("López"), "compare_at_price": .null])
        #expect(try FieldValues(named: f.named) == f)
        let error = #expect(throws: ValueDecodingError.self) { try FieldValues(named: ["nickname": .string("x")]) }
        #expect(error?.message.contains("\"nickname\" is no canonical field") == true)
    }

    @Test func registersOfAnEntityWithoutItsTombstone() throws {
        let replica = ReplicaID(bytes: [UInt8](repeating: 7, count: 16))!
        var map = LWWMap()
        map.set(FieldKey.email.name, .string("a@b.mx"), stamp: Stamp(hlc: HLC(milliseconds: 1, counter: 0), replica: replica))
        map.delete(stamp: Stamp(hlc: HLC(milliseconds: 2, counter: 0), replica: replica))
        #expect(try FieldValues(registers: map) == [.email: .string("a@b.mx")])
        map.set("stock", .integer(3), stamp: Stamp(hlc: HLC(milliseconds: 3, counter: 0), replica: replica))
        #expect(throws: ValueDecodingError.self) { try FieldValues(registers: map) }
    }
}
