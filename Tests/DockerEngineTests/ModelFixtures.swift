/// Engine API documents in the shape `docker service inspect` and friends return (API 1.41), limited to the fields
/// the models cover so that a decode → encode round trip must reproduce them exactly.
enum ModelFixtures {
    static let serviceInspect = #"""
        {
          "ID": "9mnpnzenvg8p8tdbtq4wvbkcz",
          "Version": {"Index": 19},
          "CreatedAt": "2016-06-07T21:05:51.880065305Z",
          "UpdatedAt": "2016-06-07T21:07:29.962229872Z",
          "Spec": {
            "Name": "hopeful_cori",
            "Labels": {"io.sprocket.stack": "web", "io.sprocket.layer": "2"},
            "TaskTemplate": {
              "ContainerSpec": {
                "Image": "redis:7",
                "Labels": {"c": "d"},
                "Command": ["redis-server"],
                "Args": ["--appendonly", "yes"],
                "Hostname": "cache-{{.Task.Slot}}",
                "Env": ["A=1", "B=two"],
                "Dir": "/data",
                "User": "999:999",
                "Groups": ["adm"],
                "TTY": false,
                "OpenStdin": false,
                "ReadOnly": true,
                "Mounts": [
                  {"Target": "/data", "Source": "cache-data", "Type": "volume", "ReadOnly": false, "Consistency": "default",
                   "VolumeOptions": {"NoCopy": true, "Labels": {"v": "1"}, "DriverConfig": {"Name": "local", "Options": {"type": "tmpfs"}}}},
                  {"Target": "/host", "Source": "/srv/host", "Type": "bind", "BindOptions": {"Propagation": "rprivate"}},
                  {"Target": "/scratch", "Type": "tmpfs", "TmpfsOptions": {"SizeBytes": 67108864, "Mode": 1023}}
                ],
                "StopSignal": "SIGINT",
                "StopGracePeriod": 10000000000,
                "Healthcheck": {"Test": ["CMD-SHELL", "redis-cli ping"], "Interval": 5000000000, "Timeout": 3000000000,
                                "Retries": 3, "StartPeriod": 1000000000},
                "Hosts": ["10.0.0.1 db"],
                "DNSConfig": {"Nameservers": ["8.8.8.8"], "Search": ["example.org"], "Options": ["ndots:2"]},
                "Secrets": [{"File": {"Name": "db_password", "UID": "0", "GID": "0", "Mode": 292},
                             "SecretID": "ktnbjxoalbkvbvedmg1urrz8h", "SecretName": "db_password_v2"}],
                "Configs": [{"File": {"Name": "/etc/redis.conf", "UID": "0", "GID": "0", "Mode": 292},
                             "ConfigID": "7h4o2mgwqfjzhhqqt6f7bjuq1", "ConfigName": "redis_conf_v1"}],
                "Isolation": "default",
                "Init": true,
                "Sysctls": {"net.core.somaxconn": "1024"},
                "CapabilityAdd": ["CAP_NET_ADMIN"],
                "CapabilityDrop": ["CAP_MKNOD"],
                "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}]
              },
              "Resources": {
                "Limits": {"NanoCPUs": 500000000, "MemoryBytes": 268435456, "Pids": 100},
                "Reservations": {"NanoCPUs": 100000000, "MemoryBytes": 67108864}
              },
              "RestartPolicy": {"Condition": "on-failure", "Delay": 5000000000, "MaxAttempts": 3, "Window": 60000000000},
              "Placement": {
                "Constraints": ["node.role==manager"],
                "Preferences": [{"Spread": {"SpreadDescriptor": "node.labels.zone"}}],
                "MaxReplicas": 2,
                "Platforms": [{"Architecture": "amd64", "OS": "linux"}]
              },
              "ForceUpdate": 1,
              "Runtime": "container",
              "Networks": [{"Target": "web_backend", "Aliases": ["cache"], "DriverOpts": {"com.example": "x"}}],
              "LogDriver": {"Name": "json-file", "Options": {"max-size": "10m"}}
            },
            "Mode": {"Replicated": {"Replicas": 2}},
            "UpdateConfig": {"Parallelism": 1, "Delay": 10000000000, "FailureAction": "rollback", "Monitor": 15000000000,
                             "MaxFailureRatio": 0.5, "Order": "start-first"},
            "RollbackConfig": {"Parallelism": 2, "Delay": 0, "FailureAction": "pause", "Monitor": 5000000000,
                               "MaxFailureRatio": 0, "Order": "stop-first"},
            "EndpointSpec": {"Mode": "dnsrr", "Ports": [{"Name": "redis", "Protocol": "tcp", "TargetPort": 6379,
                                                         "PublishedPort": 16379, "PublishMode": "host"}]}
          },
          "PreviousSpec": {
            "Name": "hopeful_cori",
            "TaskTemplate": {"ContainerSpec": {"Image": "redis:6"}, "ForceUpdate": 0},
            "Mode": {"Global": {}}
          },
          "Endpoint": {
            "Spec": {"Mode": "vip", "Ports": [{"Protocol": "tcp", "TargetPort": 6379, "PublishedPort": 30001, "PublishMode": "ingress"}]},
            "Ports": [{"Protocol": "tcp", "TargetPort": 6379, "PublishedPort": 30001, "PublishMode": "ingress"}],
            "VirtualIPs": [{"NetworkID": "4qvuz4ko70xaltuqbt8956gd1", "Addr": "10.255.0.2/16"}]
          },
          "UpdateStatus": {"State": "completed", "StartedAt": "2016-06-07T21:07:20.000000000Z",
                           "CompletedAt": "2016-06-07T21:07:29.000000000Z", "Message": "update completed"},
          "ServiceStatus": {"RunningTasks": 2, "DesiredTasks": 2, "CompletedTasks": 0},
          "JobStatus": {"JobIteration": {"Index": 3}, "LastExecution": "2016-06-07T21:07:20.000000000Z"}
        }
        """#

    /// A task as `GET /tasks` returns it, including fields the model ignores (`PortStatus`, `Privileges`).
    static let taskWithExtraFields = #"""
        {"ID":"5oivatgcok6ffb23mtg03tca5","Version":{"Index":22},"CreatedAt":"2026-11-29T00:09:49.363093907Z",
         "UpdatedAt":"2026-11-29T00:09:49.430872929Z","Labels":{},
         "Spec":{"ContainerSpec":{"Image":"sprocket-local/busybox:latest","Command":["sh","-c","echo hi; sleep 3600"],
                 "Env":["A=1"],"Isolation":"default","Privileges":{"CredentialSpec":null,"SELinuxContext":null}},"ForceUpdate":0},
         "ServiceID":"9yphrwigbxroiacklu7qvyd1d","Slot":1,"NodeID":"b6r7yub9mkcb17com0qlr2js2",
         "Status":{"Timestamp":"2026-11-29T00:09:49.430817206Z","State":"running","Message":"started",
                   "ContainerStatus":{"ContainerID":"29e888c597fd","PID":10208,"ExitCode":0},"PortStatus":{}},
         "DesiredState":"running"}
        """#

    static let node = #"""
        {"ID":"b6r7yub9mkcb17com0qlr2js2","Version":{"Index":9},"CreatedAt":"2026-11-29T00:06:47.927202223Z",
         "Spec":{"Labels":{},"Role":"manager","Availability":"active"},
         "Description":{"Hostname":"vm","Platform":{"Architecture":"x86_64","OS":"linux"},
                        "Resources":{"NanoCPUs":2000000000},"Engine":{"EngineVersion":"20.10.24+dfsg1","Plugins":[]}},
         "Status":{"State":"ready","Addr":"127.0.0.1"},
         "ManagerStatus":{"Leader":true,"Reachability":"reachable","Addr":"127.0.0.1:2377"}}
        """#
}
