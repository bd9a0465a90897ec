// Screenshots of the hub as each demo person sees it, at 1280 and 320 px wide, into
// docs/screens/ (PNG, the whole page up to 2,400 px tall, JavaScript off; the map beside
// directory results, drawn with JavaScript, on a plain ground as the tests run it), so anyone
// can see the hub without running it.
// Run: scripts/screens (builds village, starts a demo hub, and calls this).
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHub, launch, signIn } from './harness.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screens');
const OFFER = '/directory/offers/00d00002-0000-4000-8000-000000000001';

// [who (null: signed out), name, path]
const SHOTS = [
  [null, 'home-signed-out', '/'],
  [null, 'directory', '/directory'],
  [null, 'directory-search', '/directory?q=walk&postcode=MF1+2AB&within=5'],
  [null, 'offer', OFFER],
  [null, 'offer-history', `${OFFER}/history`],
  [null, 'worried-about-someone', '/concerns/new'],
  [null, 'directory-map', 'map:/directory?q=walk&postcode=MF1+2AB&within=5'],
  ['grace@meadowfield.example', 'home-member', '/'],
  ['grace@meadowfield.example', 'first-steps-welcome', '/welcome'],
  ['grace@meadowfield.example', 'first-steps-1-interests', '/me/profile/interests?start=1'],
  ['grace@meadowfield.example', 'first-steps-2-area', '/me/profile/travel?start=2'],
  ['grace@meadowfield.example', 'first-steps-3-free', '/me/profile/availability?start=3'],
  ['grace@meadowfield.example', 'profile', '/me/profile'],
  ['grace@meadowfield.example', 'circle', '/me/circle'],
  ['grace@meadowfield.example', 'ideas', '/me/ideas'],
  ['grace@meadowfield.example', 'connectors', '/me/connectors'],
  ['grace@meadowfield.example', 'confirm-leave-circle', 'first-link:/me/circle:a[href$="/remove"]'],
  ['grace@meadowfield.example', 'help-board', '/help'],
  ['grace@meadowfield.example', 'help-board-near', '/help?near=MF1&kind=ask'],
  ['grace@meadowfield.example', 'help-ask', '/help/new'],
  ['grace@meadowfield.example', 'help-post', 'first-link:/help:main a[href^="/help/posts/"]'],
  ['grace@meadowfield.example', 'help-mine', '/help/mine'],
  ['grace@meadowfield.example', 'help-match', 'first-link:/help/mine:main a[href^="/help/matches/"]'],
  ['grace@meadowfield.example', 'help-time', '/help/time'],
  ['sam.okafor@meadowfield.example', 'home-connector', '/'],
  ['sam.okafor@meadowfield.example', 'connector-people', '/connector/people'],
  ['sam.okafor@meadowfield.example', 'connector-about', '/connector/about'],
  ['bronwen@meadowfield.example', 'home-steward', '/'],
  ['bronwen@meadowfield.example', 'review', '/directory/review'],
  ['bronwen@meadowfield.example', 'safeguarding', '/safeguarding'],
  ['bronwen@meadowfield.example', 'help-safety-checks', '/help/safety-marks'],
  ['joan@meadowfield.example', 'help-coordinate', '/help/coordinate'],
  ['david.chen@meadowfield.example', 'home-council-officer', '/'],
  ['david.chen@meadowfield.example', 'open-data', '/directory/open-data'],
  ['admin@meadowfield.example', 'home-hub-admin', '/'],
  ['admin@meadowfield.example', 'people-and-roles', '/admin/users'],
];

const hub = await startHub();
const browser = await launch();
try {
  mkdirSync(OUT, { recursive: true });
  const contexts = new Map();
  const pageFor = async (who, width, script = false) => {
    const key = `${who}@${width}@${script}`;
    if (!contexts.has(key)) {
      const context = await browser.newContext({ javaScriptEnabled: script, viewport: { width, height: width > 400 ? 800 : 640 } });
      const page = await context.newPage();
      if (who) await signIn(page, hub.base, who);
      contexts.set(key, page);
    }
    return contexts.get(key);
  };
  for (const [who, name, path] of SHOTS) {
    for (const width of [1280, 320]) {
      const page = await pageFor(who, width, path.startsWith('map:'));
      if (path.startsWith('map:')) {
        await page.goto(hub.base + path.slice('map:'.length));
        await page.locator('#map-panel summary').click();
        await page.locator('.leaflet-marker-icon').first().waitFor();
        await page.locator('#map-panel').scrollIntoViewIfNeeded();
        await page.locator('#map-panel').screenshot({ path: join(OUT, `${name}-${width}.png`) });
        continue;
      }
      if (path.startsWith('first-link:')) {
        const [, from, selector] = path.split(':');
        await page.goto(hub.base + from);
        await page.locator(selector).first().click();
      } else {
        await page.goto(hub.base + path);
      }
      // The whole page, up to 2,400 px tall (the directory's full list would be ten times that).
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({
        path: join(OUT, `${name}-${width}.png`),
        fullPage: true,
        clip: { x: 0, y: 0, width, height: Math.min(height, 2400) },
      });
    }
    console.log(`${name}: ${who ?? 'signed out'}`);
  }
} finally {
  await browser.close();
  await hub.stop();
}
