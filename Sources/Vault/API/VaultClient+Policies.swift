import Foundation

extension VaultClient {
    /// The names of all ACL policies (including `default` and `root`). `GET /v1/sys/policies/acl?list=true`.
    public func listPolicies() async throws -> [String] {
        struct Keys: Decodable, Sendable { var keys: [String]? }
        let request = VaultRequest(method: "GET", path: "sys/policies/acl", query: [("list", "true")])
        return try await sendEnvelope(Keys.self, request).data?.keys ?? []
    }

    /// A policy's HCL text, or nil when there is no such policy. `GET /v1/sys/policies/acl/:name`.
    public func readPolicy(named name: String) async throws -> String? {
        struct Body: Decodable, Sendable { var policy: String }
        do {
            return try await sendEnvelope(Body.self, VaultRequest(method: "GET", path: "sys/policies/acl/\(name)"))
                .data?.policy
        } catch let error as VaultClientError where error.isNotFound {
            return nil
        }
    }

    /// Creates or replaces a policy. `PUT /v1/sys/policies/acl/:name`, 204.
    ///
    /// - Throws: ``VaultClientError/badRequest(method:path:messages:)`` when Vault cannot parse the HCL.
    public func writePolicy(named name: String, hcl: String) async throws {
        try await send(try VaultRequest.json("PUT", "sys/policies/acl/\(name)", body: ["policy": hcl]))
    }

    /// Creates or replaces a policy from a document (KV v2 paths derived for you).
    public func writePolicy(named name: String, document: VaultPolicyDocument) async throws {
        try await writePolicy(named: name, hcl: document.hcl)
    }

    /// Deletes a policy. `DELETE /v1/sys/policies/acl/:name`, 204 (also when it did not exist).
    public func deletePolicy(named name: String) async throws {
        try await send(VaultRequest(method: "DELETE", path: "sys/policies/acl/\(name)"))
    }
}
