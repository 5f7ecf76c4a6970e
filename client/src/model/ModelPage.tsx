export function ModelPage() {
  return <section class="empty-state"><h1>Model</h1></section>;
}
