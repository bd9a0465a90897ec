// Stories in a real browser with JavaScript off, at 320 px: Grace tells a story about a group
// from its page, checks her words, and sends it; Bronwen (a steward) reads it with what could
// identify someone marked and suggests a change; Grace sees the change side by side and
// agrees; Tom reads it and says it happened to him too; David answers for the council that a
// change was made; Grace says things partly changed, and the group's page counts it; Grace
// withdraws it and it is gone. Sam, a connector, tells a story for Jim, who agrees to it.
// Every page passes axe-core
// (WCAG 2.2 AA). With SHOTS=dir, screenshots of each page at 1280 and 320 px go there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startHub, launch, checkPage, signedInTwice } from './harness.js';

const GRACE = 'grace@meadowfield.example';
const BRONWEN = 'bronwen@meadowfield.example';
const TOM = 'tom.wright@meadowfield.example';
const DAVID = 'david.chen@meadowfield.example';
// The walking group: no demo story is about it, so its figures count this test's story only.
const GROUP = '/directory/groups/00d00001-0000-4000-8000-000000000002';
const SHOTS = process.env.SHOTS;

let hub; let browser; let shotN = 0;
before(async () => { hub = await startHub(); browser = await launch(); if (SHOTS) mkdirSync(SHOTS, { recursive: true }); });
after(async () => {
  await browser?.close();
  const stopped = await hub?.stop();
  assert.equal(stopped.code, 0);
});

// Each page checked, and with SHOTS set, photographed at 320 and 1280 px.
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

async function fillStory(page) {
  await page.fill('#title', 'The walking group got me out again');
  await page.fill('#body', 'After my fall I was stuck indoors. The service users at the walking group welcomed me.\n\nSue rang me on 07700 900123 to see how I was. Now I walk every Tuesday.');
  await page.selectOption('#when', '09');
  await page.fill('#when_year', '2026');
  await page.fill('#screen_name', 'G from Meadowfield');
  await page.check('#audience-public');
  await page.check('#open_data');
}

