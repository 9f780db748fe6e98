import ArgumentParser

/// `oorden-sync emulate shopify|woocommerce`: serve a store emulator on loopback.
struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract: "Serve a Shopify or WooCommerce store emulator on 127.0.0.1 and print its credentials.",
        subcommands: [EmulateShopifyCommand.self, EmulateWooCommerceCommand.self]
    )
}
