/// The mutations of the Admin API (2026-10) the emulator serves, in SDL.
///
/// Names, arguments, input and payload types are Shopify's (checked on shopify.dev); fields the
/// emulator has no state for are left out rather than answered with made-up values.
extension ShopifyGraphQLSchema {
    static let mutationSDL = """

    "Marks a mutation as idempotent: a retry with the same key returns the first answer."
    directive @idempotent(key: String!) on FIELD

    type Mutation {
      inventoryAdjustQuantities(input: InventoryAdjustQuantitiesInput!): InventoryAdjustQuantitiesPayload
      customerCreate(input: CustomerInput!): CustomerCreatePayload
      customerUpdate(input: CustomerInput!): CustomerUpdatePayload
      customerAddressCreate(customerId: ID!, address: MailingAddressInput!, setAsDefault: Boolean): CustomerAddressCreatePayload
      customerAddressUpdate(customerId: ID!, addressId: ID!, address: MailingAddressInput!, setAsDefault: Boolean): CustomerAddressUpdatePayload
      metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
      productCreate(product: ProductCreateInput!): ProductCreatePayload
      productUpdate(product: ProductUpdateInput!): ProductUpdatePayload
      productSet(input: ProductSetInput!, synchronous: Boolean = true): ProductSetPayload
      productVariantsBulkUpdate(productId: ID!, variants: [ProductVariantsBulkInput!]!, allowPartialUpdates: Boolean = false): ProductVariantsBulkUpdatePayload
      orderUpdate(input: OrderInput!): OrderUpdatePayload
      orderCancel(orderId: ID!, reason: OrderCancelReason!, refund: Boolean, refundMethod: OrderCancelRefundMethodInput, restock: Boolean!,
                  notifyCustomer: Boolean, staffNote: String): OrderCancelPayload
      fulfillmentCreate(fulfillment: FulfillmentInput!, message: String): FulfillmentCreatePayload
      webhookSubscriptionCreate(topic: WebhookSubscriptionTopic!, webhookSubscription: WebhookSubscriptionInput!): WebhookSubscriptionCreatePayload
      webhookSubscriptionUpdate(id: ID!, webhookSubscription: WebhookSubscriptionInput!): WebhookSubscriptionUpdatePayload
      webhookSubscriptionDelete(id: ID!): WebhookSubscriptionDeletePayload
      bulkOperationRunQuery(query: String!, groupObjects: Boolean! = false): BulkOperationRunQueryPayload
      bulkOperationCancel(id: ID!): BulkOperationCancelPayload
    }

    type UserError { field: [String!] message: String! }

    \(inventorySDL)
    \(customerSDL)
    \(countryCodeSDL)
    \(productSDL)
    \(orderSDL)
    \(webhookSDL)
    \(bulkSDL)
    """

    /// Bulk query operations (the emulator runs no bulk mutations).
    static let bulkSDL = """
    enum BulkOperationStatus { CANCELED CANCELING COMPLETED CREATED EXPIRED FAILED RUNNING }
    enum BulkOperationErrorCode { ACCESS_DENIED INTERNAL_SERVER_ERROR TIMEOUT }
    enum BulkOperationType { MUTATION QUERY }
    type BulkOperation {
      id: ID!
      status: BulkOperationStatus!
      errorCode: BulkOperationErrorCode
      createdAt: DateTime!
      completedAt: DateTime
      objectCount: UnsignedInt64!
      rootObjectCount: UnsignedInt64!
      fileSize: UnsignedInt64
      url: URL
      partialDataUrl: URL
      query: String!
      type: BulkOperationType!
    }
    enum BulkOperationUserErrorCode { INVALID LIMIT_REACHED OPERATION_IN_PROGRESS }
    type BulkOperationUserError { code: BulkOperationUserErrorCode field: [String!] message: String! }
    type BulkOperationRunQueryPayload { bulkOperation: BulkOperation userErrors: [BulkOperationUserError!]! }
    type BulkOperationCancelPayload { bulkOperation: BulkOperation userErrors: [UserError!]! }
    """

    /// Since 2025-04 the destination is `uri` (`callbackUrl` is deprecated and not served here).
    static let webhookSDL = """
    "The topics the emulator delivers (a subset of Shopify's)."
    enum WebhookSubscriptionTopic { \(ShopifyWebhookTopic.sdlValues) }
    scalar UnsignedInt64
    enum WebhookSubscriptionFormat { JSON XML }
    input WebhookSubscriptionInput { uri: String format: WebhookSubscriptionFormat includeFields: [String!] metafieldNamespaces: [String!] filter: String }
    type WebhookSubscription {
      id: ID!
      legacyResourceId: UnsignedInt64!
      topic: WebhookSubscriptionTopic!
      uri: String!
      format: WebhookSubscriptionFormat!
      createdAt: DateTime!
      updatedAt: DateTime!
    }
    type WebhookSubscriptionEdge { cursor: String! node: WebhookSubscription! }
    type WebhookSubscriptionConnection { edges: [WebhookSubscriptionEdge!]! nodes: [WebhookSubscription!]! pageInfo: PageInfo! }
    type WebhookSubscriptionCreatePayload { webhookSubscription: WebhookSubscription userErrors: [UserError!]! }
    type WebhookSubscriptionUpdatePayload { webhookSubscription: WebhookSubscription userErrors: [UserError!]! }
    type WebhookSubscriptionDeletePayload { deletedWebhookSubscriptionId: ID userErrors: [UserError!]! }
    """

