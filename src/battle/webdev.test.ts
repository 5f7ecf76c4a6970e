import { describe, expect, it } from "vitest";
import { extractWebApp, WEBAPP_CONTENT_SECURITY_POLICY } from "./webdev";

describe("WebDev apps", () => {
  it("finds the app in an html block, in a bare document, or in a block that holds markup", () => {
    expect(extractWebApp("Here it is:\n```html\n<!doctype html><p>hi</p>\n```\nEnjoy.")).toBe("<!doctype html><p>hi</p>\n");
    expect(extractWebApp("<!DOCTYPE html><html><body>x</body></html>")).toBe("<!DOCTYPE html><html><body>x</body></html>");
    expect(extractWebApp("```\n<div id=app></div><script>1</script>\n```")).toBe("<div id=app></div><script>1</script>\n");
    expect(extractWebApp("```js\nconsole.log(1)\n```")).toBeUndefined();
    expect(extractWebApp("I cannot build that.")).toBeUndefined();
  });

  it("takes an unfinished block to the end, so a cut-off answer still shows what arrived", () => {
    expect(extractWebApp("```html\n<h1>half")).toBe("<h1>half");
  });

  it("serves apps sandboxed, scripted, and cut off from the network and from forms", () => {
    const directives = WEBAPP_CONTENT_SECURITY_POLICY.split("; ");
    expect(directives).toContain("sandbox allow-scripts");
    expect(directives).toContain("connect-src 'none'");
    expect(directives).toContain("form-action 'none'");
    expect(directives).toContain("default-src 'none'");
    expect(WEBAPP_CONTENT_SECURITY_POLICY).not.toContain("allow-same-origin");
    expect(WEBAPP_CONTENT_SECURITY_POLICY).not.toContain("allow-top-navigation");
  });
});
