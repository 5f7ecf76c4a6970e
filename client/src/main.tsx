/**
 * Entry of the web client. The arena (battle page) is in the first load; the
 * leaderboard, model, audit, sampling, shared-battle, account and history pages are separate chunks loaded when
 * visited, so their charts and scales do not count against the arena's budget.
 */
import { render } from "preact";
import { ErrorBoundary, LocationProvider, Route, Router, lazy } from "preact-iso";
import { Shell } from "./app/Shell";
import { BattlePage } from "./battle/BattlePage";
import { NotFound } from "./app/NotFound";
import "./styles.css";

const LeaderboardPage = lazy(() => import("./leaderboard/LeaderboardPage").then((m) => m.LeaderboardPage));
const ModelPage = lazy(() => import("./model/ModelPage").then((m) => m.ModelPage));
const AuditPage = lazy(() => import("./audit/AuditPage").then((m) => m.AuditPage));
const SamplingPage = lazy(() => import("./sampling/SamplingPage").then((m) => m.SamplingPage));
const RegisterPage = lazy(() => import("./transparency/RegisterPage").then((m) => m.RegisterPage));
const LifecyclePage = lazy(() => import("./transparency/LifecyclePage").then((m) => m.LifecyclePage));
const AccountPage = lazy(() => import("./account/AccountPage").then((m) => m.AccountPage));
const HistoryPage = lazy(() => import("./account/HistoryPage").then((m) => m.HistoryPage));
const HistoryDetailPage = lazy(() => import("./account/HistoryDetailPage").then((m) => m.HistoryDetailPage));
const SharedBattlePage = lazy(() => import("./shared/SharedBattlePage").then((m) => m.SharedBattlePage));

function App() {
  return (
    <LocationProvider>
      <Shell>
        <ErrorBoundary>
          <Router>
            <Route path="/" component={BattlePage} />
            <Route path="/leaderboard" component={LeaderboardPage} />
            <Route path="/models/:id" component={ModelPage} />
            <Route path="/audit" component={AuditPage} />
            <Route path="/sampling" component={SamplingPage} />
            <Route path="/register" component={RegisterPage} />
            <Route path="/lifecycle" component={LifecyclePage} />
            <Route path="/account" component={AccountPage} />
            <Route path="/history" component={HistoryPage} />
            <Route path="/history/:id" component={HistoryDetailPage} />
            {/* The path POST /api/v1/battles/{id}/share answers. */}
            <Route path="/shared/:id/:token" component={SharedBattlePage} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </Shell>
    </LocationProvider>
  );
}

render(<App />, document.getElementById("app")!);
