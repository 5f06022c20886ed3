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
};

export default config;
