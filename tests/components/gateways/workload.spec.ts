import * as assert from "assert";
import {
    buildGatewayChartValues,
    gatewaySelector,
    validateGatewayWorkloadArgs,
} from "../../../components/gateways/workload";

const INGRESS = { defaultServiceType: "LoadBalancer" };

describe("gateway chart values", () => {
    it("default values give an autoscaled, spread, hardened LoadBalancer gateway", () => {
        assert.deepStrictEqual(buildGatewayChartValues("public", {}, INGRESS), {
            name: "public",
            labels: { istio: "public" },
            autoscaling: {
                enabled: true,
                minReplicas: 2,
                maxReplicas: 5,
                targetCPUUtilizationPercentage: 80,
            },
            resources: {
                requests: { cpu: "100m", memory: "128Mi" },
                limits: { cpu: "2000m", memory: "1024Mi" },
            },
            securityContext: {
                runAsNonRoot: true,
                runAsUser: 1337,
                runAsGroup: 1337,
                fsGroup: 1337,
                seccompProfile: { type: "RuntimeDefault" },
                sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }],
            },
            containerSecurityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 1337,
                runAsGroup: 1337,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            },
            service: { type: "LoadBalancer", annotations: {} },
            podDisruptionBudget: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" },
            topologySpreadConstraints: [
                {
                    maxSkew: 1,
                    topologyKey: "topology.kubernetes.io/zone",
                    whenUnsatisfiable: "ScheduleAnyway",
                    labelSelector: { matchLabels: { istio: "public" } },
                },
                {
                    maxSkew: 1,
                    topologyKey: "kubernetes.io/hostname",
                    whenUnsatisfiable: "ScheduleAnyway",
                    labelSelector: { matchLabels: { istio: "public" } },
                },
            ],
        });
    });

    it("the default service type comes from the caller", () => {
        const values = buildGatewayChartValues("egress", {}, { defaultServiceType: "ClusterIP" }) as any;
        assert.deepStrictEqual(values.service, { type: "ClusterIP", annotations: {} });
    });

    it("service arguments reach the chart's service values", () => {
        const values = buildGatewayChartValues(
            "public",
            {
                serviceType: "LoadBalancer",
                serviceAnnotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
                externalTrafficPolicy: "Local",
                loadBalancerSourceRanges: ["203.0.113.0/24"],
            },
            INGRESS,
        ) as any;
        assert.deepStrictEqual(values.service, {
            type: "LoadBalancer",
            annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
            externalTrafficPolicy: "Local",
            loadBalancerSourceRanges: ["203.0.113.0/24"],
        });
    });

    it("the revision and image pull secrets come from the control plane", () => {
        const values = buildGatewayChartValues(
            "public",
            {},
            { ...INGRESS, revision: "1-30", imagePullSecrets: ["regcred"] },
        ) as any;
        assert.strictEqual(values.revision, "1-30");
        assert.deepStrictEqual(values.imagePullSecrets, [{ name: "regcred" }]);
    });

    it("a single replica gets no PodDisruptionBudget", () => {
        const values = buildGatewayChartValues(
            "public",
            { autoscaleMin: 1, autoscaleMax: 1 },
            INGRESS,
        ) as any;
        assert.strictEqual("podDisruptionBudget" in values, false);
        assert.deepStrictEqual(values.autoscaling, {
            enabled: true,
            minReplicas: 1,
            maxReplicas: 1,
            targetCPUUtilizationPercentage: 80,
        });
    });

    it("the PodDisruptionBudget and the spread can be turned off", () => {
        const values = buildGatewayChartValues(
            "public",
            { podDisruptionBudget: false, spreadAcrossZones: false },
            INGRESS,
        );
        assert.strictEqual("podDisruptionBudget" in values, false);
        assert.strictEqual("topologySpreadConstraints" in values, false);
    });

    it("resources override the defaults field by field", () => {
        const values = buildGatewayChartValues(
            "public",
            { resources: { requests: { cpu: "500m" }, limits: { memory: "2Gi" } } },
            INGRESS,
        ) as any;
        assert.deepStrictEqual(values.resources, {
            requests: { cpu: "500m", memory: "128Mi" },
            limits: { cpu: "2000m", memory: "2Gi" },
        });
    });

    it("pod annotations, labels and the node selector are passed through", () => {
        const values = buildGatewayChartValues(
            "public",
            {
                podAnnotations: { "example.com/team": "edge" },
                labels: { tier: "edge" },
                nodeSelector: { "node-role/ingress": "true" },
            },
            INGRESS,
        ) as any;
        assert.deepStrictEqual(values.podAnnotations, { "example.com/team": "edge" });
        assert.deepStrictEqual(values.labels, { tier: "edge", istio: "public" });
        assert.deepStrictEqual(values.nodeSelector, { "node-role/ingress": "true" });
    });

    it("chart values are deep-merged over the computed ones", () => {
        const values = buildGatewayChartValues(
            "public",
            {
                chartValues: {
                    service: { loadBalancerClass: "service.k8s.aws/nlb" },
                    priorityClassName: "edge",
                },
            },
            INGRESS,
        ) as any;
        assert.deepStrictEqual(values.service, {
            type: "LoadBalancer",
            annotations: {},
            loadBalancerClass: "service.k8s.aws/nlb",
        });
        assert.strictEqual(values.priorityClassName, "edge");
    });

    it("the selector is the istio label with the release name", () => {
        assert.deepStrictEqual(gatewaySelector("public"), { istio: "public" });
    });
});

