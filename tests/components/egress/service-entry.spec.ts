import * as assert from "assert";
import { SEED_EXTERNAL_API } from "./seed-examples";
import { buildServiceEntry, entryNamespace, isExportedTo } from "../../../components/egress/service-entry";

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "istio-mesh" };

describe("buildServiceEntry", () => {
    it("builds the seed's external-api entry with DNS resolution and MESH_EXTERNAL by default", () => {
        const object = buildServiceEntry(SEED_EXTERNAL_API, {});
        assert.deepStrictEqual(object, {
            apiVersion: "networking.istio.io/v1",
            kind: "ServiceEntry",
            metadata: { name: "external-api", namespace: "default", labels: LABELS },
            spec: {
                hosts: ["api.external.com"],
                ports: [{ number: 443, name: "https", protocol: "HTTPS" }],
                location: "MESH_EXTERNAL",
                resolution: "DNS",
            },
        });
    });

    it("builds a database by IP with STATIC resolution, endpoints, addresses and exportTo", () => {
        const object = buildServiceEntry(
            {
                name: "orders-db",
                namespace: "production",
                hosts: ["orders-db.example.internal"],
                addresses: ["10.20.30.40"],
                ports: [{ number: 5432, name: "tcp-postgres", protocol: "TCP", targetPort: 6432 }],
                resolution: "STATIC",
                endpoints: [
                    { address: "10.20.30.40", ports: { "tcp-postgres": 6432 }, labels: { zone: "a" } },
                ],
                exportTo: ["."],
            },
            {},
        );
        assert.deepStrictEqual(object.spec, {
            hosts: ["orders-db.example.internal"],
            ports: [{ number: 5432, name: "tcp-postgres", protocol: "TCP", targetPort: 6432 }],
            location: "MESH_EXTERNAL",
            resolution: "STATIC",
            addresses: ["10.20.30.40"],
            endpoints: [{ address: "10.20.30.40", ports: { "tcp-postgres": 6432 }, labels: { zone: "a" } }],
            exportTo: ["."],
        });
    });

    it("places an entry without namespace in the mesh root namespace", () => {
        const entry = {
            name: "a",
            hosts: ["a.example.com"],
            ports: [{ number: 443, name: "https", protocol: "HTTPS" }],
        };
        assert.strictEqual(entryNamespace(entry, {}), "istio-system");
        assert.strictEqual(entryNamespace(entry, { rootNamespace: "mesh-root" }), "mesh-root");
    });
});

describe("isExportedTo", () => {
    const base = { name: "a", namespace: "shop", hosts: ["a.example.com"], ports: [] };

    it("exports an entry without exportTo to every namespace", () => {
        assert.strictEqual(isExportedTo(base, {}, "payments"), true);
    });

    it('exports an entry with exportTo ["."] only to its own namespace', () => {
        const entry = { ...base, exportTo: ["."] };
        assert.deepStrictEqual(
            [isExportedTo(entry, {}, "shop"), isExportedTo(entry, {}, "payments")],
            [true, false],
        );
    });

    it("exports an entry to the namespaces its exportTo names", () => {
        const entry = { ...base, exportTo: ["payments"] };
        assert.deepStrictEqual(
            [isExportedTo(entry, {}, "payments"), isExportedTo(entry, {}, "shop")],
            [true, false],
        );
    });
});
