/// Response bodies quoted from Traefik's own test data and live captures, as recorded in
/// `docs/wire-formats.md` §3.6 (the sources are named there).
enum DocumentedTraefikJSON {
    /// `master:pkg/api/testdata/routers.json` (v3 unit-test data: no `priority`, `priorityStr` "0").
    static let routers = """
        [
        	{
        		"entryPoints": [
        			"web"
        		],
        		"middlewares": [
        			"auth",
        			"addPrefixTest@anotherprovider"
        		],
        		"name": "bar@myprovider",
        		"provider": "myprovider",
        		"priorityStr": "0",
        		"rule": "Host(`foo.bar`)",
        		"service": "foo-service@myprovider",
        		"status": "enabled",
        		"using": [
        			"web"
        		]
        	},
        	{
        		"entryPoints": [
        			"web"
        		],
        		"middlewares": [
        			"addPrefixTest",
        			"auth"
        		],
        		"name": "test@myprovider",
        		"provider": "myprovider",
        		"priorityStr": "0",
        		"rule": "Host(`foo.bar.other`)",
        		"service": "foo-service@myprovider",
        		"status": "enabled",
        		"using": [
        			"web"
        		]
        	}
        ]
        """

    /// `router-baz-default-tls-options.json`: `tls.options` filled in as `default`.
    static let routerWithTLS = """
        {
        	"entryPoints": [
        		"web"
        	],
        	"middlewares": [
        		"auth",
        		"addPrefixTest@anotherprovider"
        	],
        	"name": "baz@myprovider",
        	"provider": "myprovider",
        	"priorityStr": "0",
        	"rule": "Host(`foo.baz`)",
        	"service": "foo-service@myprovider",
        	"tls": {
        		"options": "default"
        	},
        	"status": "enabled",
        	"using": [
        		"web"
        	]
        }
        """

    /// The disabled router of `master:integration/testdata/rawdata-crd.json` (its quoted fields), with `&&`
    /// escaped as Go escapes it.
    static let disabledRouterFields = """
        			"service": "other-ns-wrr3",
        			"rule": "Host(`foo.com`) \\u0026\\u0026 PathPrefix(`/c`)",
        			"priority": 35,
        			"observability": {
        				"accessLogs": true,
        				"metrics": true,
        				"tracing": true,
        				"traceVerbosity": "minimal"
        			},
        			"error": [
        				"the service \\"other-ns-wrr3@kubernetescrd\\" does not exist"
        			],
        			"status": "disabled",
        			"using": [
        				"web"
        			]
        """

    /// The `api@internal` entry of `master:integration/testdata/rawdata-redis.json` (rawdata carries no `name`).
    static let internalRouterFields = """
            "entryPoints": [
              "traefik"
            ],
            "service": "api@internal",
            "rule": "PathPrefix(`/api`)",
            "ruleSyntax": "default",
            "priority": 9223372036854775806,
            "observability": {
              "accessLogs": true,
              "metrics": true,
              "tracing": true,
              "traceVerbosity": "minimal"
            },
            "status": "enabled",
            "using": [
              "traefik"
            ]
        """

    /// The first element of `master:pkg/api/testdata/services.json`.
    static let service = """
        	{
        		"loadBalancer": {
        			"passHostHeader": true,
        			"servers": [
        				{
        					"url": "http://127.0.0.1"
        				}
        			]
        		},
        		"name": "bar@myprovider",
        		"provider": "myprovider",
        		"serverStatus": {
        			"http://127.0.0.1": "UP"
        		},
        		"status": "enabled",
        		"type": "loadbalancer",
        		"usedBy": [
        			"foo@myprovider",
        			"test@myprovider"
        		]
        	}
        """

    /// `master:pkg/api/testdata/overview-dynamic.json`.
    static let overview = """
        {
        	"features": {
        		"accessLog": false,
        		"metrics": "",
        		"tracing": ""
        	},
        	"http": {
        		"middlewares": {
        			"errors": 1,
        			"total": 3,
        			"warnings": 0
        		},
        		"routers": {
        			"errors": 1,
        			"total": 3,
        			"warnings": 1
        		},
        		"services": {
        			"errors": 1,
        			"total": 3,
        			"warnings": 1
        		}
        	},
        	"tcp": {
        		"middlewares": {
        			"errors": 1,
        			"total": 3,
        			"warnings": 0
        		},
        		"routers": {
        			"errors": 1,
        			"total": 3,
        			"warnings": 1
        		},
        		"services": {
        			"errors": 1,
        			"total": 3,
        			"warnings": 1
        		}
        	},
        	"udp": {
        		"routers": {
        			"errors": 0,
        			"total": 0,
        			"warnings": 0
        		},
        		"services": {
        			"errors": 0,
        			"total": 0,
        			"warnings": 0
        		}
        	}
        }
        """
}
