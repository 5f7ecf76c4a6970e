/**
 * The offline demo image provider: a real AI SDK image model (specification
 * v4) that paints a PNG from the prompt, with no network and no key, so the
 * text-to-image arena works under `npm run dev`. The same persona and prompt
 * always give the same bytes; each persona has its own style (stripes,
 * rings, tiles), so two demo models are told apart at a glance, as two real
 * models would be.
 */
import type { ImageModelV4, ImageModelV4CallOptions, ImageModelV4Result } from "@ai-sdk/provider";
import { encode } from "fast-png";
import { fnv1a } from "../../src/hash";
import { seededRandom, type Random } from "../../src/random";

export const DEMO_IMAGE_PERSONAS = ["prism", "lumen", "quartz"] as const;
export type DemoImagePersona = (typeof DEMO_IMAGE_PERSONAS)[number];

/** Demo images are small: they show the arena, not a model. */
const SIDE = 256;

/** True when `modelId` names a demo image persona. */
export function isDemoImagePersona(modelId: string): modelId is DemoImagePersona {
  return (DEMO_IMAGE_PERSONAS as readonly string[]).includes(modelId);
}

type Rgb = [number, number, number];

/** A colour per prompt word, so related prompts share a palette and "a red fox" is reddish. */
const NAMED: Record<string, Rgb> = {
  red: [214, 48, 49], orange: [230, 126, 34], yellow: [241, 196, 15], green: [39, 174, 96], blue: [41, 128, 185],
  purple: [142, 68, 173], pink: [232, 67, 147], black: [30, 30, 30], white: [236, 240, 241], gray: [127, 140, 141],
  sea: [22, 160, 133], sky: [116, 185, 255], night: [44, 62, 80], sun: [253, 203, 110], forest: [0, 98, 65], fire: [225, 112, 85],
};

function palette(prompt: string, rng: Random): Rgb[] {
  const words = prompt.toLowerCase().match(/\p{L}+/gu) ?? [];
  const named = words.map((w) => NAMED[w]).filter((c): c is Rgb => c !== undefined);
  const random = (): Rgb => [Math.floor(rng() * 256), Math.floor(rng() * 256), Math.floor(rng() * 256)];
  return [...named, random(), random(), random()].slice(0, 3);
}

function mix(x: Rgb, y: Rgb, t: number): Rgb {
  return [x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t];
}

const STYLES: Record<DemoImagePersona, (x: number, y: number, colours: Rgb[], phase: number) => Rgb> = {
  // Diagonal bands blending through the palette.
  prism: (x, y, [c0, c1, c2], phase) => {
    const t = (((x + y) / (2 * SIDE)) * 3 + phase) % 1;
    return t < 0.5 ? mix(c0!, c1!, t * 2) : mix(c1!, c2!, (t - 0.5) * 2);
  },
  // Concentric rings from an off-centre light.
  lumen: (x, y, [c0, c1, c2], phase) => {
    const d = Math.hypot(x - SIDE * (0.3 + phase * 0.4), y - SIDE * 0.4) / SIDE;
    const ring = (Math.sin(d * 28) + 1) / 2;
    return mix(mix(c0!, c1!, ring), c2!, Math.min(1, d));
  },
  // A checked mosaic with a soft gradient.
  quartz: (x, y, [c0, c1, c2], phase) => {
    const tile = Math.floor(x / 32) + Math.floor(y / 32) + Math.floor(phase * 4);
    return mix(tile % 2 === 0 ? c0! : c1!, c2!, y / SIDE / 2);
  },
};

/**
 * Paints the persona's PNG for a prompt.
 *
 * @example paintDemoImage("prism", "a red fox at night").length // a PNG of 256×256 pixels
 */
export function paintDemoImage(persona: DemoImagePersona, prompt: string, seed = 0): Uint8Array {
  const rng = seededRandom(fnv1a(`${persona}\n${prompt}\n${seed}`));
  const colours = palette(prompt, rng);
  const phase = rng();
  const data = new Uint8Array(SIDE * SIDE * 3);
  const style = STYLES[persona];
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const [r, g, b] = style(x, y, colours, phase);
      const at = (y * SIDE + x) * 3;
      data[at] = r;
      data[at + 1] = g;
      data[at + 2] = b;
    }
  }
  return encode({ width: SIDE, height: SIDE, data, channels: 3, depth: 8 });
}

export class DemoImageModel implements ImageModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = "demo";
  readonly maxImagesPerCall = 4;

  constructor(readonly modelId: DemoImagePersona) {}

  async doGenerate(options: ImageModelV4CallOptions): Promise<ImageModelV4Result> {
    options.abortSignal?.throwIfAborted();
    const prompt = options.prompt ?? "";
    const images = Array.from({ length: options.n }, (_, i) => paintDemoImage(this.modelId, prompt, (options.seed ?? 0) + i));
    return { images, warnings: [], response: { timestamp: new Date(), modelId: this.modelId, headers: undefined } };
  }
}
