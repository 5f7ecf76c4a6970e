/**
 * The lifecycle log: dated releases, withdrawals, retirements and sampling
 * weight changes, newest first, so no model enters, leaves or changes weight
 * without a public trace.
 */
import type { LifecycleLog } from "../../../src/wire";
import { useJson } from "../api/use-json";
import { useTitle } from "../app/use-title";
import { formatTime } from "../leaderboard/format";
import { Published } from "./Published";
import "../leaderboard/leaderboard.css";
import "../audit/audit.css";

type Event = LifecycleLog["events"][number];

function describe(e: Event): string {
  switch (e.kind) {
    case "registered":
      return "Registered as a preview";
    case "released":
      return `Released as ${e.detail.name ?? e.name}`;
    case "withdrawn":
      return "Preview withdrawn";
    case "retired":
      return `Retired: ${e.detail.reason ?? ""}`;
    case "weight_changed":
      return `Sampling weight ${e.detail.from} → ${e.detail.to} (${(e.detail.reason ?? "").replace(/_/g, " ")})`;
  }
}

export function LifecyclePage() {
  useTitle("Model lifecycle");
  const log = useJson<LifecycleLog>("/api/v1/lifecycle");
  return (
    <Published title="Model lifecycle" subtitle="Every release, withdrawal, retirement and sampling-weight change, dated." what="lifecycle log" state={log}>
      {(report) =>
        report.events.length === 0 ? (
          <p class="audit-note">Nothing has happened yet.</p>
        ) : (
          <div class="table-scroll">
            <table class="audit-table" data-testid="lifecycle-table">
              <caption>Updated {formatTime(report.computedAt)}</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Model</th>
                  <th scope="col">Lab</th>
                  <th scope="col">What happened</th>
                </tr>
              </thead>
              <tbody>
                {report.events.map((e, i) => (
                  <tr key={`${e.modelId}-${e.at}-${i}`}>
                    <td>{formatTime(e.at)}</td>
                    <th scope="row">{e.name}</th>
                    <td>{e.organization}</td>
                    <td>{describe(e)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Published>
  );
}
