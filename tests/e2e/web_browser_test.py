#!/usr/bin/python3
"""The web front in a real browser: headless Chromium (selenium) against a
real reciprocityd and reciprocity-web. An officer adds a meeting with a
crèche, ticks the register per person (who came, minutes, crèche; a wrong
entry is explained next to its box and what was typed is kept) and issues
sign-in codes; a participant signs in with a code,
claims for the meeting, checks and sends it and sees it on their statement;
the officer reviews what needs a person; two finance staff make, approve and
export a batch, and the maker's own approval is refused with a readable
page. axe-core checks every page visited (no serious or critical
violations) and a screenshot of each main page is written. Security: a form
without its CSRF token, a used code, another participant's claim by URL,
the cookie flags, and too many wrong codes (a readable page saying to
wait).

usage: web_browser_test.py RECIPROCITYD RECIP RECIPROCITY_WEB SOURCE_DIR OUT_DIR
(the servers and browser are started by web_harness.py)
Exits 77 (skipped) when Chromium, chromium-driver, selenium or axe-core is
missing."""
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

from web_harness import *  # noqa: F401,F403  (starts the servers and browser)

try:
    # The officer adds today's meeting, ticks the register, makes codes.
    sign_in_staff(tokens["OFFICER_TOKEN"])
    visit_checks("officer-today")
    go("/officer/sessions/new", "officer-new-meeting")
    fill("venue", "Civic Centre")
    fill("start_time", "25:99")
    click("Add the meeting")
    check("Error: Type the time it starts, like 10:00." in body() and
          len(driver.find_elements(
              By.CSS_SELECTOR, ".problem a[href='#start_time']")) == 1 and
          driver.find_element(By.NAME, "venue").get_attribute("value") ==
          "Civic Centre", "a bad meeting is explained, what was typed kept")
    visit_checks("officer-new-meeting-error")
    fill("start_time", "10:00")
    driver.find_element(By.NAME, "creche").click()
    click("Add the meeting")
    check("The meeting is added" in body(), "officer added a meeting")
    # p-0001 came for 90 minutes; p-0002 came, with a child in the crèche.
    driver.find_element(By.ID, "came-p-0001").click()
    fill("minutes-p-0001", "90")
    driver.find_element(By.ID, "came-p-0002").click()
    driver.find_element(By.ID, "creche-p-0002").click()
    check(driver.find_element(By.ID, "minutes-p-0002")
          .get_attribute("value") == "120",
          "minutes are filled in with the meeting's length")
    visit_checks("officer-register")
    # Then 0 minutes, and a crèche without the tick that they came: both
    # explained, nothing saved, what was typed kept.
    fill("minutes-p-0001", "0")
    driver.find_element(By.ID, "came-p-0002").click()
    click("Save the register")
    check("Error: Type how many minutes Demo p-0001 stayed" in body() and
          "Error: You ticked the crèche for Demo p-0002" in body(),
          "register errors are shown next to their boxes")
    check(len(driver.find_elements(
              By.CSS_SELECTOR, ".problem a[href='#minutes-p-0001']")) == 1,
          "register errors are summarised at the top, linked to the box")
    check(driver.find_element(By.ID, "minutes-p-0001")
          .get_attribute("value") == "0" and
          driver.find_element(By.ID, "creche-p-0002").is_selected() and
          driver.find_element(By.ID, "came-p-0001").is_selected(),
          "the register keeps what was typed")
    check("Saved" not in body(), "nothing is saved while the register is wrong")
    visit_checks("officer-register-errors")
    fill("minutes-p-0001", "90")
    driver.find_element(By.ID, "came-p-0002").click()
    click("Save the register")
    check("Demo p-0001 came for 90 minutes." in body() and
          "Demo p-0002 came for 120 minutes. Their child used the crèche."
          in body(), "register saved per person")
    visit_checks("officer-register-saved")
    go("/officer", "officer-today-with-meeting")
    click("Claim for someone")
    visit_checks("officer-claim-for-someone")
    codes = {}
    for pid in ("p-0001", "p-0002", "p-0001"):
        go("/officer/codes")
        fill("participant", pid)
        click("Make a sign-in code")
        codes.setdefault(pid, []).append(
            driver.find_element(By.CLASS_NAME, "big-code").text)
    visit_checks("officer-sign-in-code")

    # The participant claims for the meeting.
    sign_in_code(codes["p-0001"][0].lower().replace("-", " "), "sign-in")
    check("You are signed in" in body(), "participant signed in with a code")
    go("/claim", "participant-pick-meeting")
    small_screens("participant-pick-meeting")
    project_name = "Learning Disability user voice group"
    check(project_name in body() and "ld-user-voice" not in body(),
          "meetings show the project's name, not its id")
    click("Next")
    small_screens("participant-claim-form")
    fill("fare", "3.2O")  # a letter O: a bad amount
    fill("miles", "12")
    fill("child_hours", "3")  # no children or cost yet
    click("Check my claim")
    check("Fares: type pounds and pence" in body() and
          driver.find_element(By.NAME, "miles").get_attribute("value") == "12",
          "a bad amount is explained and what was typed is kept")
    check(len(driver.find_elements(By.ID, "child_cost-error")) == 1 and
          len(driver.find_elements(
              By.CSS_SELECTOR, ".problem a[href='#child_cost']")) == 1 and
          driver.find_element(By.NAME, "child_hours").get_attribute("value")
          == "3",
          "a care cost left out is shown by its field and at the top")
    visit_checks("participant-claim-error")
    fill("fare", "3.20")
    fill("parking", "45")
    fill("taxi", "12.50")
    fill("children", "2")
    fill("child_cost", "30")
    click("Check my claim")
    check("What we would pay" in body(), "the preview shows")
    check("Taxi" in body() and "Childcare, 3 hours, 2 children" in body(),
          "the preview has taxi and childcare lines")
    visit_checks("participant-claim-preview")
    small_screens("participant-claim-preview")
    click("Send my claim")
    check("Your claim is sent" in body(), "claim sent")
    claim_url = driver.current_url.split("?")[0]
    check(project_name in body(), "the claim shows the project's name")
    visit_checks("participant-claim")
    small_screens("participant-claim")
    go("/claims", "participant-my-claims")
    small_screens("participant-my-claims")
    check(project_name in body(), "my claims show the project's name")
    go("/statement", "participant-statement")
    small_screens("participant-statement")
    check("3.20" in body(), "the claim is on the statement")
    check(project_name in body() and "ld-user-voice" not in body(),
          "the statement names the project")
    check(len(driver.find_elements(By.CSS_SELECTOR, "main h3")) >= 2 and
          len(driver.find_elements(By.CSS_SELECTOR, "main table")) >= 1 and
          not driver.find_elements(By.TAG_NAME, "pre"),
          "the statement is headings and tables, not preformatted text")
    check(driver.execute_script(
        "return [...document.styleSheets].some(s => [...s.cssRules].some("
        "r => r.media && r.media.mediaText === 'print'))"),
        "the style sheet has a print layout")

    # How I am paid: the choice made is shown afterwards.
    go("/payment", "participant-payment")
    small_screens("participant-payment")
    check("I do not want to be paid" in body() and
          "you will not get vouchers" in body(),
          "the page explains what not being paid means")
    driver.find_element(By.ID, "pay-voucher").click()
    click("Save my choice")
    check("We saved your choice" in body() and
          "Now: Supermarket voucher" in body() and
          driver.find_element(By.ID, "pay-voucher").is_selected(),
          "the new payment choice is saved and shown")
    visit_checks("participant-payment-saved")

    # Another participant cannot open it by changing the URL.
    sign_in_code(codes["p-0002"][0])
    driver.get(claim_url)
    check("You cannot do this" in body(), "URL tampering refused")
    visit_checks("participant-refused")
    # A used code does not sign in.
    sign_in_code(codes["p-0001"][0])
    check("That code does not work" in body(), "a used code is refused")
    visit_checks("sign-in-wrong-code")

    # The officer reviews whatever needs a person.
    sign_in_staff(tokens["OFFICER_TOKEN"])
    go("/officer/review", "officer-review")
    check("Sent on" in body() or "There are no claims to check" in body(),
          "the review queue says when each claim was sent")
    for _ in range(10):
        if not driver.find_elements(
                By.XPATH, "//button[normalize-space()='Pay it']"):
            break
        driver.find_element(By.NAME, "reason").send_keys("Receipt seen")
        click("Pay it")
        check("Your decision is saved" in body(), "officer reviewed a line")
    go("/officer", "officer-today-names")
    check(project_name in body() and "ld-user-voice" not in body(),
          "today's meetings are named as people call them, not by id")
    go("/officer/vouchers", "officer-vouchers")
    check("voucher for Demo p-0001 (p-0001)" in body(),
          "a voucher to hand out names the person, not just their number")

    # Finance: one makes the batch, a second approves it.
    sign_in_staff(tokens["FINANCE_TOKEN"])
    go("/finance", "finance-ready-to-pay")
    click("Make the batch")
    check("The batch is made" in body(), "batch made")
    batch_url = driver.current_url.split("?")[0]
    visit_checks("finance-batch")
    click("Approve this batch")
    check("We could not do that" in body() or "You cannot do this" in body(),
          "the maker's own approval is refused with a readable page")
    check("FAILED_PRECONDITION" not in body() and
          "PERMISSION_DENIED" not in body(),
          "no raw gRPC code on the refusal page")
    visit_checks("finance-approval-refused")
    sign_in_staff(tokens["FINANCE_2_TOKEN"])
    driver.get(batch_url)
    click("Approve this batch")
    check("The batch is approved" in body(), "second person approved")
    visit_checks("finance-batch-approved")
    go("/finance/spend", "finance-spend")
    check("is for vouchers. A voucher counts from the day it is earned" in body(),
          "the spend report counts vouchers earned")
    go("/finance/timeliness", "finance-timeliness")
    check("We promise to pay a claim within 14 days" in body(),
          "the payment promise page says the promise")

    # recip, as the participant: their own payment choice only.
    r = recip_cli(tokens["PARTICIPANT_TOKEN"], "participant", "update",
                  "p-0001", "--pay", "bank-transfer")
    check(r.returncode == 0, f"recip: a participant changes how they are paid "
                             f"{r.stderr.strip()}")
    r = recip_cli(tokens["PARTICIPANT_TOKEN"], "participant", "update",
                  "p-0001", "--name", "Someone else")
    check(r.returncode != 0, "recip: a participant cannot change their name")
    r = recip_cli(tokens["PARTICIPANT_TOKEN"], "participant", "update",
                  "p-0002", "--pay", "bank-transfer")
    check(r.returncode != 0, "recip: nor anyone else's payment choice")

    # The export, through the same form a browser posts (with its cookies).
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar))
    for c in driver.get_cookies():
        jar.set_cookie(http.cookiejar.Cookie(
            0, c["name"], c["value"], None, False, "127.0.0.1", False, False,
            "/", True, False, None, False, None, None, {}))
    driver.get(batch_url)
    csrf = driver.find_element(By.NAME, "csrf").get_attribute("value")
    rid = driver.find_element(By.NAME, "request_id").get_attribute("value")
    export = batch_url + "/export"
    reply = opener.open(export, urllib.parse.urlencode(
        {"csrf": csrf, "request_id": rid, "file": "payments"}).encode())
    csv = reply.read().decode()
    check(reply.headers.get_content_type() == "text/csv" and "," in csv,
          "payment CSV downloaded")
    reply = opener.open(export, urllib.parse.urlencode(
        {"csrf": csrf, "request_id": rid, "file": "vouchers"}).encode())
    check(reply.headers.get_content_type() == "text/csv" and
          "vouchers.csv" in reply.headers.get("Content-Disposition", ""),
          "voucher CSV downloaded")
    driver.get(batch_url)
    click("Mark as paid")
    check("The batch is marked as paid" in body(), "batch marked as paid")
    visit_checks("finance-batch-paid")
    # Without the CSRF token the same post is refused.
    try:
        opener.open(export, urllib.parse.urlencode(
            {"request_id": rid, "file": "payments"}).encode())
        check(False, "a post without CSRF token is refused")
    except urllib.error.HTTPError as e:
        check(e.code == 403, "a post without CSRF token is refused")

    # Cookie flags, from a real sign-in over HTTP.
    plain = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(
        http.cookiejar.CookieJar()), NoRedirect())
    page = plain.open(base + "/sign-in")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"',
                     page.read().decode()).group(1)
    try:
        plain.open(base + "/sign-in", urllib.parse.urlencode(
            {"csrf": csrf, "code": codes["p-0001"][1]}).encode())
        headers = []
    except urllib.error.HTTPError as e:
        headers = e.headers.get_all("Set-Cookie") or []
    session = [h for h in headers if h.startswith("rw_session=")]
    check(bool(session) and "HttpOnly" in session[0] and
          "SameSite=Strict" in session[0], f"session cookie flags {session}")
    for c in driver.get_cookies():
        check(c.get("httpOnly") and c.get("sameSite") == "Strict",
              f"cookie {c['name']} is HttpOnly and SameSite=Strict")

    # Guessing codes: after ten wrong ones from this browser every code is
    # refused for a while, with a page that says what to do. (Last: the
    # limit then holds for this address for 15 minutes.)
    for _ in range(12):
        sign_in_code("AAAA-AAAA")
        if "Too many wrong codes" in body():
            break
    check("Too many wrong codes. Wait 15 minutes and try again, or ask your "
          "officer." in body(), "too many wrong codes shows a readable page")
    check("RESOURCE_EXHAUSTED" not in body(), "no raw gRPC code for the limit")
    visit_checks("sign-in-too-many-codes")
except Exception as e:
    finish(e)
finish()
