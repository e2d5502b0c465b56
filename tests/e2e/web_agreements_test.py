#!/usr/bin/python3
"""The officer's and finance's working week in a real browser (issue 19):
headless Chromium against a real reciprocityd and reciprocity-web. An
officer opens a person's record, records a standing agreement (one that
starts before today is explained and asked again, then kept as agreed
after the meeting), ends it early, adds and removes appointees, and acts
for the person: asks for a refused line to be looked at again and changes
how they are paid, with both names on the result. The officer tries a
change to the rules: a good draft (pasted, and chosen as a file) shows the
totals, each group's budget and the claims that change; a bad draft shows
file:line:column next to the box with what was typed kept. Finance checks
a voucher bill: a difference is listed in words, a bad line is explained
by line and column. Refusals and a server that is down give readable
pages. axe-core on every new page; phone and 400 % zoom on the rule-change
result; screenshots.

usage: web_agreements_test.py RECIPROCITYD RECIP RECIPROCITY_WEB SOURCE_DIR OUT_DIR
Exits 77 (skipped) when Chromium, chromium-driver, selenium or axe-core is
missing."""
import datetime
import http.cookiejar
import re
import urllib.error
import urllib.request

from web_harness import *  # noqa: F401,F403  (starts the servers and browser)


def set_value(name, value):
    """Sets a field's value as typed, without the browser's own date
    picker or a slow send_keys of a long text."""
    driver.execute_script("arguments[0].value = arguments[1]",
                          driver.find_element(By.NAME, name), value)


def type_into(field_id, value):
    """Like fill, by id: a name can be on hidden fields too."""
    e = driver.find_element(By.ID, field_id)
    e.clear()
    e.send_keys(value)


def error_of(field):
    found = driver.find_elements(By.ID, f"{field}-error")
    return found[0].text if found else ""


def summary_links_to(field):
    return len(driver.find_elements(
        By.CSS_SELECTOR, f".problem a[href='#{field}']")) == 1


