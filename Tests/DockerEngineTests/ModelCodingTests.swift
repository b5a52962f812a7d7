import Foundation
import Testing

@testable import DockerEngine

@Suite("Model JSON coding")
struct ModelCodingTests {
    /// Parses JSON into Foundation objects so documents can be compared regardless of key order and spacing.
    static func object(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    @Test("a service inspect document survives decode and re-encode without losing modelled fields")
    func serviceRoundTrip() throws {
        let original = Data(ModelFixtures.serviceInspect.utf8)
        let service = try JSONDecoder().decode(Service.self, from: original)
        #expect(service.spec?.taskTemplate?.containerSpec?.mounts?.count == 3)
        #expect(service.spec?.updateConfig?.maxFailureRatio == 0.5)
        #expect(service.previousSpec?.mode == .global)
        #expect(service.version?.index == 19)

        let reencoded = Data(try DockerJSON.encode(service))
        #expect(try Self.object(reencoded) == Self.object(original))
        #expect(try JSONDecoder().decode(Service.self, from: reencoded) == service)
    }

    @Test("Global and GlobalJob modes encode as empty objects and round-trip")
    func emptyObjectModes() throws {
        for mode in [ServiceSpec.Mode.global, .globalJob] {
            let json = String(decoding: try DockerJSON.encode(ServiceSpec(name: "x", mode: mode)), as: UTF8.self)
            #expect(
                json
                    == (mode == .global
                        ? #"{"Mode":{"Global":{}},"Name":"x"}"# : #"{"Mode":{"GlobalJob":{}},"Name":"x"}"#))
            #expect(try JSONDecoder().decode(ServiceSpec.self, from: Data(json.utf8)).mode == mode)
        }
        let replicatedJob = try DockerJSON.encode(ServiceSpec.Mode.replicatedJob(maxConcurrent: 2, totalCompletions: 4))
        #expect(
            String(decoding: replicatedJob, as: UTF8.self)
                == #"{"ReplicatedJob":{"MaxConcurrent":2,"TotalCompletions":4}}"#)
    }

    @Test("nil fields are omitted, never sent as null")
    func nilFieldsOmitted() throws {
        let spec = ServiceSpec(
            name: "web",
            taskTemplate: TaskSpec(containerSpec: ContainerSpec(image: "busybox", env: ["A=1"])),
            mode: .replicated(1)
        )
        let json = String(decoding: try DockerJSON.encode(spec), as: UTF8.self)
        #expect(
            json
                == #"{"Mode":{"Replicated":{"Replicas":1}},"Name":"web","TaskTemplate":{"ContainerSpec":{"Env":["A=1"],"Image":"busybox"}}}"#
        )
        #expect(!json.contains("null"))
        #expect(String(decoding: try DockerJSON.encode(ServiceSpec()), as: UTF8.self) == "{}")
    }

    @Test("unknown fields are ignored when decoding")
    func toleratesUnknownFields() throws {
        let task = try JSONDecoder().decode(SwarmTask.self, from: Data(ModelFixtures.taskWithExtraFields.utf8))
        #expect(task.status?.state == "running")
        #expect(task.status?.containerStatus?.pid == 10208)
        #expect(task.spec?.containerSpec?.env == ["A=1"])

        let node = try JSONDecoder().decode(SwarmNode.self, from: Data(ModelFixtures.node.utf8))
        #expect(node.managerStatus?.leader == true)
        #expect(node.description?.engine?.engineVersion == "20.10.24+dfsg1")
        #expect(node.spec?.role == "manager")
    }

    @Test("config data is base64 and secret data is optional")
    func configAndSecretData() throws {
        let spec = SwarmConfig.Spec(name: "conf", content: Array("port = 6379\n".utf8))
        #expect(spec.data == "cG9ydCA9IDYzNzkK")
        #expect(spec.content == Array("port = 6379\n".utf8))
        let secret = try JSONDecoder().decode(
            SwarmSecret.self, from: Data(#"{"ID":"s1","Version":{"Index":3},"Spec":{"Name":"pw","Labels":{}}}"#.utf8)
        )
        #expect(secret.spec?.data == nil)
        #expect(secret.spec?.name == "pw")
    }

    @Test("network, volume, event and system documents decode with Docker's key spellings")
    func otherShapes() throws {
        let network = try JSONDecoder().decode(
            NetworkResource.self,
            from: Data(
                #"{"Name":"n","Id":"abc","Scope":"swarm","Driver":"overlay","Internal":false,"Attachable":true,"Ingress":false,"IPAM":{"Driver":"default","Config":[{"Subnet":"10.0.1.0/24","Gateway":"10.0.1.1"}]},"Labels":{"a":"b"},"Options":null}"#
                    .utf8)
        )
        #expect(
            network.id == "abc" && network.attachable == true && network.ipam?.config?.first?.subnet == "10.0.1.0/24")

        let volumes = try JSONDecoder().decode(
            VolumeListResponse.self, from: Data(#"{"Volumes":null,"Warnings":null}"#.utf8))
        #expect(volumes.volumes == nil)

        let event = try JSONDecoder().decode(
            SystemEvent.self,
            from: Data(
                #"{"Type":"service","Action":"create","Actor":{"ID":"9y","Attributes":{"name":"x"}},"scope":"swarm","time":1795910981,"timeNano":1795910981543584169}"#
                    .utf8)
        )
        #expect(event.actor?.attributes?["name"] == "x" && event.timeNano == 1_795_910_981_543_584_169)

        let info = try JSONDecoder().decode(
            SystemInfo.self,
            from: Data(
                #"{"ID":"X2SN","NCPU":2,"MemTotal":25276518400,"Swarm":{"NodeID":"b6r7","LocalNodeState":"active","ControlAvailable":true,"Cluster":{"ID":"c1"}}}"#
                    .utf8)
        )
        #expect(info.swarm?.isActive == true && info.swarm?.cluster?.id == "c1" && info.ncpu == 2)
    }
}
