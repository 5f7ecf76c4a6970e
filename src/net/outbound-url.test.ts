import { describe, expect, it } from "vitest";
import { checkOutboundUrl, type OutboundPolicy } from "./outbound-url";

const production: OutboundPolicy = { allowLoopback: false, allowHttp: false, allowedPorts: [] };
const development: OutboundPolicy = { allowLoopback: true, allowHttp: true, allowedPorts: [] };

const reasonOf = (raw: string, policy = production) => {
  const check = checkOutboundUrl(raw, policy);
  return check.ok ? null : check.reason;
};

describe("outbound URLs a lab may give", () => {
  it.each([
    "https://hooks.example.com/arena",
    "https://api.example.org/v1/chat/completions?x=1",
    "https://8.8.8.8/",
    "https://1.1.1.1:443/webhook",
    "https://[2606:4700:4700::1111]/",
    "https://[64:ff9b::808:808]/", // NAT64 of a public address
    "https://[2002:808:808::1]/", // 6to4 of a public address
    "https://example.com./", // absolute name
  ])("accepts the public https URL %s", (raw) => {
    const check = checkOutboundUrl(raw, production);
    expect(check).toMatchObject({ ok: true });
    expect(check.ok && check.url).toBeInstanceOf(URL);
  });

  it("returns the normalised URL to fetch", () => {
    const check = checkOutboundUrl("HTTPS://Hooks.Example.COM:443/a/../b", production);
    expect(check.ok && check.url.href).toBe("https://hooks.example.com/b");
  });
});

