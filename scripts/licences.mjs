// Writes docs/licences.md: the licence of every installed production dependency, direct or transitive.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const tree = JSON.parse(execSync('npm ls --omit=dev --all --json', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
const found = new Map();
(function walk(node) {
  for (const [name, dep] of Object.entries(node.dependencies ?? {})) {
    if (!dep.version) continue; // an optional dependency not installed on this platform
    const id = `${name}@${dep.version}`;
    if (!found.has(id)) found.set(id, JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).license ?? 'unknown');
    walk(dep);
  }
})(tree);
const byLicence = {};
for (const [id, licence] of found) {
  byLicence[licence] = [...(byLicence[licence] ?? []), id];
}
let out =
  '# Licences of shipped packages\n\nProduction dependencies, direct and transitive, by licence. Regenerate with `node scripts/licences.mjs`.\n\n';
for (const [licence, ids] of Object.entries(byLicence).sort()) out += `## ${licence} (${ids.length})\n\n${ids.sort().join(', ')}\n\n`;
out += `## Data and models shipped with Qala

- \`models/sentiment-kk.qtm\`: trained on KazSAnDRA by ISSAI (Nazarbayev University), CC BY 4.0; attribution and
  provenance in [models/README.md](../models/README.md).
- \`config/cities/astana/districts.geojson\`: © OpenStreetMap contributors, ODbL 1.0; see
  [config/cities/astana/NOTICE.md](../config/cities/astana/NOTICE.md).
`;
writeFileSync('docs/licences.md', out);
process.stdout.write(
  `${Object.entries(byLicence)
    .map(([l, ids]) => `${l}: ${ids.length}`)
    .join(', ')}\n`,
);
