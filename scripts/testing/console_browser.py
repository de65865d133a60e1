#!/usr/bin/env python3
"""Drives the web console of a running `sluice serve` in Debian's headless Chromium at 375 px width: sign in, create,
rename and delete sources, watch events sent with the official Python SDK arrive in the live debugger (pause/resume,
a filter, an event holding <script> shown as text), read the quarantine tab, add a moto destination with the form
(a refused validation write shown first), lint a bucket policy, press "copy now", preview the staged file in the
archive browser, open the nodes and overview pages (charts loaded), tab through the navigation, and check that a
JSON call without the CSRF token is refused. Saves a screenshot of each page; prints a JSON report on the
last line (the Swift test asserts on it). Polls with deadlines; loopback only, as browser_send.py.

    python3 console_browser.py --url http://127.0.0.1:8080 --token ADMIN --moto http://127.0.0.1:5000 \
        --screenshots .build/test-artifacts/console
"""
import argparse
import base64
import json
import os
import sys
import tempfile
import time
import urllib.request
import uuid

os.environ["SE_OFFLINE"] = "true"

import boto3  # noqa: E402
import segment.analytics as segment  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


def poll(what, condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.05)


def http(method, url, body=None, headers=None):
    request = urllib.request.Request(url, method=method, data=None if body is None else body.encode(),
                                     headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in [
        "--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
        "--disable-extensions", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--window-size=375,900", "--user-data-dir=" + tempfile.mkdtemp(prefix="sluice-console-"),
    ]:
        options.add_argument(flag)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True, help="the admin token")
    parser.add_argument("--moto", required=True, help="moto_server's endpoint")
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    report = {}
    driver = browser()
    # A phone's viewport, whatever the smallest window the headless browser allows.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 375, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    try:
        run(driver, args, report)
    except Exception as error:  # the report says what failed; the Swift test prints it
        report["error"] = "%s: %s" % (type(error).__name__, error)
        try:
            driver.save_screenshot(os.path.join(args.screenshots, "failure.png"))
            report["failurePage"] = driver.current_url
        except Exception:
            pass
    finally:
        driver.quit()
    print(json.dumps(report))
    return 0 if "error" not in report else 1


def widest(driver):
    """The page's width, or the viewport's if that is not 375 px (so a wrong viewport fails the check too)."""
    return driver.execute_script(
        "return window.innerWidth === 375 ? document.documentElement.scrollWidth : 10000 + window.innerWidth")


def text_of(driver, css):
    return " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, css))


