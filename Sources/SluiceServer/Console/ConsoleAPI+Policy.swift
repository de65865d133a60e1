import Delivery
import Foundation
import Hummingbird

/// `POST /console/api/policy/generate` and `POST /console/api/policy/check`: the bucket policy form, through the same
/// `BucketPolicy` functions as `sluice policy print|check`. Findings come back as
/// `{"findings":[{"severity","message"}]}`; a policy that is not JSON, or a bad bucket or principal, is a 400 with the
/// reason.
extension ConsoleAPI {
    struct PolicyForm: Decodable {
        let bucket: String
        let principal: String?
        let sse: String?
        let policy: String?
        let enforceEncryption: Bool?
        let kms: Bool?
    }

    struct PolicyFindings: Encodable {
        struct Finding: Encodable { let severity, message: String }
        let findings: [Finding]
    }

    struct GeneratedPolicy: Encodable {
        let bucketPolicy: String
        let kmsKeyPolicy: String?
    }

    func registerPolicy(on group: RouterGroup<SluiceRequestContext>) {
        group.post("api/policy/generate") { request, context in
            let form = try await request.decode(as: PolicyForm.self, context: context)
            return try await DestinationsAPI.answer { () throws(DeliveryError) in
                let address = try BucketAddress.parse(form.bucket)
                let principal = form.principal ?? ""
                let kms = form.kms ?? false
                let policy = try BucketPolicy.bucketPolicy(
                    for: address, principal: principal, enforceEncryption: form.enforceEncryption ?? false, kms: kms)
                let key = kms ? try BucketPolicy.kmsKeyPolicy(principal: principal) : nil
                return try Self.encoded(GeneratedPolicy(bucketPolicy: policy, kmsKeyPolicy: key))
            }
        }
        group.post("api/policy/check") { request, context in
            let form = try await request.decode(as: PolicyForm.self, context: context)
            return try await DestinationsAPI.answer { () throws(DeliveryError) in
                let principal = form.principal.flatMap { $0.isEmpty ? nil : $0 }
                let findings = try BucketPolicy.check(
                    policy: form.policy ?? "", address: BucketAddress.parse(form.bucket), principal: principal,
                    encryption: DestinationSettings.encryption(form.sse ?? "aes256"))
                return try Self.encoded(
                    PolicyFindings(
                        findings: findings.map { .init(severity: $0.severity.rawValue, message: $0.message) }))
            }
        }
    }

    /// JSON text of `value`, as a `DeliveryError` when it cannot be encoded (it always can: plain strings).
    static func encoded<T: Encodable>(_ value: T) throws(DeliveryError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        } catch {
            throw DeliveryError(.invalidSettings, "could not encode the answer", underlying: error)
        }
    }
}
