internal import GraphQL

/// The rules a bulk query must follow beyond being valid GraphQL, as `bulkOperationRunQuery`
/// states them: a query (not a mutation), at least one connection, at most five, nested at most
/// two deep, and every node that holds a nested connection selects its `id` (the children's
/// `__parentId` is that id).
struct ShopifyBulkQueryShape {
    static let maximumConnections = 5
    static let maximumDepth = 2

    let document: Document
    let schema: GraphQLSchema

    /// The message of the first rule `document` breaks, or `nil` when it may run in bulk.
    func problem() -> String? {
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        guard operations.count == 1, let operation = operations.first else {
            return "Bulk queries must contain exactly one operation."
        }
        guard operation.operation == .query, let root = schema.queryType else {
            return "Bulk queries must be query operations; run mutations with bulkOperationRunMutation."
        }
        var walk = Walk()
        visit(operation.selectionSet, in: root, depth: 0, &walk)
        if let problem = walk.problem { return problem }
        if walk.connections == 0 { return "Bulk queries must contain at least one connection." }
        if walk.connections > Self.maximumConnections {
            return "Bulk queries cannot contain more than \(Self.maximumConnections) connections (this one has \(walk.connections))."
        }
        if walk.deepest > Self.maximumDepth {
            return "Bulk queries cannot contain connections with a nesting depth greater than \(Self.maximumDepth)."
        }
        return nil
    }

    private struct Walk {
        var connections = 0
        var deepest = 0
        var problem: String?
    }

    private var fragments: [String: FragmentDefinition] {
        var out: [String: FragmentDefinition] = [:]
        for case let f as FragmentDefinition in document.definitions { out[f.name.value] = f }
        return out
    }

    /// The fields of a selection set with fragments expanded.
    private func fields(_ set: SelectionSet?) -> [Field] {
        (set?.selections ?? []).flatMap { s -> [Field] in
            switch s {
            case let f as Field: return [f]
            case let spread as FragmentSpread: return fragments[spread.name.value].map { fields($0.selectionSet) } ?? []
            case let inline as InlineFragment: return fields(inline.selectionSet)
            default: return []
            }
        }
    }

    private func objectType(of field: Field, in parent: GraphQLObjectType) -> GraphQLObjectType? {
        guard let def = try? parent.fields()[field.name.value] else { return nil }
        return getNamedType(type: def.type) as? GraphQLObjectType
    }

    private func visit(_ set: SelectionSet?, in type: GraphQLObjectType, depth: Int, _ walk: inout Walk) {
        for field in fields(set) {
            guard let object = objectType(of: field, in: type) else { continue }
            guard object.name.hasSuffix("Connection") else {
                visit(field.selectionSet, in: object, depth: depth, &walk)
                continue
            }
            walk.connections += 1
            walk.deepest = max(walk.deepest, depth + 1)
            for sub in fields(field.selectionSet) {
                if sub.name.value == "nodes", let node = objectType(of: sub, in: object) {
                    visitNode(sub, node, connection: field, depth: depth + 1, &walk)
                } else if sub.name.value == "edges", let edge = objectType(of: sub, in: object) {
                    for nodeField in fields(sub.selectionSet) where nodeField.name.value == "node" {
                        if let node = objectType(of: nodeField, in: edge) { visitNode(nodeField, node, connection: field, depth: depth + 1, &walk) }
                    }
                }
            }
        }
    }

    /// A connection's node: a nested connection under it needs the node's unaliased `id`.
    private func visitNode(_ nodeField: Field, _ node: GraphQLObjectType, connection: Field, depth: Int, _ walk: inout Walk) {
        let before = walk.connections
        visit(nodeField.selectionSet, in: node, depth: depth, &walk)
        let selectsID = fields(nodeField.selectionSet).contains { $0.name.value == "id" && $0.alias == nil }
        if walk.connections > before, !selectsID, walk.problem == nil {
            walk.problem = "The parent 'node' field for a nested connection must select the 'id' field without an alias (connection '\(connection.name.value)')."
        }
    }
}
