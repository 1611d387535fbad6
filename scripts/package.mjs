// Builds the VSIXes from what ./plexus build published, and prints their sizes:
//   plexus-vscode.vsix            universal: the framework-dependent host (out/server), needs the .NET 10 runtime
//   plexus-vscode-<target>.vsix   for this platform: the native host (out/native), needs no runtime
// Usage: node scripts/package.mjs <native target, e.g. linux-x64, or "" when none was built>
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const nativeTarget = process.argv[2] ?? '';
const common = ['--readme-path', 'docs/extension-readme.md', '--no-dependencies', '--skip-license', '--allow-missing-repository'];
const packages = [{ file: 'plexus-vscode.vsix', args: [] }];
if (nativeTarget) {
  if (!existsSync('out/native/plexus-host')) {
    console.error(`out/native/plexus-host is missing: the ${nativeTarget} VSIX must ship the native host. Build it first: ./plexus build`);
    process.exit(1);
  }
  packages.push({ file: `plexus-vscode-${nativeTarget}.vsix`, args: ['--target', nativeTarget, '--ignoreFile', '.vscodeignore.native'] });
}

for (const { file, args } of packages) {
  const result = spawnSync('node_modules/.bin/vsce', ['package', ...common, ...args, '--out', file], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}
for (const { file } of packages) {
  console.log(`${file}: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`);
}