def run(driver, args, report):
    shot = lambda name: driver.save_screenshot(os.path.join(args.screenshots, name + ".png"))  # noqa: E731
    report["widths"] = {}

    # 1. Without a session the console sends the browser to sign-in; a wrong token is refused.
    driver.get(args.url + "/console/sources")
    report["redirectedTo"] = driver.current_url
    driver.find_element(By.ID, "token").send_keys("not-the-token")
    driver.find_element(By.ID, "sign-in").click()
    report["wrongTokenError"] = poll("the sign-in error", lambda: text_of(driver, "#sign-in-error"))
    shot("sign-in")
    report["widths"]["sign-in"] = widest(driver)
    driver.find_element(By.ID, "token").send_keys(args.token)
    driver.find_element(By.ID, "sign-in").click()
    poll("the overview page", lambda: driver.current_url.endswith("/console/overview"))
    driver.get(args.url + "/console/sources")

    # 2. Create a source: its key and snippets are shown once.
    name = "console-" + uuid.uuid4().hex[:8]
    driver.find_element(By.ID, "source-name").send_keys(name)
    driver.find_element(By.ID, "create").click()
    key = poll("the new key", lambda: driver.find_element(By.ID, "new-key-value").text.strip())
    report["snippetHasKeyAndHost"] = all(
        key in text_of(driver, ".snippet-" + s) and args.url in text_of(driver, ".snippet-" + s)
        for s in ["Python", "Node", "analyticsjs", "curl"])
    poll("the source in the list", lambda: name in text_of(driver, "#sources tbody"))
    row = driver.find_element(By.XPATH, "//tr[td[1][text()='%s']]" % name)
    source_id = row.get_attribute("data-source-id")
    report["sourceListed"] = True
    shot("sources")
    report["widths"]["sources"] = widest(driver)
    driver.get(args.url + "/console/sources")
    poll("the list after reload", lambda: name in text_of(driver, "#sources tbody"))
    report["keyHiddenAfterReload"] = key not in driver.page_source

    # Rename and delete (typing the name to confirm) a second source.
    spare = "spare-" + uuid.uuid4().hex[:8]
    driver.find_element(By.ID, "source-name").send_keys(spare)
    driver.find_element(By.ID, "create").click()
    poll("the spare source", lambda: spare in text_of(driver, "#sources tbody"))
    driver.find_element(By.XPATH, "//tr[td[1][text()='%s']]//button[contains(@class,'change-source')]" % spare).click()
    field = driver.find_element(By.ID, "rename-name")
    field.clear()
    field.send_keys(spare + "-renamed")
    driver.find_element(By.ID, "rename").click()
    poll("the renamed source", lambda: spare + "-renamed" in text_of(driver, "#sources tbody"))
    report["renamed"] = True
    driver.find_element(
        By.XPATH, "//tr[td[1][text()='%s-renamed']]//button[contains(@class,'change-source')]" % spare).click()
    driver.find_element(By.ID, "delete-confirm").send_keys("wrong name")
    driver.find_element(By.ID, "delete").click()
    report["deleteRefusedText"] = poll("the confirmation error", lambda: text_of(driver, "#change-error"))
    confirm = driver.find_element(By.ID, "delete-confirm")
    confirm.clear()
    confirm.send_keys(spare + "-renamed")
    driver.find_element(By.ID, "delete").click()
    poll("the deleted source gone", lambda: spare not in text_of(driver, "#sources tbody"))
    report["deleted"] = True

    # 3. The live debugger: events sent with the official Python SDK appear, newest first.
    driver.get(args.url + "/console/debugger?source=" + source_id)
    poll("the event stream", lambda: driver.execute_script("return document.body.dataset.live === '1'"))
    client = segment.Client(key, host=args.url, sync_mode=True)
    run_id = uuid.uuid4().hex[:8]
    sent = time.monotonic()
    client.track("user-1", "Signed Up", {"plan": "pro"}, message_id=run_id + "-1")
    client.track("user-2", "XSS Probe", {"html": "<script>window.__sluiceXSS = 1</script><b>bold</b>"},
                 message_id=run_id + "-2")
    poll("both events in the debugger", lambda: run_id + "-2" in text_of(driver, "#events"), timeout=10)
    report["debuggerSeconds"] = time.monotonic() - sent
    items = driver.find_elements(By.CSS_SELECTOR, "#events li.event")
    report["newestFirst"] = run_id + "-2" in items[0].text and run_id + "-1" in items[1].text
    report["scriptShownAsText"] = "<script>window.__sluiceXSS = 1</script>" in text_of(driver, "#events pre")
    report["scriptDidNotRun"] = driver.execute_script(
        "return window.__sluiceXSS === undefined && !document.querySelector('#events script, #events b')")

    # Pause holds new events back; resume shows them.
    driver.find_element(By.ID, "pause").click()
    client.track("user-1", "While Paused", message_id=run_id + "-3")
    poll("the paused count", lambda: "1 new" in driver.find_element(By.ID, "status").text)
    report["pausedHidesEvents"] = run_id + "-3" not in text_of(driver, "#events")
    driver.find_element(By.ID, "pause").click()
    report["resumeShowsEvents"] = bool(poll("the held event", lambda: run_id + "-3" in text_of(driver, "#events")))

    # A server-side filter: only user-2's events reach the page.
    driver.find_element(By.ID, "filter-userId").send_keys("user-2")
    driver.find_element(By.ID, "apply").click()
    poll("the filtered stream", lambda: driver.execute_script("return document.body.dataset.live === '1'"))
    poll("the stream reopened", lambda: not driver.find_elements(By.CSS_SELECTOR, "#events li"))
    client.track("user-1", "Filtered Out", message_id=run_id + "-4")
    client.track("user-2", "Filtered In", message_id=run_id + "-5")
    poll("the matching event", lambda: run_id + "-5" in text_of(driver, "#events"), timeout=10)
    report["filterApplied"] = run_id + "-4" not in text_of(driver, "#events")
    # An event carrying its write key in the body (as analytics.js sends it): the key is not shown.
    status, body = http("POST", args.url + "/v1/track", json.dumps(
        {"userId": "user-2", "event": "With Key", "writeKey": key, "messageId": run_id + "-6"}),
        {"Content-Type": "application/json"})
    poll("the event with its key", lambda: run_id + "-6" in text_of(driver, "#events"), timeout=10)
    report["debuggerHidesKey"] = key not in driver.page_source and "(redacted)" in text_of(driver, "#events")
    shot("debugger")
    report["widths"]["debugger"] = widest(driver)

    # 4. The quarantine tab: an event without its `event` field, with the reason.
    auth = "Basic " + base64.b64encode((key + ":").encode()).decode()
    status, body = http("POST", args.url + "/v1/batch", json.dumps(
        {"batch": [{"type": "track", "userId": "u", "event": "fine"}, {"type": "track", "userId": "u"}]}),
        {"Authorization": auth, "Content-Type": "application/json"})
    report["quarantineSend"] = status
    driver.find_element(By.ID, "tab-quarantine").click()
    report["quarantineReason"] = poll("the quarantined event", lambda: text_of(driver, "#quarantine .quarantined"))
    shot("quarantine")

    # 5. A JSON call without the CSRF token is refused, even from the signed-in page.
    report["csrfMissingStatus"] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/console/api/sources', {method: 'POST', headers: {'Content-Type': 'application/json'},"
        " body: JSON.stringify({name: 'forged'})}).then(r => done(r.status), e => done(String(e)))")

    # 6. A destination on moto, added with the console's form: a bucket that does not exist is refused with the
    # validation write's reason; the real one is added; "copy now" delivers.
    bucket = "console-" + run_id
    boto3.client("s3", endpoint_url=args.moto, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=bucket)
    admin = {"Authorization": "Bearer " + args.token, "Content-Type": "application/json"}
    driver.get(args.url + "/console/destinations")
    poll("the source choices", lambda: driver.find_elements(By.CSS_SELECTOR, "#destination-source option"))
    driver.execute_script("document.getElementById('destination-source').value = arguments[0]", source_id)

    def fill(bucket_name):
        for field, value in [("destination-bucket", bucket_name), ("destination-endpoint", args.moto),
                             ("destination-region", "us-east-1"), ("destination-access-key", "testing"),
                             ("destination-secret", "moto-secret-value")]:
            element = driver.find_element(By.ID, field)
            element.clear()
            element.send_keys(value)
        driver.find_element(By.ID, "save-destination").click()

    fill("no-such-bucket-" + run_id)
    report["addRefusedText"] = poll("the validation error", lambda: text_of(driver, "#destination-form-error"))
    fill(bucket)
    poll("the destination row", lambda: bucket in text_of(driver, "#destinations tbody"), timeout=30)
    report["nextCopyShown"] = poll("the next copy", lambda: (lambda t: t if "UTC" in t else "")(
        driver.find_element(By.ID, "next-copy").text))
    # The bucket policy form: a Resource without /* is an error finding.
    driver.find_element(By.ID, "policy-bucket").send_keys(bucket)
    driver.find_element(By.ID, "policy-text").send_keys(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "S", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:user/sluice"},
         "Action": "s3:PutObject", "Resource": "arn:aws:s3:::%s/segment-logs" % bucket}]}))
    driver.find_element(By.ID, "policy-check").click()
    report["policyFinding"] = poll("the policy findings", lambda: text_of(driver, "#policy-findings"))
    status, body = http("POST", args.url + "/admin/flush", "", admin)
    if status != 200:
        raise RuntimeError("flush: %d %s" % (status, body))
    driver.get(args.url + "/console/destinations")
    poll("the destination row", lambda: bucket in text_of(driver, "#destinations tbody"))
    report["deliveredBefore"] = text_of(driver, "#destinations tbody .delivered")
    driver.find_element(By.ID, "copy-now").click()
    report["copyResult"] = poll("the copy result", lambda: (lambda t: t if t.startswith("Delivered") else "")(
        driver.find_element(By.ID, "copy-result").text), timeout=60)
    report["deliveredAfter"] = poll("the delivered count", lambda: (lambda t: t if t not in ("", "0") else "")(
        text_of(driver, "#destinations tbody .delivered")))
    report["secretShown"] = "moto-secret-value" in driver.page_source
    shot("destinations")
    report["widths"]["destinations"] = widest(driver)

    # 7. The archive browser: the staged file with its event count and a preview, escaped.
    driver.get(args.url + "/console/archive?source=" + source_id)
    poll("the staged files", lambda: driver.find_elements(By.CSS_SELECTOR, "#archive-files button.preview-file"))
    driver.find_element(By.CSS_SELECTOR, "#archive-files button.preview-file").click()
    poll("the preview", lambda: text_of(driver, "#preview-lines"))
    report["archiveCount"] = text_of(driver, "#archive-files .event-count")
    report["archivePreviewEscaped"] = "<script>window.__sluiceXSS = 1</script>" in text_of(
        driver, "#preview-lines") and driver.execute_script("return window.__sluiceXSS === undefined")
    report["archiveHidesKey"] = key not in driver.page_source
    shot("archive")
    report["widths"]["archive"] = widest(driver)

    # 8. Nodes, then the overview with its charts (also saved at desktop width, for the README).
    driver.get(args.url + "/console/nodes")
    poll("the nodes table", lambda: text_of(driver, "#nodes tbody"))
    shot("nodes")
    report["widths"]["nodes"] = widest(driver)
    driver.get(args.url + "/console/overview")
    report["overviewEvents"] = poll("the overview numbers", lambda: (lambda t: t if t not in ("", "…") else "")(
        driver.find_element(By.ID, "events-24h").text))
    report["overviewDelivered"] = driver.find_element(By.ID, "delivered-24h").text
    report["chartsLoaded"] = poll("the charts", lambda: driver.execute_script(
        "return [...document.querySelectorAll('img.chart')].every(i => i.complete && i.naturalWidth > 0)"))
    shot("overview")
    report["widths"]["overview"] = widest(driver)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1200, "height": 1100, "deviceScaleFactor": 1, "mobile": False})
    driver.get(args.url + "/console/overview")
    poll("the charts", lambda: driver.execute_script(
        "return [...document.querySelectorAll('img.chart')].every(i => i.complete && i.naturalWidth > 0)"))
    shot("overview-desktop")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 375, "height": 900, "deviceScaleFactor": 1, "mobile": True})

    # Keyboard: Tab from the top reaches the navigation's links in order.
    driver.get(args.url + "/console/overview")
    names = []
    for _ in range(7):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        names.append(driver.switch_to.active_element.text)
    report["tabOrder"] = names

    # 9. Sign out: the console is closed again.
    driver.find_element(By.ID, "sign-out").click()
    poll("the sign-in page", lambda: driver.current_url.endswith("/console/sign-in"))
    driver.get(args.url + "/console/debugger")
    report["afterSignOut"] = driver.current_url


if __name__ == "__main__":
    sys.exit(main())
