// Every page, signed out and signed in, passes axe-core (WCAG 2.2 AA), has one <h1>, fits a
// 320 px wide screen, and works with JavaScript switched off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, axeViolations, signIn, newestEmail, brokenWords, ADMIN, MEMBER } from './harness.js';

let hub; let browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => {
  await browser?.close();
  const stopped = await hub?.stop();
  assert.equal(stopped.code, 0, 'the hub shuts down cleanly on SIGTERM');
});

async function checkPage(page, label) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${label}: axe-core found problems:\n${JSON.stringify(violations, null, 2)}`);
  const h1s = await page.locator('h1').count();
  assert.equal(h1s, 1, `${label}: exactly one <h1>`);
  assert.ok(await page.locator('a.skip-link[href="#main"]').count(), `${label}: skip link`);
  assert.ok(await page.locator('main#main').count(), `${label}: main landmark`);
}

async function checkNarrow(context, url, label) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(url);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${label}: the page scrolls sideways by ${overflow}px at 320px wide`);
  assert.deepEqual(await brokenWords(page), [], `${label}: words broken across two lines at 320px wide`);
  await page.close();
}

const OFFER = '/directory/offers/00d00002-0000-4000-8000-000000000001';
// Pages that show a problem on purpose, with the status they should answer.
const EXPECTED = {
  '/no-such-page': 404, '/directory?postcode=nonsense&age=old': 422,
  '/directory?q=walking&day=funday&access=ramps&within=5': 422,
};
const signedOutPages = ['/', '/sign-in', '/sign-up', '/forgotten-password', '/privacy', '/accessibility', '/no-such-page',
  '/directory', '/directory?q=walking&postcode=MF1+1AA&within=1', '/directory?postcode=nonsense&age=old',
  '/directory?q=walking&day=funday&access=ramps&within=5',
  '/directory?category=carers&free=1&day=TU&time=morning', '/directory?page=2', OFFER,
  '/directory?access=step_free&access=hearing_loop&led=1&kind=user_led',
  '/directory?postcode=MF1&sort=nearest', '/directory?community=deaf&space=has_space', '/directory/groups/00d00001-0000-4000-8000-000000000001', '/concerns/new', '/stories'];
const signedInPages = ['/', '/account', '/account/name', '/account/email', '/account/password',
  '/account/lived-experience', '/account/tokens', '/account/delete', '/account/activity',
  '/admin/users', '/admin/invites', '/admin/audit', '/privacy', '/accessibility', '/directory', OFFER,
  '/directory/suggest', '/directory/suggestions', '/directory/review', '/directory/review/stale', `${OFFER}/suggest-change`, `${OFFER}/history`, `${OFFER}/edit`,
  '/directory/groups/00d00001-0000-4000-8000-000000000001/claim', '/admin/safeguarding-leads', '/concerns/new',
  '/concerns/new?group=00d00001-0000-4000-8000-000000000001', '/directory/open-data', '/stories', '/stories/new',
  '/stories/new?group=00d00001-0000-4000-8000-000000000001', '/stories/mine', '/stories/review', '/stories?changed=1',
  '/stories?group=00d00001-0000-4000-8000-000000000001'];

test('signed-out pages pass axe-core and fit a narrow screen', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  for (const path of signedOutPages) {
    const response = await page.goto(hub.base + path);
    assert.equal(response.status(), EXPECTED[path] ?? 200, `${path} answers`);
    await checkPage(page, path);
    await checkNarrow(context, hub.base + path, path);
  }
  // Pages showing problems: the error summary and field errors.
  await page.goto(`${hub.base}/sign-in`);
  await page.click('button[type=submit].button');
  await checkPage(page, 'sign-in with errors');
  assert.ok(await page.locator('.error-summary a[href="#email"]').count());
  await page.goto(`${hub.base}/sign-up`);
  await page.fill('#email', 'not an email');
  await page.click('button[type=submit].button');
  await checkPage(page, 'sign-up with errors');
  await page.fill('#email', 'newcomer@example.org');
  await page.fill('#display_name', 'Newcomer');
  await page.fill('#password', 'quiet harbour lighthouse');
  await page.click('button[type=submit].button');
  await checkPage(page, 'check your email to finish joining');
  const joinMail = newestEmail(hub.dataDir);
  await page.goto(joinMail.match(/http:\/\/[0-9.:]+\/sign-up\/[A-Za-z0-9_-]+/)[0]);
  await checkPage(page, 'finish joining');
  await page.goto(`${hub.base}/forgotten-password`);
  await page.fill('#email', MEMBER);
  await page.click('button[type=submit].button');
  await checkPage(page, 'check your email');
  const mail = newestEmail(hub.dataDir);
  const link = mail.match(/http:\/\/[0-9.:]+\/reset-password\/[A-Za-z0-9_-]+/)[0];
  await page.goto(link);
  await checkPage(page, 'choose a new password');
  await context.close();
});

