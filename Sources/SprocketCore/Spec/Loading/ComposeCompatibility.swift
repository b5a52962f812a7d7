/// Compose keys that are valid in a `docker-compose.yml` but that Swarm ignores or this tool does not
/// support. They are warnings, not errors, so an existing Compose file loads; each says what to do instead.
enum ComposeCompatibility {
    private static let remove = "remove it"
    private static let notSwarm = "Swarm services do not support it"

    static let serviceKeys: [String: UnsupportedComposeKey] = {
        var keys: [String: UnsupportedComposeKey] = [
            "build": .init(reason: "Swarm deploys images and cannot build them", hint: "build and push the image first, then set `image:`"),
            "depends_on": .init(reason: "Swarm ignores depends_on", hint: "put the dependency in an earlier layer and use `needs`"),
            "container_name": .init(reason: "Swarm names task containers itself", hint: "remove it; other services reach this one by its service name"),
            "restart": .init(reason: "Swarm ignores restart", hint: "use `deploy.restart_policy` instead"),
            "links": .init(reason: "Swarm ignores links", hint: "services on a shared network reach each other by name"),
            "external_links": .init(reason: "Swarm ignores external_links", hint: "attach both services to a shared network"),
            "network_mode": .init(reason: "Swarm services cannot set network_mode", hint: "attach the service to networks with `networks:`"),
            "privileged": .init(reason: "Swarm services cannot run privileged", hint: "grant only the capabilities needed with `cap_add`"),
            "devices": .init(reason: "Swarm services cannot map devices", hint: "run this workload outside Swarm, or use a bind mount where it suffices"),
            "expose": .init(reason: "ports are reachable on attached networks without it", hint: remove),
            "profiles": .init(reason: "Swarm has no profiles", hint: "use layers or environments to choose what is deployed"),
            "pull_policy": .init(reason: "Swarm resolves the image on every deploy", hint: remove),
            "platform": .init(reason: "Swarm picks the image variant for each node", hint: "restrict nodes with `deploy.placement.constraints`"),
            "scale": .init(reason: "Swarm ignores scale", hint: "use `deploy.replicas`"),
            "tmpfs": .init(reason: "sprocketctl mounts tmpfs through `volumes:`", hint: "write a `volumes:` entry with `type: tmpfs`"),
            "volumes_from": .init(reason: notSwarm, hint: "declare a named volume and mount it in both services"),
            "extends": .init(reason: "sprocketctl does not follow extends", hint: "use a YAML anchor and merge key (`<<: *base`)"),
            "cpus": .init(reason: "Swarm reads CPU limits from deploy", hint: "use `deploy.resources.limits.cpus`"),
            "mem_limit": .init(reason: "Swarm reads memory limits from deploy", hint: "use `deploy.resources.limits.memory`"),
            "mem_reservation": .init(reason: "Swarm reads memory reservations from deploy", hint: "use `deploy.resources.reservations.memory`"),
            "pids_limit": .init(reason: "Swarm reads the pids limit from deploy", hint: "use `deploy.resources.limits.pids`"),
        ]
        let unsupported = [
            "security_opt", "cgroup_parent", "cgroup", "userns_mode", "ipc", "pid", "uts", "cpu_shares", "cpu_quota",
            "cpu_period", "cpu_rt_runtime", "cpu_rt_period", "cpuset", "cpu_count", "cpu_percent", "memswap_limit",
            "mem_swappiness", "oom_kill_disable", "oom_score_adj", "shm_size", "stdin_open", "mac_address", "domainname",
            "isolation", "runtime", "storage_opt", "group_add", "develop", "blkio_config", "device_cgroup_rules",
            "credential_spec", "annotations", "attach", "gpus", "label_file", "models", "post_start", "pre_stop",
            "use_api_socket", "provider", "dns_opt", "volume_driver",
        ]
        for key in unsupported where keys[key] == nil {
            keys[key] = .init(reason: "\(notSwarm), or sprocketctl does not", hint: remove)
        }
        return keys
    }()

    static let topLevelKeys: [String: UnsupportedComposeKey] = [
        "include": .init(reason: "sprocketctl does not follow include", hint: "use a stack folder with one file per layer"),
        "models": .init(reason: "sprocketctl does not deploy models", hint: remove),
    ]

    static let networkKeys: [String: UnsupportedComposeKey] = [
        "ipam": .init(reason: "sprocketctl lets Swarm allocate subnets",
                      hint: "create the network yourself and declare it with `external: true` if you need a fixed subnet"),
        "enable_ipv6": .init(reason: "sprocketctl does not configure IPv6", hint: remove),
    ]

    static let configKeys: [String: UnsupportedComposeKey] = [
        "environment": .init(reason: "sprocketctl does not read configs from the environment", hint: "use `content: ${setting}`"),
        "template_driver": .init(reason: "sprocketctl renders templates itself", hint: "use `template:` (Mustache)"),
    ]

    static let secretKeys: [String: UnsupportedComposeKey] = [
        "driver": .init(reason: "sprocketctl does not support secret drivers", hint: remove),
        "driver_opts": .init(reason: "sprocketctl does not support secret drivers", hint: remove),
        "template_driver": .init(reason: "sprocketctl does not template secrets", hint: remove),
    ]

    static let serviceNetworkKeys: [String: UnsupportedComposeKey] = [
        "ipv4_address": .init(reason: "Swarm assigns task addresses", hint: "use the service name or `aliases`"),
        "ipv6_address": .init(reason: "Swarm assigns task addresses", hint: "use the service name or `aliases`"),
        "link_local_ips": .init(reason: notSwarm, hint: remove),
        "priority": .init(reason: notSwarm, hint: remove),
        "gw_priority": .init(reason: notSwarm, hint: remove),
        "mac_address": .init(reason: notSwarm, hint: remove),
        "driver_opts": .init(reason: notSwarm, hint: remove),
    ]

    static let mountKeys: [String: UnsupportedComposeKey] = [
        "bind": .init(reason: "sprocketctl does not set bind options", hint: remove),
        "volume": .init(reason: "sprocketctl does not set volume options", hint: remove),
        "tmpfs": .init(reason: "sprocketctl does not set tmpfs options", hint: remove),
        "consistency": .init(reason: "it only matters on Docker Desktop", hint: remove),
    ]

    static let portKeys: [String: UnsupportedComposeKey] = [
        "name": .init(reason: "Swarm does not name ports", hint: remove),
        "app_protocol": .init(reason: "Swarm does not record application protocols", hint: remove),
    ]

    static let healthcheckKeys: [String: UnsupportedComposeKey] = [
        "start_interval": .init(reason: "Docker Engine API 1.41 has no start interval", hint: remove),
    ]

    static let reservationKeys: [String: UnsupportedComposeKey] = [
        "devices": .init(reason: "sprocketctl does not reserve devices", hint: remove),
        "generic_resources": .init(reason: "sprocketctl does not reserve generic resources", hint: remove),
    ]
}
