/**
 * What a demo persona writes in the WebDev arena: a small, working,
 * self-contained page for the request, in the persona's own look, so the
 * sandboxed side-by-side view has something real to run offline.
 */
import { fnv1a } from "../../src/hash";
import type { DemoPersona } from "./demo-answers";

const LOOKS: Record<DemoPersona, { background: string; accent: string; font: string; widget: "counter" | "todo" | "clock" }> = {
  aster: { background: "#fdf6e3", accent: "#268bd2", font: "Georgia, serif", widget: "counter" },
  bramble: { background: "#1e1e2e", accent: "#f38ba8", font: "system-ui, sans-serif", widget: "todo" },
  cobalt: { background: "#0b1d3a", accent: "#4cc9f0", font: "ui-monospace, monospace", widget: "clock" },
  dune: { background: "#f4e1c1", accent: "#a0522d", font: "Trebuchet MS, sans-serif", widget: "counter" },
  ember: { background: "#fff5f0", accent: "#e4572e", font: "Verdana, sans-serif", widget: "todo" },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const WIDGETS = {
  counter: `<button id="b">Clicked 0 times</button><script>let n=0;const b=document.getElementById("b");b.onclick=()=>{n++;b.textContent="Clicked "+n+" time"+(n===1?"":"s")};</script>`,
  todo: `<form id="f"><input id="i" placeholder="Add an item"><button>Add</button></form><ul id="l"></ul><script>document.getElementById("f").onsubmit=(e)=>{e.preventDefault();const i=document.getElementById("i");if(!i.value.trim())return;const li=document.createElement("li");li.textContent=i.value;li.onclick=()=>li.remove();document.getElementById("l").append(li);i.value=""};</script>`,
  clock: `<p id="t" style="font-size:2.5rem"></p><script>const t=document.getElementById("t");const tick=()=>{t.textContent=new Date().toLocaleTimeString()};tick();setInterval(tick,1000);</script>`,
};

/**
 * The persona's app for a request, as a model would answer: one ```html block and a sentence.
 *
 * @example composeDemoWebApp("aster", "a tip calculator")
 */
export function composeDemoWebApp(persona: DemoPersona, request: string): string {
  const look = LOOKS[persona];
  const title = escapeHtml(request.trim().slice(0, 80) || "Your app");
  const hue = fnv1a(`${persona}\u0000${request}`) % 360;
  const html = [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>`,
    `<style>body{margin:0;min-height:100vh;display:grid;place-content:center;gap:1rem;text-align:center;background:${look.background};color:${look.accent};font-family:${look.font}}`,
    `button{font:inherit;padding:.5rem 1rem;border:2px solid hsl(${hue} 70% 50%);background:transparent;color:inherit;border-radius:.5rem;cursor:pointer}`,
    `input{font:inherit;padding:.4rem}li{cursor:pointer;list-style:none}</style></head>`,
    `<body><h1>${title}</h1>${WIDGETS[look.widget]}</body></html>`,
  ].join("\n");
  return `\`\`\`html\n${html}\n\`\`\`\n\nA single self-contained page: open it and try the ${look.widget}.`;
}