describe("refused destinations", () => {
  // [url, what the reason must mention]
  const table: [string, RegExp][] = [
    // cloud metadata and link-local
    ["https://169.254.169.254/latest/meta-data/", /link-local/],
    ["https://169.254.0.1/", /link-local/],
    ["https://[fe80::1]/", /link-local/],
    ["https://[febf::1]/", /link-local/],
    ["https://metadata.google.internal/computeMetadata/v1/", /internal host name/],
    ["https://metadata/", /not a fully qualified/],
    // RFC 1918 private: 10/8 edges and middle, 172.16/12 edges, 192.168/16
    ["https://10.0.0.0/", /private/],
    ["https://10.0.0.1/", /private/],
    ["https://10.128.7.42/", /private/],
    ["https://10.255.255.255/", /private/],
    ["https://172.16.0.1/", /private/],
    ["https://172.31.255.254/", /private/],
    ["https://192.168.1.1/", /private/],
    // loopback in every spelling
    ["https://127.0.0.1/", /loopback/],
    ["https://127.255.0.9/", /loopback/],
    ["https://[::1]/", /loopback/],
    ["https://2130706433/", /loopback/],
    ["https://0x7f.1/", /loopback/],
    ["https://0x7f.0x00.0x00.0x01/", /loopback/],
    ["https://0177.0.0.1/", /loopback/],
    ["https://127.1/", /loopback/],
    ["https://127.0.0.1./", /loopback/],
    ["https://%31%32%37.0.0.1/", /loopback/],
    ["https://localhost/", /loopback/],
    ["https://LOCALHOST./", /loopback/],
    ["https://api.localhost/", /loopback/],
    // decimal and hex forms of private and metadata addresses
    ["https://167772161/", /private/], // 10.0.0.1
    ["https://2852039166/", /link-local/], // 169.254.169.254
    ["https://0xa9fea9fe/", /link-local/],
    // CGNAT, unspecified, multicast, broadcast, reserved
    ["https://100.64.0.1/", /carrier-grade NAT/],
    ["https://100.127.255.254/", /carrier-grade NAT/],
    ["https://0.0.0.0/", /unspecified/],
    ["https://0/", /unspecified/],
    ["https://0.1.2.3/", /unspecified/],
    ["https://[::]/", /unspecified/],
    ["https://224.0.0.1/", /multicast/],
    ["https://239.255.255.250/", /multicast/],
    ["https://[ff02::1]/", /multicast/],
    ["https://255.255.255.255/", /broadcast/],
    ["https://240.0.0.1/", /reserved/],
    ["https://192.0.2.1/", /reserved/],
    ["https://[2001:db8::1]/", /reserved|special-purpose/],
    // IPv6 unique-local and site-local
    ["https://[fc00::1]/", /unique-local/],
    ["https://[fd12:3456::1]/", /unique-local/],
    ["https://[fec0::1]/", /special-purpose|not a global/],
    // IPv6 forms that carry an IPv4 address
    ["https://[::ffff:127.0.0.1]/", /embeds 127\.0\.0\.1/],
    ["https://[::ffff:7f00:1]/", /embeds 127\.0\.0\.1/],
    ["https://[::ffff:10.0.0.1]/", /embeds 10\.0\.0\.1, which is a private/],
    ["https://[::ffff:169.254.169.254]/", /link-local/],
    ["https://[::ffff:0:10.0.0.1]/", /private/], // SIIT
    ["https://[::127.0.0.1]/", /embeds 127\.0\.0\.1/], // IPv4-compatible
    ["https://[::10.1.2.3]/", /private/],
    ["https://[64:ff9b::10.0.0.1]/", /embeds 10\.0\.0\.1/], // NAT64
    ["https://[64:ff9b::a9fe:a9fe]/", /link-local/],
    ["https://[64:ff9b:1::a00:1]/", /local-use NAT64/],
    ["https://[2002:a00:1::]/", /embeds 10\.0\.0\.1/], // 6to4
    ["https://[2002:7f00:1::1]/", /embeds 127\.0\.0\.1/],
    // internal names
    ["https://printer.local/", /internal host name/],
    ["https://db.corp.internal/", /internal host name/],
    ["https://router.home.arpa/", /internal host name/],
    ["https://intranet/", /internal host name/],
  ];

  it.each(table)("refuses %s", (raw, reason) => {
    expect(reasonOf(raw)).toMatch(reason);
  });

  it.each(table.filter(([, reason]) => reason.source !== "loopback"))(
    "still refuses %s when loopback and http are allowed",
    (raw) => {
      expect(reasonOf(raw, development)).not.toBeNull();
      expect(reasonOf(raw.replace(/^https:/, "http:"), development)).not.toBeNull();
    },
  );

  it("refuses plain http unless allowed, and any other scheme always", () => {
    expect(reasonOf("http://hooks.example.com/")).toMatch(/plain http/);
    expect(reasonOf("http://hooks.example.com/", { ...production, allowHttp: true })).toBeNull();
    for (const raw of ["ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "data:text/plain,x", "ws://example.com/"]) {
      expect(reasonOf(raw, development)).toMatch(/scheme/);
    }
  });

  it("refuses credentials in the URL", () => {
    expect(reasonOf("https://user:pass@hooks.example.com/")).toMatch(/credentials/);
    expect(reasonOf("https://user@hooks.example.com/")).toMatch(/credentials/);
    expect(reasonOf("https://:pass@hooks.example.com/")).toMatch(/credentials/);
    // The classic confusion: the host is evil.example, not the one before the @.
    expect(reasonOf("https://hooks.example.com@169.254.169.254/")).not.toBeNull();
  });

  it("refuses what is not an absolute URL", () => {
    for (const raw of ["", "hooks.example.com/x", "/relative", "https://", "https://1.2.3.4.5/", "https://[fe80::1%25eth0]/", "https://[zz::1]/"]) {
      expect(reasonOf(raw)).not.toBeNull();
    }
  });

  it("allows loopback, on any port, only when the policy says so", () => {
    for (const raw of ["http://127.0.0.1:8787/hook", "http://localhost:9000/", "http://[::1]:3000/", "https://127.0.0.1/"]) {
      expect(reasonOf(raw, development)).toBeNull();
      expect(reasonOf(raw, { ...production, allowHttp: true })).toMatch(/loopback/);
    }
  });

  it("refuses non-default ports unless configured", () => {
    expect(reasonOf("https://hooks.example.com:8443/")).toMatch(/port 8443/);
    expect(reasonOf("https://hooks.example.com:80/")).toMatch(/port 80/);
    expect(reasonOf("http://hooks.example.com:443/", { ...production, allowHttp: true })).toMatch(/port 443/);
    expect(reasonOf("http://hooks.example.com:80/", { ...production, allowHttp: true })).toBeNull();
    expect(reasonOf("https://hooks.example.com:8443/", { ...production, allowedPorts: [8443] })).toBeNull();
    expect(reasonOf("https://hooks.example.com:8444/", { ...production, allowedPorts: [8443] })).toMatch(/port 8444/);
    // An allowed port does not open a private address.
    expect(reasonOf("https://10.0.0.1:8443/", { ...production, allowedPorts: [8443] })).toMatch(/private/);
  });
});
