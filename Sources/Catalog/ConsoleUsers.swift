/// A console user: a name and a slow salted password hash (the `ConsolePassword` format of `SluiceServer`, never the
/// password itself).
public struct ConsoleUser: Sendable, Hashable {
    public let name: String
    public let passwordHash: String
    public let createdAtMilliseconds: Int64

    public init(name: String, passwordHash: String, createdAtMilliseconds: Int64) {
        self.name = name
        self.passwordHash = passwordHash
        self.createdAtMilliseconds = createdAtMilliseconds
    }
}

extension ConsoleUser {
    /// User names: 1-64 of `A-Z a-z 0-9 - _ . @`, not starting with `.` or `-`.
    public static func validateName(_ name: String) throws(CatalogError) {
        let ok =
            !name.isEmpty && name.utf8.count <= 64 && !name.hasPrefix(".") && !name.hasPrefix("-")
            && name.utf8.allSatisfy {
                Identifiers.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                    || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "@")
            }
        guard ok else {
            throw CatalogError(
                .invalidName, "user name '\(name.prefix(80))' is not valid: use 1-64 letters, digits, '-', '_', '.' or '@'")
        }
    }
}

/// The console's users (`sluice console users add|list|remove`), shared by every node of a cluster.
public protocol ConsoleUserStore: Sendable {
    /// Stores a new user; `.duplicate` when the name is taken, `.invalidName` for a name outside `ConsoleUser.validateName`.
    func addConsoleUser(_ user: ConsoleUser) async throws(CatalogError)
    /// Every user, by name.
    func consoleUsers() async throws(CatalogError) -> [ConsoleUser]
    /// The user with this name, or nil.
    func consoleUser(name: String) async throws(CatalogError) -> ConsoleUser?
    /// Removes a user; `.notFound` when there is none.
    func removeConsoleUser(name: String) async throws(CatalogError)
}
