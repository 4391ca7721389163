// End-to-end checks in a real browser (Debian's Chromium through playwright-core).
// Usage: node check.mjs BASE_URL HTML_DIR   (run by run.sh, which starts the server)
// Fails (exit 1) on: a story step that does not show what it should, a main page that
// scrolls sideways at 390 px, an axe-core violation rated serious or critical, a page
// without exactly one h1. Every page's HTML as served is saved to HTML_DIR for vnu.
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const [base, htmlDir] = process.argv.slice(2);
const shots = process.env.MSPDESK_SCREENSHOTS || "";
const axe = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
mkdirSync(htmlDir, { recursive: true });
if (shots) mkdirSync(shots, { recursive: true });
const failures = [];
const fail = (what) => { failures.push(what); console.error("FAIL " + what); };
let saved = 0;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});

async function signIn(email, width = 1366, scheme = "light") {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, bypassCSP: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  // The demo's sign-in address names its team; the form arrives with it filled in.
  await page.goto(base + "/login?team=demo-msp");
  if ((await page.inputValue("#team")) !== "demo-msp") fail("the sign-in address did not fill in the team");
  await page.fill("#email", email);
  await page.fill("#password", "demo-password");
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  if (new URL(page.url()).pathname === "/login") fail(`${email} could not sign in`);
  return { context, page };
}

// One page as a user of `who` sees it: the status, the layout at this width, axe, h1.
async function visit(page, who, path, label) {
  const response = await page.goto(base + path);
  const status = response ? response.status() : 0;
  if (status !== 200) { fail(`${who} ${path}: status ${status}`); return; }
  const width = page.viewportSize().width;
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  if (scroll > width) {
    // Name the elements that stick out, innermost first, so the fix is obvious.
    // Elements past the edge that no scrolling strip of their own holds, outermost
    // first: the one that widens the page.
    const wide = await page.evaluate((w) => [...document.querySelectorAll("body *")]
      .filter((e) => {
        if (e.getBoundingClientRect().right <= w + 1) return false;
        for (let a = e.parentElement; a; a = a.parentElement) {
          if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return false;
        }
        return true;
      })
      .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`), width);
    fail(`${who} ${path} at ${width} px: ${scroll} px wide (scrolls sideways): ${wide.join(", ")}`);
  }
  const h1 = await page.locator("h1").count();
  if (h1 !== 1) fail(`${who} ${path}: ${h1} h1 elements`);
  if (width > 1000) {
    writeFileSync(`${htmlDir}/${String(saved++).padStart(3, "0")}-${label}.html`, await response.text());
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(async () =>
      // Colour contrast in the dark scheme is checked by the dark pass below.
      await window.axe.run(document, { resultTypes: ["violations"] }));
    for (const v of result.violations) {
      if (v.impact === "serious" || v.impact === "critical") {
        fail(`${who} ${path}: axe ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }
    }
  }
  if (shots) {
    const scheme = await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
    await page.screenshot({ path: `${shots}/${label}-${width}-${scheme}.png`, fullPage: false });
  }
}

const ROLES = {
  "admin@demo.test": ["/admin/users", "/admin/audit", "/admin/settings", "/admin/api-keys", "/admin/shares"],
  "tech@demo.test": [],
  "accountant@demo.test": [],
};
const COMMON = ["/", "/clients", "/tickets", "/assets", "/notifications", "/account/sessions", "/search?q=a"];

