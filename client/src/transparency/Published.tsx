/**
 * The frame of a page that shows one published document: its header, and
 * the loading, not-yet-published and error states, so each page only draws
 * the document itself.
 */
import type { ComponentChildren } from "preact";
import type { Loaded } from "../api/use-json";

export function Published<T>(props: { title: string; subtitle: string; what: string; state: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const { state } = props;
  return (
    <div class="transparency-page">
      <header class="page-header">
        <h1>{props.title}</h1>
        <p class="page-subtitle">{props.subtitle}</p>
      </header>
      {state.status === "loading" && <p class="loading">Loading the {props.what}…</p>}
      {state.status === "missing" && (
        <section class="empty-state">
          <h2>No {props.what} yet</h2>
          <p>It appears after the next ranking run.</p>
        </section>
      )}
      {state.status === "error" && (
        <p class="request-error" role="alert">
          {state.message}
        </p>
      )}
      {state.status === "ok" && props.children(state.data)}
    </div>
  );
}
