// Answers survive errors: with JavaScript off, a person fills in a form, gets one thing
// wrong, sends it, and finds everything else they typed, ticked and chose still there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, signIn, MEMBER } from './harness.js';

let hub; let browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

async function send(page, action) {
  await Promise.all([
    page.waitForNavigation(),
    page.click(`form[action="${action}"] button[type=submit]`),
  ]);
  assert.ok(await page.locator('.error-summary').count(), `${action}: the problem is shown`);
}

test('a form with a problem keeps every other answer', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, hub.base, MEMBER);

  // A check-in with a score out of range: the other score and the words stay.
  await page.goto(`${hub.base}/me/check-ins`);
  await page.fill('#satisfied', '11');
  await page.fill('#worthwhile', '7');
  await page.fill('#changed', 'I joined the choir & made a "new" friend.');
  await send(page, '/me/check-ins');
  assert.equal(await page.inputValue('#satisfied'), '11');
  assert.equal(await page.inputValue('#worthwhile'), '7');
  assert.equal(await page.inputValue('#happy'), '');
  assert.equal(await page.inputValue('#changed'), 'I joined the choir & made a "new" friend.');

  // A safeguarding concern without what happened: who it is about, and "urgent", stay.
  await page.goto(`${hub.base}/concerns/new`);
  await page.fill('#about_name', 'Mr Lee at number 4');
  await page.check('#urgent');
  await send(page, '/concerns/new');
  assert.equal(await page.inputValue('#about_name'), 'Mr Lee at number 4');
  assert.ok(await page.isChecked('#urgent'));

  // A block without a reason: the block stays chosen.
  await page.goto(`${hub.base}/proposals/3`);
  await page.check('#stance-block');
  await page.fill('#reason', '');
  await send(page, '/proposals/3/stance');
  assert.ok(await page.isChecked('#stance-block'), 'Block is still chosen');
  assert.equal(await page.locator('input[name=stance]:checked').count(), 1);
  await context.close();
});
