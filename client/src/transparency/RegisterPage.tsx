/**
 * The private-variant register: every preview a lab tested under a
 * codename, made public (with its dates, votes and score) when that lab
 * releases or withdraws a model. The answer to "test many variants in
 * private and publish the best one".
 */
import type { VariantRegister } from "../../../src/wire";
import { useJson } from "../api/use-json";
import { useTitle } from "../app/use-title";
import { formatCount, formatTime } from "../leaderboard/format";
import { Published } from "./Published";
import "../leaderboard/leaderboard.css";
import "../audit/audit.css";

const STATUS: Record<VariantRegister["entries"][number]["status"], string> = {
  preview: "Still in preview",
  active: "Released",
  withdrawn: "Withdrawn",
  retired: "Released, since retired",
};

const score = (e: VariantRegister["entries"][number]) =>
  e.rating === null ? "–" : `${Math.round(e.rating)}${e.lower !== null && e.upper !== null ? ` (${Math.round(e.lower)}–${Math.round(e.upper)})` : ""}`;

export function RegisterPage() {
  useTitle("Private-variant register");
  const register = useJson<VariantRegister>("/api/v1/register");
  return (
    <Published
      title="Private-variant register"
      subtitle="Every model a lab tested in private, published when that lab releases or withdraws a model."
      what="register"
      state={register}
    >
      {(report) =>
        report.entries.length === 0 ? (
          <p class="audit-note">No lab has released or withdrawn a preview yet.</p>
        ) : (
          <div class="table-scroll">
            <table class="audit-table" data-testid="register-table">
              <caption>Updated {formatTime(report.computedAt)}</caption>
              <thead>
                <tr>
                  <th scope="col">Lab</th>
                  <th scope="col">Codename</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Registered</th>
                  <th scope="col">Ended</th>
                  <th scope="col" class="num">Votes</th>
                  <th scope="col" class="num">Score (95% interval)</th>
                </tr>
              </thead>
              <tbody>
                {report.entries.map((e) => (
                  <tr key={e.modelId}>
                    <td>{e.lab}</td>
                    <th scope="row">{e.codename}</th>
                    <td>
                      {STATUS[e.status]}
                      {e.publicName && (
                        <>
                          {" as "}
                          <a href={`/models/${encodeURIComponent(e.modelId)}`}>{e.publicName}</a>
                        </>
                      )}
                    </td>
                    <td>{formatTime(e.registeredAt)}</td>
                    <td>{formatTime(e.releasedAt ?? e.withdrawnAt ?? e.disclosedAt)}</td>
                    <td class="num">{formatCount(e.votes)}</td>
                    <td class="num">{score(e)}</td>
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
