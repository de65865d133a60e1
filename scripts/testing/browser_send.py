#!/usr/bin/env python3
"""Loads the project's browser test page (scripts/testing/browser) in headless Chromium, from its own origin (a small
HTTP server on another loopback port), against a running `sluice serve`; prints what the page reported as JSON on the
last line.

Debian's chromium and chromedriver only: the driver is /usr/bin/chromedriver and the browser /usr/bin/chromium, both
given explicitly, so Selenium Manager never runs (and SE_OFFLINE forbids it any download). Chromium resolves no name
but 127.0.0.1 and keeps its background services off: loopback traffic only.

    python3 browser_send.py --cdn http://127.0.0.1:8080 --write-key KEY --prefix run-1
"""
import argparse
import functools
import http.server
import json
import os
import sys
import tempfile
import threading
import time

os.environ["SE_OFFLINE"] = "true"

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

PAGE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "browser")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cdn", required=True, help="Sluice's base URL (the page's cdnURL)")
    parser.add_argument("--write-key", required=True)
    parser.add_argument("--prefix", required=True, help="messageId prefix")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    handler = functools.partial(QuietHandler, directory=PAGE_DIR)
    pages = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    page_url = "http://127.0.0.1:%d/index.html?%s" % (
        pages.server_address[1],
        "cdn=%s&writeKey=%s&prefix=%s" % (args.cdn, args.write_key, args.prefix),
    )

    profile = tempfile.mkdtemp(prefix="sluice-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in [
        "--headless=new",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--user-data-dir=" + profile,
    ]:
        options.add_argument(flag)
    if os.geteuid() == 0:
        # Chromium refuses to run as root inside its sandbox.
        options.add_argument("--no-sandbox")
    service = Service(executable_path="/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.get(page_url)
        deadline = time.monotonic() + args.timeout
        result = None
        while time.monotonic() < deadline:
            result = driver.execute_script("return window.__sluiceResult || null")
            if result is not None:
                break
            time.sleep(0.05)
        if result is None:
            print("the page reported nothing within %.0f s" % args.timeout, file=sys.stderr)
            return 1
        print(json.dumps(result))
        return 0 if "error" not in result else 1
    finally:
        driver.quit()
        pages.shutdown()


if __name__ == "__main__":
    sys.exit(main())
