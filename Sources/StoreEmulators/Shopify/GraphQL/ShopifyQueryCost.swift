internal import GraphQL

/// Shopify's calculated query cost, from the parsed query (requested) or the returned data (actual).
///
/// The rules of https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits : a scalar or
/// enum field costs 0, an object 1, a connection 2 plus `first` (or `last`) times the cost of one
/// node, and a mutation field 10. A connection's `edges`/`node` and `nodes` are one node (counted
/// once, the dearer of the two selections), `pageInfo` and cursors are free. The actual cost
/// counts the nodes that came back instead of `first`, so a short last page costs less.
struct ShopifyQueryCost {
    /// The single-query maximum: a query that asks for more is refused, whatever the bucket holds.
    static let singleQueryMaximum = 1_000

    let document: Document
    let operationName: String?
    let variables: [String: Map]

    private var fragments: [String: FragmentDefinition] {
        var out: [String: FragmentDefinition] = [:]
        for case let f as FragmentDefinition in document.definitions { out[f.name.value] = f }
        return out
    }

    private var operation: OperationDefinition? {
        let ops = document.definitions.compactMap { $0 as? OperationDefinition }
        return operationName.map { n in ops.first { $0.name?.value == n } } ?? ops.first
    }

    /// Whether the operation to run is a mutation.
    var isMutation: Bool { operation?.operation == .mutation }

    /// The names of the operation's root fields (fragments expanded).
    var rootFields: [String] {
        operation.map { fields($0.selectionSet).map(\.name.value) } ?? []
    }

    /// The cost before execution (`requestedQueryCost`).
    func requested(schema: GraphQLSchema) -> Int { total(schema: schema, data: nil) }

    /// The cost of what was returned (`actualQueryCost`).
    func actual(schema: GraphQLSchema, data: Map) -> Int { total(schema: schema, data: data) }

    private func total(schema: GraphQLSchema, data: Map?) -> Int {
        guard let op = operation else { return 0 }
        let isMutation = op.operation == .mutation
        guard let root = isMutation ? schema.mutationType : schema.queryType else { return 0 }
        var sum = 0
        for field in fields(op.selectionSet) {
            let child = cost(of: field, in: root, data: data.map { $0[key(field)] })
            sum += isMutation ? 10 + max(0, child - 1) : child
        }
        return sum
    }

    private func key(_ f: Field) -> String { f.alias?.value ?? f.name.value }

    /// The fields of a selection set with fragments expanded (the schema has no abstract types).
    private func fields(_ set: SelectionSet) -> [Field] {
        set.selections.flatMap { s -> [Field] in
            switch s {
            case let f as Field: return [f]
            case let spread as FragmentSpread: return fragments[spread.name.value].map { fields($0.selectionSet) } ?? []
            case let inline as InlineFragment: return fields(inline.selectionSet)
            default: return []
            }
        }
    }

    /// One field's cost; `data` is its returned value in actual mode, `nil` in requested mode.
    private func cost(of field: Field, in parent: GraphQLObjectType, data: Map??) -> Int {
        guard let def = try? parent.fields()[field.name.value], let object = getNamedType(type: def.type) as? GraphQLObjectType else { return 0 }
        if object.name.hasSuffix("Connection") { return connectionCost(field, object, data: data) }
        let children = field.selectionSet.map(fields) ?? []
        switch data {
        case .none:
            return 1 + children.reduce(0) { $0 + cost(of: $1, in: object, data: nil) }
        case .some(let value):
            let items = value?.array ?? [value ?? .null]
            let each = items.map { item in children.reduce(0) { $0 + cost(of: $1, in: object, data: .some(item[key($1)])) } }
            return 1 + (each.max() ?? 0)
        }
    }

    private func connectionCost(_ field: Field, _ connection: GraphQLObjectType, data: Map??) -> Int {
        let first = pageSize(field)
        var edgesCost = 0, nodesCost = 0
        for sub in field.selectionSet.map(fields) ?? [] {
            guard let def = try? connection.fields()[sub.name.value], let subType = getNamedType(type: def.type) as? GraphQLObjectType else { continue }
            let items: [Map]? = data.map { $0?[key(sub)].array ?? [] }
            if sub.name.value == "nodes" {
                nodesCost = max(nodesCost, nodeCost(sub, subType, first: first, items: items))
            } else if sub.name.value == "edges" {
                for nodeField in sub.selectionSet.map(fields) ?? [] where nodeField.name.value == "node" {
                    guard let nd = try? subType.fields()["node"], let nodeType = getNamedType(type: nd.type) as? GraphQLObjectType else { continue }
                    edgesCost = max(edgesCost, nodeCost(nodeField, nodeType, first: first, items: items?.map { $0[key(nodeField)] }))
                }
            }
        }
        return 2 + max(edgesCost, nodesCost)
    }

    /// `first` × one node in requested mode; the sum over returned nodes in actual mode.
    private func nodeCost(_ nodeField: Field, _ nodeType: GraphQLObjectType, first: Int, items: [Map]?) -> Int {
        let children = nodeField.selectionSet.map(fields) ?? []
        guard let items else {
            return first * (1 + children.reduce(0) { $0 + cost(of: $1, in: nodeType, data: nil) })
        }
        return items.reduce(0) { acc, item in acc + 1 + children.reduce(0) { $0 + cost(of: $1, in: nodeType, data: .some(item[key($1)])) } }
    }

    /// The connection's `first` (or `last`), literal or variable; 0 when absent (then refused).
    private func pageSize(_ field: Field) -> Int {
        for argument in field.arguments where argument.name.value == "first" || argument.name.value == "last" {
            switch argument.value {
            case let v as IntValue: return Int(v.value) ?? 0
            case let v as Variable: return variables[v.name.value]?.int ?? 0
            default: return 0
            }
        }
        return 0
    }
}
