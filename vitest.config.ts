import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CI has 2 cores; each file starts its own workspace
    pool: 'forks',
    maxWorkers: 2,
    // GitHub's workflow parser imports its JSON schema without an import attribute, which Node's own
    // loader refuses: let Vite load it (test/cli/init.test.ts)
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
