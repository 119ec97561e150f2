#!/usr/bin/python3
"""Scan -> feedback on the station screen, measured in a real Chromium (run by `waybill-bench scans`).

One argument, a scenario JSON file:
  base        the agent's local HTTP base URL (loopback, a station without packers: no sign-in)
  orders      order ids whose first box to pack, in turn, until `scans` scans were made
  scans       how many scans to make
  wrong_code  a barcode of a SKU in none of the orders (every tenth scan is that wrong item)
  out         folder for result.json
Each scan is typed into the focused field with Enter, as a wedge scanner does; the page itself
times it from the Enter to the frame that shows the answer (window.waybillScanTimings). After each
scan, the peer: the same page fetches /station/session (an answer the agent gives from memory) and
times it the same way, to the frame after it set a text. Waits are conditions, never fixed sleeps.
"""
import json
import os
import sys
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

config = json.load(open(sys.argv[1]))
result = {"scan_ms": [], "peer_ms": [], "refused": 0, "orders": 0}

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1700", "--disable-gpu"]:
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_script_timeout(30)
wait = WebDriverWait(driver, 30, poll_frequency=0.005, ignored_exceptions=[StaleElementReferenceException])

PEER = """
const done = arguments[arguments.length - 1];
const started = performance.now();
fetch("/station/session", {headers: {"Accept": "application/json"}, cache: "no-store"})
  .then((response) => response.json())
  .then((session) => {
    document.getElementById("message").dataset.peer = session.csrf.length;
    window.requestAnimationFrame(() => done(performance.now() - started));
  })
  .catch((error) => done(-1));
"""


def answers():
    return driver.execute_script("return window.waybillScanTimings.length")


def scan(code):
    before = answers()
    driver.switch_to.active_element.send_keys(code + "\n")
    wait.until(lambda _: answers() > before)
    return "error" in driver.find_element(By.ID, "message").get_attribute("class")


def peer():
    elapsed = driver.execute_async_script(PEER)
    if elapsed < 0:
        raise RuntimeError("the peer request failed")
    result["peer_ms"].append(elapsed)


def pack_state(order_id):
    request = urllib.request.Request(config["base"] + "/station/orders/" + order_id, headers={"Accept": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=10))


try:
    made = 0
    for order_id in config["orders"]:
        if made >= config["scans"]:
            break
        driver.get(config["base"] + "/station/orders/" + order_id)
        wait.until(lambda d: d.find_elements(By.ID, "scan") and d.switch_to.active_element.get_attribute("id") == "scan")
        result["orders"] += 1
        plan = pack_state(order_id)
        # The first box only: the next box opens once this one is weighed, which is not a scan.
        for box in plan["boxes"][:1]:
            for item in box["items"]:
                code = next(b["code"] for b in item["barcodes"] if b["units"] == 1)
                for _ in range(item["expected"] - item["counted"]):
                    if made >= config["scans"]:
                        break
                    if made % 10 == 9:
                        if not scan(config["wrong_code"]):
                            raise RuntimeError("a wrong item was not refused in " + order_id)
                        result["refused"] += 1
                        made += 1
                        peer()
                    if scan(code):
                        raise RuntimeError("a unit of " + order_id + " was refused: " + driver.find_element(By.ID, "message").text)
                    made += 1
                    peer()
        result["scan_ms"] += driver.execute_script("return window.waybillScanTimings")
    result["ok"] = True
except Exception as error:  # noqa: BLE001 - reported to the bench, which fails with it
    result["ok"] = False
    result["error"] = "%s: %s" % (type(error).__name__, error)
finally:
    with open(os.path.join(config["out"], "result.json"), "w") as file:
        json.dump(result, file)
    driver.quit()
