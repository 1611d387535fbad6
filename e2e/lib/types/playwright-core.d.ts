// Stands in for playwright-core's own types only where e2e/node_modules is not installed (npm run typecheck on a
// fresh clone); e2e/tsconfig.json's `paths` prefer the real package when e2e/setup.sh has installed it.
/* eslint-disable @typescript-eslint/no-explicit-any */
export declare const chromium: any;
export type Browser = any;
export type Page = any;
export type Locator = any;
