// People at the centre in a real browser with JavaScript off: a member fills in their
// profile, builds their circle, chooses a connector and looks at their information; the
// connector then sees only what was shared with connectors, and the member sees that look.
// Every page passes axe-core (WCAG 2.2 AA) and fits a 320 px wide screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, signIn, MEMBER, newestEmail, checkPage as check } from './harness.js';

const CONNECTOR = 'sam.okafor@meadowfield.example';

let hub; let browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => {
  await browser?.close();
  const stopped = await hub?.stop();
  assert.equal(stopped.code, 0);
});

test('a member keeps their profile, circle and connectors; a connector sees only what was shared', async () => {
  // Forms are used with JavaScript off; axe runs in a second, script-enabled page.
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 700 } });
  const member = await noJs.newPage();
  await signIn(member, hub.base, MEMBER);
  const axeContext = await browser.newContext({ bypassCSP: true, viewport: { width: 320, height: 700 } });
  const axePage = await axeContext.newPage();
  await signIn(axePage, hub.base, MEMBER);
  const checkUrl = async (path, label = path) => {
    const r = await axePage.goto(hub.base + path);
    assert.equal(r.status(), 200, `${path} answers`);
    await check(axePage, label);
  };

  await member.goto(`${hub.base}/me/profile`);
  assert.match(await member.locator('main').innerText(), /Who can see this/);
  await checkUrl('/me/profile');
  for (const key of ['appreciated', 'important', 'support', 'story', 'gifts', 'interests', 'communication', 'access_needs', 'travel', 'availability', 'birth_year']) {
    await checkUrl(`/me/profile/${key}`);
  }

  // What is important, shared with connectors.
  await member.goto(`${hub.base}/me/profile/important`);
  await member.fill('textarea[name=text]', 'Singing in the choir on Thursdays, and my grandson Femi.');
  await member.check('#visibility-connectors');
  await member.click('form button[type=submit].button');
  assert.match(await member.locator('main').innerText(), /grandson Femi/);
  // The story is kept to herself.
  await member.goto(`${hub.base}/me/profile/story`);
  await member.fill('textarea[name=text]', 'I came to Meadowfield in 1978 and nursed at the cottage hospital.');
  await member.check('#visibility-only_me');
  await member.click('form button[type=submit].button');
  // A bad postcode is named and what was typed is kept.
  await member.goto(`${hub.base}/me/profile/travel`);
  await member.fill('textarea[name=text]', 'I take the 42 bus.');
  await member.fill('[id="travel.postcode"]', 'nowhere');
  await member.click('form button[type=submit].button');
  assert.match(await member.locator('.error-summary').innerText(), /postcode/);
  await axePage.goto(`${hub.base}/me/profile/travel`);
  await axePage.fill('textarea[name=text]', 'I take the 42 bus.');
  await axePage.fill('[id="travel.postcode"]', 'nowhere');
  await axePage.click('form button[type=submit].button');
  await check(axePage, 'travel with a bad postcode');
  await member.fill('[id="travel.postcode"]', 'MF1 2AB');
  await member.fill('[id="travel.max_km"]', '3');
  await member.click('form button[type=submit].button');
  assert.match(await member.locator('main').innerText(), /Home area: MF1 2AB/);

  // The circle: a neighbour by name, and the picture with its table.
  await member.goto(`${hub.base}/me/circle`);
  await member.check('#add-ring-community');
  await member.fill('#name', 'Mrs Patel at number 9');
  await member.fill('#contact', '01632 960123');
  await member.click('form[action="/me/circle"] button[type=submit]');
  assert.match(await member.locator('table').innerText(), /Mrs Patel at number 9/);
  await checkUrl('/me/circle', 'the circle with someone in it');
  // The picture is drawn wholly inside its frame, names and rings, and names are whole.
  for (const width of [1280, 320]) {
    await member.setViewportSize({ width, height: 700 });
    const frame = await member.locator('svg.circle-picture').boundingBox();
    const parts = await member.locator('svg.circle-picture text, svg.circle-picture circle').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { what: e.textContent || e.getAttribute('class'), left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }));
    for (const p of parts) {
      assert.ok(p.left >= frame.x - 0.5 && p.right <= frame.x + frame.width + 0.5 && p.top >= frame.y - 0.5 && p.bottom <= frame.y + frame.height + 0.5,
        `at ${width}px, "${p.what}" is drawn outside the picture`);
    }
    const names = await member.locator('svg.circle-picture .dot-label').evaluateAll((els) => els.map(
      (e) => Array.from(e.querySelectorAll('tspan')).map((t) => t.textContent.replace(/\u200e/g, '')).join(' ')));
    assert.ok(names.includes('Mrs Patel at number 9'), `names are whole: ${names}`);
  }
  await member.setViewportSize({ width: 320, height: 700 });
  await member.goto(`${hub.base}/me/circle`);
  await member.click('form[action="/me/circle"] button[type=submit]');
  await axePage.goto(`${hub.base}/me/circle`);
  await axePage.click('form[action="/me/circle"] button[type=submit]');
  await check(axePage, 'adding to the circle with problems');
  // Taking someone out asks first, on a page that works without JavaScript.
  await member.goto(`${hub.base}/me/circle`);
  await member.getByRole('link', { name: 'Take Mrs Patel at number 9 out of your circle' }).click();
  assert.equal(await member.locator('h1').innerText(), 'Take Mrs Patel at number 9 out of your circle?');
  await checkUrl(new URL(member.url()).pathname, 'taking someone out of the circle: the question');
  await member.getByRole('link', { name: 'No, keep Mrs Patel at number 9 in my circle' }).click();
  assert.match(await member.locator('table').innerText(), /Mrs Patel at number 9/);
  await member.getByRole('link', { name: 'Take Mrs Patel at number 9 out of your circle' }).click();
  await member.getByRole('button', { name: 'Yes, take Mrs Patel at number 9 out' }).click();
  assert.match(await member.locator('main').innerText(), /they are no longer in your circle/);
  assert.doesNotMatch(await member.locator('main').innerText(), /Mrs Patel/);

  // Choosing Sam as a connector.
  await member.goto(`${hub.base}/me/connectors`);
  // Each connector is shown with who they are and how they work, not as a bare name.
  assert.match(await member.locator('main').innerText(), /How Sam Okafor works:/);
  await member.getByRole('button', { name: 'Choose Sam Okafor' }).click();
  assert.match(await member.locator('main').innerText(), /Sam Okafor is one of your connectors/);
  for (const path of ['/me/connectors', '/me/sharing', '/me/information', '/me/information/everything', '/me/access-log', '/me/profile/history']) {
    await checkUrl(path);
  }

  // Sam sees what was shared with connectors, and not the story.
  const samContext = await browser.newContext({ bypassCSP: true, viewport: { width: 320, height: 700 } });
  const sam = await samContext.newPage();
  await signIn(sam, hub.base, CONNECTOR);
  await sam.goto(`${hub.base}/connector/people`);
  await check(sam, 'people a connector walks alongside');
  await sam.getByRole('link', { name: 'Grace Adeyemi', exact: true }).click();
  const seen = await sam.locator('main').innerText();
  assert.match(seen, /grandson Femi/);
  assert.doesNotMatch(seen, /cottage hospital/);
  await check(sam, 'a profile as a connector sees it');

  // Sam writes a note of their conversation; Grace reads it and asks for a change.
  await sam.locator('main a', { hasText: 'Notes of your conversations with them' }).click();
  await check(sam, 'conversation notes, connector view');
  // "Check my words" marks words to frame by strengths, and keeps what was written.
  await sam.fill('#story', 'Grace is a service user who would love to sing again.');
  await sam.getByRole('button', { name: 'Check my words' }).click();
  assert.ok(await sam.locator('mark:has-text("service user")').count(), 'the phrase is marked');
  assert.match(await sam.locator('.checked').innerText(), /people who draw on care and support/);
  assert.equal(await sam.inputValue('#story'), 'Grace is a service user who would love to sing again.');
  await check(sam, 'conversation notes, words checked');
  await sam.fill('#story', 'Grace would love to sing again and to teach knitting to younger people.');
  await sam.fill('#next_steps', 'Look at the community choir together.');
  await sam.click('form[action$="/conversations"] button[type=submit]');
  assert.match(await sam.locator('main').innerText(), /sing again/);
  await member.goto(`${hub.base}/me/conversations`);
  assert.match(await member.locator('main').innerText(), /sing again/);
  await member.fill('textarea[name=text]', 'And I would like to try the tablet class.');
  await member.click('button[value=change]');
  assert.match(await member.locator('main').innerText(), /asked for a change/);
  await checkUrl('/me/conversations', 'conversation notes, the person\'s view');

  // Grace sees that look.
  await member.goto(`${hub.base}/me/access-log`);
  assert.match(await member.locator('main').innerText(), /Sam Okafor/);

  // Grace raises a safeguarding concern; Bronwen, a safeguarding lead, sees and closes it.
  await checkUrl('/concerns/new');
  await member.goto(`${hub.base}/concerns/new`);
  await member.fill('[id="about_name"]', 'The man selling things door to door');
  await member.fill('#what', 'He pushed his way into Mr Harrison\'s hall on Tuesday.');
  await member.click('form[action="/concerns/new"] button[type=submit]');
  assert.match(await member.locator('h1').innerText(), /safeguarding leads have been told/);
  const leadContext = await browser.newContext({ bypassCSP: true, viewport: { width: 320, height: 700 } });
  const lead = await leadContext.newPage();
  await signIn(lead, hub.base, 'bronwen@meadowfield.example');
  await lead.goto(`${hub.base}/safeguarding`);
  await check(lead, 'the safeguarding queue');
  await lead.locator('main a', { hasText: /^Concern / }).first().click();
  assert.match(await lead.locator('main').innerText(), /door to door/);
  await check(lead, 'a safeguarding concern');
  await lead.fill('#outcome', 'Told the police community support officer; trading standards visiting.');
  await lead.click('form[action$="/close"] button[type=submit]');
  assert.match(await lead.locator('main').innerText(), /Closed with this outcome/);
  await leadContext.close();
  await samContext.close();
  await axeContext.close();
  await noJs.close();
});

