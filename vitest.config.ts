import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Starts DynamoDB Local, fauxqs and moto once per run (scripts/ensure-emulators.mjs fetches them).
    globalSetup: ['tests/support/global-setup.ts'],
    // The SDK warns that it will need Node 22 from 2027; the project supports Node 20 until then.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
