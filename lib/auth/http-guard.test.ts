import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { guardRequest, REFUSED_METHOD_HEADER } from "./http-guard";

function exchange(method: string, url: string, headers: Record<string, string> = {}) {
  const request = new IncomingMessage(new Socket());
  Object.assign(request, { method, url });
  request.headers = { ...headers };
  const response = new ServerResponse(request);
  guardRequest(request, response);
  return { request, response };
}

describe("guardRequest", () => {
  it("lets a method Next cannot build a Request for go on as OPTIONS, naming it for proxy.ts", () => {
    for (const method of ["TRACE", "PROPFIND", "MKCOL"]) {
      const { request } = exchange(method, "/api/targets");
      expect(request.method).toBe("OPTIONS");
      expect(request.headers[REFUSED_METHOD_HEADER]).toBe(method);
    }
  });

  it("leaves served methods alone and removes a client's copy of the header", () => {
    const { request } = exchange("POST", "/api/silences", { [REFUSED_METHOD_HEADER]: "TRACE" });
    expect(request.method).toBe("POST");
    expect(request.headers[REFUSED_METHOD_HEADER]).toBeUndefined();
  });

  it("puts the static headers on every answer and the API headers on API paths", () => {
    const page = exchange("GET", "/targets/x").response;
    expect(page.getHeader("x-content-type-options")).toBe("nosniff");
    expect(page.getHeader("x-frame-options")).toBe("DENY");
    expect(page.getHeader("cache-control")).toBeUndefined();
    const api = exchange("GET", "/api/targets?x=1").response;
    expect(api.getHeader("cache-control")).toBe("no-store");
    expect(api.getHeader("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});
