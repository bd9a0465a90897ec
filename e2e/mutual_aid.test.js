// Mutual aid in a real browser with JavaScript off, at 320 px: the board, posting an ask
// (a problem first, then properly), answering an offer, saying yes, and every page passing
// axe-core (WCAG 2.2 AA). Then, as every demo person, every help page they can reach: a
// member's email address or phone number shows only to the other person of a match both
// said yes to, and only what that person chose to share.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, signIn, checkPage as check, signedInTwice } from './harness.js';

const GRACE = 'grace@meadowfield.example';
const MICK = 'mick@meadowfield.example';
const TOM = 'tom.wright@meadowfield.example';

let hub; let browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => {
  await browser?.close();
  const stopped = await hub?.stop();
  assert.equal(stopped.code, 0);
});

const as = (email) => signedInTwice(browser, hub, email);

test('neighbours ask, offer, answer and say yes with JavaScript off, on pages that pass axe-core', async () => {
  const grace = await as(GRACE);
  const { page } = grace;
  for (const path of ['/help', '/help?near=MF3&kind=offer', '/help?category=cars', '/help/new?kind=ask', '/help/new?kind=offer', '/help/mine', '/account/phone']) {
    await grace.checkUrl(path, path.includes('cars') ? 422 : 200);
  }
  // Posting with a problem keeps the answers and names the field; then properly.
  await page.goto(`${hub.base}/help/new?kind=ask`);
  await page.selectOption('#category', 'shopping');
  await page.fill('#title', 'Bread and milk, please');
  await page.fill('#details', 'Ring me on 07700 900999');
  await page.click('form[action="/help/new"] button[type=submit]');
  assert.ok(await page.locator('.error-summary a[href="#details"]').count(), 'the problem is named');
  assert.equal(await page.inputValue('#title'), 'Bread and milk, please', 'the other answers are kept');
  await grace.checkUrl('/help/new?kind=ask');
  await page.fill('#details', 'Just a few things from the corner shop.');
  await page.fill('#area', 'Town centre');
  await page.click('form[action="/help/new"] button[type=submit]');
  assert.match(page.url(), /\/help\/posts\/\d+\?done=posted$/);
  const mine = new URL(page.url()).pathname;
  await grace.checkUrl(mine);
  await grace.checkUrl(`${mine}/close`);

  // Tom answers Grace's new ask from its page.
  const tom = await as(TOM);
  await tom.page.goto(`${hub.base}${mine}`);
  await tom.checkUrl(mine);
  await tom.page.fill('#message', 'I am going to the shop later, happy to.');
  await tom.page.click(`form[action="${mine}/responses"] button[type=submit]`);
  assert.match(tom.page.url(), /\/help\/matches\/\d+$/);
  const match = new URL(tom.page.url()).pathname;
  await tom.checkUrl(match);
  await tom.checkUrl(`${match}/withdraw`);

  // Grace says yes, and only then sees how to reach Tom.
  await page.goto(`${hub.base}${match}`);
  assert.equal(await page.getByText(TOM).count(), 0);
  await grace.checkUrl(match);
  await page.click(`form[action="${match}/accept"] button[type=submit]`);
  assert.ok(await page.getByText(TOM).count(), 'Grace sees Tom\'s email once she said yes');
  await grace.checkUrl(match);

  // It happened; Tom adds the time he gave (a problem first), and Grace confirms it.
  await tom.page.goto(`${hub.base}${match}`);
  await tom.page.click(`form[action="${match}/done"] button[type=submit]`);
  await tom.page.check('#gave');
  await tom.page.fill('#minutes', 'a while');
  await tom.page.click(`form[action="${match}/time"] button[type=submit]`);
  assert.ok(await tom.page.locator('.error-summary a[href="#minutes"]').count(), 'the time is named');
  assert.ok(await tom.page.isChecked('#gave'), 'the other answer is kept');
  await tom.checkUrl(match);
  await tom.page.fill('#minutes', '1:30');
  await tom.page.click(`form[action="${match}/time"] button[type=submit]`);
  await page.goto(`${hub.base}/help/time`);
  assert.ok(await page.getByText('Tom gave 1 hour 30 minutes to Grace').count(), 'waiting for Grace');
  await grace.checkUrl('/help/time');
  await page.goto(`${hub.base}${match}`);
  await grace.checkUrl(match);
  await page.click('form[action$="/confirm"] button[type=submit]');
  await page.goto(`${hub.base}/help/time`);
  assert.ok(await page.getByText('Minus 1 hour 30 minutes').count(), 'the time is in Grace\'s account');
  await grace.checkUrl('/help/time');

  // Something's not right: Grace tells the safeguarding leads about the match, from its page.
  const matchId = match.split('/').pop();
  const raise = `/concerns/new?help_match=${matchId}`;
  await page.goto(`${hub.base}${match}`);
  await page.click(`a[href="${raise}"]`);
  assert.ok(await page.getByText('in your match about “Bread and milk, please”').count(), 'the form names the match');
  await grace.checkUrl(raise);
  await page.fill('#what', 'Tom asked for my bank card to pay for the shopping.');
  await page.click('form[action="/concerns/new"] button[type=submit]');
  assert.ok(await page.getByText('the safeguarding leads have been told').count(), 'sent');
  // Bronwen, a safeguarding lead, reads the match from the concern, and cannot change it.
  const bronwen = await as('bronwen@meadowfield.example');
  await bronwen.page.goto(`${hub.base}/safeguarding`);
  await bronwen.page.locator('tr', { hasText: 'Bread and milk, please' }).locator('a').first().click();
  const concern = new URL(bronwen.page.url()).pathname;
  await bronwen.checkUrl(concern);
  await bronwen.page.click(`a[href="${match}"]`);
  assert.ok(await bronwen.page.getByText('You are looking as a safeguarding lead').count());
  assert.ok(await bronwen.page.getByText('I am going to the shop later, happy to.').count(), 'the messages');
  assert.equal(await bronwen.page.locator('main form').count(), 0, 'nothing to change');
  await bronwen.checkUrl(match);
  await bronwen.close();

  // Grace finds the time was a mistake, and asks a coordinator to take it back.
  await page.goto(`${hub.base}${match}`);
  await page.click('a[href$="/take-back"]');
  const takeBack = new URL(page.url()).pathname;
  await grace.checkUrl(takeBack);
  await page.click(`form[action="${takeBack}"] button[type=submit]`);
  assert.ok(await page.locator('.error-summary a[href="#why"]').count(), 'the reason is asked for');
  await page.fill('#why', 'Tom only stayed an hour.');
  await page.click(`form[action="${takeBack}"] button[type=submit]`);
  assert.ok(await page.getByText('A coordinator will look at it').count(), 'asked');
  await grace.checkUrl(match);
  // Bronwen coordinates too: the asking is hers to answer, and she still sees the concern.
  const lead = await as('bronwen@meadowfield.example');
  await lead.page.goto(`${hub.base}${match}`);
  assert.ok(await lead.page.getByText('You are looking as a coordinator').count());
  assert.ok(await lead.page.getByText('a concern was raised about this match').count());
  assert.equal(await lead.page.locator('form[action$="/settle/keep"]').count(), 1, 'Keep it');
  await lead.checkUrl(match);
  await lead.close();
  await grace.close();
  await tom.close();
});