def post_multipart(path, fields):
    """Posts `fields` as multipart/form-data with the browser's cookies;
    returns the status and the page."""
    jar = http.cookiejar.CookieJar()
    for c in driver.get_cookies():
        jar.set_cookie(http.cookiejar.Cookie(
            0, c["name"], c["value"], None, False, "127.0.0.1", False, False,
            "/", True, False, None, False, None, None, {}))
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar))
    boundary = "----recip-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; '
             f'name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    data = ("".join(parts) + f"--{boundary}--\r\n").encode()
    request = urllib.request.Request(
        base + path, data=data, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        reply = opener.open(request)
        return reply.status, reply.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def no_raw_codes(what):
    text = body()
    check(not re.search(r"INVALID_ARGUMENT|FAILED_PRECONDITION|"
                        r"PERMISSION_DENIED|UNAVAILABLE|NOT_FOUND", text),
          f"no raw gRPC code on {what}")


today = datetime.date.today()
officer, participant = tokens["OFFICER_TOKEN"], tokens["PARTICIPANT_TOKEN"]
project = "adult-social-care/ld-user-voice"

try:
    # What the week brings: a taxi refused (claim 1), a mileage claim
    # paid (claim 2), and a voucher given out with serial TS-001.
    steps = [
        (participant, "claim", "submit", "--participant", "p-0001",
         "--project", project, "--date", str(today), "--taxi",
         "12.50:receipt"),
        (officer, "claim", "review", "1", "--line", "1", "--decision",
         "refuse", "--reason", "There was no agreement for a taxi."),
        (participant, "claim", "submit", "--participant", "p-0001",
         "--project", project, "--date", str(today), "--miles", "car:12"),
        (officer, "session", "create", "--project", project, "--date",
         str(today), "--start", "10:00", "--end", "12:00", "--venue",
         "Civic Centre"),
        (officer, "attendance", "record", "--session", "1",
         "--participant", "p-0002", "--minutes", "120"),
        (officer, "voucher", "issue", "1", "--serial", "TS-001"),
    ]
    for token, *args in steps:
        r = recip_cli(token, *args)
        check(r.returncode == 0, f"recip {' '.join(args[:2])} {r.stderr}")

    # The officer finds the person.
    sign_in_staff(officer)
    go("/officer/people", "officer-people")
    click("Demo p-0001 (p-0001)")
    check("Who may act for them" in body() and
          "There are no agreements yet." in body(),
          "the person's record shows appointees and agreements")
    visit_checks("officer-person")

    # A standing agreement: a bad amount is explained, what was typed kept.
    click("Add a standing agreement")
    visit_checks("officer-agreement-new")
    driver.find_element(By.CSS_SELECTOR,
                        "#category option[value='EXPENSE_CATEGORY_TAXI']"
                        ).click()
    fill("up_to", "15x")
    fill("note", "There is no bus she can use.")
    click("Save the agreement")
    check("Type the most we pay" in error_of("up_to") and
          summary_links_to("up_to") and
          driver.find_element(By.NAME, "note").get_attribute("value") ==
          "There is no bus she can use.",
          "a bad amount is explained by its field, what was typed kept")
    visit_checks("officer-agreement-error")
    # Starting ten days ago: the page says it will be kept as agreed after
    # the meeting, and asks again.
    fill("up_to", "15")
    started = str(today - datetime.timedelta(days=10))
    set_value("date_from", started)
    click("Save the agreement")
    check("Please check" in body() and
          f"The first day, {started}, is before today" in body() and
          "agreed after the session" in body(),
          "a retrospective agreement is explained before it is saved")
    r = recip_cli(officer, "agreement", "list", "--participant", "p-0001")
    check(started not in r.stdout, "nothing is saved before the second press")
    visit_checks("officer-agreement-retrospective")
    click("Save it as agreed after the meeting")
    check("kept as agreed after the meeting" in body() and
          "Agreed after it began" in body() and
          "Taxi, up to £15.00 for each meeting" in body() and
          f"each meeting from {started}" in body(),
          "the officer sees the agreement, marked as agreed after it began")
    visit_checks("officer-person-agreement")
    # End it early: a day gone is refused by its field; a later one works.
    set_value("last_day", str(today - datetime.timedelta(days=1)))
    click("End agreement 1 early")
    check("must be today" in error_of("last_day-1") and
          summary_links_to("last_day-1"),
          "ending before today is explained next to the field")
    visit_checks("officer-agreement-end-error")
    last = str(today + datetime.timedelta(days=30))
    set_value("last_day", last)
    click("End agreement 1 early")
    check(f"The agreement now ends on {last}" in body() and
          "Ended early" in body(), "the agreement is ended early")
    r = recip_cli(officer, "agreement", "list", "--participant", "p-0001")
    check(last in r.stdout, f"recip lists the new last day {r.stderr}")

    # Appointees: a real name is refused by its field; ids are added, one
    # removed.
    type_into("appointee", "Carer Seven")
    click("Add them")
    check("carer-0007" in error_of("appointee") and
          summary_links_to("appointee") and
          driver.find_element(By.ID, "appointee").get_attribute("value")
          == "Carer Seven", "a bad appointee is explained, what was typed kept")
    visit_checks("officer-appointee-error")
    for who in ("carer-0007", "carer-0008"):
        type_into("appointee", who)
        click("Add them")
        check(f"{who} can now act for this person." in body(),
              f"appointee {who} added")
    click("Stop carer-0008 acting for them")
    check("carer-0008 can no longer act for this person." in body() and
          "Stop carer-0007 acting for them" in body(),
          "one appointee removed, the other kept")
    visit_checks("officer-person-appointees")
    small_screens("officer-person-appointees")

    # Act for this person: the page says who acts for whom.
    click("Act for this person")
    check("You are demo-officer. You are acting for Demo p-0001 (p-0001)."
          in body(), "the act-for page says who acts for whom")
    visit_checks("officer-act-for")
    click("Ask for them")  # no reason typed
    check("Say why" in error_of("comment-1-0") and
          summary_links_to("comment-1-0"),
          "an appeal without a reason is explained next to the box")
    driver.find_element(By.ID, "comment-1-0").send_keys(
        "The lift at the station was broken.")
    click("Ask for them")
    check("You (demo-officer) asked for line 1 of claim 1 to be looked at "
          "again, for p-0001." in body() and
          "demo-officer asked for line 1 to be looked at again" in body(),
          "the appeal's result names both people")
    visit_checks("officer-act-for-appealed")
    r = recip_cli(officer, "claim", "get", "1")
    check("asked for line 1 to be looked at again" in r.stdout and
          "demo-officer" in r.stdout and "p-0001" in r.stdout,
          "the claim's history records the appeal")
    driver.find_element(By.ID, "pay-voucher").click()
    click("Save their choice")
    check("You (demo-officer) changed how Demo p-0001 (p-0001) is paid to: "
          "Supermarket voucher." in body() and
          "last changed by demo-officer" in body() and
          driver.find_element(By.ID, "pay-voucher").is_selected(),
          "the payment change names both people")
    visit_checks("officer-act-for-paid")
    small_screens("officer-act-for-paid")

    # Try a change to the rules: 60p a mile instead of 55p.
    go("/rules", "rules")
    click("Try a change to the rules of Adult Social Care")
    visit_checks("whatif-form")
    rules = open(os.path.join(
        source, "policy/areas/adult-social-care.textproto")).read()
    bad = rules.replace("pence_per_mile: 55", "pence_per_mile: fifty-five")
    set_value("rules", bad)
    click("Try the new rules")
    check(re.search(r"adult-social-care\.textproto:\d+:\d+",
                    error_of("rules")) is not None and
          summary_links_to("rules"),
          f"a bad draft shows file:line:column by the box: {error_of('rules')}")
    check(driver.find_element(By.NAME, "rules").get_attribute("value") == bad,
          "the bad draft is kept as typed")
    check("reads: pence_per_mile: fifty-five" in driver.find_element(
              By.ID, "rules-line").text, "the mistaken line is quoted")
    check("What the new rules would do" not in body(),
          "no result for a bad draft")
    no_raw_codes("a bad draft")
    visit_checks("whatif-bad-draft")
    small_screens("whatif-bad-draft")
    good = rules.replace("pence_per_mile: 55", "pence_per_mile: 60")
    draft_file = os.path.join(tmp, "draft.textproto")
    with open(draft_file, "w") as f:
        f.write(good)
    set_value("rules", "")
    driver.find_element(By.NAME, "rules_file").send_keys(draft_file)
    click("Try the new rules")
    text = body()
    check("What the new rules would do" in text and
          "We judged 2 claims again. 1 would change (1 line)." in text and
          "That is a change of +£0.60" in text and
          "We pay 60p a mile" in text and "Nothing is saved" in text,
          "a good draft shows the totals and the claim that changes")
    check("Learning Disability user voice group" in text and
          "Budget now" in text, "each group's budget effect is shown")
    check(driver.find_element(By.NAME, "rules").get_attribute("value") ==
          good, "the chosen file is shown in the box")
    wide = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    check(wide[0] <= wide[1], f"the result fits a desktop window {wide}")
    visit_checks("whatif-result")
    small_screens("whatif-result")
    r = recip_cli(officer, "claim", "get", "2")
    check("£6.60" in r.stdout, "nothing was saved: claim 2 still pays £6.60")
    # The multipart form carries its CSRF token like any other; a body
    # past the web front's limit gets a readable page.
    csrf = driver.find_element(By.NAME, "csrf").get_attribute("value")
    fields = {"area": "adult-social-care", "rules": good,
              "date_from": str(today), "date_to": str(today)}
    status, page = post_multipart("/rules/whatif", fields)
    check(status == 403 and "This form has expired" in page,
          f"a multipart form without its CSRF token is refused ({status})")
    status, page = post_multipart("/rules/whatif", dict(fields, csrf=csrf))
    check(status == 200 and "What the new rules would do" in page,
          f"the same form with its token works ({status})")
    status, page = post_multipart(
        "/rules/whatif", dict(fields, csrf=csrf, rules="#" * 1100000))
    check(status == 413 and "That was too big to send" in page,
          f"a body past 1 MB gets a readable page ({status})")

    # Finance checks the voucher bill.
    sign_in_staff(tokens["FINANCE_TOKEN"])
    go("/finance")
    click("Check a bill from a voucher shop")
    check("Tesco" in body(), "the form names the shops vouchers came from")
    visit_checks("finance-voucher-bill")
    fill("provider", "Tesco")
    bad_bill = f"serial,value,date\nTS-001,15.00,{today},extra\n"
    set_value("bill", bad_bill)
    click("Check the bill")
    check("Line 2, column" in error_of("bill") and
          "(2:" in error_of("bill") and summary_links_to("bill"),
          f"a bad bill line is explained: {error_of('bill')}")
    check(driver.find_element(By.NAME, "bill").get_attribute("value") ==
          bad_bill, "the bad bill is kept as typed")
    no_raw_codes("a bad bill")
    visit_checks("finance-voucher-bill-error")
    set_value("bill", f"serial,value,date\nTS-001,12.00,{today}\n"
                      f"TS-999,10.00,{today}\n")
    click("Check the bill")
    text = body()
    check("Different value" in text and "TS-001" in text and
          "Extra: on the bill, but we did not give it out" in text and
          "TS-999" in text, "the differences are listed in words")
    visit_checks("finance-voucher-bill-result")
    small_screens("finance-voucher-bill-result")
    # A long bill (3,000 lines, about 80 KB) is checked as a whole.
    long_bill = "serial,value,date\n" + "".join(
        f"TS-{i:05d},10.00,{today}\n" for i in range(1, 3001))
    csrf = driver.find_element(By.NAME, "csrf").get_attribute("value")
    status, page = post_multipart("/finance/vouchers/bill", {
        "csrf": csrf, "provider": "Tesco", "bill": long_bill})
    check(len(long_bill) > 64 * 1024 and status == 200 and
          "TS-03000" in page and "TS-00001" in page,
          f"a {len(long_bill)}-byte bill is checked ({status})")

    # An administrator may try a rule change too (WhatIfPolicy's rule).
    sign_in_staff(tokens["ADMINISTRATOR_TOKEN"])
    go("/rules")
    click("Try a change to the rules of Adult Social Care")
    check("Try the new rules" in body(), "an administrator gets the form")

    # A helper: demo-carer, named on p-0001's record, signs in with a code
    # an administrator made and acts for them on the Help someone page.
    # Claim 3, yesterday's taxi, was refused.
    for token, *args in [
            (participant, "claim", "submit", "--participant", "p-0001",
             "--project", project, "--date",
             str(today - datetime.timedelta(days=1)), "--taxi", "8.00:receipt"),
            (officer, "claim", "review", "3", "--line", "1", "--decision",
             "refuse", "--reason", "There was no agreement for a taxi.")]:
        r = recip_cli(token, *args)
        check(r.returncode == 0, f"recip {' '.join(args[:2])} {r.stderr}")
    r = recip_cli(officer, "participant", "appointee", "add", "p-0001",
                  "demo-carer")
    check(r.returncode == 0, f"demo-carer named as helper {r.stderr}")
    r = recip_cli(tokens["ADMINISTRATOR_TOKEN"], "sign-in-code",
                  "principals/demo-carer")
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", r.stdout)
    check(code is not None, f"a sign-in code for the helper {r.stderr}")
    sign_in_code(code.group(0))
    nav = driver.find_element(By.TAG_NAME, "nav").text
    check("Help someone" in nav and "My claims" not in nav,
          "a helper with no claims of their own sees only Help someone")
    click("Help someone")
    visit_checks("helper-help-someone")
    small_screens("helper-help-someone")
    click("Ask us to look again")  # nothing typed
    check("Type the claim number" in error_of("claim") and
          summary_links_to("claim") and "Say why" in error_of("comment"),
          "an empty request is explained next to each box")
    visit_checks("helper-help-someone-error")
    type_into("claim", "3")
    type_into("line", "1")
    driver.find_element(By.ID, "comment").send_keys(
        "The bus was cancelled. The officer said yes on the phone.")
    click("Ask us to look again")
    check("You (demo-carer) asked for line 1 of claim 3 to be looked at "
          "again, for p-0001." in body(), "the helper's appeal names both")
    r = recip_cli(officer, "claim", "get", "3")
    check("demo-carer" in r.stdout and "for participants/p-0001" in r.stdout,
          f"the claim's history names the helper and the person {r.stdout}")
    type_into("person", "p-0001")
    driver.find_element(By.ID, "pay-bank").click()
    click("Save their choice")
    check("You (demo-carer) changed how Demo p-0001 (p-0001) is paid to: "
          "Bank transfer." in body(), "the helper changes how they are paid")
    type_into("person", "p-0002")  # not named on p-0002's record
    driver.find_element(By.ID, "pay-voucher").click()
    click("Save their choice")
    check("You cannot do this" in body(), "not a helper for p-0002: refused")
    no_raw_codes("a helper refused")
    r = recip_cli(officer, "participant", "get", "p-0002")
    check("demo-carer" not in r.stdout, "p-0002's record is unchanged")

    # Refusals: a participant cannot open these pages.
    sign_in_code_for = recip_cli(officer, "sign-in-code", "p-0001")
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", sign_in_code_for.stdout)
    check(code is not None, f"a sign-in code {sign_in_code_for.stderr}")
    sign_in_code(code.group(0))
    for path in ("/officer/people/p-0001", "/rules/whatif",
                 "/finance/vouchers/bill"):
        go(path)
        check("You cannot do this" in body(), f"a participant is refused {path}")
    visit_checks("participant-refused-rules")
    # Their own claims, newest first.
    go("/claims")
    ids = [int(a.get_attribute("href").rsplit("/", 1)[1]) for a in
           driver.find_elements(By.CSS_SELECTOR, "main tbody a")]
    check(len(ids) >= 3 and ids == sorted(ids, reverse=True),
          f"my claims list the newest first: {ids}")
    # A server that is down: a readable page, never a raw code.
    sign_in_staff(officer)
    procs[0].terminate()
    procs[0].wait()
    go("/officer/people/p-0001")
    check("We cannot reach the service just now" in body(),
          "a down server gives a readable page")
    no_raw_codes("a down server")
    visit_checks("officer-server-down")
except Exception as e:
    finish(e)
finish()