test('a story goes from telling to reading, with its author in control, on pages that pass axe-core', async () => {
  const grace = await as(GRACE);
  const { page } = grace;
  await grace.checkUrl('/stories');
  await page.goto(hub.base + GROUP);
  await page.click('a:has-text("Tell a story about this group")');
  assert.match(page.url(), /\/stories\/new\?group=/);
  const newPath = new URL(page.url()).pathname + new URL(page.url()).search;
  await grace.checkUrl(newPath);

  // "Check my words": suggestions, what could identify someone, every answer kept, nothing sent.
  await fillStory(page);
  await page.click('button:has-text("Check my words") >> nth=0');
  assert.ok(await page.locator('mark:has-text("service users")').count(), 'the phrase is marked');
  const checked = await page.locator('.checked').innerText();
  assert.match(checked, /people who draw on care and support/);
  assert.match(checked, /07700 900123: a phone number/);
  assert.equal(await page.inputValue('#title'), 'The walking group got me out again');
  assert.equal(await page.inputValue('#when'), '09');
  assert.ok(await page.isChecked('#audience-public') && await page.isChecked('#open_data'));
  await grace.axePage.goto(hub.base + newPath);
  await fillStory(grace.axePage);
  await grace.axePage.click('button:has-text("Check my words") >> nth=0');
  await check(grace.axePage, 'check my words');

  // A problem is named, and the answers stay.
  await page.fill('#when_year', '');
  await page.click('button:has-text("Send it to be read")');
  assert.ok(await page.locator('.error-summary a[href="#when"]').count(), 'the problem is named');
  assert.match(await page.inputValue('#body'), /walk every Tuesday/);
  await page.fill('#body', (await page.inputValue('#body')).replace('The service users at', 'The people at'));
  await page.fill('#when_year', '2026');
  await page.click('button:has-text("Send it to be read")');
  assert.match(page.url(), /\/stories\/\d+\?done=told$/);
  const story = new URL(page.url()).pathname;
  assert.match(await page.locator('main').innerText(), /Waiting to be read/);
  await grace.checkUrl(story);
  await grace.checkUrl('/stories/mine');

  // Nobody else reads it yet.
  const tom = await as(TOM);
  assert.equal((await tom.page.goto(hub.base + story)).status(), 404);

  // Bronwen reads it, with the phone number marked, and suggests a change.
  const bronwen = await as(BRONWEN);
  await bronwen.page.goto(`${hub.base}/stories`);
  await bronwen.page.click('a:has-text("Stories to read")');
  await bronwen.checkUrl('/stories/review');
  await bronwen.page.click('a:has-text("The walking group got me out again")');
  assert.ok(await bronwen.page.locator('mark:has-text("07700 900123")').count());
  await bronwen.checkUrl(story);
  await bronwen.page.check('#decision-edit');
  await bronwen.page.fill('#body', (await bronwen.page.inputValue('#body')).replace('Sue rang me on 07700 900123', 'A volunteer rang me'));
  await bronwen.page.click('button:has-text("Save my decision")');
  assert.ok(await bronwen.page.locator('.error-summary a[href="#rule_codes"]').count(), 'a rule is needed');
  assert.ok(await bronwen.page.isChecked('#decision-edit'), 'the decision is kept');
  await bronwen.page.check('#rule-identifies_someone');
  await bronwen.page.click('button:has-text("Save my decision")');
  assert.match(bronwen.page.url(), /\/stories\/review\?done=decided$/);
  // Glimpses of the future: the demo's featured stories; a steward keeps a published story's
  // themes and glimpse from its page.
  await bronwen.page.goto(`${hub.base}/stories/glimpses`);
  assert.match(await bronwen.page.locator('main').innerText(), /Singing brought my dad back to us/, 'members see members\' glimpses');
  await bronwen.checkUrl('/stories/glimpses');
  await bronwen.page.click('a:has-text("The men\'s shed made room for me")');
  const glimpse = new URL(bronwen.page.url()).pathname;
  assert.ok(await bronwen.page.isChecked('#featured-yes') && await bronwen.page.isChecked('#theme-getting_out'));
  await bronwen.checkUrl(glimpse);
  const out = await as(null);
  await out.page.goto(`${hub.base}/stories/glimpses`);
  const outside = await out.page.locator('main').innerText();
  assert.match(outside, /The men's shed made room for me/);
  assert.doesNotMatch(outside, /Singing brought my dad back to us/, 'members\' stories stay with members');
  await out.checkUrl('/stories/glimpses');

  // Grace sees both versions, and agrees.
  await page.goto(hub.base + story);
  assert.ok(await page.locator('del:has-text("Sue")').count() && await page.locator('ins:has-text("A volunteer")').count(), await page.locator('main').innerHTML());
  await grace.checkUrl(story);
  await grace.checkUrl(`${story}/withdraw`);
  await page.click('button:has-text("Publish it with these changes")');
  assert.match(page.url(), /\?done=approved$/);

  // Tom reads the published words, signed in and out.
  await tom.page.goto(`${hub.base}/stories`);
  await tom.page.click('a:has-text("The walking group got me out again")');
  const text = await tom.page.locator('main').innerText();
  assert.match(text, /A volunteer rang me/);
  assert.doesNotMatch(text, /07700|Sue rang/);
  await tom.checkUrl(story);
  await tom.page.click('button:has-text("This happened to me too")');
  assert.match(await tom.page.locator('main').innerText(), /1 person said this happened to them too/);

  // David answers for the council, saying what changed; Grace is told.
  const david = await as(DAVID);
  await david.page.goto(hub.base + story);
  await david.checkUrl(story);
  await david.page.click('button:has-text("Publish my answer")');
  assert.ok(await david.page.locator('.error-summary a[href="#body"]').count(), 'an empty answer is named');
  await david.page.fill('#body', 'Thank you. The walking group now has a volunteer who checks in on new walkers.');
  await david.page.check('#change-made');
  await david.page.click('button:has-text("Publish my answer")');
  assert.match(david.page.url(), /\?done=answered$/);
  await page.goto(hub.base + story);
  const answered = await page.locator('main').innerText();
  assert.match(answered, /The council answered/);
  assert.match(answered, /A change was made/);
  await grace.checkUrl(story);
  // Grace says whether things changed; the group's page counts the story.
  await page.check('#changed-partly');
  await page.fill('#words', 'Better, but the walks are still too early for me.');
  await page.click('button:has-text("Tell them")');
  assert.match(page.url(), /\?done=followed_up$/);
  assert.match(await page.locator('main').innerText(), /The person who told it said: Partly/);
  await page.goto(hub.base + GROUP);
  assert.match(await page.locator('main').innerText(), /1 story has been published/);
  await grace.checkUrl(GROUP);

  // Grace withdraws it; it is gone on the next request.
  await page.goto(`${hub.base}${story}/withdraw`);
  await page.click('button:has-text("Yes, withdraw my story")');
  assert.match(page.url(), /\/stories\/mine\?done=withdrawn$/);
  assert.equal((await tom.page.goto(hub.base + story)).status(), 404);
  await tom.page.goto(`${hub.base}/stories`);
  assert.doesNotMatch(await tom.page.locator('main').innerText(), /walking group got me out/);
  for (const p of [grace, tom, bronwen, david]) await p.close();
});

test('Sam tells a story for Jim, who chose him as a connector; Jim agrees and it is published', async () => {
  const sam = await signedInTwice(browser, hub, 'sam.okafor@meadowfield.example', check);
  const bronwen = await signedInTwice(browser, hub, BRONWEN, check);
  const jim = await signedInTwice(browser, hub, 'jim.h@meadowfield.example', check);
  await sam.checkUrl('/stories/new');
  await sam.page.goto(`${hub.base}/stories/new`);
  await sam.page.fill('#title', 'Back at the choir');
  await sam.page.fill('#body', 'He wanted to sing again, and now he goes every Thursday with his neighbour.');
  await sam.page.selectOption('#told_for', { label: 'For Jim Harrison' });
  await sam.page.click('button:has-text("Send it to be read")');
  const story = new URL(sam.page.url()).pathname;
  assert.match(story, /^\/stories\/\d+$/);
  // Jim reads it from the start; a steward's "publish" waits for him.
  assert.equal((await jim.page.goto(hub.base + story)).status(), 200);
  await bronwen.page.goto(hub.base + story);
  await bronwen.page.check('#decision');
  await bronwen.page.click('button:has-text("Save my decision")');
  await sam.checkUrl(story);
  await sam.page.goto(hub.base + story);
  assert.match(await sam.page.locator('main').innerText(), /Waiting for the person you told it for/);
  await jim.checkUrl(story);
  await jim.page.goto(hub.base + story);
  assert.match(await jim.page.locator('main').innerText(), /This story was told for you/);
  await jim.page.click('button:has-text("Yes, publish it")');
  assert.match(jim.page.url(), /\?done=approved$/);
  await jim.page.goto(hub.base + story);
  assert.match(await jim.page.locator('main').innerText(), /Told for someone by A neighbour, a connector they chose/);
  await jim.checkUrl(story);
  for (const p of [sam, bronwen, jim]) await p.close();
});