test('a steward records a safety check and a coordinator types in for a member, with JavaScript off, on pages that pass axe-core', async () => {
  const bronwen = await as('bronwen@meadowfield.example');
  const { page } = bronwen;
  await bronwen.checkUrl('/help/safety-marks');
  await page.goto(`${hub.base}/help/safety-marks`);
  await page.fill('#email', MICK);
  await page.click('form[action="/help/safety-marks"] button[type=submit]');
  assert.match(page.url(), /\/people\/\d+\/safety-marks$/);
  const marks = new URL(page.url()).pathname;
  await bronwen.checkUrl(marks);
  // A problem first: the check is named, and the day typed is kept.
  await page.click(`form[action="${marks}"] button[type=submit]`);
  assert.ok(await page.locator('.error-summary a[href="#mark"]').count(), 'the missing check is named');
  await page.selectOption('#mark', 'met_in_person');
  await page.click(`form[action="${marks}"] button[type=submit]`);
  assert.ok(await page.getByText('The check is recorded').count(), 'recorded');
  assert.ok(await page.getByText('Met in person by a steward').count());
  await bronwen.checkUrl(marks);
  const mick = await as(MICK);
  await mick.checkUrl(marks);
  assert.equal(await mick.page.goto(hub.base + marks).then(() => mick.page.locator(`form[action="${marks}"]`).count()), 0, 'Mick cannot record his own');
  await mick.close();

  // Joan, a coordinator, puts an ask on the board for Lena after a phone call.
  const joan = await as('joan@meadowfield.example');
  await joan.checkUrl('/help/coordinate');
  await joan.checkUrl('/help/new?kind=ask');
  await joan.page.goto(`${hub.base}/help/new?kind=ask`);
  await joan.page.selectOption('#category', 'shopping');
  await joan.page.fill('#title', 'Stamps from the post office');
  await joan.page.fill('#for_member', 'lena@meadowfield.example');
  await joan.page.click('form[action="/help/new"] button[type=submit]');
  assert.ok(await joan.page.locator('.error-summary a[href="#agreed"]').count(), 'how Lena agreed is asked for');
  assert.equal(await joan.page.inputValue('#for_member'), 'lena@meadowfield.example', 'the answers are kept');
  await joan.page.check('#agreed');
  await joan.page.click('form[action="/help/new"] button[type=submit]');
  assert.match(joan.page.url(), /\/help\/posts\/\d+\?done=posted$/);
  assert.ok(await joan.page.getByText('typed in by Joan, a coordinator, for Lena, who agreed by phone').count());
  await joan.checkUrl(new URL(joan.page.url()).pathname);
  // The demo's time not agreed: Joan looks at its match, then settles it.
  await joan.page.goto(`${hub.base}/help/coordinate`);
  const link = joan.page.locator('a', { hasText: 'See the match' }).first();
  const disputed = await link.getAttribute('href');
  await joan.checkUrl(disputed);
  // Grace's asking waits for a coordinator: Joan keeps the time.
  await joan.page.goto(`${hub.base}/help/coordinate`);
  assert.ok(await joan.page.getByText('Tom only stayed an hour.').count(), 'why Grace asked');
  await joan.page.click('form[action$="/settle/keep"] button[type=submit]');
  assert.ok(await joan.page.getByText('The time is kept').count(), 'kept');
  await joan.page.goto(`${hub.base}/help/coordinate`);
  await joan.page.click('form[action$="/settle/resolve"] button[type=submit]');
  assert.ok(await joan.page.getByText('The time is added').count(), 'settled');
  await joan.checkUrl('/help/coordinate');
  // Added now, it can be taken back if it was a mistake.
  await joan.page.goto(`${hub.base}${disputed}`);
  assert.equal(await joan.page.locator('form[action$="/settle/reverse"]').count(), 1, 'Take it back');
  await joan.checkUrl(disputed);
  await joan.close();
  await bronwen.close();
});

