/**
 * The audit of excluded votes: for one category, what share of each lab's
 * and each model's stored votes every filter left out, so anyone can see the
 * filters fall evenly on every lab. The category lives in the query string.
 */
import { useLocation } from "preact-iso";
import type { AuditCounts, AuditReport } from "../../../src/wire";
import { useJson } from "../api/use-json";
import { useTitle } from "../app/use-title";
import { formatCount, formatTime } from "../leaderboard/format";
import "../leaderboard/leaderboard.css";
import "./audit.css";

/** Reason ids as people read them. */
const REASON_LABELS: Record<string, string> = {
  not_anonymous: "Not anonymous",
  side_error: "Answer failed",
  empty_response: "Empty answer",
  identity_revealed: "Model named itself",
  vote_cap: "Over vote cap",
  duplicate_prompt: "Repeated prompt",
  anomalous_voter: "Anomalous voter",
};

const labelOf = (reason: string) => REASON_LABELS[reason] ?? reason.replaceAll("_", " ");

/** Share of stored votes, one decimal; "–" when nothing is stored. */
function share(part: number, counts: AuditCounts): string {
  return counts.stored === 0 ? "–" : `${((100 * part) / counts.stored).toFixed(1)}%`;
}

function CountsTable({ caption, rows, reasons }: { caption: string; rows: Array<{ key: string; label: preact.ComponentChildren; counts: AuditCounts }>; reasons: string[] }) {
  return (
    <div class="table-scroll">
      <table class="audit-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" class="num">Stored</th>
            <th scope="col" class="num">Counted</th>
            {reasons.map((reason) => (
              <th key={reason} scope="col" class="num">
                {labelOf(reason)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, label, counts }) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td class="num">{formatCount(counts.stored)}</td>
              <td class="num">{share(counts.counted, counts)}</td>
              {reasons.map((reason) => (
                <td key={reason} class="num" title={`${formatCount(counts.excluded[reason] ?? 0)} votes`}>
                  {share(counts.excluded[reason] ?? 0, counts)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Anomaly({ report }: { report: AuditReport }) {
  const a = report.anomaly;
  if (!a) return null;
  return (
    <p class="audit-note" data-testid="audit-anomaly">
      Anomalous-voter test: a session, and an IP with all its sessions' votes together, with at least {a.minVotes} tested votes is flagged when its
      combined p-value is under {a.alpha} (pairs with fewer than {a.minPairHistory} other votes are not tested). Now{" "}
      {formatCount(a.sessionsFlagged)} of {formatCount(a.sessionsTested)} tested sessions and {formatCount(a.ipsFlagged)} of{" "}
      {formatCount(a.ipsTested)} tested IPs are flagged, and {formatCount(a.votesExcluded)} of their votes are left out; a flag lifts when the evidence
      changes.
    </p>
  );
}

export function AuditPage() {
  const { query, route } = useLocation();
  useTitle("Audit of excluded votes");
  const audit = useJson<AuditReport>("/api/v1/audit");
  const report = audit.status === "ok" ? audit.data : null;
  const category = report?.categories.find((c) => c.category === query.category) ?? report?.categories[0];
  return (
    <div class="audit-page">
      <header class="page-header">
        <h1>Audit of excluded votes</h1>
        <p class="page-subtitle">
          Every vote is stored. These tables show, per lab and per model, the share of stored votes that counted and the share each filter left out.
          {report && ` Updated ${formatTime(report.computedAt)}.`}
        </p>
      </header>
      {audit.status === "loading" && <p class="loading">Loading the audit…</p>}
      {audit.status === "missing" && (
        <section class="empty-state" data-testid="audit-empty">
          <h2>Nothing audited yet</h2>
          <p>The audit appears after the first votes and the next ranking run.</p>
        </section>
      )}
      {audit.status === "error" && (
        <p class="request-error" role="alert">
          {audit.message}
        </p>
      )}
      {report && category && (
        <>
          <label class="audit-category">
            Category{" "}
            <select value={category.category} onChange={(e) => route(`/audit?${new URLSearchParams({ category: e.currentTarget.value })}`, true)}>
              {report.categories.map((c) => (
                <option key={c.category} value={c.category}>
                  {c.category}
                </option>
              ))}
            </select>
          </label>
          <p class="audit-note">
            {formatCount(category.totals.stored)} votes stored, {formatCount(category.totals.counted)} counted ({share(category.totals.counted, category.totals)}). A
            vote involves two models, so it appears in both models' rows and in their labs'.
          </p>
          <CountsTable
            caption="By lab"
            reasons={report.reasons}
            rows={category.labs.map((lab) => ({ key: lab.organization, label: lab.organization, counts: lab }))}
          />
          <CountsTable
            caption="By model"
            reasons={report.reasons}
            rows={category.models.map((m) => ({ key: m.modelId, label: <a href={`/models/${encodeURIComponent(m.modelId)}`}>{m.name}</a>, counts: m }))}
          />
          <Anomaly report={report} />
        </>
      )}
    </div>
  );
}