    static let orderSDL = """
    input OrderInput { id: ID! email: String note: String tags: [String!] shippingAddress: MailingAddressInput }
    type OrderUpdatePayload { order: Order userErrors: [UserError!]! }

    input OrderCancelStoreCreditRefundInput { expiresAt: DateTime }
    input OrderCancelRefundMethodInput { originalPaymentMethodsRefund: Boolean storeCreditRefund: OrderCancelStoreCreditRefundInput }
    type Job { id: ID! done: Boolean! }
    enum OrderCancelUserErrorCode { INVALID NOT_FOUND NO_REFUND_PERMISSION }
    type OrderCancelUserError { code: OrderCancelUserErrorCode field: [String!] message: String! }
    type OrderCancelPayload { job: Job orderCancelUserErrors: [OrderCancelUserError!]! userErrors: [UserError!]! }

    input FulfillmentOrderLineItemInput { id: ID! quantity: Int! }
    input FulfillmentOrderLineItemsInput { fulfillmentOrderId: ID! fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!] }
    input FulfillmentTrackingInput { number: String url: URL company: String numbers: [String!] urls: [URL!] }
    input FulfillmentInput {
      lineItemsByFulfillmentOrder: [FulfillmentOrderLineItemsInput!]!
      notifyCustomer: Boolean = false
      trackingInfo: FulfillmentTrackingInput
    }
    enum FulfillmentStatus { CANCELLED ERROR FAILURE OPEN PENDING SUCCESS }
    type Fulfillment { id: ID! name: String! status: FulfillmentStatus! createdAt: DateTime! updatedAt: DateTime! }
    type FulfillmentCreatePayload { fulfillment: Fulfillment userErrors: [UserError!]! }
    """

    static let productSDL = """
    input ProductCreateInput {
      title: String
      handle: String
      descriptionHtml: String
      vendor: String
      productType: String
      status: ProductStatus
      tags: [String!]
      metafields: [MetafieldInput!]
    }
    input ProductUpdateInput {
      id: ID!
      title: String
      handle: String
      descriptionHtml: String
      vendor: String
      productType: String
      status: ProductStatus
      tags: [String!]
      metafields: [MetafieldInput!]
    }
    type ProductCreatePayload { product: Product userErrors: [UserError!]! }
    "productSet creates here (an input with an id is refused: updating through productSet is not emulated)."
    input OptionValueSetInput { name: String }
    input OptionSetInput { name: String values: [OptionValueSetInput!] }
    input ProductVariantSetInput {
      id: ID
      optionValues: [VariantOptionValueInput!]!
      price: Money
      compareAtPrice: Money
      barcode: String
      taxable: Boolean
      inventoryPolicy: ProductVariantInventoryPolicy
      inventoryItem: InventoryItemInput
    }
    input ProductSetInput {
      id: ID
      title: String
      handle: String
      descriptionHtml: String
      vendor: String
      productType: String
      status: ProductStatus
      tags: [String!]
      productOptions: [OptionSetInput!]
      variants: [ProductVariantSetInput!]
      metafields: [MetafieldInput!]
    }
    enum ProductSetUserErrorCode { INVALID_INPUT INVALID_VARIANT PRODUCT_DOES_NOT_EXIST GENERIC_ERROR }
    type ProductSetUserError { code: ProductSetUserErrorCode field: [String!] message: String! }
    type ProductSetPayload { product: Product userErrors: [ProductSetUserError!]! }
    type ProductUpdatePayload { product: Product userErrors: [UserError!]! }

    enum ProductVariantInventoryPolicy { CONTINUE DENY }
    input InventoryItemInput { sku: String tracked: Boolean requiresShipping: Boolean cost: Decimal }
    input VariantOptionValueInput { optionName: String name: String }
    input InventoryLevelInput { availableQuantity: Int! locationId: ID! }
    input ProductVariantsBulkInput {
      id: ID
      price: Money
      compareAtPrice: Money
      barcode: String
      taxable: Boolean
      inventoryPolicy: ProductVariantInventoryPolicy
      inventoryItem: InventoryItemInput
      optionValues: [VariantOptionValueInput!]
      inventoryQuantities: [InventoryLevelInput!]
    }
    enum ProductVariantsBulkUpdateUserErrorCode {
      BLANK CANNOT_SPECIFY_BOTH GREATER_THAN_OR_EQUAL_TO INVALID_INPUT INVALID_VALUE MUST_BE_FOR_THIS_PRODUCT MUST_SPECIFY_ONE_OF_PAIR
      NEGATIVE_PRICE_VALUE NO_INVENTORY_QUANTITES_DURING_UPDATE NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE OPTION_DOES_NOT_EXIST
      OPTION_VALUE_DOES_NOT_EXIST PRODUCT_DOES_NOT_EXIST PRODUCT_VARIANT_DOES_NOT_EXIST PRODUCT_VARIANT_ID_MISSING TOO_LONG TOO_SHORT
      VARIANT_ALREADY_EXISTS
    }
    type ProductVariantsBulkUpdateUserError { code: ProductVariantsBulkUpdateUserErrorCode field: [String!] message: String! }
    type ProductVariantsBulkUpdatePayload {
      product: Product
      productVariants: [ProductVariant!]
      userErrors: [ProductVariantsBulkUpdateUserError!]!
    }
    """

