// An in-memory OrganizationService for component and hook tests: it pages
// by keyset like the real server (a token only leads forward and only for
// the order, direction and search it was issued for) and records every
// list request, so tests can check which tokens the SPA sent.
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createRouterTransport, type Transport } from "@connectrpc/connect";
import {
  OrganizationService,
  UnitKind,
  UnitOrder,
  UnitSchema,
  type ListUnitsRequest,
  type Unit,
} from "../gen/zeugo/v1/organization_pb.js";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";

/** FakeOrganization holds the units and the requests seen. */
export type FakeOrganization = {
  transport: Transport;
  units: Unit[];
  listRequests: ListUnitsRequest[];
  /** While set, list calls wait for it (to observe the loading state). */
  gate?: Promise<void>;
};

/** unitName is the name of the i-th generated unit: "Standort 0001" … */
export function unitName(i: number): string {
  return `Standort ${String(i + 1).padStart(4, "0")}`;
}

/** fakeOrganization serves `count` locations named unitName(0…count-1). */
export function fakeOrganization(count: number): FakeOrganization {
  const fake: FakeOrganization = {
    transport: undefined as unknown as Transport,
    units: Array.from({ length: count }, (_, i) =>
      create(UnitSchema, {
        id: `00000000-0000-7000-8000-${String(i).padStart(12, "0")}`,
        kind: UnitKind.LOCATION,
        version: 1n,
        fields: { name: unitName(i), description: `Beschreibung ${i + 1}` },
        updateTime: timestampFromMs(Date.UTC(2026, 0, 1) + i * 60_000),
      }),
    ),
    listRequests: [],
  };
  fake.transport = createRouterTransport(({ service }) => {
    service(OrganizationService, {
      getUnit(req) {
        const unit = fake.units.find((u) => u.id === req.id);
        if (!unit) throw new ConnectError("unit not found", Code.NotFound);
        return { unit };
      },
      async listUnits(req) {
        fake.listRequests.push(req);
        if (fake.gate) await fake.gate;
        const scope = `${req.kind}|${req.orderBy}|${req.direction}|${req.query}`;
        let start = 0;
        const token = req.page?.pageToken ?? "";
        if (token !== "") {
          const [tokenScope, after] = atob(token).split("#");
          if (tokenScope !== scope) throw new ConnectError("page token does not match the request", Code.InvalidArgument);
          start = Number(after);
        }
        const matching = fake.units
          .filter((u) => u.kind === req.kind && (u.fields?.name ?? "").toLowerCase().includes(req.query.toLowerCase()))
          .sort((a, b) => compare(a, b, req.orderBy));
        if (req.direction === SortDirection.DESCENDING) matching.reverse();
        const size = Math.min(req.page?.pageSize || 50, 200);
        const rows = matching.slice(start, start + size);
        const end = start + rows.length;
        return {
          units: rows,
          page: { nextPageToken: end < matching.length ? btoa(`${scope}#${end}`) : "", totalSize: BigInt(matching.length) },
        };
      },
    });
  });
  return fake;
}

function compare(a: Unit, b: Unit, order: UnitOrder): number {
  if (order === UnitOrder.UPDATE_TIME) {
    return Number((a.updateTime?.seconds ?? 0n) - (b.updateTime?.seconds ?? 0n)) || a.id.localeCompare(b.id);
  }
  return (a.fields?.name ?? "").localeCompare(b.fields?.name ?? "") || a.id.localeCompare(b.id);
}
