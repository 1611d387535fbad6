// Bundles the extension (dist/extension.js) or the TypeScript tests (out/ts-tests/**) with esbuild.
// Usage: node scripts/build.mjs extension|tests|package [--watch]
//   package: the minified extension for the VSIX, after checking the published host is there to ship.
import { build, context } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const target = process.argv[2] ?? 'extension';
const watch = process.argv.includes('--watch');

if (target === 'package' && !existsSync('out/server/plexus-host') && !existsSync('out/native/plexus-host')) {
  console.error('out/server/plexus-host and out/native/plexus-host are missing: a VSIX must ship a host. Build it first: ./plexus build');
  process.exit(1);
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'info',
};

let options;
if (target === 'extension' || target === 'package') {
  options = {
    ...common,
    entryPoints: ['extension/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    ...(target === 'package' ? { minify: true, sourcemap: false } : {}),
  };
} else if (target === 'tests') {
  const testDir = 'tests/extension';
  const entryPoints = readdirSync(testDir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => ({
      in: join(testDir, f),
      // client tests start a real host; unit tests need no process
      out: join(f.startsWith('client') ? 'client' : 'unit', f.replace(/\.ts$/, '')),
    }));
  options = {
    ...common,
    entryPoints,
    outdir: 'out/ts-tests',
    // tests must never reach the editor API; a stray import fails the build here
    external: [],
  };
} else {
  console.error(`unknown target '${target}': use extension, tests or package`);
  process.exit(2);
}

if (watch) {
  const ctx = await context(options);
  await ctx.watch();
} else {
  await build(options);
}
