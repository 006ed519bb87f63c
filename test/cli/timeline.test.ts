/** `kubedrill timeline` draws a lane per node, a bar per pod and marks for faults and failed assertions. */
import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli } from '../helpers.js';

const root = join(import.meta.dirname, '..', '..');
process.chdir(root);

t.test('an SVG and an HTML picture of a node failure', async (tt) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubedrill-timeline-'));
  const file = '../shared/examples/03-faults.yaml';
  const scenario = 'a pod on a failed node is replaced after the default toleration of 300s';
  const svg = join(dir, 'run.svg');
  const r = await cli(['timeline', file, '--scenario', scenario, '-o', svg]);
  tt.equal(r.code, 0, r.err);
  const text = readFileSync(svg, 'utf8');
  tt.match(text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  tt.match(text, />node-1<\/text>/);
  tt.match(text, />node-2<\/text>/);
  tt.match(text, /<title>web-[a-z0-9]+-[a-z0-9]{5} Running /, 'a bar per pod, coloured by phase');
  tt.match(text, /<title>1m0s nodeDown node-1<\/title>/, 'a mark for the fault');
  tt.match(text, /Ready=Unknown/, 'the node outage is drawn');
  tt.match(text, /<\/svg>\n$/);
  const html = join(dir, 'run.html');
  tt.equal((await cli(['timeline', file, '--scenario', scenario, '-o', html])).code, 0);
  tt.match(readFileSync(html, 'utf8'), /^<!doctype html>/);
  tt.equal((await cli(['timeline', file, '--scenario', scenario, '-o', join(dir, 'run.png')])).code, 2, 'only svg or html');
});
