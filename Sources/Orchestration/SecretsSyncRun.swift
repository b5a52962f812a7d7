import Foundation
import SecretPipeline
import SprocketCore

extension RunEnvironment {
    /// `secrets sync`: under the stack environment's lease, as `up` holds it (every Vault write fenced by it), the
    /// manifest's secrets from their sources through Vault into the sealed store, which is shared again under the
    /// same lease when the state is on S3. Docker is never touched.
    public func syncSecrets(_ stack: StackSpec, command: String) async throws -> [SecretManifestSyncer.Report] {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        let sharing = try sealedStoreSharing(of: identity)
        return try await withRunLease(identity, command: command) { lease in
            vaultCalls.fenceWrites { operation in try await lease.check(before: operation) }
            return try await sharing.writing(lease: lease) {
                try await ManifestSync(settings: secretPipeline, lease: lease).run(stack, command: command)
            }
        }
    }
}
