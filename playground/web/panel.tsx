// The simulated provider accounts, to poke: what each provider routes right now, with the means to
// change it behind Switchboard's back, buy a number, take the provider down and script test calls.
import { useState } from "react";
import type { CallOutcome, PgProvider, ProviderFault } from "../protocol";
import { post } from "./api";

const FAULT_LABEL: Record<ProviderFault, string> = {
  none: "Up",
  outage: "Down: every request answers 503",
  unreachable: "Unreachable: connections reset",
  revoked: "API key revoked: 401",
};
const OUTCOME_LABEL: Record<CallOutcome, string> = {
  answered: "answered",
  no_answer: "no answer",
  busy: "busy",
  failed: "failed",
};

export function formatNumber(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `+1 ${m[1]}-${m[2]}-${m[3]}` : e164;
}

export function ProvidersPanel({
  providers,
  run,
}: {
  providers: PgProvider[];
  run: (p: Promise<unknown>) => void;
}) {
  return (
    <aside className="pg-providers" aria-label="Simulated provider accounts">
      <h2>Provider accounts (simulated)</h2>
      <p className="pg-muted">
        What Retell, Vapi and Bland route right now. Changes here happen behind Switchboard's back: it notices
        at its next sync (<code>/numbers sync</code>, <code>/numbers check</code>, or the check every 5
        minutes).
      </p>
      {providers.map((p) => (
        <ProviderCard key={p.name} provider={p} run={run} />
      ))}
    </aside>
  );
}

function ProviderCard({ provider: p, run }: { provider: PgProvider; run: (p: Promise<unknown>) => void }) {
  const [nickname, setNickname] = useState("");
  const [outcome, setOutcome] = useState<CallOutcome>("no_answer");
  const poke = (body: Record<string, unknown>) => run(post("/api/provider", { provider: p.name, ...body }));
  const agentName = (id: string) => p.agents.find((a) => a.id === id)?.name ?? id;
  return (
    <details className="pg-provider" open={p.name === "retell"} data-provider={p.name}>
      <summary>
        <b>{p.label}</b>{" "}
        <span className="pg-muted">
          {p.numbers.length} numbers · {p.agents.length} agents
        </span>
        {p.fault !== "none" && <span className="pg-fault">{p.fault}</span>}
      </summary>
      <label className="pg-row">
        Status
        <select
          className="pg-select"
          aria-label={`${p.label} status`}
          value={p.fault}
          onChange={(e) => poke({ op: "fault", fault: e.target.value })}
        >
          {(Object.keys(FAULT_LABEL) as ProviderFault[]).map((f) => (
            <option key={f} value={f}>
              {FAULT_LABEL[f]}
            </option>
          ))}
        </select>
      </label>
      <table className="pg-numbers">
        <tbody>
          {p.numbers.map((n) => (
            <tr key={n.e164}>
              <td>
                <code>{formatNumber(n.e164)}</code>
                {n.nickname && <div className="pg-muted">{n.nickname}</div>}
              </td>
              <td>
                <select
                  className="pg-select"
                  aria-label={`${p.label} routing of ${n.e164}`}
                  value={n.agentIds[0] ?? ""}
                  onChange={(e) =>
                    poke({ op: "bind", e164: n.e164, agentIds: e.target.value ? [e.target.value] : [] })
                  }
                >
                  <option value="">— no agent —</option>
                  {p.agents.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
                {n.agentIds.length > 1 && (
                  <div className="pg-muted">split: {n.agentIds.map(agentName).join(", ")}</div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="pg-row"
        onSubmit={(e) => {
          e.preventDefault();
          poke({ op: "buy", nickname });
          setNickname("");
        }}
      >
        <input
          className="pg-text"
          placeholder="nickname (optional)"
          aria-label={`${p.label} new number nickname`}
          value={nickname}
          onChange={(e) => setNickname(e.target.value)}
        />
        <button type="submit" className="pg-btn">
          Buy a number
        </button>
      </form>
      <div className="pg-subtitle">Agents (published ones can take calls)</div>
      <ul className="pg-agents">
        {p.agents.map((a) => (
          <li key={a.id}>
            <label>
              <input
                type="checkbox"
                checked={a.published}
                onChange={(e) => poke({ op: "publish", agentId: a.id, published: e.target.checked })}
              />{" "}
              {a.name}
            </label>
          </li>
        ))}
      </ul>
      <form
        className="pg-row"
        onSubmit={(e) => {
          e.preventDefault();
          poke({ op: "call", outcome });
        }}
      >
        Next test call:
        <select
          className="pg-select"
          aria-label={`${p.label} next test call outcome`}
          value={outcome}
          onChange={(e) => setOutcome(e.target.value as CallOutcome)}
        >
          {(Object.keys(OUTCOME_LABEL) as CallOutcome[]).map((o) => (
            <option key={o} value={o}>
              {OUTCOME_LABEL[o]}
            </option>
          ))}
        </select>
        <button type="submit" className="pg-btn">
          Queue
        </button>
      </form>
      <div className="pg-muted">
        Queued: {p.nextCalls.length ? p.nextCalls.map((o) => OUTCOME_LABEL[o]).join(", ") : "none"} (then:
        answered)
      </div>
      {p.calls.length > 0 && (
        <>
          <div className="pg-subtitle">Recent test calls</div>
          <ul className="pg-calls">
            {p.calls.map((c) => (
              <li key={c.id}>
                <code>{formatNumber(c.from)}</code> → <code>{formatNumber(c.to)}</code> via{" "}
                {agentName(c.agentId)}{" "}
                <span className="pg-muted">
                  (read {c.reads}/{c.steps})
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}
