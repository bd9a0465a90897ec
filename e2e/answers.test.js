// Answers survive errors: with JavaScript off, a person fills in a form, gets one thing
// wrong, sends it, and finds everything else they typed, ticked and chose still there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHub, launch, signIn, MEMBER, ADMIN } from './harness.js';

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

// Every form, generically: each person follows links (three clicks, JavaScript off), and each
// form that sends something is filled in whole by the browser, every field changed from what
// the page showed (words, numbers, a pick from each list, the last of each set of choices,
// every tick turned over), with one answer far too long. The hub must show the problem and
// the form again, every other answer as the browser sent it. (A choice can make a field not
// apply, as "no" does to the words about lived experience: a form that takes the changed
// choices is sent again with its choices as they were.)
const PEOPLE = [null, MEMBER, 'sam.okafor@meadowfield.example', 'bronwen@meadowfield.example', 'david.chen@meadowfield.example', ADMIN];

function shape(url) {
  const u = new URL(url);
  const path = u.pathname.split('/').map((s) => (/^\d+$/.test(s) || /^[0-9a-f-]{20,}$/i.test(s) ? '{id}' : s)).join('/');
  return `${path}?${[...new Set([...u.searchParams.keys()])].sort().join('&')}`;
}

// What a form holds now, field by field, as the browser would send it.
const DESCRIBE = (form) => [...form.elements].filter((e) => e.name && !['submit', 'button', 'reset', 'image'].includes(e.type)).map((e) => ({
  name: e.name,
  kind: e.tagName === 'SELECT' ? 'select' : e.tagName === 'TEXTAREA' ? 'textarea' : (e.type || 'text'),
  value: e.value,
  checked: !!e.checked,
  options: e.tagName === 'SELECT' ? [...e.options].map((o) => o.value) : [],
  min: e.getAttribute('min'),
  maxlength: e.getAttribute('maxlength'),
}));

// Fill the form by plan (one entry per field, in order) and leave it to be sent.
const APPLY = (form, plan) => {
  const fields = [...form.elements].filter((e) => e.name && !['submit', 'button', 'reset', 'image'].includes(e.type));
  fields.forEach((e, i) => {
    const p = plan[i];
    if (!p) return;
    if (e.type === 'checkbox' || e.type === 'radio') e.checked = p.checked;
    else if (e.type !== 'hidden' && e.type !== 'file') e.value = p.value;
  });
};

function planFor(fields, changeChoices) {
  const wrong = fields.findIndex((f) => ['text', 'textarea', 'search'].includes(f.kind) && !f.maxlength);
  const kept = fields.filter((f, i) => i !== wrong && !['hidden', 'password', 'file'].includes(f.kind));
  if (wrong < 0 || kept.length === 0) return null;
  const lastRadio = {};
  fields.forEach((f, i) => { if (f.kind === 'radio') lastRadio[f.name] = i; });
  const plan = fields.map((f, i) => {
    if (i === wrong) return { value: 'x'.repeat(60000) };
    switch (f.kind) {
      case 'hidden': case 'file': return null;
      case 'password': return { value: 'not the password' };
      case 'radio': return { checked: changeChoices ? lastRadio[f.name] === i : f.checked };
      case 'checkbox': return { checked: !f.checked };
      case 'select': return { value: [...f.options].reverse().find((o) => o !== '' && o !== f.value) ?? f.value };
      case 'email': return { value: `kept${i}@example.org` };
      case 'number': return { value: f.min ?? '3' };
      case 'date': return { value: '2027-03-04' };
      case 'time': return { value: '10:30' };
      case 'tel': return { value: '07700 900123' };
      case 'url': return { value: `https://example.org/kept/${i}` };
      case 'textarea': return { value: `Kept words ${i}\nand a second line` };
      default: return { value: `Kept answer ${i}` };
    }
  });
  return { plan, wrong };
}

