// Deciding together in a real browser with JavaScript off, at 320 px: the demo's
// co-production board, a decided proposal with its answered block and published dissent, an
// open proposal waiting for voices with lived experience (a stance taken, a close refused and
// said plainly), and the community funding rounds with their results, public to everyone.
// Every page passes axe-core (WCAG 2.2 AA).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, MEMBER, checkPage as check, signedInTwice } from './harness.js';

const OFFICER = 'david.chen@meadowfield.example';

let hub; let browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => {
  await browser?.close();
  const stopped = await hub?.stop();
  assert.equal(stopped.code, 0);
});

const as = (email) => signedInTwice(browser, hub, email);

const path = (page) => new URL(page.url()).pathname;

test('a co-production board: decided, open, a stance taken and a close refused', async () => {
  const grace = await as(MEMBER);
  await grace.page.goto(`${hub.base}/spaces`);
  await grace.checkUrl('/spaces');
  await grace.page.getByRole('link', { name: 'Adult social care co-production board' }).click();
  const board = path(grace.page);
  await grace.checkUrl(board);
  assert.match(await grace.page.locator('main').innerText(), /at least 50% of all views/);
  // "Check my words" on a proposal: ideas shown, nothing put to the space, every word kept.
  for (const p of [grace.page, grace.axePage]) {
    if (p === grace.axePage) await p.goto(hub.base + board);
    await p.fill('#title', 'Lunches for the elderly');
    await p.fill('#body', 'A shared lunch each month, with transport.');
    await p.getByRole('button', { name: 'Check my words' }).click();
  }
  assert.ok(await grace.page.locator('mark:has-text("the elderly")').count(), 'the phrase is marked');
  assert.match(await grace.page.locator('.checked').innerText(), /older people/);
  assert.equal(await grace.page.inputValue('#title'), 'Lunches for the elderly');
  assert.doesNotMatch(await grace.page.locator('main').innerText(), /Lunches for the elderly:/);
  await check(grace.axePage, 'a proposal, words checked');

  // A decided proposal: the block, its answer and the dissent are published.
  await grace.page.getByRole('link', { name: 'Hold the board\'s meetings in the library on Tuesday afternoons' }).click();
  let main = await grace.page.locator('main').innerText();
  assert.match(main, /The main room is too noisy/);
  assert.match(main, /quiet study room, which has a door/);
  assert.match(main, /Done/);
  await grace.checkUrl(path(grace.page));

  // An open proposal waiting for voices with lived experience.
  await grace.page.goto(hub.base + board);
  await grace.page.getByRole('link', { name: 'Publish the board\'s minutes in Easy Read and BSL video' }).click();
  const minutes = path(grace.page);
  main = await grace.page.locator('main').innerText();
  // Names are shown on this board, so no count of lived-experience stances is given.
  assert.match(main, /There are 2 views so far\. Names are shown in this space, so we do not say how many/);
  assert.match(main, /it needs more views from people with lived experience/);
  assert.doesNotMatch(main, /\d+ more views? from people/);
  await grace.checkUrl(minutes);
  // Disagreeing without a reason is refused and says which field.
  await grace.page.check('#stance-disagree');
  await grace.page.getByRole('button', { name: 'Say where I stand' }).click();
  assert.match(await grace.page.locator('.error-summary').innerText(), /your reason/);
  await grace.page.check('#stance-agree');
  await grace.page.getByRole('button', { name: 'Say where I stand' }).click();
  main = await grace.page.locator('main').innerText();
  assert.match(main, /Your view is saved/);
  // Grace has declared lived experience: her named stance changes nothing but the total.
  assert.match(main, /There are 3 views so far\. Names are shown in this space, so we do not say how many/);
  assert.doesNotMatch(main, /\d+ more views? from people/);

  // The council officer facilitates: closing now is refused, and the page says why.
  const david = await as(OFFICER);
  await david.axePage.goto(hub.base + minutes);
  await david.axePage.fill('#decision', 'We publish Easy Read minutes and a BSL video after each meeting.');
  await david.axePage.fill('#reasons', 'More people can follow what we decide.');
  await david.axePage.getByRole('button', { name: 'Record the decision' }).click();
  const summary = await david.axePage.locator('.error-summary').innerText();
  assert.match(summary, /it needs more views from people with lived experience/);
  assert.equal(await david.axePage.inputValue('#decision'), 'We publish Easy Read minutes and a BSL video after each meeting.');
  await check(david.axePage, 'a refused close');
});

test('funding rounds: results anyone can read, and an idea shared', async () => {
  const visitor = await as(null);
  await visitor.checkUrl('/rounds');
  await visitor.page.goto(`${hub.base}/rounds`);
  await visitor.page.getByRole('link', { name: 'Meadowfield community fund 2026' }).click();
  const round = path(visitor.page);
  await visitor.checkUrl(round);
  assert.match(await visitor.page.locator('main').innerText(), /Nine new people came/);
  await visitor.page.getByRole('link', { name: 'See the results' }).click();
  const main = await visitor.page.locator('main').innerText();
  assert.match(main, /How the results were worked out/);
  assert.match(main, /Funded/);
  assert.match(main, /cannot pay for vehicles/);
  await visitor.checkUrl(path(visitor.page));

  const grace = await as(MEMBER);
  await grace.page.goto(`${hub.base}/rounds`);
  await grace.page.getByRole('link', { name: 'Meadowfield community fund 2027' }).click();
  await grace.checkUrl(path(grace.page));
  await grace.page.fill('#idea_title', 'A warm space on winter afternoons');
  await grace.page.getByRole('button', { name: 'Share my idea' }).click();
  assert.match(await grace.page.locator('main').innerText(), /A warm space on winter afternoons/);
  await grace.checkUrl('/rounds/new');
  await grace.checkUrl('/spaces/new');
});
