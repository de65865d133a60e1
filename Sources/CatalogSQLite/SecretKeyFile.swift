import Catalog

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded catalog's default secret key: `secret-key` beside the catalog file, 32 random bytes as base64,
/// created once with mode 0600. It keeps destination secrets out of the catalog file and its backups; for more,
/// keep the key elsewhere with `SLUICE_SECRET_KEY` or `SLUICE_SECRET_KEY_FILE`.
enum SecretKeyFile {
    static func path(besideCatalog catalog: String) -> String {
        guard let slash = catalog.lastIndex(of: "/") else { return "secret-key" }
        return String(catalog[...slash]) + "secret-key"
    }

    static func loadOrCreate(besideCatalog catalog: String) throws(CatalogError) -> SecretKey {
        let file = path(besideCatalog: catalog)
        if let text = try read(file) { return try SecretKey.parse(text, origin: file) }
        let (key, text) = SecretKey.generate()
        let fd = Glibc.open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 && errno == EEXIST, let text = try read(file) {
            return try SecretKey.parse(text, origin: file)  // another process created it first
        }
        guard fd >= 0 else { throw CatalogError(.storage, "cannot create \(file) (errno \(errno))") }
        defer { Glibc.close(fd) }
        let bytes = Array((text + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            unlink(file)
            throw CatalogError(.storage, "cannot write \(file) (errno \(errno))")
        }
        return key
    }

    /// The file's text, or nil when it does not exist.
    static func read(_ file: String) throws(CatalogError) -> String? {
        let fd = Glibc.open(file, O_RDONLY | O_CLOEXEC)
        if fd < 0 && errno == ENOENT { return nil }
        guard fd >= 0 else { throw CatalogError(.storage, "cannot read \(file) (errno \(errno))") }
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw CatalogError(.storage, "cannot read \(file) (errno \(errno))") }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}