test('signed-in pages pass axe-core and fit a narrow screen', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, hub.base, ADMIN);
  for (const path of signedInPages) {
    const response = await page.goto(hub.base + path);
    assert.equal(response.status(), 200, `${path} answers`);
    await checkPage(page, `${path} (hub admin)`);
    await checkNarrow(context, hub.base + path, `${path} (hub admin)`);
  }
  // Suggesting a listing, with problems and then properly; reviewing it.
  await page.goto(`${hub.base}/directory/suggest`);
  await page.fill('#opens', '10:00');
  await page.click('form[action="/directory/suggest"] button[type=submit]');
  await checkPage(page, 'suggest a listing with errors');
  await page.fill('#name', 'Harmonica hour');
  await page.fill('#description', 'Play the harmonica with friends');
  await page.fill('#group', 'Blow Hards');
  await page.selectOption('#day', 'FR');
  await page.click('form[action="/directory/suggest"] button[type=submit]');
  await checkPage(page, 'your suggestions after sending one');
  await page.goto(`${hub.base}/directory/review`);
  await page.locator('a', { hasText: 'Harmonica hour' }).click();
  await checkPage(page, 'check a suggestion');
  await page.click('form[action$="/reject"] button[type=submit]');
  await checkPage(page, 'check a suggestion with a missing reason');
  await page.click('form[action$="/approve"] button[type=submit]');
  await checkPage(page, 'suggestions to check after approving');
  await page.goto(`${hub.base}${OFFER}/suggest-change`);
  await page.fill('#why', 'New times from January');
  await page.fill('#name', 'Knit and natter (new times)');
  await page.check('#space-waiting_list');
  await page.check('#communities-carers');
  await page.check('#communities-older_people');
  // A new time on the spare line, first without its day.
  await page.locator('input[name=opens]').last().fill('19:00');
  await page.locator('input[name=closes]').last().fill('21:00');
  await page.click('form button[type=submit].button');
  await checkPage(page, 'suggest a change with a time missing its day');
  assert.match(await page.locator('.error-summary').innerText(), /Choose the day for time \d/);
  await page.locator('select[name=day]').last().selectOption('TH');
  await page.check('#free-yes');
  await page.click('form button[type=submit].button');
  await page.goto(`${hub.base}/directory/review`);
  await page.locator('a', { hasText: 'Knit and natter (new times)' }).click();
  await page.click('form[action$="/approve"] button[type=submit]');
  await page.goto(`${hub.base}${OFFER}/history`);
  await checkPage(page, 'history with a change');
  assert.match(await page.locator('main').innerText(), /became/);
  await page.goto(`${hub.base}${OFFER}`);
  const offer = await page.locator('main').innerText();
  assert.match(offer, /waiting list/);
  assert.match(offer, /Especially for Carers, Older people/);
  assert.match(offer, /Thursdays 7pm to 9pm/);

  // Asking to be a group's organiser, and the request waiting for review.
  await page.goto(`${hub.base}/directory/groups/00d00001-0000-4000-8000-000000000001/claim`);
  await page.click('form button[type=submit].button');
  await checkPage(page, 'organiser request with a missing answer');
  await page.fill('#message', 'I chair the group');
  await page.click('form button[type=submit].button');
  await checkPage(page, 'your suggestions with an organiser request');
  await page.goto(`${hub.base}/directory/review`);
  await checkPage(page, 'review queue with an organiser request');

  // Forms after a change and with problems.
  await page.goto(`${hub.base}/account/tokens`);
  await page.fill('#name', 'Calendar');
  await page.click('form[action="/account/tokens"] button');
  await checkPage(page, 'new API token shown');
  await page.goto(`${hub.base}/admin/invites`);
  await page.click('form[action="/admin/invites"] button');
  await checkPage(page, 'new invitation link shown');
  await page.goto(`${hub.base}/account/password`);
  await page.fill('#current_password', 'not my password');
  await page.fill('#password', 'short');
  await page.click('button[type=submit].button');
  await checkPage(page, 'change password with errors');
  await page.goto(`${hub.base}/account/lived-experience`);
  await page.fill('#in_my_words', 'x'.repeat(2100));
  await page.click('button[type=submit].button');
  await checkPage(page, 'lived experience with errors');
  await context.close();

  const memberContext = await browser.newContext({ bypassCSP: true });
  const memberPage = await memberContext.newPage();
  await signIn(memberPage, hub.base, MEMBER);
  for (const path of ['/', '/account', '/account/activity']) {
    await memberPage.goto(hub.base + path);
    await checkPage(memberPage, `${path} (member)`);
  }
  const forbidden = await memberPage.goto(`${hub.base}/admin/users`);
  assert.equal(forbidden.status(), 403);
  await checkPage(memberPage, '403 page');
  await memberContext.close();
});

test('people search the directory and open an offer with JavaScript off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${hub.base}/directory`);
  await page.fill('#q', 'walking');
  await page.fill('#postcode', 'MF1 1AA');
  await page.selectOption('#within', '2');
  await page.click('form#search button[type=submit]');
  assert.match(page.url(), /q=walking/);
  assert.match(page.url(), /within=2/, 'every filter is in the address, so results can be shared');
  assert.match(await page.locator('h2#results').innerText(), /offers? found/);
  await page.locator('.result h3 a').first().click();
  assert.match(page.url(), /\/directory\/offers\//);
  assert.match(await page.locator('main').innerText(), /How to join/);
  await context.close();
});

