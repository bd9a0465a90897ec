// Gatherings in a real browser with JavaScript off, at 320 px: Grace makes a gathering (a
// problem first, every answer kept; "Check my words"), cannot publish it until someone with
// lived experience agrees to chair it, asks Priyanka, who says yes and is named; Grace changes
// its time on its page and adds Chen to run it with her, and starts another from a place in the
// directory; Tom signs up
// saying what would help; Grace reads it on the organisers' page; Tom gives up his place;
// Grace cancels it. Every page passes axe-core (WCAG 2.2 AA). With SHOTS=dir, screenshots of
// each page at 1280 and 320 px go there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startHub, launch, checkPage, signedInTwice } from './harness.js';

const GRACE = 'grace@meadowfield.example';
const PRIYANKA = 'priyanka@meadowfield.example';
const TOM = 'tom.wright@meadowfield.example';
const SHOTS = process.env.SHOTS;

let hub; let browser; let shotN = 0;
before(async () => { hub = await startHub(); browser = await launch(); if (SHOTS) mkdirSync(SHOTS, { recursive: true }); });
after(async () => {
  await browser?.close();
  const stopped = await hub?.stop();
  assert.equal(stopped.code, 0);
});

async function check(page, label) {
  await checkPage(page, label);
  if (SHOTS) {
    shotN += 1;
    const name = `${String(shotN).padStart(2, '0')}${label.replace(/[^a-z0-9]+/gi, '_')}`;
    await page.screenshot({ path: `${SHOTS}/${name}-320.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${SHOTS}/${name}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 700 });
  }
}

const as = (email) => signedInTwice(browser, hub, email, check);

function inDays(n) {
  const d = new Date(Date.now() + n * 86400000);
  return d.toISOString().slice(0, 10);
}

async function fill(page, { title }) {
  await page.fill('#title', title);
  await page.fill('#about', 'An assembly for everyone. The service users of the day centre are especially welcome.');
  await page.fill('#day', inDays(10));
  await page.fill('#starts_at', '14:00');
  await page.fill('#ends_at', '16:00');
  await page.fill('#venue', 'Meadowfield Community Centre');
  await page.fill('#address', '1 Green Lane');
  await page.fill('#postcode', 'MF1 1AA');
  await page.fill('#capacity', '20');
  await page.fill('#reserved_places', '5');
  await page.check('#access-step_free');
  await page.check('#access-hearing_loop');
}

test('a gathering is made, chaired by lived experience, joined and cancelled, on pages that pass axe-core', async () => {
  const grace = await as(GRACE);
  const { page } = grace;
  await grace.checkUrl('/gatherings');
  await grace.checkUrl('/gatherings/new');

  // A problem: the title is missing; every other answer stays.
  await page.goto(hub.base + '/gatherings/new');
  await fill(page, { title: '' });
  await page.click('button:has-text("Save it")');
  assert.match(await page.textContent('.error-summary'), /Write a title/);
  assert.equal(await page.inputValue('#venue'), 'Meadowfield Community Centre');
  assert.ok(await page.isChecked('#access-hearing_loop'));
  await grace.axePage.goto(hub.base + '/gatherings/new');
  await fill(grace.axePage, { title: '' });
  await grace.axePage.click('button:has-text("Save it")');
  await check(grace.axePage, 'a gathering with a problem');
  await grace.axePage.fill('#title', 'Meadowfield people\'s assembly');
  await grace.axePage.click('button:has-text("Check my words") >> nth=0');
  await check(grace.axePage, 'check my words on a gathering');
  assert.match(await grace.axePage.textContent('#checked'), /service users/);

  // Saved as a draft; publishing waits for a chair with lived experience.
  await page.fill('#title', 'Meadowfield people\'s assembly');
  await page.click('button:has-text("Save it")');
  assert.match(await page.textContent('.notice'), /Nobody else can see it yet/);
  const path = new URL(page.url()).pathname;
  await grace.checkUrl(path);
  await page.click('button:has-text("Publish it")');
  assert.match(await page.textContent('.error-summary'), /lived experience has agreed to chair it/);
  await grace.axePage.goto(hub.base + path);
  await grace.axePage.click('button:has-text("Publish it")');
  await check(grace.axePage, 'publishing refused');
  await page.fill('#email', PRIYANKA);
  await page.click('button:has-text("Ask them to chair it")');
  assert.match(await page.textContent('.notice'), /asked them to chair/);

  // Priyanka says yes, and to be named.
  const priyanka = await as(PRIYANKA);
  await priyanka.checkUrl(path);
  await priyanka.page.goto(hub.base + path);
  await priyanka.page.check('#named');
  await priyanka.page.click('button:has-text("Yes, I will chair it")');
  assert.match(await priyanka.page.textContent('.notice'), /saying yes to chairing/);

  await page.goto(hub.base + path);
  await page.click('button:has-text("Publish it")');
  assert.match(await page.textContent('.notice'), /It is published/);
  assert.match(await page.textContent('main'), /Chaired by people with lived experience: Priyanka/);

  // Grace changes the time on its page (filled in as it stands), and adds Chen to run it.
  await grace.checkUrl(path + '/edit');
  await page.goto(hub.base + path + '/edit');
  assert.equal(await page.inputValue('#venue'), 'Meadowfield Community Centre');
  await page.fill('#starts_at', '14:30');
  await page.click('button:has-text("Save the changes")');
  assert.match(await page.textContent('.notice'), /changes are saved/);
  assert.match(await page.textContent('main'), /2:30pm to 4pm/);
  await page.fill('#organiser_email', 'chen.wei@meadowfield.example');
  await page.click('button:has-text("Add them")');
  assert.match(await page.textContent('.notice'), /help to run it now/);
  assert.match(await page.textContent('#organisers + ul, main'), /Chen/);
  await grace.axePage.goto(hub.base + path);
  await check(grace.axePage, 'running a gathering');
  await grace.axePage.goto(hub.base + path + '/edit');
  await check(grace.axePage, 'changing a gathering');

  // From an offer in the directory: "Hold a gathering here" fills in its place.
  await page.goto(hub.base + '/directory');
  const offer = await page.getAttribute('main a[href^="/directory/offers/"]', 'href');
  await page.goto(hub.base + offer);
  await page.click('text=Hold a gathering here');
  assert.ok(await page.isChecked('#offer_id'));
  assert.notEqual(await page.inputValue('#venue'), '');
  await grace.axePage.goto(page.url());
  await check(grace.axePage, 'a gathering at a place in the directory');

  // Tom signs up, saying what would help.
  const tom = await as(TOM);
  await tom.checkUrl(path);
  await tom.page.goto(hub.base + path);
  await tom.page.check('#need-quiet_space');
  await tom.page.fill('#words', 'I come with my guide dog, Biscuit.');
  await tom.page.click('button:has-text("Sign up")');
  assert.match(await tom.page.textContent('.notice'), /You have a place/);
  await tom.checkUrl(path);
  const ics = await tom.page.request.get(hub.base + path + '.ics');
  assert.equal(ics.status(), 200);
  assert.match(await ics.text(), /BEGIN:VCALENDAR[\s\S]*ROLE=CHAIR/);

  // Grace reads what would help; nobody else who signed up can.
  await grace.checkUrl(path + '/needs');
  await page.goto(hub.base + path + '/needs');
  assert.match(await page.textContent('main'), /Biscuit/);
  const r = await tom.page.goto(hub.base + path + '/needs');
  assert.equal(r.status(), 403);

  // Tom gives up his place; Grace cancels.
  await tom.checkUrl(path + '/leave');
  await tom.page.goto(hub.base + path + '/leave');
  await tom.page.click('button:has-text("Yes, give up my place")');
  assert.match(await tom.page.textContent('.notice'), /no longer signed up/);
  await grace.checkUrl(path + '/cancel');
  await page.goto(hub.base + path + '/cancel');
  await page.click('button:has-text("Yes, cancel it")');
  assert.match(await page.textContent('.notice'), /It is cancelled/);
  await grace.checkUrl(path);
  for (const p of [grace, priyanka, tom]) await p.close();
});

test('open space, a session and its notes, and approved minutes that lead to a proposal, on pages that pass axe-core', async () => {
  const tom = await as(TOM);
  const { page } = tom;
  await page.goto(hub.base + '/gatherings');
  await page.click('a:has-text("Open space: what next for care")');
  const path = new URL(page.url()).pathname;
  await tom.checkUrl(path);
  assert.match(await page.textContent('table.open-space'), /Getting to the clinic by bus/);

  // Tom adds a session in a free square: a problem first, with the room and time kept.
  // (The first free square is at 10am, when Tom already leads a session.)
  await page.click('a.free >> nth=1');
  const chosen = new URL(page.url());
  await tom.checkUrl(chosen.pathname + chosen.search);
  const room = await page.inputValue('#room');
  await page.click('button:has-text("Add my session")');
  assert.match(await page.textContent('.error-summary'), /Write what the session is about/);
  assert.equal(await page.inputValue('#room'), room);
  await tom.axePage.goto(chosen.href);
  await tom.axePage.click('button:has-text("Add my session")');
  await check(tom.axePage, 'a session with a problem');
  await page.fill('#title', 'A quiet hour at the swimming pool');
  await page.click('button:has-text("Add my session")');
  assert.match(await page.textContent('.notice'), /Your session is on the grid/);
  const session = new URL(page.url()).pathname;
  await tom.checkUrl(session);
  await page.fill('#notes', 'The pool could keep one hour a week quiet.');
  await page.click('button:has-text("Save the notes")');
  assert.match(await page.textContent('main'), /one hour a week quiet/);
  await page.goto(hub.base + path);
  assert.match(await page.textContent('table.open-space'), /A quiet hour at the swimming pool/);

  // Last month's assembly: its minutes, each session's notes, and the action that became a
  // proposal, which links back.
  await page.goto(hub.base + '/gatherings');
  await page.click('a:has-text("Autumn people\'s assembly")');
  await page.click('a:has-text("Read the minutes")');
  const minutes = new URL(page.url()).pathname;
  await tom.checkUrl(minutes);
  const text = await page.textContent('main');
  assert.match(text, /How many came\s*38/);
  assert.match(text, /Buses after six/);
  await page.click('a:has-text("Buses after six")');
  assert.match(await page.textContent('main'), /The last 42 bus leaves the clinic/);
  await tom.checkUrl(new URL(page.url()).pathname);
  await page.goto(hub.base + minutes);
  await page.click('a:has-text("It is a proposal")');
  assert.match(await page.textContent('main'), /It came from:\s*The minutes of the Autumn people's assembly/);
  await tom.checkUrl(new URL(page.url()).pathname);

  // Priyanka chaired it: she sees the form to change the minutes.
  const priyanka = await as(PRIYANKA);
  await priyanka.checkUrl(minutes);
  await priyanka.page.goto(hub.base + minutes);
  assert.match(await priyanka.page.textContent('main'), /Change the minutes/);
  for (const p of [tom, priyanka]) await p.close();
});
