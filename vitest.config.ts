import { defineConfig } from 'vitest/config';
import { currentBuildOf } from './test/support/cli-entry.js';
import { REAPER_ENTRY_ENV } from './sandbox/stack/reaper.js';

/**
 * Test files that start a process, a container or a server (directly or through the CLI they run): the
 * integration project. Every other file is a unit test, and the unit project refuses to spawn or listen
 * (test/support/unit-guard.ts), so a file missing here fails at once with a message that says so.
 */
export const INTEGRATION_TESTS = [
  'test/binaries/binary-catalogue.test.ts',
  'test/binaries/version.test.ts',
  'test/cleanup/docker-run-sweep.test.ts',
  'test/cli/cli-fuzz.test.ts',
  'test/cli/commands/check.test.ts',
  'test/cli/commands/generate-loki.test.ts',
  'test/cli/commands/generate-remote-write.test.ts',
  'test/cli/commands/generate-push-auth-tls.test.ts',
  'test/cli/commands/generate-remote-write-tls.test.ts',
  'test/cli/commands/generate-signals.test.ts',
  'test/cli/commands/generate.test.ts',
  'test/cli/commands/replay-live.test.ts',
  'test/cli/commands/replay-reports.test.ts',
  'test/cli/commands/replay.test.ts',
  'test/cli/commands/start-cleanup.test.ts',
  'test/cli/commands/start-history.test.ts',
  'test/cli/commands/start-output.test.ts',
  'test/cli/commands/start-push-tls.test.ts',
  'test/cli/commands/start-remote-write.test.ts',
  'test/cli/commands/start.test.ts',
  'test/cli/commands/status-down.test.ts',
  'test/cli/commands/system-files.test.ts',
  'test/cli/main.test.ts',
  'test/cli/program.test.ts',
  'test/generate-control/generator-control.test.ts',
  'test/generate-control/generator-webhook.test.ts',
  'test/generators/live/live-generators.test.ts',
  'test/generators/model/user-file.test.ts',
  'test/generators/outputs/logs/loki-push.test.ts',
  'test/generators/outputs/metrics/summary-value.test.ts',
  'test/generators/outputs/metrics/target-server.test.ts',
  'test/generators/outputs/remote-write/prometheus-receiver.test.ts',
  'test/generators/outputs/remote-write/remote-write-output.test.ts',
  'test/generators/outputs/remote-write/sender.test.ts',
  'test/generators/outputs/traces/otlp-export.test.ts',
  'test/generators/systems/seed-systems-e2e.test.ts',
  'test/generators/systems/vaultmesh/portal.test.ts',
  'test/mutate/mutation-testing.test.ts',
  'test/promtool/promtool-check-output.test.ts',
  'test/promtool/promtool-container.test.ts',
  'test/promtool/series-read-promtool.test.ts',
  'test/replay/junit-report.test.ts',
  'test/replay/live/live-replay.test.ts',
  'test/replay/live/notification-wait.test.ts',
  'test/replay/live/remote/alertmanager-watch.test.ts',
  'test/replay/live/remote/remote-replay-scaled.test.ts',
  'test/replay/live/remote/remote-replay.test.ts',
  'test/replay/live/seed-live-replay.test.ts',
  'test/replay/replay-cache.test.ts',
  'test/routing/inhibition.test.ts',
  'test/routing/routing-check.test.ts',
  'test/rules/for-scale.test.ts',
  'test/rules/prometheus-rule-resource.test.ts',
  'test/rules/rule-identity.test.ts',
  'test/scenario/scenario-schema-corpus.test.ts',
  'test/scenarios/bundled-scenarios.test.ts',
  'test/session/session.test.ts',
  'test/stack/compose-file.test.ts',
  'test/stack/configs/prometheus-config.test.ts',
  'test/stack/control-server.test.ts',
  'test/stack/dashboards/bundled.test.ts',
  'test/stack/docker/docker-stack.test.ts',
  'test/stack/native/http-ok.test.ts',
  'test/stack/native/native-stack.test.ts',
  'test/stack/process-identity.test.ts',
  'test/stack/reaper.test.ts',
  'test/stack/rules-after-first-scrape.test.ts',
  'test/stack/sandbox-stack.test.ts',
  'test/stack/services/prometheus-compat.test.ts',
  'test/stack/services/tempo-native.test.ts',
  'test/stack/webhook-receiver.test.ts',
  'test/support/cli-reaper.test.ts',
  'test/testing/start-sandbox.test.ts',
  'test/tui/tui-e2e.test.ts',
];

function reaperEntry(): Record<string, string> {
  const built = currentBuildOf('sandbox/stack/reaper-main');
  return built ? { [REAPER_ENTRY_ENV]: built } : {};
}

const ALL_TESTS = ['test/**/*.test.ts', 'test/**/*.test.tsx'];
const common = { testTimeout: 120_000, hookTimeout: 180_000, pool: 'forks' } as const;

export default defineConfig({
  test: {
    // The whole run's leak check; with projects, the root's global setup runs once for all of them.
    globalSetup: ['test/support/global-setup.ts'],
    // vitest's default (cores - 1) is one worker on a 2-core machine; the tests wait on services far more
    // than they compute, and each scopes what it checks to what it started, so two files run at once.
    maxWorkers: 2,
    // Transformed modules kept on disk between runs (keyed by their content): a second `npm run test:unit`
    // skips most of the transform time (4.7 s -> 0.8 s of it, 17.4 s -> 14.8 s wall).
    experimental: { fsModuleCache: true },
    projects: [
      {
        test: {
          ...common,
          name: 'unit',
          include: ALL_TESTS,
          exclude: INTEGRATION_TESTS,
          // A worker runs file after file: the packages under node_modules (ink and react, the Kubernetes
          // models, faker, OpenTelemetry) load once per worker instead of once per file, which was most of
          // the time the unit tests took. The project's own modules are still loaded afresh for each file
          // (unit-guard.ts resets them), so vi.mock and module state stay per file, as with isolation.
          isolate: false,
          // A package that reads the environment as it loads (chalk) now sees the first file's: every file
          // gets the same one, so the colours the TUI tests check do not depend on which file ran first.
          env: { FORCE_COLOR: '1' },
          setupFiles: ['test/support/unit-guard.ts'],
        },
      },
      {
        test: {
          ...common,
          name: 'integration',
          include: INTEGRATION_TESTS,
          // As for the unit project: testcontainers, dockerode, OpenTelemetry, prom-client and ink load once
          // per worker instead of once per file (a third of the project's time went into loading them).
          // What a file changes in the worker's process (environment, process listeners and the exit hooks
          // among them, mocks) is undone when it ends, and its project modules load afresh (setup file).
          isolate: false,
          setupFiles: ['test/support/integration-reset.ts'],
          // A sandbox started in a test runs its reaper from the build of the same code, not through tsx.
          env: reaperEntry(),
        },
      },
    ],
  },
});