test('every form a person reaches keeps every other answer when one is wrong', async (t) => {
  const seen = new Set();
  const checked = [];
  const problems = [];
  for (const who of PEOPLE) {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    if (who) await signIn(page, hub.base, who);
    const start = `${hub.base}/`;
    const shapes = new Set([shape(start)]);
    const queue = [[start, 0]];
    const pages = [];
    while (queue.length) {
      const [url, depth] = queue.shift();
      const response = await page.goto(url);
      if (response.status() !== 200) continue;
      pages.push(url);
      if (depth >= 3) continue;
      for (const href of await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href.split('#')[0]))) {
        const p = href.startsWith(hub.base) ? new URL(href).pathname : '';
        if (!p || /^\/(static|api|oruk)\b/.test(p) || /\.(ics|csv|json|atom)$/.test(p) || shapes.has(shape(href))) continue;
        shapes.add(shape(href));
        queue.push([href, depth + 1]);
      }
    }
    for (const url of pages) {
      await page.goto(url);
      const actions = await page.locator('form').evaluateAll((fs) => fs.map((f) => [f.getAttribute('method') ?? 'get', f.getAttribute('action') ?? '']));
      for (const [index, [method, action]] of actions.entries()) {
        if (method.toLowerCase() !== 'post' || action.includes('sign-out')) continue;
        const key = shape(new URL(action || url, hub.base).href);
        if (seen.has(key)) continue;
        seen.add(key);
        await page.goto(url);
        const form = page.locator('form').nth(index);
        const fields = await form.evaluate(DESCRIBE);
        let made = planFor(fields, true);
        if (!made) continue;
        checked.push(key);
        const send = async (plan) => {
          await page.goto(url);
          const f = page.locator('form').nth(index);
          await f.evaluate(APPLY, plan);
          const button = f.locator('button[type=submit], button:not([type]), input[type=submit]').first();
          await Promise.all([page.waitForNavigation(), button.click()]);
        };
        await send(made.plan);
        if (!(await page.locator('.error-summary').count()) && fields.some((f) => f.kind === 'radio')) {
          made = planFor(fields, false);
          await send(made.plan);
        }
        const who_ = who ?? 'someone signed out';
        if (!(await page.locator('.error-summary').count())) {
          problems.push(`${who_}: ${key} (from ${new URL(url).pathname}) took ${fields[made.wrong].name} 60,000 letters long`);
          continue;
        }
        const again = page.locator(`form[action="${action}"]`).first();
        if (!(await again.count())) {
          problems.push(`${who_}: ${key}: the problem page has no form to fix it in`);
          continue;
        }
        const back = await again.evaluate(DESCRIBE);
        const lost = [];
        fields.forEach((f, i) => {
          const p = made.plan[i];
          if (i === made.wrong || !p || ['hidden', 'password', 'file'].includes(f.kind)) return;
          const same = back.filter((b) => b.name === f.name && b.kind === f.kind);
          if (f.kind === 'radio' || f.kind === 'checkbox') {
            const b = same.find((x) => x.value === f.value);
            if (!b || b.checked !== p.checked) lost.push(`${f.name}=${f.value} ${p.checked ? 'ticked' : 'not ticked'}`);
          } else {
            // The browser sends new lines as CR LF; the page shows what was sent.
            const norm = (v) => v.replace(/\r\n/g, '\n');
            if (!same.some((b) => norm(b.value) === norm(p.value))) lost.push(`${f.name}=${JSON.stringify(p.value)}`);
          }
        });
        if (lost.length) problems.push(`${who_}: ${key} (from ${new URL(url).pathname}) lost ${lost.join(', ')}`);
      }
    }
    await context.close();
  }
  t.diagnostic(`${checked.length} forms checked: ${checked.join(' ')}`);
  assert.ok(checked.length >= 25, `only ${checked.length} forms reached`);
  assert.deepEqual(problems, []);
});