for (const [who, own] of Object.entries(ROLES)) {
  for (const width of [1366, 390]) {
    const { context, page } = await signIn(who, width);
    // The client's tabs this role may open, as its own tab bar lists them.
    await page.goto(base + "/clients");
    const first = await page.locator("table.list tbody a").first().getAttribute("href");
    await page.goto(base + first);
    const tabs = await page.locator("nav.tabs a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const menu = await page.locator("nav.main a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const paths = [...new Set([...COMMON, ...menu, ...own, ...tabs])];
    for (const path of paths) {
      await visit(page, who, path, `${who.split("@")[0]}${path.replace(/[^a-z0-9]+/gi, "-")}`);
    }
    // The admin, who sees every tab and admin page: each list's first record and its
    // "New" form too (the forms' fields, pickers and previews).
    if (own.length) {
      const more = [];
      for (const path of [...tabs, ...own]) {
        await page.goto(base + path);
        more.push(...await page.locator("table.list tbody tr:first-child td:first-child a, .list-head a.button, table.list tbody tr:first-child td a[href^='/admin/users/']")
          .evaluateAll((as) => as.map((a) => a.getAttribute("href"))));
      }
      for (const path of [...new Set(more)].filter((p) => p && p.startsWith("/") && !paths.includes(p))) {
        await visit(page, who, path, `${who.split("@")[0]}${path.replace(/[^a-z0-9]+/gi, "-")}`);
      }
    }
    await context.close();
  }
}

// The dark scheme: the same contrast rules hold on every page the admin reaches from
// the menus and tabs (at 390 px too when screenshots are asked for).
for (const width of shots ? [1366, 390] : [1366]) {
  const { context, page } = await signIn("admin@demo.test", width, "dark");
  await page.goto(base + "/clients");
  const first = await page.locator("table.list tbody a").first().getAttribute("href");
  await page.goto(base + first);
  const tabs = await page.locator("nav.tabs a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const menu = await page.locator("nav.main a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  for (const path of [...new Set([...COMMON, ...menu, ...ROLES["admin@demo.test"], ...tabs])]) {
    await page.goto(base + path);
    if (width > 1000) {
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(async () =>
        await window.axe.run(document, { runOnly: ["color-contrast"] }));
      for (const v of result.violations) fail(`dark ${path}: ${v.id} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    }
    if (shots) await page.screenshot({ path: `${shots}/admin${path.replace(/[^a-z0-9]+/gi, "-")}-${width}-dark.png` });
  }
  await context.close();
}

// A technician's story: a client, a contact, a credential; reveal it and copy it;
// a ticket from new to closed; global search finds the client.
{
  const { context, page } = await signIn("tech@demo.test");
  const name = "E2E Dental " + Date.now();
  await page.goto(base + "/clients/new");
  await page.fill("#f-name", name);
  await Promise.all([page.waitForURL(/\/clients\/\d+$/), page.click("form.form button[type=submit]")]);
  const client = new URL(page.url()).pathname;
  if (!(await page.locator("h1").innerText()).includes(name)) fail("the new client's page does not show its name");

  // A form sent with an error comes back with the field marked and focused.
  await page.goto(base + client + "/contacts/new");
  await page.fill("#f-name", "Dana Whitfield");
  await page.fill("#f-email", "not-an-address");
  // The browser's own checks off, as in a browser without them: the server's message counts.
  await page.evaluate(() => { document.querySelector("form.form").noValidate = true; });
  await Promise.all([page.waitForNavigation(), page.click("form.form button[type=submit]")]);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute("aria-invalid"));
  if (focused !== "true") fail("the contact form's error is not focused (aria-invalid on the focused field)");
  await page.fill("#f-email", "dana@e2e-dental.example");
  await page.fill("#f-phone", "+1 555 0100");
  await Promise.all([page.waitForURL(/contacts\/\d+$/), page.click("form.form button[type=submit]")]);
  if ((await page.locator('a[href="mailto:dana@e2e-dental.example"]').count()) !== 1) fail("the contact's e-mail is not a mailto: link");
  if ((await page.locator('a[href="tel:+15550100"]').count()) !== 1) fail("the contact's phone is not a tel: link");

  await page.goto(base + client + "/credentials/new");
  await page.fill("#f-name", "Firewall admin");
  await page.fill("#f-username", "fwadmin");
  await page.fill("#f-password", "Correct-Horse-42");
  await Promise.all([page.waitForURL(/credentials\/\d+$/), page.click("form.form button[type=submit]")]);
  const credential = new URL(page.url()).pathname;
  await page.fill("#reveal-reason", "e2e check");
  await Promise.all([page.waitForNavigation(), page.click("form.reveal button[type=submit]")]);
  await page.waitForURL((u) => u.pathname === credential, { timeout: 5000 })
    .catch(() => fail(`after a reveal the address is ${page.url()}, not the record's`));
  const secret = page.locator("section.revealed code.secret").first();
  if ((await secret.innerText()) !== "Correct-Horse-42") fail("the revealed password is not shown");
  await page.locator("section.revealed button.copy").first().click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  if (copied !== "Correct-Horse-42") fail(`the copy button copied "${copied}"`);
  await page.reload();
  if ((await page.locator("section.revealed").count()) !== 0) fail("a reload shows the secret again");

  await page.goto(base + client + "/tickets/new");
  await page.fill("#f-subject", "Printer offline on floor 2");
  await Promise.all([page.waitForURL(/tickets\/\d+$/), page.click("form.form button[type=submit]")]);
  const ticket = new URL(page.url()).pathname;
  for (const [status, body] of [["open", "Looking at it now."], ["resolved", "Replaced the toner; prints again."], ["closed", "Confirmed by the client."]]) {
    await page.fill("#f-body", body);
    await page.selectOption("#f-status", status);
    await Promise.all([page.waitForNavigation(), page.click("form.reply-form button[type=submit]")]);
    if (!(await page.locator("ol.timeline").innerText()).includes(body)) fail(`the ticket's reply "${body}" is not on its timeline`);
  }
  if (!(await page.locator("dl.details").innerText()).includes("Closed")) fail("the ticket is not shown closed");

  await page.goto(base + "/");
  await page.keyboard.press("/");
  const box = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (box !== "global-search") fail("the / key does not focus the search box");
  await page.keyboard.type("E2E Dental");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  if ((await page.locator(`a[href="${client}"]`).count()) < 1) fail("global search does not find the new client");
  await context.close();
}

// An accountant's story: an invoice written, sent and paid in full; a recurring
// invoice's schedule previewed before it is saved.
{
  const { context, page } = await signIn("accountant@demo.test");
  await page.goto(base + "/clients");
  const client = await page.locator("table.list tbody a").first().getAttribute("href");
  await page.goto(base + client + "/invoices/new");
  await page.fill("input[name=l0_description]", "Firewall replacement");
  await page.fill("input[name=l0_quantity]", "2");
  await page.fill("input[name=l0_unit_price]", "150");
  await Promise.all([page.waitForURL(/invoices\/\d+$/), page.click("form.doc-form button[type=submit]:not([value])")]);
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/send'] button")]);
  await page.fill("#f-amount", "300");
  await Promise.all([page.waitForNavigation(), page.click("form.pay-form button[type=submit]")]);
  const balance = await page.locator("dl.money dd").nth(1).innerText();
  if (balance.replace(/[^0-9.]/g, "") !== "0.00") fail(`the invoice paid in full shows a balance of ${balance}`);
  if ((await page.locator("table.payments tbody tr").count()) !== 1) fail("the payment is not listed on the invoice");

  await page.goto(base + client + "/recurring-invoices/new");
  await page.fill("#f-name", "E2E plan");
  await page.fill("#f-months", "3");
  await page.fill("#f-anchor_date", "2027-01-31");
  await Promise.all([page.waitForNavigation(), page.click("button[value=preview]")]);
  const runs = await page.locator(".preview li").allInnerTexts();
  if (runs.join("|") !== "Sun 2027-01-31|Fri 2027-04-30|Sat 2027-07-31|Sun 2027-10-31|Mon 2028-01-31") fail(`the recurring invoice preview shows ${runs.join(", ")}`);
  if ((await page.inputValue("#f-name")) !== "E2E plan") fail("the preview lost what was typed");
  await context.close();
}

// An admin limits a technician to chosen clients: the find box suggests clients as one
// types, Find lists the matches to tick, Save keeps them.
{
  const { context, page } = await signIn("admin@demo.test");
  await page.goto(base + "/clients");
  const first = (await page.locator("table.list tbody a").first().innerText()).trim();
  await page.goto(base + "/admin/users");
  const user = await page.locator("table.list tbody a").first().getAttribute("href");
  await page.goto(base + user);
  await page.locator("#find").pressSequentially(first.slice(0, 4), { delay: 30 });
  await page.waitForFunction(() => document.querySelectorAll("#find-suggestions option").length > 0, null, { timeout: 5000 })
    .catch(() => fail("typing in the client picker suggests no client"));
  await page.fill("#find", first);
  await Promise.all([page.waitForNavigation(), page.click("button[value=find]")]);
  const listed = await page.locator(".picked li").allInnerTexts();
  if (!listed.some((t) => t.trim() === first)) fail(`Find does not list ${first}: ${listed.join(", ")}`);
  await context.close();
}

await browser.close();
if (failures.length) {
  console.error(`${failures.length} end-to-end check(s) failed`);
  process.exit(1);
}
console.log(`end-to-end: every check passed (${saved} pages saved for the HTML checker)`);
