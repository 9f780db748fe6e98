internal import GraphQL

/// The read side of Shopify's GraphQL Admin API that the emulator serves, as a real schema.
///
/// Written in SDL with Shopify's own type and field names (checked against shopify.dev's Admin
/// GraphQL reference) so a query that works here reads like one that works against a shop. Every
/// field resolves through one resolver that asks the parent ``ShopifyGraphQLObject`` for the field,
/// which keeps the data side in plain Swift over the shop snapshot. Built once per process.
enum ShopifyGraphQLSchema {
    /// The executable schema (SDL plus the uniform resolver).
    static let schema: GraphQLSchema = {
        do {
            let schema = try buildSchema(source: sdl + mutationSDL)
            for case let type as GraphQLObjectType in schema.typeMap.values where !type.name.hasPrefix("__") {
                let fields = try type.fields()
                for field in fields.values { field.resolve = resolve }
                type.fields = { fields }
            }
            return schema
        } catch {
            preconditionFailure("the emulator's GraphQL schema does not build: \(error)")
        }
    }()

    /// Asks the parent object for the field; anything else (a missing parent) is `null`.
    @Sendable static func resolve(_ source: any Sendable, _ args: Map, _ context: any Sendable, _ info: GraphQLResolveInfo) async throws -> (any Sendable)? {
        do {
            if let mutations = source as? ShopifyGraphQLMutations {
                return try mutations.resolve(info.fieldName, args, idempotencyKey: idempotencyKey(info))
            }
            guard let object = source as? ShopifyGraphQLObject else { return nil }
            return try object.field(info.fieldName, args)
        } catch let error as ShopifyGraphQLError {
            throw GraphQLError(message: error.message, extensions: error.code.map { ["code": .string($0)] } ?? [:])
        }
    }

    /// The `key` of an `@idempotent(key:)` directive on the field, literal or variable.
    static func idempotencyKey(_ info: GraphQLResolveInfo) -> String? {
        for field in info.fieldASTs {
            for directive in field.directives where directive.name.value == "idempotent" {
                for argument in directive.arguments where argument.name.value == "key" {
                    switch argument.value {
                    case let s as StringValue: return s.value
                    case let v as Variable: return (info.variableValues[v.name.value] as? Map)?.string
                    default: return nil
                    }
                }
            }
        }
        return nil
    }

