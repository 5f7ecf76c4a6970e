/**
 * The demo provider in the arenas beyond text: the image personas draw
 * through the AI SDK's generateImage, the chat personas see attached images
 * and write one-file apps when asked through the WebDev system prompt.
 */
import { generateImage, streamText } from "ai";
import { decode, encode } from "fast-png";
import { describe, expect, it } from "vitest";
import { extractWebApp, WEBDEV_SYSTEM_PROMPT } from "../../src/battle/webdev";
import { checkImage } from "../../src/media/image";
import { DemoLanguageModel } from "../../worker/providers/demo";
import { DEMO_IMAGE_PERSONAS, DemoImageModel } from "../../worker/providers/demo-image";

async function draw(persona: (typeof DEMO_IMAGE_PERSONAS)[number], prompt: string): Promise<Uint8Array> {
  const { image } = await generateImage({ model: new DemoImageModel(persona), prompt });
  return image.uint8Array;
}

async function answer(prompt: Parameters<typeof streamText>[0]): Promise<string> {
  let text = "";
  for await (const part of streamText(prompt).stream) if (part.type === "text-delta") text += part.text;
  return text;
}

describe("the demo image provider", () => {
  it("paints a valid PNG that passes the upload checks, the same bytes for the same prompt", async () => {
    const first = await draw("prism", "a red fox at night");
    expect(await draw("prism", "a red fox at night")).toEqual(first);
    const checked = checkImage(first);
    expect(checked.ok && checked.image).toMatchObject({ mediaType: "image/png", width: 256, height: 256 });
  });

  it("gives each persona its own picture, and a different prompt a different one", async () => {
    const pictures = await Promise.all(DEMO_IMAGE_PERSONAS.map((p) => draw(p, "a lighthouse")));
    const pixels = pictures.map((png) => Buffer.from(decode(png).data as Uint8Array).toString("base64"));
    expect(new Set(pixels).size).toBe(DEMO_IMAGE_PERSONAS.length);
    expect(await draw("lumen", "a lighthouse in fog")).not.toEqual(pictures[1]);
  });

  it("takes its colours from the prompt: a red prompt paints mostly red", async () => {
    const { data } = decode(await draw("quartz", "red red red"));
    let red = 0;
    for (let i = 0; i < data.length; i += 3) if (data[i]! > data[i + 1]! && data[i]! > data[i + 2]!) red++;
    expect(red / (data.length / 3)).toBeGreaterThan(0.3);
  });
});

describe("the demo chat personas in the vision and WebDev arenas", () => {
  it("sees the size and type of an attached image", async () => {
    const png = encode({ width: 40, height: 30, data: new Uint8Array(40 * 30 * 3), channels: 3, depth: 8 });
    const text = await answer({
      model: new DemoLanguageModel("aster", { tokenDelayMs: 0 }),
      messages: [{ role: "user", content: [{ type: "image", image: png, mediaType: "image/png" }, { type: "text", text: "What is this?" }] }],
    });
    expect(text).toMatch(/^I see a 40×30 PNG image\./);
  });

  it("writes a one-file app under the WebDev system prompt, and prose without it", async () => {
    const model = new DemoLanguageModel("bramble", { tokenDelayMs: 0 });
    const app = await answer({ model, system: WEBDEV_SYSTEM_PROMPT, prompt: "a shopping list" });
    const html = extractWebApp(app);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<script>");
    expect(html).not.toMatch(/https?:\/\//);
    expect(extractWebApp(await answer({ model, prompt: "a shopping list" }))).toBeUndefined();
  });
});