    static let customerSDL = """
    input MailingAddressInput {
      address1: String
      address2: String
      city: String
      company: String
      countryCode: CountryCode
      firstName: String
      lastName: String
      phone: String
      provinceCode: String
      zip: String
      "Deprecated at Shopify (2027-01 drops it); matches an existing customer address to keep its id."
      id: ID
      country: String
      province: String
    }
    input MetafieldInput { id: ID namespace: String key: String value: String type: String }
    input CustomerInput {
      id: ID
      email: String
      firstName: String
      lastName: String
      phone: String
      note: String
      tags: [String!]
      taxExempt: Boolean
      "Replaces the customer's addresses (an entry with the id of an existing address keeps that id); the first is the default."
      addresses: [MailingAddressInput!]
      metafields: [MetafieldInput!]
    }
    type CustomerCreatePayload { customer: Customer userErrors: [UserError!]! }
    type CustomerUpdatePayload { customer: Customer userErrors: [UserError!]! }
    type CustomerAddressCreatePayload { address: MailingAddress userErrors: [UserError!]! }
    type CustomerAddressUpdatePayload { address: MailingAddress userErrors: [UserError!]! }

    input MetafieldsSetInput { ownerId: ID! namespace: String key: String! value: String! type: String compareDigest: String }
    enum MetafieldsSetUserErrorCode {
      APP_NOT_AUTHORIZED BLANK CANNOT_DELETE_DUE_TO_OWNER CAPABILITY_VIOLATION DISALLOWED_OWNER_TYPE INCLUSION INTERNAL_ERROR INVALID
      INVALID_COMPARE_DIGEST INVALID_TYPE INVALID_VALUE LESS_THAN_OR_EQUAL_TO PRESENT STALE_OBJECT TAKEN TOO_LONG TOO_SHORT
    }
    type MetafieldsSetUserError { code: MetafieldsSetUserErrorCode elementIndex: Int field: [String!] message: String! }
    type MetafieldsSetPayload { metafields: [Metafield!] userErrors: [MetafieldsSetUserError!]! }
    """

    /// ISO 3166-1 alpha-2 codes plus Shopify's extras (AC, TA, XK, ZZ for unknown).
    static let countryCodeSDL = """
    enum CountryCode {
      AC AD AE AF AG AI AL AM AN AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
      CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
      GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
      KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT
      MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
      SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
      UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW ZZ
    }
    """

    static let inventorySDL = """
    input InventoryAdjustQuantitiesInput {
      name: String!
      reason: String!
      referenceDocumentUri: String
      changes: [InventoryChangeInput!]!
    }
    input InventoryChangeInput {
      delta: Int!
      inventoryItemId: ID!
      locationId: ID!
      ledgerDocumentUri: String
      changeFromQuantity: Int
    }
    enum InventoryAdjustQuantitiesUserErrorCode {
      ADJUST_QUANTITIES_FAILED CHANGE_FROM_QUANTITY_STALE IDEMPOTENCY_CONCURRENT_REQUEST IDEMPOTENCY_KEY_PARAMETER_MISMATCH
      INTERNAL_LEDGER_DOCUMENT INVALID_AVAILABLE_DOCUMENT INVALID_INVENTORY_ITEM INVALID_LEDGER_DOCUMENT INVALID_LOCATION
      INVALID_QUANTITY_DOCUMENT INVALID_QUANTITY_NAME INVALID_QUANTITY_TOO_HIGH INVALID_QUANTITY_TOO_LOW INVALID_REASON
      INVALID_REFERENCE_DOCUMENT ITEM_NOT_STOCKED_AT_LOCATION MAX_ONE_LEDGER_DOCUMENT NON_MUTABLE_INVENTORY_ITEM
    }
    type InventoryAdjustQuantitiesUserError { code: InventoryAdjustQuantitiesUserErrorCode field: [String!] message: String! }
    type InventoryChange {
      name: String!
      delta: Int!
      quantityAfterChange: Int
      ledgerDocumentUri: String
      item: InventoryItem
      location: Location
    }
    type InventoryAdjustmentGroup {
      id: ID!
      createdAt: DateTime!
      reason: String!
      referenceDocumentUri: String
      changes(inventoryItemIds: [ID!], locationIds: [ID!], quantityNames: [String!]): [InventoryChange!]!
    }
    type InventoryAdjustQuantitiesPayload {
      inventoryAdjustmentGroup: InventoryAdjustmentGroup
      userErrors: [InventoryAdjustQuantitiesUserError!]!
    }
    """
}
