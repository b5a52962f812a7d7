import SprocketTestSupport
import Testing

/// Drives the emulator with hvac, the common Python client for Vault, so the emulator's wire format is checked by a
/// client that was written against the real Vault. hvac must be installed (`python3 -m pip install hvac`, or
/// `SPROCKET_TEST_PYTHON` pointing at an interpreter that has it): when it is missing the test fails and says so.
@Suite("Vault emulator and real OpenBao cross-checked with hvac")
struct VaultHvacCrossCheckTests {
    @Test("hvac inits, unseals, mounts kv-v2, writes and reads secrets, and creates a policy and a scoped token (emulator)")
    func hvacDrivesTheEmulator() async throws { try await drive(.emulator) }

    @Test("hvac inits, unseals, mounts kv-v2, writes and reads secrets, and creates a policy and a scoped token (real OpenBao)")
    func hvacDrivesOpenBao() async throws { try await drive(.openBao) }

    /// The same script against a fresh server of `backend`: hvac was written against the real server, so where it
    /// passes on OpenBao and fails on the emulator, the emulator is wrong.
    private func drive(_ backend: VaultTestBackend) async throws {
        let server = try await backend.start()
        do {
            let outcome = try await HvacScript.run(Self.script, environment: ["VAULT_ADDR": server.address])
            #expect(outcome.succeeded, "hvac script failed against the \(backend):\n\(outcome.output)")
            #expect(outcome.output.contains("hvac cross-check passed"))
            await server.shutdown()
        } catch {
            await server.shutdown()
            throw error
        }
    }

    static let script = #"""
        import os
        import time
        import hvac
        from hvac import exceptions

        addr = os.environ["VAULT_ADDR"]
        client = hvac.Client(url=addr)

        assert client.sys.is_initialized() is False, "fresh emulator says initialized"
        result = client.sys.initialize(secret_shares=5, secret_threshold=3)
        keys, root = result["keys"], result["root_token"]
        assert len(keys) == 5 and len(result["keys_base64"]) == 5, result.keys()
        assert client.sys.is_initialized() and client.sys.is_sealed()
        try:
            client.sys.initialize(secret_shares=5, secret_threshold=3)
            raise AssertionError("second init accepted")
        except exceptions.InvalidRequest as error:
            assert "Vault is already initialized" in str(error), str(error)

        status = client.sys.submit_unseal_keys(keys[:2])
        assert status["sealed"] and status["progress"] == 2 and status["t"] == 3, status
        assert client.sys.submit_unseal_key(reset=True)["progress"] == 0
        status = client.sys.submit_unseal_keys(keys[2:5])
        assert status["sealed"] is False, status
        # OpenBao is standby (429) for about a second after the unseal while raft elects it.
        for _ in range(300):
            if client.sys.read_health_status(method="HEAD").status_code == 200:
                break
            time.sleep(0.1)
        assert client.sys.read_health_status(method="HEAD").status_code == 200
        health = client.sys.read_health_status(method="GET")
        assert health["initialized"] and not health["sealed"], health

        client.token = root
        assert client.is_authenticated()
        client.sys.enable_secrets_engine(backend_type="kv", path="platform", options={"version": "2"})
        assert "platform/" in client.sys.list_mounted_secrets_engines()["data"]
        kv = client.secrets.kv.v2
        # A fresh kv-v2 mount answers 400 "Upgrading from non-versioned to versioned data" for a moment on OpenBao.
        for _ in range(300):
            try:
                kv.read_configuration(mount_point="platform")
                break
            except exceptions.InvalidRequest as error:
                assert "Upgrading from non-versioned" in str(error), str(error)
                time.sleep(0.1)
        kv.create_or_update_secret(path="prod/db", secret={"password": "pw1"}, mount_point="platform")
        kv.create_or_update_secret(path="prod/db", secret={"password": "pw2"}, cas=1, mount_point="platform")
        try:
            kv.create_or_update_secret(path="prod/db", secret={"password": "x"}, cas=1, mount_point="platform")
            raise AssertionError("cas mismatch accepted")
        except exceptions.InvalidRequest as error:
            assert "check-and-set parameter did not match the current version" in str(error), str(error)
        read = kv.read_secret_version(path="prod/db", mount_point="platform", raise_on_deleted_version=True)
        assert read["data"]["data"] == {"password": "pw2"} and read["data"]["metadata"]["version"] == 2, read
        assert kv.list_secrets(path="prod", mount_point="platform")["data"]["keys"] == ["db"]
        metadata = kv.read_secret_metadata(path="prod/db", mount_point="platform")["data"]
        assert metadata["current_version"] == 2 and set(metadata["versions"]) == {"1", "2"}, metadata

        kv.delete_latest_version_of_secret(path="prod/db", mount_point="platform")
        deleted = kv.read_secret_version(path="prod/db", mount_point="platform", raise_on_deleted_version=False)
        assert deleted["data"]["data"] is None and deleted["data"]["metadata"]["deletion_time"] != "", deleted
        kv.undelete_secret_versions(path="prod/db", versions=[2], mount_point="platform")

        client.sys.create_or_update_acl_policy(
            name="platform-read",
            policy='path "platform/data/*" { capabilities = ["read"] }\npath "platform/metadata/*" { capabilities = ["list"] }')
        assert "platform-read" in client.sys.list_acl_policies()["data"]["keys"]
        assert "platform/data/*" in client.sys.read_acl_policy("platform-read")["data"]["policy"]
        client.sys.create_or_update_policy(name="legacy", policy='path "x/*" { capabilities = ["read"] }')
        assert "legacy" in client.sys.list_policies()["data"]["policies"]

        created = client.auth.token.create(policies=["platform-read"], ttl="1h", renewable=True)
        token = created["auth"]["client_token"]
        assert token.startswith("s.") and created["auth"]["lease_duration"] == 3600, created["auth"]
        scoped = hvac.Client(url=addr, token=token)
        assert scoped.secrets.kv.v2.read_secret_version(
            path="prod/db", mount_point="platform", raise_on_deleted_version=True)["data"]["data"]["password"] == "pw2"
        try:
            scoped.secrets.kv.v2.create_or_update_secret(path="prod/db", secret={"a": "b"}, mount_point="platform")
            raise AssertionError("a read-only token wrote")
        except exceptions.Forbidden:
            pass
        me = scoped.auth.token.lookup_self()["data"]
        assert me["policies"] == ["default", "platform-read"] and 0 < me["ttl"] <= 3600, me
        assert scoped.auth.token.renew_self(increment="30m")["auth"]["lease_duration"] == 1800
        scoped.auth.token.revoke_self()
        try:
            scoped.auth.token.lookup_self()
            raise AssertionError("revoked token still works")
        except exceptions.Forbidden:
            pass

        client.sys.seal()
        assert client.sys.is_sealed()
        try:
            kv.read_secret_version(path="prod/db", mount_point="platform", raise_on_deleted_version=True)
            raise AssertionError("read from a sealed Vault")
        except exceptions.VaultDown:
            pass
        print("hvac cross-check passed")
        """#
}
