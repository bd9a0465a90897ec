// Shared helpers for the browser tests: start a real `village serve` on port 0 with the demo
// neighbourhood, launch Debian's Chromium through playwright-core, and run axe-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const DEMO_PASSWORD = 'meadowfield-demo-2026';
export const ADMIN = 'admin@meadowfield.example';
export const MEMBER = 'grace@meadowfield.example';

/** Start a hub. Resolves with { base, dataDir, stop }. */
export async function startHub(extraArgs = []) {
  const bin = process.env.VILLAGE_BIN;
  if (!bin) throw new Error('VILLAGE_BIN is not set: run the browser tests through scripts/test');
  const dataDir = mkdtempSync(join(tmpdir(), 'village-e2e-'));
  // No map pictures from elsewhere in tests: the map draws its places on a plain ground.
  const config = join(dataDir, 'village.toml');
  writeFileSync(config, '[map]\ntiles = ""\n');
  const child = spawn(bin, ['serve', '--demo', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--config', config, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VILLAGE_LOG: 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the hub did not start in time:\n${out}\n${stderr}`)), 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Village is running at (http:\/\/[0-9.:]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the hub stopped (code ${code}):\n${out}\n${stderr}`)); });
  });
  const stop = () => new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code, signal) => { rmSync(dataDir, { recursive: true, force: true }); resolve({ code, signal }); });
    child.kill('SIGTERM');
  });
  return { base, dataDir, stop };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Run axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) and return readable violations. */
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return result;
}

export async function signIn(page, base, email, password = DEMO_PASSWORD) {
  await page.goto(`${base}/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit].button');
  await page.waitForLoadState('load');
}

/** The newest email in the hub's outbox. */
export function newestEmail(dataDir) {
  const dir = join(dataDir, 'outbox');
  const files = readdirSync(dir).filter((f) => f.endsWith('.eml'))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => a.t - b.t);
  if (files.length === 0) return null;
  return readFileSync(join(dir, files[files.length - 1].f), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
}

/**
 * Words in the page's main content that are broken across two lines ("Contac / t"): letters
 * only, 2 to 24 of them, outside visually hidden text and the long codes meant to break.
 */
export async function brokenWords(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    if (!main) return [];
    const broken = new Set();
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const parent = node.parentElement;
      if (!parent || parent.closest('.visually-hidden, .token, svg')) continue;
      // Whole words only: an email address or a web address wider than the screen has to
      // break somewhere.
      const re = /(^|[\s(“"])([A-Za-z\u2019']{2,24})(?=[.,;:!?)”"]*(\s|$))/g;
      let m;
      while ((m = re.exec(node.textContent))) {
        const start = m.index + m[1].length;
        range.setStart(node, start);
        range.setEnd(node, start + m[2].length);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
        if (rects.length > 1 && Math.abs(rects[0].top - rects[rects.length - 1].top) > 2) broken.add(m[2]);
      }
    }
    return [...broken];
  });
}

/**
 * What every page must be, checked in a page where script runs: no axe-core violations, one
 * <h1>, no sideways scrolling and no words broken across two lines.
 */
export async function checkPage(page, label) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${label}: axe-core found problems:\n${JSON.stringify(violations, null, 2)}`);
  assert.equal(await page.locator('h1').count(), 1, `${label}: one <h1>`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${label}: scrolls sideways by ${overflow}px`);
  assert.deepEqual(await brokenWords(page), [], `${label}: words broken across two lines`);
}

/**
 * A person signed in twice at 320 px wide (or not signed in, with no `email`): `page`, with JavaScript off, where they act, and
 * `axePage`, where axe-core checks pages (it needs script to run). `checkUrl(path, status)`
 * opens a page there and checks it with `check` (by default `checkPage`).
 */
export async function signedInTwice(browser, hub, email, check = checkPage) {
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 700 } });
  const page = await noJs.newPage();
  if (email) await signIn(page, hub.base, email);
  const axeContext = await browser.newContext({ bypassCSP: true, viewport: { width: 320, height: 700 } });
  const axePage = await axeContext.newPage();
  if (email) await signIn(axePage, hub.base, email);
  const checkUrl = async (path, status = 200) => {
    const r = await axePage.goto(hub.base + path);
    assert.equal(r.status(), status, `${path} answers`);
    await check(axePage, path);
  };
  return { page, axePage, checkUrl, close: async () => { await noJs.close(); await axeContext.close(); } };
}
