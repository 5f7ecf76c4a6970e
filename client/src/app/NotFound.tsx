/** Shown for client routes that do not exist. */
export function NotFound() {
  return (
    <section class="empty-state">
      <h1>Page not found</h1>
      <p>
        <a href="/">Back to the arena</a>
      </p>
    </section>
  );
}
