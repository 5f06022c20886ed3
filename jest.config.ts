// Jest runs the TypeScript sources as native ES modules (middy 5+ ships only ESM), transformed by SWC; the npm
// test script adds --experimental-vm-modules. One config, one run: unit, handler, integration, browser and stack tests,
// and the tests of the client package in clients/.
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' } }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/clients/*/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/environment.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
  // Two files at once on the 2-core machines the suite runs on (Jest's default would be one): while one waits on HTTP,
  // DynamoDB Local or Chromium, the other synthesizes or hashes. Every file has its own companies, addresses and
  // ports, so none sees another's data.
  maxWorkers: 2,
};

export default config;