test('everything works with JavaScript switched off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, hub.base, ADMIN);
  assert.match(await page.locator('h1').innerText(), /Hello, Priya/);
  await page.goto(`${hub.base}/admin/users?role=member`);
  assert.ok(await page.locator('td', { hasText: 'grace@meadowfield.example' }).count());
  const mick = page.locator('tr', { hasText: 'mick@meadowfield.example' });
  await mick.locator('select').selectOption('connector');
  await mick.locator('button').click();
  assert.match(await page.locator('.notice').innerText(), /role has been changed/);
  await page.goto(`${hub.base}/admin/users?role=connector`);
  assert.ok(await page.locator('td', { hasText: 'mick@meadowfield.example' }).count());
  await page.goto(`${hub.base}/account/lived-experience`);
  await page.check('#declared');
  await page.check('#kind-unpaid_carer');
  await page.fill('#in_my_words', 'I look after my brother');
  await page.click('button[type=submit].button');
  assert.match(await page.locator('.notice').innerText(), /saved/);
  assert.match(await page.locator('main').innerText(), /I look after my brother/);
  await page.click('nav button:has-text("Sign out")');
  assert.match(page.url(), /\/sign-in\?done=signed_out$/);
  await context.close();
});

test('the first directory result is in the first screen, wide and narrow, and the filters work without JavaScript', async () => {
  for (const [width, height] of [[1280, 800], [320, 640]]) {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height } });
    const page = await context.newPage();
    for (const path of ['/directory', '/directory?q=walk&postcode=MF1+2AB', '/directory?q=walk&postcode=MF1+2AB&free=1&day=TU']) {
      await page.goto(hub.base + path);
      const name = page.locator('.result h3 a').first();
      const box = await name.boundingBox();
      assert.ok(box && box.y + box.height <= height, `${path} at ${width}×${height}: the first result's name ends ${box && Math.round(box.y + box.height)}px down`);
    }
    // The filters: beside the results when wide, behind "Filter results" when narrow.
    await page.goto(`${hub.base}/directory?q=walk`);
    const free = page.locator('#free');
    if (width < 1024) {
      assert.equal(await free.isVisible(), false, 'the filters start folded away on a narrow screen');
      await page.locator('.filter-panel summary').click();
    }
    assert.ok(await free.isVisible(), `the filters can be seen at ${width}px`);
    await free.check();
    await page.locator('.filter-panel button[type=submit]').click();
    assert.match(page.url(), /free=1/);
    assert.match(page.url(), /q=walk/, 'the words are kept with the filters');
    assert.match(await page.locator('.filter-panel summary').innerText(), /1 in use/);
    const costs = await page.locator('.result-facts').allInnerTexts();
    assert.ok(costs.length > 0 && costs.every((c) => /Cost\s+Free/.test(c)), 'only free offers');
    await context.close();
  }
});

test('a map beside the results, drawn with JavaScript under the page\'s own security policy; the list alone without it', async () => {
  const path = '/directory?q=walk&postcode=MF1+2AB&within=3';
  for (const [width, height] of [[1280, 800], [320, 640]]) {
    // Without JavaScript there is no map, only the list.
    const off = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height } });
    const plain = await off.newPage();
    await plain.goto(hub.base + path);
    assert.equal(await plain.locator('#map-panel').isVisible(), false, 'no empty map without JavaScript');
    await off.close();

    // With JavaScript and the hub's Content-Security-Policy in force.
    const on = await browser.newContext({ viewport: { width, height } });
    const page = await on.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await page.goto(hub.base + path);
    const first = await page.locator('.result h3 a').first().boundingBox();
    assert.ok(first.y + first.height <= height, `the map starts folded, so the first result is still in the first screen at ${width}px`);
    await page.locator('#map-panel summary').click();
    const markers = page.locator('.leaflet-marker-icon');
    await markers.first().waitFor();
    const names = await page.locator('.result h3 a').allInnerTexts();
    const labels = await markers.evaluateAll((ms) => ms.map((m) => m.getAttribute('alt')));
    // Every offer on the page is on the map, by name (places close together share a marker).
    for (const name of names) {
      assert.ok(labels.some((l) => l === name || l.includes(name)), `${name} is on the map: ${labels}`);
    }
    // A marker opens with the keyboard, and its popup links to the offer.
    await markers.first().focus();
    await page.keyboard.press('Enter');
    const link = page.locator('.leaflet-popup-content a').first();
    const href = await link.getAttribute('href');
    assert.match(href, /^\/directory\/offers\//);
    assert.deepEqual(problems, [], 'no script errors or blocked requests');
    await on.close();

    // The opened map passes axe-core too.
    const checked = await browser.newContext({ bypassCSP: true, viewport: { width, height } });
    const again = await checked.newPage();
    await again.goto(hub.base + path);
    await again.locator('#map-panel summary').click();
    await again.locator('.leaflet-marker-icon').first().waitFor();
    await checkPage(again, `the map at ${width}px`);
    await checked.close();
  }
});
