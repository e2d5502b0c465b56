#!/usr/bin/python3
"""The officer's working week in a real browser: headless Chromium
(selenium) against a real reciprocityd and reciprocity-web. An officer
changes a meeting, puts the register right (one person's minutes corrected,
their voucher judged again; another person, whose voucher was given out,
taken off the register), decides that flagged voucher, changes a claim that
is still waiting and cancels the meeting, after the page says what happens
to claims and vouchers. Each refusal (no reason, more minutes than the
meeting, an amount that is not money) is explained next to its box with
what was typed kept. axe-core checks every new page, and each reads at
Flesch over 95 (the words from the records left out); the register page is
checked on a phone and at 400 % zoom; screenshots of each page.

usage: web_corrections_test.py RECIPROCITYD RECIP RECIPROCITY_WEB SOURCE_DIR OUT_DIR
(the servers and browser are started by web_harness.py)
Exits 77 (skipped) when Chromium, chromium-driver, selenium or axe-core is
missing."""
import concurrent.futures
import json
import time

from web_harness import *  # noqa: F401,F403  (starts the servers and browser)
# After the harness, which skips (77) when selenium is missing.
from selenium.webdriver.support.ui import Select  # noqa: E402

OFFICER = tokens["OFFICER_TOKEN"]
PROJECT = "adult-social-care/ld-user-voice"


def cli_json(*args):
    r = recip_cli(OFFICER, "--json", *args)
    check(r.returncode == 0, f"recip {' '.join(args)} {r.stderr.strip()}")
    return json.loads(r.stdout) if r.returncode == 0 else {}


def value(field_id):
    return driver.find_element(By.ID, field_id).get_attribute("value")


def summary_links(field_id):
    return len(driver.find_elements(
        By.CSS_SELECTOR, f".problem a[href='#{field_id}']"))


def flesch(text):
    """Flesch reading ease as policy/readability.cc counts it: a line or a
    word ending in . ! ? : ends a sentence; a number reads as a syllable a
    digit (at most 4)."""
    sentences = words = syllables = 0
    for line in text.split("\n"):
        in_sentence = 0
        for token in line.split():
            letters = "".join(c for c in token.lower().replace("è", "e")
                              .replace("é", "e")
                              if c.isascii() and c.isalpha())
            digits = sum(c.isdigit() for c in token)
            if not letters and not digits:
                continue
            words += 1
            in_sentence += 1
            if not letters or digits:
                syllables += min(max(digits, 1), 4)
            else:
                syllables += word_syllables(letters)
            if token[-1] in ".!?:":
                sentences += 1
                in_sentence = 0
        if in_sentence:
            sentences += 1
    if not words or not sentences:
        return 0.0
    return 206.835 - 1.015 * words / sentences - 84.6 * syllables / words


def word_syllables(word):
    if len(word) <= 3:
        return 1
    stem = word
    if (len(stem) > 2 and stem[-2:] in ("es", "ed") and
            stem[-3] not in "aeiouytds"):
        stem = stem[:-2]
    elif len(stem) > 1 and stem.endswith("e") and not stem.endswith("le"):
        stem = stem[:-1]
    groups, in_vowels = 0, False
    for c in stem:
        vowel = c in "aeiouy"
        if vowel and not in_vowels:
            groups += 1
        in_vowels = vowel
    return max(groups, 1)


def plain_words(name):
    """The page's own words (its main part) read at Flesch over 95. What
    the page shows from the records (project and person names, dates,
    times, amounts, ids, the service's notes) is left out: those words are
    not the page's to choose."""
    # Words from the records (class "record") are left out.
    text = driver.execute_script(
        "const m = document.querySelector('main').cloneNode(true);"
        "m.querySelectorAll('.record').forEach(e => e.remove());"
        "m.style.position = 'absolute'; m.style.left = '-9999px';"
        "document.body.appendChild(m); const t = m.innerText;"
        "m.remove(); return t;")
    for data in ("Learning Disability user voice group", "Demo ",
                 "Southend Library", "Civic Centre"):
        text = text.replace(data, "")
    text = "\n".join(" ".join(t for t in line.split()
                              if not any(c.isdigit() for c in t))
                     for line in text.split("\n"))
    score = flesch(text)
    check(score > 95, f"{name} reads at Flesch {score:.0f} (over 95)")