    static let sdl = """
    scalar DateTime
    scalar Decimal
    scalar Money
    scalar URL

    type QueryRoot {
      shop: Shop!
      currentAppInstallation: AppInstallation!
      locations(first: Int, after: String, query: String): LocationConnection!
      location(id: ID): Location
      customers(first: Int, after: String, query: String): CustomerConnection!
      customersCount(query: String): Count
      productsCount(query: String): Count
      customer(id: ID!): Customer
      products(first: Int, after: String, query: String): ProductConnection!
      product(id: ID!): Product
      productVariant(id: ID!): ProductVariant
      inventoryItem(id: ID!): InventoryItem
      orders(first: Int, after: String, query: String, reverse: Boolean): OrderConnection!
      order(id: ID!): Order
      webhookSubscriptions(first: Int, after: String, topics: [WebhookSubscriptionTopic!], uri: String): WebhookSubscriptionConnection!
      webhookSubscription(id: ID!): WebhookSubscription
      bulkOperation(id: ID!): BulkOperation
      currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
    }

    schema { query: QueryRoot mutation: Mutation }

    type PageInfo {
      hasNextPage: Boolean!
      hasPreviousPage: Boolean!
      startCursor: String
      endCursor: String
    }

    enum CurrencyCode { AED ARS AUD BRL CAD CHF CLP CNY COP CZK DKK EUR GBP HKD INR JPY KRW MXN NOK NZD PEN PLN SEK SGD USD }

    type Shop {
      id: ID!
      name: String!
      email: String!
      myshopifyDomain: String!
      currencyCode: CurrencyCode!
      enabledPresentmentCurrencies: [CurrencyCode!]!
      ianaTimezone: String!
      timezoneAbbreviation: String!
      taxesIncluded: Boolean!
      createdAt: DateTime!
    }

    type AccessScope { handle: String! description: String! }
    type AppInstallation { id: ID! accessScopes: [AccessScope!]! }

    type Location { id: ID! name: String! isActive: Boolean! isPrimary: Boolean! }
    type LocationEdge { cursor: String! node: Location! }
    type LocationConnection { edges: [LocationEdge!]! nodes: [Location!]! pageInfo: PageInfo! }

    type Metafield {
      id: ID!
      namespace: String!
      key: String!
      value: String!
      type: String!
      createdAt: DateTime!
      updatedAt: DateTime!
    }

    type MailingAddress {
      id: ID!
      firstName: String
      lastName: String
      name: String
      company: String
      address1: String
      address2: String
      city: String
      province: String
      provinceCode: String
      country: String
      "Shopify's type is the CountryCode enum; read as text it is the same two letters."
      countryCodeV2: String
      zip: String
      phone: String
    }

    enum CustomerState { DECLINED DISABLED ENABLED INVITED }

    type Customer {
      id: ID!
      firstName: String
      lastName: String
      displayName: String!
      email: String
      phone: String
      note: String
      tags: [String!]!
      state: CustomerState!
      taxExempt: Boolean!
      verifiedEmail: Boolean!
      createdAt: DateTime!
      updatedAt: DateTime!
      defaultAddress: MailingAddress
      addresses: [MailingAddress!]!
      metafield(namespace: String, key: String!): Metafield
    }
    type CustomerEdge { cursor: String! node: Customer! }
    type CustomerConnection { edges: [CustomerEdge!]! nodes: [Customer!]! pageInfo: PageInfo! }

    enum ProductStatus { ACTIVE ARCHIVED DRAFT }

    type Product {
      id: ID!
      title: String!
      handle: String!
      descriptionHtml: String!
      vendor: String!
      productType: String!
      status: ProductStatus!
      tags: [String!]!
      createdAt: DateTime!
      updatedAt: DateTime!
      publishedAt: DateTime
      variantsCount: Count
      variants(first: Int, after: String): ProductVariantConnection!
      metafield(namespace: String, key: String!): Metafield
    }
    type Count { count: Int! }
    type ProductEdge { cursor: String! node: Product! }
    type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }

    type ProductVariant {
      id: ID!
      title: String!
      displayName: String!
      sku: String
      price: Money!
      compareAtPrice: Money
      barcode: String
      taxable: Boolean!
      position: Int!
      createdAt: DateTime!
      updatedAt: DateTime!
      inventoryQuantity: Int
      product: Product!
      inventoryItem: InventoryItem!
    }
    type ProductVariantEdge { cursor: String! node: ProductVariant! }
    type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }

    type InventoryItem {
      id: ID!
      sku: String
      tracked: Boolean!
      variant: ProductVariant!
      inventoryLevel(locationId: ID!): InventoryLevel
    }
    type InventoryLevel {
      id: ID!
      location: Location!
      updatedAt: DateTime!
      quantities(names: [String!]!): [InventoryQuantity!]!
    }
    type InventoryQuantity { id: ID! name: String! quantity: Int! updatedAt: DateTime }

    type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
    type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }

    type TaxLine { title: String! rate: Float ratePercentage: Float priceSet: MoneyBag! }

    enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
    enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }
    enum OrderDisplayFulfillmentStatus { FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT REQUEST_DECLINED RESTOCKED SCHEDULED UNFULFILLED }

    type LineItem {
      id: ID!
      name: String!
      title: String!
      variantTitle: String
      vendor: String
      sku: String
      quantity: Int!
      currentQuantity: Int!
      refundableQuantity: Int!
      unfulfilledQuantity: Int!
      taxable: Boolean!
      requiresShipping: Boolean!
      originalUnitPriceSet: MoneyBag!
      originalTotalSet: MoneyBag!
      taxLines: [TaxLine!]!
      discountAllocations: [DiscountAllocation!]!
      variant: ProductVariant
      product: Product
    }
    type LineItemEdge { cursor: String! node: LineItem! }
    type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

    type ShippingLine { id: ID title: String! originalPriceSet: MoneyBag! taxLines: [TaxLine!]! }
    type ShippingLineEdge { cursor: String! node: ShippingLine! }
    type ShippingLineConnection { edges: [ShippingLineEdge!]! nodes: [ShippingLine!]! pageInfo: PageInfo! }

    type DiscountAllocation { allocatedAmountSet: MoneyBag! }

    enum RefundLineItemRestockType { CANCEL LEGACY_RESTOCK NO_RESTOCK RETURN }
    type RefundLineItem { id: ID lineItem: LineItem! quantity: Int! restockType: RefundLineItemRestockType! restocked: Boolean! subtotalSet: MoneyBag! totalTaxSet: MoneyBag! }
    type RefundLineItemEdge { cursor: String! node: RefundLineItem! }
    type RefundLineItemConnection { edges: [RefundLineItemEdge!]! nodes: [RefundLineItem!]! pageInfo: PageInfo! }

    enum OrderTransactionKind { AUTHORIZATION CAPTURE CHANGE EMV_AUTHORIZATION REFUND SALE SUGGESTED_REFUND VOID }
    enum OrderTransactionStatus { AWAITING_RESPONSE ERROR FAILURE PENDING SUCCESS UNKNOWN }
    type OrderTransaction { id: ID! kind: OrderTransactionKind! status: OrderTransactionStatus! amountSet: MoneyBag! createdAt: DateTime! }
    type OrderTransactionEdge { cursor: String! node: OrderTransaction! }
    type OrderTransactionConnection { edges: [OrderTransactionEdge!]! nodes: [OrderTransaction!]! pageInfo: PageInfo! }

    type Refund {
      id: ID!
      createdAt: DateTime
      note: String
      totalRefundedSet: MoneyBag!
      refundLineItems(first: Int, after: String): RefundLineItemConnection!
      transactions(first: Int, after: String): OrderTransactionConnection!
    }

    type Order {
      id: ID!
      name: String!
      email: String
      phone: String
      note: String
      tags: [String!]!
      createdAt: DateTime!
      updatedAt: DateTime!
      processedAt: DateTime!
      cancelledAt: DateTime
      cancelReason: OrderCancelReason
      closed: Boolean!
      closedAt: DateTime
      currencyCode: CurrencyCode!
      presentmentCurrencyCode: CurrencyCode!
      taxesIncluded: Boolean!
      displayFinancialStatus: OrderDisplayFinancialStatus
      displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
      subtotalPriceSet: MoneyBag
      totalPriceSet: MoneyBag!
      totalTaxSet: MoneyBag
      totalShippingPriceSet: MoneyBag!
      totalRefundedSet: MoneyBag!
      totalDiscountsSet: MoneyBag
      taxLines: [TaxLine!]!
      shippingLines(first: Int, after: String): ShippingLineConnection!
      refunds(first: Int): [Refund!]!
      lineItems(first: Int, after: String): LineItemConnection!
      shippingAddress: MailingAddress
      billingAddress: MailingAddress
      customer: Customer
      fulfillmentOrders(first: Int, after: String): FulfillmentOrderConnection!
    }
    enum FulfillmentOrderStatus { CANCELLED CLOSED INCOMPLETE IN_PROGRESS ON_HOLD OPEN SCHEDULED }
    type FulfillmentOrderLineItem { id: ID! totalQuantity: Int! remainingQuantity: Int! lineItem: LineItem! }
    type FulfillmentOrderLineItemEdge { cursor: String! node: FulfillmentOrderLineItem! }
    type FulfillmentOrderLineItemConnection { edges: [FulfillmentOrderLineItemEdge!]! nodes: [FulfillmentOrderLineItem!]! pageInfo: PageInfo! }
    type FulfillmentOrder {
      id: ID!
      status: FulfillmentOrderStatus!
      createdAt: DateTime!
      updatedAt: DateTime!
      lineItems(first: Int, after: String): FulfillmentOrderLineItemConnection!
    }
    type FulfillmentOrderEdge { cursor: String! node: FulfillmentOrder! }
    type FulfillmentOrderConnection { edges: [FulfillmentOrderEdge!]! nodes: [FulfillmentOrder!]! pageInfo: PageInfo! }
    type OrderEdge { cursor: String! node: Order! }
    type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }
    """
}
