// SQL files imported as text by the worker tests (Vite's `?raw` suffix).
declare module "*.sql?raw" {
  const text: string;
  export default text;
}
