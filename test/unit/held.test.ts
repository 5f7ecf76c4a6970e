/** Values held in isolate memory in front of KV (worker/memory/held.ts). */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Held } from "../../worker/memory/held";

describe("Held", () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it("loads once, serves from memory while fresh, serves stale while reloading, then waits once too old", async () => {
    const held = new Held<string>("test", 5_000, 60_000);
    let version = 0;
    const load = vi.fn(async () => `v${++version}`);
    expect(await held.get(load)).toBe("v1");
    vi.advanceTimersByTime(4_999);
    expect(await held.get(load)).toBe("v1");
    expect(load).toHaveBeenCalledTimes(1);

    vi.advanceTimersByTime(2);
    const background: Promise<unknown>[] = [];
    expect(await held.get(load, (work) => background.push(work))).toBe("v1");
    expect(background).toHaveLength(1);
    await Promise.all(background);
    expect(await held.get(load)).toBe("v2");

    vi.advanceTimersByTime(60_000);
    expect(await held.get(load)).toBe("v3");
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("runs one load however many ask at once, and keeps the old value when a background load fails", async () => {
    const held = new Held<number>("test", 1_000);
    let release!: (value: number) => void;
    const load = vi.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const asks = Promise.all([held.get(load), held.get(load), held.get(load)]);
    release(7);
    expect(await asks).toEqual([7, 7, 7]);
    expect(load).toHaveBeenCalledTimes(1);

    vi.advanceTimersByTime(1_001);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const background: Promise<unknown>[] = [];
    expect(await held.get(() => Promise.reject(new Error("KV down")), (work) => background.push(work))).toBe(7);
    await Promise.all(background);
    expect(held.peek()).toBe(7);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("test.refresh_failed"));
  });

  it("takes a value set in this isolate as fresh, and forgets on request", async () => {
    const held = new Held<string>("test", 5_000);
    const load = vi.fn(async () => "from the store");
    held.set("just written");
    expect(await held.get(load)).toBe("just written");
    held.forget();
    expect(await held.get(load)).toBe("from the store");
  });
});
