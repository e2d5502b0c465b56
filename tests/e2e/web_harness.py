#!/usr/bin/python3
"""What every browser test of the web front shares: it starts a real
reciprocityd (demo principals, the shipped rule files) and reciprocity-web
on free ports, creates participants p-0001 and p-0002, opens headless
Chromium, and gives the helpers below (sign in, fill, click, axe on each
page, phone and 400 % zoom checks, screenshots). A test does

    from web_harness import *   # reads sys.argv, starts everything
    try:
        ...
    finally:
        finish()                  # stops everything, exits 1 on a failure

usage of a test: TEST.py RECIPROCITYD RECIP RECIPROCITY_WEB SOURCE_DIR OUT_DIR
Exits 77 (skipped) when Chromium, chromium-driver, selenium or axe-core is
missing (1 under tests/run_all.sh, which installs them)."""
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

# tests/run_all.sh (and so CI) has installed everything: there a missing
# browser is a failure, not a skip.
SKIP = 1 if os.environ.get("RECIP_REQUIRE_BROWSER") == "1" else 77

try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    from selenium.common.exceptions import (StaleElementReferenceException,
                                            WebDriverException)
except ImportError:
    print("SKIP: python3-selenium is not installed")
    sys.exit(SKIP)

daemon, recip, web, source, out_dir = sys.argv[1:6]
axe_path = os.path.join(source, ".local/node_modules/axe-core/axe.min.js")
if not (shutil.which("chromedriver") and shutil.which("chromium")):
    print("SKIP: chromium and chromium-driver are not installed")
    sys.exit(SKIP)
if not os.path.exists(axe_path):
    print("SKIP: axe-core missing (deploy/install-deps.sh --test)")
    sys.exit(SKIP)
AXE = open(axe_path).read()
shots = os.path.join(out_dir, "web-screenshots")
os.makedirs(shots, exist_ok=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Lets a test see the Set-Cookie of a redirect."""

    def redirect_request(self, *args, **kwargs):
        return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


tmp = tempfile.mkdtemp(prefix="recip-web-")
subprocess.run([os.path.join(source, "deploy/demo-principals.sh"), tmp],
               check=True)
tokens = dict(line.strip().split("=", 1)
              for line in open(os.path.join(tmp, "tokens.env"))
              if "=" in line)
grpc_port, web_port = free_port(), free_port()
server = f"127.0.0.1:{grpc_port}"
base = f"http://127.0.0.1:{web_port}"
procs = [subprocess.Popen(
    [daemon, "--listen", server, "--db", os.path.join(tmp, "r.db"),
     "--rules", os.path.join(source, "policy/areas"),
     "--principals", os.path.join(tmp, "principals.textproto"),
     "--sign-in-proxy", "127.0.0.1"],
    stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "d.log"), "w"))]
procs.append(subprocess.Popen(
    [web, "--listen", f"127.0.0.1:{web_port}", "--server", server],
    stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def recip_cli(token, *args):
    env = dict(os.environ, RECIP_SERVER=server, RECIP_TOKEN=token)
    return subprocess.run([recip, *args], env=env, capture_output=True,
                          text=True)


for _ in range(100):
    if recip_cli(tokens["OFFICER_TOKEN"], "area", "list").returncode == 0:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            pass
    time.sleep(0.1)
for pid in ("p-0001", "p-0002"):
    r = recip_cli(tokens["OFFICER_TOKEN"], "participant", "create", pid,
                  "--type", "resident", "--name", f"Demo {pid}")
    check(r.returncode == 0, f"participant {pid} created {r.stderr.strip()}")

options = webdriver.ChromeOptions()
for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
            "--window-size=1000,1200", "--disable-dev-shm-usage"):
    options.add_argument(arg)
driver = webdriver.Chrome(options=options)
driver.set_page_load_timeout(30)
driver.set_script_timeout(30)


def axe_check(name):
    """axe on the page now shown: no serious or critical violations."""
    driver.execute_script(AXE)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => [v.impact, v.id, v.help])));")
    bad = [v for v in result if v[0] in ("serious", "critical")]
    check(not bad, f"axe on {name}: {bad}")


def visit_checks(name):
    """axe on the page now shown, and a screenshot."""
    axe_check(name)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1000, max(800, min(height + 100, 3000)))
    driver.save_screenshot(os.path.join(shots, f"{name}.png"))
    driver.set_window_size(1000, 1200)


def small_screens(name):
    """The page now shown on a phone (360 by 740) and at 400 % zoom (a
    1280 px window is 320 CSS px wide): no sideways scrolling, and axe
    still passes. A screenshot of the phone view."""
    for label, width, height, scale in (("phone", 360, 740, 2),
                                        ("zoom400", 320, 256, 4)):
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": scale,
            "mobile": label == "phone"})
        wide = driver.execute_script(
            "return [document.documentElement.scrollWidth,"
            " window.innerWidth]")
        check(wide[0] <= wide[1],
              f"{name} at {label}: no sideways scrolling {wide}")
        axe_check(f"{name} at {label}")
        if label == "phone":
            tall = driver.execute_script(
                "return document.documentElement.scrollHeight")
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": min(tall, 3000),
                "deviceScaleFactor": 1, "mobile": True})
            driver.save_screenshot(os.path.join(shots, f"phone-{name}.png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def go(path, name=None):
    driver.get(base + path)
    if name:
        visit_checks(name)


def fill(field, value):
    e = driver.find_element(By.NAME, field)
    e.clear()
    e.send_keys(value)


def click(text):
    """Clicks a button or link and waits for the next page."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(
        By.XPATH, f"//button[normalize-space()='{text}'] | "
                  f"//a[normalize-space()='{text}']").click()
    WebDriverWait(driver, 15).until(lambda _: gone(old))


def gone(element):
    """Whether `element` has left the page. Chromium sometimes answers for
    a node of the page just left with "Node with given id does not belong
    to the document" rather than a stale element: that is gone too."""
    try:
        element.is_enabled()
        return False
    except (StaleElementReferenceException, WebDriverException):
        return True


def body():
    return driver.find_element(By.TAG_NAME, "body").text


def sign_in_staff(token):
    driver.delete_all_cookies()
    go("/sign-in")
    driver.find_element(By.TAG_NAME, "summary").click()
    fill("token", token)
    click("Sign in as staff")


def sign_in_code(code, name=None):
    driver.delete_all_cookies()
    go("/sign-in", name)
    fill("code", code)
    click("Sign in")


def finish(error=None):
    """Stops the browser and servers; on an error shows the page it was
    on. Exits 1 when any check failed."""
    if error is not None:
        print("page at failure:", driver.current_url, "\n", body())
        driver.save_screenshot(os.path.join(shots, "failure.png"))
    driver.quit()
    for p in procs:
        p.terminate()
        p.wait()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"screenshots in {shots}")
    if error is not None:
        raise error
    if failures:
        print(f"{len(failures)} failed")
        sys.exit(1)
    print("all passed")
