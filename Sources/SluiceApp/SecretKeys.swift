import Catalog
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the key that seals destination secrets comes from: `SLUICE_SECRET_KEY` (the key itself, base64 or hex),
/// else `SLUICE_SECRET_KEY_FILE` (a file holding it, readable by its owner only). Neither: nil, and the catalog
/// picks its default (`SQLiteCatalog`: `secret-key` beside the file; `PostgresCatalog`: no key).
enum SecretKeys {
    static func sealer(environment: [String: String]) throws(CatalogError) -> SecretSealer? {
        if let text = environment["SLUICE_SECRET_KEY"], !text.isEmpty {
            return SecretSealer(key: try SecretKey.parse(text, origin: "SLUICE_SECRET_KEY"))
        }
        guard let file = environment["SLUICE_SECRET_KEY_FILE"], !file.isEmpty else { return nil }
        var info = stat()
        guard stat(file, &info) == 0 else {
            throw CatalogError(.invalidConfiguration, "SLUICE_SECRET_KEY_FILE names \(file), which cannot be read")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw CatalogError(
                .invalidConfiguration, "the secret key file \(file) is readable by others; run `chmod 600 \(file)`")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CatalogError(.invalidConfiguration, "cannot read the secret key file \(file)")
        }
        return SecretSealer(key: try SecretKey.parse(String(decoding: data, as: UTF8.self), origin: file))
    }
}
