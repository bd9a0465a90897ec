// Connections in a real browser with JavaScript off, at 320 px: a member's ideas (save,
// hide, preferences), asking for and sending an introduction, the group's organiser answering
// from their inbox, a connector's view of ideas for someone who chose them, and notices.
// Every page passes axe-core (WCAG 2.2 AA).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, MEMBER, checkPage as check, signedInTwice } from './harness.js';

const CONNECTOR = 'sam.okafor@meadowfield.example';

let hub; let browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => {
  await browser?.close();
  const stopped = await hub?.stop();
  assert.equal(stopped.code, 0);
});

const as = (email) => signedInTwice(browser, hub, email);

test('ideas, an introduction sent and answered, and a connector\'s view', async () => {
  const grace = await as(MEMBER);
  await grace.page.goto(`${hub.base}/me/ideas`);
  const ideas = grace.page.locator('ol.results > li');
  assert.ok(await ideas.count() >= 3, 'Grace has ideas');
  const first = await ideas.first().innerText();
  assert.match(first, /when you're free|away|interests/, 'each idea says why');
  await grace.checkUrl('/me/ideas');

  // Hide the second idea with a reason; it moves to the hidden list.
  const secondName = (await ideas.nth(1).locator('h3').innerText()).trim();
  await ideas.nth(1).locator('summary').click();
  await ideas.nth(1).locator('input[name=reason]').fill('Too far for my knees');
  await ideas.nth(1).getByRole('button', { name: 'Hide this idea' }).click();
  const main = await grace.page.locator('main').innerText();
  assert.match(main, /Hidden ideas/);
  assert.match(main, /Too far for my knees/);
  assert.equal(await grace.page.locator('ol.results h3', { hasText: secondName }).count(), 0);
  // Preferences are kept.
  await grace.page.check('#pref-free');
  await grace.page.getByRole('button', { name: 'Save what I prefer' }).click();
  assert.ok(await grace.page.isChecked('#pref-free'));

  // Ask for an introduction to the first idea and send it.
  await grace.page.locator('ol.results > li').first().getByRole('link', { name: 'Ask for an introduction' }).click();
  assert.match(grace.page.url(), /\/introductions\/new\?offer=/);
  await grace.checkUrl(new URL(grace.page.url()).pathname + new URL(grace.page.url()).search);
  await grace.page.fill('#message', 'I can bring cake.');
  await grace.page.getByRole('button', { name: 'Continue' }).click();
  assert.match(await grace.page.locator('main').innerText(), /Not sent yet/);
  const introPath = new URL(grace.page.url()).pathname;
  await grace.checkUrl(introPath);
  await grace.page.getByRole('button', { name: 'Send the introduction' }).click();
  assert.match(await grace.page.locator('main').innerText(), /Sent to the group/);
  await grace.checkUrl('/me/introductions');

  // Grace also organises the knitters: Lena's introduction waits in the inbox.
  await grace.page.goto(`${hub.base}/directory/offers/00d00002-0000-4000-8000-000000000001`);
  await grace.page.getByRole('link', { name: 'Ask to join through Meadowfield Village' }).waitFor();
  await grace.page.goto(`${hub.base}/directory/groups/00d00001-0000-4000-8000-000000000001`);
  await grace.page.getByRole('link', { name: 'Introductions to this group' }).click();
  const inbox = await grace.page.locator('main').innerText();
  assert.match(inbox, /Lena/);
  assert.doesNotMatch(inbox, /Kowalska/, 'the group sees the first name only');
  await grace.checkUrl(new URL(grace.page.url()).pathname);
  await grace.page.getByRole('link', { name: /Knit and natter/ }).first().click();
  await grace.checkUrl(new URL(grace.page.url()).pathname);
  await grace.page.getByRole('button', { name: 'Say yes' }).click();
  assert.match(await grace.page.locator('main').innerText(), /The group said yes/);

  // Lena hears about it.
  const lena = await as('lena@meadowfield.example');
  await lena.page.goto(`${hub.base}/notifications`);
  assert.match(await lena.page.locator('main').innerText(), /the group said yes/);
  await lena.checkUrl('/notifications');

  // Sam sees ideas for Tom, built from what Tom shares with connectors, and Tom's
  // introduction waiting for Tom to agree.
  const sam = await as(CONNECTOR);
  await sam.page.goto(`${hub.base}/connector/people`);
  const walk = await sam.page.locator('main').innerText();
  assert.match(walk, /Waiting for them to send the introduction to Community garden/);
  assert.match(walk, /Next steps you agreed/);
  await sam.checkUrl('/connector/people');
  await sam.page.getByRole('link', { name: 'Write or change what they see' }).click();
  assert.match(await sam.page.inputValue('#how_i_work'), /library/);
  await sam.checkUrl('/connector/about');
  await sam.page.goto(`${hub.base}/connector/people`);
  await sam.page.getByRole('link', { name: 'ideas for Tom Wright' }).click();
  assert.match(await sam.page.locator('h1').innerText(), /Ideas for Tom Wright/);
  await sam.checkUrl(new URL(sam.page.url()).pathname);
  const tom = await as('tom.wright@meadowfield.example');
  await tom.page.goto(`${hub.base}/me/introductions`);
  assert.match(await tom.page.locator('main').innerText(), /Not sent yet/);
  await tom.page.getByRole('link', { name: /Community garden/ }).click();
  assert.ok(await tom.page.getByRole('button', { name: 'Send the introduction' }).count() === 1, 'Tom can send what Sam asked for');

  // Sam builds a shortlist for Tom with a note, and shares it; Tom picks from it.
  await sam.page.goto(`${hub.base}/connector/people`);
  await sam.page.getByRole('link', { name: 'shortlists for Tom Wright' }).click();
  const samLists = new URL(sam.page.url()).pathname;
  await sam.page.fill('#title', 'Weekday mornings outdoors');
  await sam.page.getByRole('button', { name: 'Start it' }).click();
  await sam.page.locator('input[name=note]').first().fill('You said you would like to teach gardening.');
  await sam.page.getByRole('button', { name: 'Add to the list' }).first().click();
  // Any offer in the directory, found by its words, not only Tom's ideas.
  await sam.page.fill('#find', 'repair');
  await sam.page.getByRole('button', { name: 'Find', exact: true }).click();
  await sam.checkUrl(new URL(sam.page.url()).pathname + new URL(sam.page.url()).search);
  await sam.page.locator('.results input[name=note]').first().fill('You fix bikes: they would love you.');
  await sam.page.locator('.results button', { hasText: 'Add to' }).first().click();
  assert.match(await sam.page.locator('main').innerText(), /You fix bikes/);
  await sam.checkUrl(samLists);
  await sam.page.getByRole('button', { name: 'Share with Tom Wright' }).click();
  assert.match(await sam.page.locator('main').innerText(), /Shared/);
  await tom.page.goto(`${hub.base}/me/shortlists`);
  assert.match(await tom.page.locator('main').innerText(), /teach gardening/);
  await tom.checkUrl('/me/shortlists');
  await tom.page.getByRole('button', { name: /Pick this/ }).first().click();
  assert.match(tom.page.url(), /\/introductions\/new\?offer=/);

  // Grace's own check-in, drawn as a chart with a table.
  await grace.page.goto(`${hub.base}/me/check-ins`);
  await grace.page.fill('#satisfied', '6');
  await grace.page.fill('#anxious', '3');
  await grace.page.fill('#changed', 'I have started teaching knitting again.');
  await grace.page.getByRole('button', { name: 'Save this check-in' }).click();
  assert.match(await grace.page.locator('main').innerText(), /teaching knitting again/);
  assert.equal(await grace.page.locator('svg.chart').count(), 1);
  await grace.checkUrl('/me/check-ins');
});
