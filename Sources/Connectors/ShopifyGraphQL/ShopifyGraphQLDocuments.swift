import SyncCore

/// The GraphQL documents OordenSync sends for reads, with page sizes chosen by their cost.
///
/// Shopify charges a query by its *requested* cost before it runs (objects 1, scalars 0, a connection
/// about `first` × its node) and refuses one over 1,000 points. A customer node costs 3 (itself, its
/// default address, our marker metafield): 100 a page is about 300 points. A product node with
/// `variantsPerProductPage` variants costs about 4 + 2 per variant, so a page of 20 products with 20
/// variants each stays under 900; a product with more variants reads the rest through its own
/// variant connection (``productVariants``), 250 at a time — every variant of a product with
/// 2,048, which REST cannot return past 100.
package enum ShopifyGraphQLDocuments {
    package static let customersPerPage = 100
    package static let productsPerPage = 20
    package static let variantsPerProductPage = 20
    package static let variantsPerPage = 250

    /// Our marker, on any node that has metafields.
    static let markerField = #"metafield(namespace: "oorden", key: "entity_id") { value }"#

    package static let customerFields = """
    id firstName lastName email phone note createdAt updatedAt
    defaultAddress { id firstName lastName company address1 address2 city province provinceCode zip countryCodeV2 phone }
    \(markerField)
    """

    package static let variantFields = """
    id title sku price compareAtPrice barcode taxable inventoryQuantity createdAt updatedAt inventoryItem { id tracked }
    """

    package static let productFields = """
    id title status createdAt updatedAt \(markerField)
    """

    /// `customers(first:after:query:)`, oldest id first.
    package static func customers(after cursor: String?, query: String?) -> GraphQLOperation {
        GraphQLOperation(name: "Customers", query: """
            query Customers($first: Int!, $after: String, $query: String) {
              customers(first: $first, after: $after, query: $query) {
                nodes { \(customerFields) }
                pageInfo { hasNextPage endCursor }
              }
            }
            """, variables: pageVariables(first: customersPerPage, after: cursor, query: query))
    }

    /// `customer(id:)`.
    package static func customer(id: String) -> GraphQLOperation {
        GraphQLOperation(name: "Customer", query: """
            query Customer($id: ID!) { customer(id: $id) { \(customerFields) } }
            """, variables: ["id": .string(ShopifyGlobalID.make("Customer", id))])
    }

    /// `products(first:after:query:)`, each with its first ``variantsPerProductPage`` variants.
    package static func products(after cursor: String?, query: String?) -> GraphQLOperation {
        GraphQLOperation(name: "Products", query: """
            query Products($first: Int!, $after: String, $query: String) {
              products(first: $first, after: $after, query: $query) {
                nodes {
                  \(productFields)
                  variants(first: \(variantsPerProductPage)) { nodes { \(variantFields) } pageInfo { hasNextPage endCursor } }
                }
                pageInfo { hasNextPage endCursor }
              }
            }
            """, variables: pageVariables(first: productsPerPage, after: cursor, query: query))
    }

    /// `product(id:)` with its first ``variantsPerPage`` variants.
    package static func product(id: String) -> GraphQLOperation {
        GraphQLOperation(name: "Product", query: """
            query Product($id: ID!) {
              product(id: $id) {
                \(productFields)
                variants(first: \(variantsPerPage)) { nodes { \(variantFields) } pageInfo { hasNextPage endCursor } }
              }
            }
            """, variables: ["id": .string(ShopifyGlobalID.make("Product", id))])
    }

    /// The variants of one product after `cursor`, ``variantsPerPage`` at a time.
    package static func productVariants(productID: String, after cursor: String) -> GraphQLOperation {
        GraphQLOperation(name: "ProductVariants", query: """
            query ProductVariants($id: ID!, $first: Int!, $after: String) {
              product(id: $id) {
                variants(first: $first, after: $after) { nodes { \(variantFields) } pageInfo { hasNextPage endCursor } }
              }
            }
            """, variables: ["id": .string(ShopifyGlobalID.make("Product", productID)), "first": .number(String(variantsPerPage)), "after": .string(cursor)])
    }

    /// The shop's settings and its primary location (`location` without an id).
    package static let shop = GraphQLOperation(name: "Shop", query: """
        query Shop {
          shop { name myshopifyDomain currencyCode taxesIncluded ianaTimezone }
          location { id }
        }
        """)

    /// `updated_at:>='…'` for records changed at or after `since` (store time, inclusive as REST's
    /// `updated_at_min`), nil for a complete read.
    package static func updatedSince(_ since: Int64?) -> String? {
        since.map { "updated_at:>='\(ISO8601Time.format($0, zulu: true))'" }
    }

    static func pageVariables(first: Int, after cursor: String?, query: String?) -> [String: JSONValue] {
        var variables: [String: JSONValue] = ["first": .number(String(first))]
        if let cursor { variables["after"] = .string(cursor) }
        if let query { variables["query"] = .string(query) }
        return variables
    }
}
