// A keyboard-only journey, with JavaScript off: join (finishing from the emailed link), sign
// out, sign in, visit the account page, sign out. Every focused control must show a visible focus indicator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, newestEmail } from './harness.js';

let hub; let browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

/** Press Tab until the focused element matches `predicate`; fail after `limit` presses. */
async function tabTo(page, description, predicate, limit = 40) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(predicate);
    if (found) {
      const visible = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
      });
      assert.ok(visible, `${description} has a visible focus indicator`);
      return;
    }
  }
  assert.fail(`could not reach ${description} with the Tab key`);
}

const byText = (text) => new Function(`const e = document.activeElement; return !!e && e.textContent.trim() === ${JSON.stringify(text)};`);
const byId = (id) => new Function(`return document.activeElement && document.activeElement.id === ${JSON.stringify(id)};`);

test('join, sign in, account and sign out with the keyboard alone', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(hub.base);

  // The skip link is the first thing reached and is visible when focused.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');

  await tabTo(page, 'the Join link', byText('Join'));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/sign-up$/);
  await tabTo(page, 'the name field', byId('display_name'));
  await page.keyboard.type('Keyboard Kim');
  await tabTo(page, 'the email field', byId('email'));
  await page.keyboard.type('kim@example.org');
  await tabTo(page, 'the password field', byId('password'));
  await page.keyboard.type('quiet harbour lighthouse');
  await page.keyboard.press('Enter');
  await page.locator('h1', { hasText: 'Check your email' }).waitFor();
  const mail = newestEmail(hub.dataDir);
  const link = mail.match(/http:\/\/[0-9.:]+\/sign-up\/[A-Za-z0-9_-]+/)[0];
  await page.goto(link);
  assert.match(await page.locator('h1').innerText(), /Welcome, Keyboard Kim/);
  await tabTo(page, 'the finish joining button', byText('Finish joining'));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/welcome$/);
  assert.match(await page.locator('h1').innerText(), /Welcome, Keyboard Kim/);

  await tabTo(page, 'the sign out button', byText('Sign out'));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/sign-in\?done=signed_out$/);

  await tabTo(page, 'the email field', byId('email'));
  await page.keyboard.type('kim@example.org');
  await tabTo(page, 'the password field', byId('password'));
  await page.keyboard.type('quiet harbour lighthouse');
  await tabTo(page, 'the sign in button', byText('Sign in'));
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/');
  assert.match(await page.locator('h1').innerText(), /Hello, Keyboard Kim/);

  await tabTo(page, 'the account link', byText('Your account'));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/account$/);
  assert.match(await page.locator('main').innerText(), /kim@example\.org/);

  await tabTo(page, 'the sign out button', byText('Sign out'));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/sign-in\?done=signed_out$/);
  const account = await page.goto(`${hub.base}/account`);
  assert.match(account.url(), /\/sign-in\?next=%2Faccount$/);
  await context.close();
});

test('add someone to your circle and say who sees a profile section with the keyboard alone', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${hub.base}/sign-in?next=/me/circle`);
  await tabTo(page, 'the email field', byId('email'));
  await page.keyboard.type('tom.wright@meadowfield.example');
  await tabTo(page, 'the password field', byId('password'));
  await page.keyboard.type('meadowfield-demo-2026');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/me/circle');

  // The ring is a radio group: Tab reaches it, the arrow keys choose within it.
  await tabTo(page, 'the first ring choice', byId('add-ring-close'), 120);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'add-ring-family_friends');
  await tabTo(page, 'the name field', byId('name'));
  await page.keyboard.type('Cousin Ray');
  await tabTo(page, 'the add button', byText('Add to your circle'));
  await page.keyboard.press('Enter');
  await page.waitForURL(/done=circle_added/);
  const table = await page.locator('table').innerText();
  assert.match(table, /Cousin Ray\s+Family and friends/);

  // Moving someone to another ring: the select and its button are reachable too.
  await tabTo(page, 'the move button for Cousin Ray', byText('Move Cousin Ray'), 200);

  await page.goto(`${hub.base}/me/profile/gifts`);
  await tabTo(page, 'the words', byId('gifts.text'));
  await page.keyboard.type(' I can mend bikes.');
  // Only the chosen radio of a group is a Tab stop; the arrow keys move the choice.
  await tabTo(page, 'who can see it', new Function('return document.activeElement && document.activeElement.name === "visibility";'), 60);
  for (let i = 0; i < 5 && await page.evaluate(() => document.activeElement.id) !== 'visibility-only_me'; i += 1) {
    await page.keyboard.press('ArrowUp');
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), 'visibility-only_me');
  await tabTo(page, 'the save button', byText('Save'));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/me\/profile\?done=saved$/);
  const gifts = await page.locator('#section-gifts').locator('xpath=..').innerText();
  assert.match(gifts, /mend bikes/);
  assert.match(gifts, /Who can see this: Only you/);
  await context.close();
});