def press(form_action, button_value):
    """Clicks the button with `button_value` in the form posting to
    `form_action`, and waits for the next page."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(
        By.CSS_SELECTOR,
        f"form[action='{form_action}'] button[value='{button_value}']").click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(old))


try:
    # A meeting today, with p-0001 and p-0002 on its register for the whole
    # two hours; p-0002's voucher is given out. A claim for p-0001 waits for
    # review (a taxi).
    today = time.strftime("%Y-%m-%d")
    session = cli_json("session", "create", "--project", PROJECT, "--date",
                       today, "--start", "10:00", "--end", "12:00",
                       "--venue", "Civic Centre")["name"]
    sid = session.split("/")[1]
    for pid in ("p-0001", "p-0002"):
        cli_json("attendance", "record", "--session", sid, "--participant",
                 pid, "--minutes", "120")
    earned = cli_json("voucher", "list", "--participant", "p-0002",
                      "--state", "earned")["voucher_entitlements"][0]
    cli_json("voucher", "issue", earned["name"].split("/")[1], "--serial",
             "TESCO-42")
    claim = cli_json("claim", "submit", "--participant", "p-0001",
                     "--project", PROJECT, "--session", sid, "--fare", "3.20",
                     "--taxi", "12.50:receipt")
    cid = claim["name"].split("/")[1]
    check(claim.get("state") == "CLAIM_STATE_NEEDS_REVIEW",
          f"the claim waits for review: {claim.get('state')}")

    # The participant changes their own waiting claim: the fare was more.
    code = cli_json("sign-in-code", "p-0001").get("code", "")
    sign_in_code(code)
    go(f"/claims/{cid}")
    click("Change this claim")
    visit_checks("participant-amend-claim")
    plain_words("participant-amend-claim")
    fill("line-0", "3.40")
    fill("reason", "The fare went up")
    click("Save the change")
    check("The claim is changed." in body() and "3.40" in body(),
          "the participant changed their own claim")

    sign_in_staff(OFFICER)
    # The way in: today's meetings link to the new pages.
    go("/officer")
    check(len(driver.find_elements(
        By.CSS_SELECTOR, f"a[href='/officer/sessions/{sid}/edit']")) == 1 and
        len(driver.find_elements(
            By.CSS_SELECTOR,
            f"a[href='/officer/sessions/{sid}/attendance']")) == 1,
        "today's meetings link to change the meeting and the register")
    # Another day's meetings, to put a past one right.
    driver.execute_script(
        "document.getElementById('date').value = '2000-01-03'")
    click("Show them")
    check("Meetings on 2000-01-03." in body() and
          "There are no meetings on this day." in body(),
          "the officer sees the meetings of another day")
    visit_checks("officer-another-day")

    # --- Change the meeting: a new place and a later end. ---------------
    go(f"/officer/sessions/{sid}/edit", "officer-edit-meeting")
    plain_words("officer-edit-meeting")
    fill("venue", "Southend Library")
    fill("end_time", "12:30")
    click("Save the changes")
    check("The meeting is changed." in body() and
          value("venue") == "Southend Library" and
          value("end_time") == "12:30", "the meeting is changed")
    # A meeting that ends before it starts: the service's words next to
    # the box, what was typed kept.
    fill("end_time", "09:00")
    fill("venue", "Town Hall")
    click("Save the changes")
    check(driver.find_elements(By.ID, "end_time-error") and
          summary_links("end_time") == 1 and
          value("end_time") == "09:00" and value("venue") == "Town Hall",
          "an end before the start is explained next to its box, typed kept")
    visit_checks("officer-edit-meeting-error")

    # --- Put the register right. ----------------------------------------
    go(f"/officer/sessions/{sid}/attendance", "officer-correct-register")
    plain_words("officer-correct-register")
    small_screens("officer-correct-register")
    check("They stayed 120 minutes." in body() and
          "given out (number TESCO-42)" in body(),
          "the register shows minutes and vouchers")
    form = f"/officer/sessions/{sid}/attendance/p-0001"
    # No reason: nothing sent, explained, minutes typed kept.
    fill_id = driver.find_element(By.ID, "minutes-p-0001")
    fill_id.clear()
    fill_id.send_keys("30")
    press(form, "correct")
    check("Error: Say why it was wrong." in body() and
          summary_links("reason-p-0001") == 1 and
          value("minutes-p-0001") == "30",
          "a correction without a reason is explained, minutes kept")
    visit_checks("officer-correct-register-error")
    # Longer than the meeting (150 minutes): the service refuses, the words
    # are next to the box, both boxes keep what was typed.
    e = driver.find_element(By.ID, "minutes-p-0001")
    e.clear()
    e.send_keys("500")
    e = driver.find_element(By.ID, "reason-p-0001")
    e.clear()
    e.send_keys("She left early")
    press(form, "correct")
    check(driver.find_elements(By.ID, "minutes-p-0001-error") and
          "longer than the session" in body() and
          value("minutes-p-0001") == "500" and
          value("reason-p-0001") == "She left early",
          "minutes longer than the meeting are refused next to the box")
    # Half an hour: the voucher is judged again and is not earned.
    e = driver.find_element(By.ID, "minutes-p-0001")
    e.clear()
    e.send_keys("30")
    press(form, "correct")
    check("p-0001 is now on the register for 30 minutes." in body() and
          "Voucher: None." in body(),
          "a correction judges the voucher again")
    # p-0002 was not there; their voucher was given out: it stays, flagged.
    e = driver.find_element(By.ID, "reason-p-0002")
    e.send_keys("Put on the wrong register")
    press(f"/officer/sessions/{sid}/attendance/p-0002", "remove")
    check("p-0002 is off the register." in body() and
          "It needs a decision." in body() and
          len(driver.find_elements(By.ID, "minutes-p-0002")) == 0,
          "a removal keeps a voucher given out, flagged for a decision")

    # --- Decide the flagged voucher. ------------------------------------
    go("/officer/vouchers")
    click("Vouchers we need to make a choice on")
    visit_checks("officer-decide-vouchers")
    plain_words("officer-decide-vouchers")
    check("TESCO-42" in body(), "the flagged voucher waits for a decision")
    check("(p-0002)" in body() and "voucher for p-0002" not in body(),
          "the flagged voucher names the person, not just their number")
    vid = earned["name"].split("/")[1]
    press(f"/officer/vouchers/{vid}/decide", "take-back")
    check("Error: Say why you decided this." in body() and
          summary_links(f"reason-{vid}") == 1,
          "a decision without a reason is explained")
    driver.find_element(By.ID, f"reason-{vid}").send_keys(
        "Alex gave it back")
    press(f"/officer/vouchers/{vid}/decide", "take-back")
    check("The voucher of p-0002 is taken back." in body() and
          "There are no vouchers for you to decide." in body(),
          "the officer took the voucher back")
    listed = cli_json("voucher", "list", "--participant", "p-0002")
    check(listed["voucher_entitlements"][0]["state"] ==
          "VOUCHER_ENTITLEMENT_STATE_CANCELLED", "the voucher is cancelled")
    r = recip_cli(OFFICER, "voucher", "decide", "999", "--keep", "--reason",
                  "Spoke to them")
    check(r.returncode == 3, f"recip voucher decide on no voucher: exit 3 "
          f"(not found) {r.returncode} {r.stderr.strip()}")

    # --- Change a claim that is still waiting. --------------------------
    go(f"/claims/{cid}")
    click("Change this claim")
    visit_checks("officer-amend-claim")
    fill("line-1", "twelve")
    fill("reason", "No taxi in the end")
    click("Save the change")
    check("Error: Taxi: type pounds and pence, like 3.20." in body() and
          summary_links("line-1") == 1 and value("line-1") == "twelve" and
          value("reason") == "No taxi in the end",
          "an amount that is not money is explained, typed kept")
    visit_checks("officer-amend-claim-error")
    fill("line-1", "0")
    click("Save the change")
    check("The claim is changed." in body(), "the officer changed the claim")
    amended = cli_json("claim", "get", cid)
    check(amended.get("version") == 3 and
          int(amended["lines"][1].get("amount_pence", 0)) == 0,
          f"version 3 has the new amount: {amended.get('version')}")

    # --- Cancel the meeting. --------------------------------------------
    go(f"/officer/sessions/{sid}/cancel", "officer-cancel-meeting")
    plain_words("officer-cancel-meeting")
    check("Claims people sent before stay." in body() and
          "Vouchers that people got stay as they are." in body() and
          "1 person is on the list of who came." in body(),
          "the page says what happens to claims and vouchers")
    click("Cancel the meeting")
    check("Error: Say why the meeting is cancelled." in body() and
          summary_links("reason") == 1, "a cancel without a reason")
    fill("reason", "The room flooded")
    click("Cancel the meeting")
    check("The meeting is cancelled." in body() and
          "This meeting is cancelled." in body(),
          "the officer cancelled the meeting")
    visit_checks("officer-meeting-cancelled")

    # --- A meeting with a crèche: the register says a child used it. ----
    creche = cli_json("session", "create", "--project", PROJECT, "--date",
                      today, "--start", "14:00", "--end", "15:00", "--venue",
                      "Civic Centre", "--creche")["name"].split("/")[1]
    cli_json("attendance", "record", "--session", creche, "--participant",
             "p-0001", "--minutes", "60")
    go(f"/officer/sessions/{creche}/attendance")
    Select(driver.find_element(By.ID, "creche-p-0001")).select_by_value("yes")
    driver.find_element(By.ID, "reason-p-0001").send_keys(
        "Her son was in the crèche")
    press(f"/officer/sessions/{creche}/attendance/p-0001", "correct")
    check("Their child used the crèche." in body() and
          Select(driver.find_element(By.ID, "creche-p-0001"))
          .first_selected_option.get_attribute("value") == "yes",
          "the crèche is put right on the register")

    # --- Everyone can be ticked: the register reads every page of ------
    # people (500 a page), here 502.
    def create(n):
        return recip_cli(OFFICER, "participant", "create", f"p-{n:04d}",
                         "--type", "resident", "--name", f"Person {n}")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        made = [r.returncode for r in pool.map(create, range(3, 503))]
    check(made == [0] * 500, f"500 more people registered: {set(made)}")
    go(f"/officer/sessions/{creche}/register")
    ticks = driver.find_elements(By.CSS_SELECTOR, "input[name='came']")
    check(len(ticks) == 502 and "Person 502 (p-0502)" in body(),
          f"the register lists all 502 people, past one page ({len(ticks)})")
    # The review queue shows the 50 claims that have waited longest and
    # says there are more: 51 more taxis wait for a check.
    def claim(n):
        return recip_cli(OFFICER, "claim", "submit", "--participant",
                         f"p-{n:04d}", "--project", PROJECT, "--date", today,
                         "--taxi", "8.00:receipt")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        sent = [r.returncode for r in pool.map(claim, range(3, 54))]
    check(sent == [0] * 51, f"51 taxi claims sent: {set(sent)}")
    go("/officer/review")
    cards = driver.find_elements(By.CSS_SELECTOR, "main .card")
    check(len(cards) == 50 and "There are more. These are the 50 that "
          "have waited longest." in body(),
          f"the review queue shows 50 and says there are more ({len(cards)})")

    # --- A refused request reads plainly, never as a gRPC code. ---------
    go("/officer/sessions/999/edit")
    check("We could not find that" in body() or "You cannot do this" in
          body(), "an unknown meeting gives a readable page")
    check("NOT_FOUND" not in body() and "PERMISSION_DENIED" not in body(),
          "no raw gRPC code on the page")
    # The service goes down while a correction is typed: a readable page,
    # nothing sent, what was typed kept.
    go(f"/officer/sessions/{creche}/attendance")
    procs[0].terminate()
    procs[0].wait()
    e = driver.find_element(By.ID, "minutes-p-0001")
    e.clear()
    e.send_keys("45")
    driver.find_element(By.ID, "reason-p-0001").send_keys("Left at three")
    press(f"/officer/sessions/{creche}/attendance/p-0001", "correct")
    check("We cannot reach the service just now" in body() and
          "UNAVAILABLE" not in body() and
          value("minutes-p-0001") == "45" and
          value("reason-p-0001") == "Left at three",
          "a down service gives a readable page, what was typed kept")
    visit_checks("officer-correct-register-service-down")
    go("/officer/vouchers/decide")
    check("We cannot reach the service just now" in body(),
          "a page read while the service is down says so plainly")
except Exception as e:
    finish(e)
finish()
