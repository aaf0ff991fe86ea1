extension HTTPHeaders {
    /// Adds `name` to the `Vary` field unless it is listed already (or `Vary: *` makes it moot),
    /// merging into one field so no field name is repeated (RFC 9110 §12.5.5).
    public mutating func addVary(_ name: String) {
        let listed = listValues(for: "Vary")
        if listed.contains(where: { $0 == "*" || $0.equalsIgnoringASCIICase(name) }) { return }
        set("Vary", (listed + [name]).joined(separator: ", "))
    }
}