test('a new member is welcomed with three skippable questions that lead to ideas citing the answers', async () => {
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 700 } });
  const page = await noJs.newPage();
  const axeContext = await browser.newContext({ bypassCSP: true, viewport: { width: 320, height: 700 } });
  const axePage = await axeContext.newPage();
  await page.goto(`${hub.base}/sign-up`);
  await page.fill('#email', 'newcomer.ngozi@example.org');
  await page.fill('#display_name', 'Ngozi');
  await page.fill('#password', 'quiet harbour lighthouse');
  await page.click('form button[type=submit].button');
  const mail = newestEmail(hub.dataDir);
  await page.goto(mail.match(/http:\/\/[0-9.:]+\/sign-up\/[A-Za-z0-9_-]+/)[0]);
  await page.click('form button[type=submit].button');
  assert.match(new URL(page.url()).pathname, /^\/welcome$/, 'a new member lands on the welcome page, not account settings');
  assert.match(await page.locator('h1').innerText(), /Welcome, Ngozi/);
  await signIn(axePage, hub.base, 'newcomer.ngozi@example.org', 'quiet harbour lighthouse');
  for (const path of ['/welcome', '/me/profile/interests?start=1', '/me/profile/travel?start=2', '/me/profile/availability?start=3']) {
    await axePage.goto(hub.base + path);
    await check(axePage, path);
  }
  // Question 1: what you enjoy.
  await page.getByRole('link', { name: 'Start' }).click();
  assert.match(await page.locator('main').innerText(), /question 1 of 3/);
  await page.getByLabel('Arts and making').check();
  await page.getByRole('button', { name: 'Save and go on' }).click();
  // Question 2: where, skipped.
  assert.match(await page.locator('main').innerText(), /question 2 of 3/);
  await page.getByRole('link', { name: 'Skip this question' }).click();
  // Question 3: when you are free, skipped; then ideas.
  assert.match(await page.locator('main').innerText(), /question 3 of 3/);
  await page.getByRole('link', { name: 'Skip this question' }).click();
  assert.match(new URL(page.url()).pathname, /^\/me\/ideas$/);
  const ideas = await page.locator('main').innerText();
  assert.match(ideas, /Arts and making: one of your interests/, 'the ideas cite the answer');
  await noJs.close();
  await axeContext.close();
});
