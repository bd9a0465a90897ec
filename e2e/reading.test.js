// Plain English: every page a member reaches from the home page (three clicks, links only,
// JavaScript off) is measured for how easy its main words are to read, as a Flesch–Kincaid
// grade, counted the same way every time (see `readingGrade`). Each page's figure is printed;
// a page above grade 6 (a reading age of about 11) fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { syllable } from 'syllable';
import { startHub, launch, signIn, MEMBER } from './harness.js';

const MOST = 6;
// Too few words for a grade to mean anything (a heading and a button).
const FEWEST_WORDS = 30;

let hub; let browser;
before(async () => { hub = await startHub(); browser = await launch(); });
after(async () => { await browser?.close(); await hub?.stop(); });

// The Flesch–Kincaid grade of some text: 0.39 × words per sentence + 11.8 × syllables per
// word − 15.59. Each line or table cell (a heading, a label, a list item, a paragraph) is split into
// sentences at . ! ? and a line with no such mark is one sentence. A word is a run of
// letters (with ' or ’ or - inside); numbers and symbols are not words. Syllables are
// counted by the `syllable` package.
export function readingGrade(text) {
  let sentences = 0; let words = 0; let syllables = 0;
  for (const line of text.split(/[\n\t]/)) {
    for (const sentence of line.split(/[.!?]+(?=\s|$)/)) {
      const found = sentence.match(/\p{L}+(?:['’-]\p{L}+)*/gu) ?? [];
      if (found.length === 0) continue;
      sentences += 1;
      words += found.length;
      for (const w of found) syllables += Math.max(1, syllable(w));
    }
  }
  if (words === 0) return { grade: 0, words, sentences };
  const grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59;
  return { grade, words, sentences };
}

// A link's shape: its path with ids as {id}, and its query's names, so one page of each kind
// is measured.
function shape(url) {
  const u = new URL(url);
  const path = u.pathname.split('/').map((s) => (/^\d+$/.test(s) || /^[0-9a-f-]{20,}$/i.test(s) ? '{id}' : s)).join('/');
  return `${path}?${[...new Set([...u.searchParams.keys()])].sort().join('&')}`;
}

function followable(href, base) {
  if (!href.startsWith(base)) return false;
  const p = new URL(href).pathname;
  return !/^\/(static|api|oruk)\b/.test(p) && !/\.(ics|csv|json|atom)$/.test(p) && p !== '/sign-out';
}

test('every page a member reaches reads at grade 6 or below', async (t) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, hub.base, MEMBER);
  const start = `${hub.base}/`;
  const seen = new Set([shape(start)]);
  const queue = [[start, 0]];
  const figures = [];
  while (queue.length) {
    const [url, depth] = queue.shift();
    const response = await page.goto(url);
    if (response.status() !== 200) continue;
    if (depth < 3) {
      for (const href of await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href.split('#')[0]))) {
        if (followable(href, hub.base) && !seen.has(shape(href))) {
          seen.add(shape(href));
          queue.push([href, depth + 1]);
        }
      }
    }
    const text = await page.locator('main').innerText();
    const { grade, words, sentences } = readingGrade(text);
    if (words < FEWEST_WORDS) continue;
    figures.push({ path: new URL(url).pathname + new URL(url).search, grade, words, sentences });
  }
  await context.close();
  figures.sort((a, b) => b.grade - a.grade);
  for (const f of figures) {
    t.diagnostic(`grade ${f.grade.toFixed(1)}  ${String(f.words).padStart(4)} words  ${f.path}`);
  }
  assert.ok(figures.length > 20, `measured ${figures.length} pages`);
  const hard = figures.filter((f) => f.grade > MOST);
  assert.deepEqual(hard.map((f) => `${f.path}: grade ${f.grade.toFixed(1)}`), [], `pages above grade ${MOST}`);
});