// The demo's contact details and who may see each: the other person of a match both said yes
// to, where the one it belongs to chose to share it (with Grace and Tom's match from the test
// above).
const SECRETS = {
  'grace@meadowfield.example': ['mick@meadowfield.example', 'aisha@meadowfield.example', 'tom.wright@meadowfield.example'],
  '07700 900472': ['mick@meadowfield.example'], // Grace's phone, shared when she offered to fix her tap
  'mick@meadowfield.example': ['grace@meadowfield.example'],
  '07700 900461': ['grace@meadowfield.example'], // Mick's phone, shared when he offered her a lift
  'tom.wright@meadowfield.example': ['lena@meadowfield.example', 'grace@meadowfield.example'],
  'lena@meadowfield.example': ['tom.wright@meadowfield.example'],
  'aisha@meadowfield.example': ['grace@meadowfield.example'],
  'winston@meadowfield.example': [],
};
const PEOPLE = ['grace@meadowfield.example', 'mick@meadowfield.example', 'tom.wright@meadowfield.example',
  'aisha@meadowfield.example', 'lena@meadowfield.example', 'winston@meadowfield.example',
  'sam.okafor@meadowfield.example', 'bronwen@meadowfield.example', 'david.chen@meadowfield.example',
  'joan@meadowfield.example', 'admin@meadowfield.example'];

test('no help page shows a member\'s email or phone to anyone but the other person of a match both said yes to', async () => {
  for (const person of PEOPLE) {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, hub.base, person);
    // Every help page this person can reach from the board and their own list.
    const seen = new Set(); const todo = ['/help', '/help/mine', '/help/coordinate'];
    let text = '';
    while (todo.length) {
      const path = todo.shift();
      if (seen.has(path)) continue;
      seen.add(path);
      const r = await page.goto(hub.base + path);
      if (r.status() !== 200) continue;
      text += await page.content();
      for (const href of await page.locator('a[href^="/help/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        const clean = href.split('?')[0];
        if (/^\/help\/(posts|matches)\/\d+$/.test(clean)) todo.push(clean);
      }
    }
    assert.ok(seen.size > 3, `${person} reached the board's pages`);
    for (const [secret, allowed] of Object.entries(SECRETS)) {
      if (secret === person) continue;
      const shown = text.includes(secret);
      assert.equal(shown, allowed.includes(person), `${secret} ${shown ? 'shown' : 'not shown'} to ${person}`);
    }
    await context.close();
  }
});