describe("gateway workload validation", () => {
    it("valid arguments have no problems", () => {
        assert.deepStrictEqual(
            validateGatewayWorkloadArgs(
                "public",
                { autoscaleMin: 2, autoscaleMax: 4, serviceType: "NodePort", externalTrafficPolicy: "Local" },
                INGRESS,
                "gateway",
            ),
            [],
        );
    });

    it("replica counts and the CPU target are range-checked", () => {
        assert.deepStrictEqual(
            validateGatewayWorkloadArgs(
                "public",
                { autoscaleMin: 0, autoscaleMax: 3, cpuTargetUtilization: 120 },
                INGRESS,
                "",
            ),
            ["autoscaleMin: must be >= 1, got 0", "cpuTargetUtilization: must be <= 100, got 120"],
        );
    });

    it("autoscaleMax below autoscaleMin is rejected", () => {
        assert.deepStrictEqual(
            validateGatewayWorkloadArgs("public", { autoscaleMin: 4, autoscaleMax: 3 }, INGRESS, "w"),
            ["w.autoscaleMax: must be >= autoscaleMin (4), got 3"],
        );
    });

    it("an unknown service type lists the allowed ones", () => {
        assert.deepStrictEqual(
            validateGatewayWorkloadArgs("public", { serviceType: "External" }, INGRESS, "w"),
            ['w.serviceType: must be one of "LoadBalancer", "ClusterIP", "NodePort", got "External"'],
        );
    });

    it("load balancer settings on a ClusterIP service are rejected", () => {
        assert.deepStrictEqual(
            validateGatewayWorkloadArgs(
                "egress",
                { externalTrafficPolicy: "Local", loadBalancerSourceRanges: ["10.0.0.0/8"] },
                { defaultServiceType: "ClusterIP" },
                "w",
            ),
            [
                'w.externalTrafficPolicy: applies only to LoadBalancer and NodePort Services; the Service type is "ClusterIP"',
                'w.loadBalancerSourceRanges: applies only to LoadBalancer Services; the Service type is "ClusterIP"',
            ],
        );
    });

    it("source ranges must be CIDRs", () => {
        assert.deepStrictEqual(
            validateGatewayWorkloadArgs(
                "public",
                { loadBalancerSourceRanges: ["203.0.113.7"] },
                INGRESS,
                "w",
            ),
            ['w.loadBalancerSourceRanges[0]: must be a CIDR such as "203.0.113.0/24", got "203.0.113.7"'],
        );
    });

    it("the istio label cannot be set by hand", () => {
        assert.deepStrictEqual(
            validateGatewayWorkloadArgs("public", { labels: { istio: "other" } }, INGRESS, "w"),
            [
                'w.labels.istio: is set by the component to "public" (Gateway resources select the pods by it); remove it',
            ],
        );
    });

    it("chart values may not override owned keys", () => {
        assert.deepStrictEqual(
            validateGatewayWorkloadArgs(
                "public",
                { chartValues: { service: { type: "NodePort" }, revision: "canary" } },
                INGRESS,
                "w",
            ),
            [
                'w.chartValues.revision: this key is owned by the component (computed unset, given "canary"); the gateway follows the control plane\'s revision',
                'w.chartValues.service.type: this key is owned by the component (computed "LoadBalancer", given "NodePort"); set serviceType instead',
            ],
        );
    });
});
