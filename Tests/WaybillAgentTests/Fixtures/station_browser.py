#!/usr/bin/python3
"""Drives the packer's station screen in a real Chromium, as a packer with a wedge scanner would.

Run by StationBrowserTests with one argument, a scenario JSON file:
  base            the agent's local HTTP base URL
  order_id        the order to pack (its plan has several boxes)
  wrong_code      a barcode of a SKU that is not in that order
  hostile_order   an order whose ship-to name is hostile markup
  out             folder for screenshots and result.json
  handshake       folder for handshake files with the test (hub stopped, hub back, ...)
  packer, pin     the packer who signs in (a wrong PIN is tried first)
  supervisor_pin  the PIN of a supervisor, typed with the override's reason
Each verified box is weighed: box 1 typed heavy, then overridden by a supervisor; box 2 on the
test's emulated scale (refused while it settles, weighed once the test makes it stable: the
handshake files scale-wanted, holding the weight, and scale-set); box 3 typed. The page is then
followed until the order ships.
Writes out/result.json with what the screen showed; the Swift test asserts on it. Waits are
WebDriverWait conditions (what the page shows), never fixed sleeps.
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
out = config["out"]
result = {"steps": [], "timings_ms": []}


def save():
    with open(os.path.join(out, "result.json"), "w") as file:
        json.dump(result, file, indent=1)


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1700", "--disable-gpu"]:
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
# The panel is rendered again whenever the order changes at the station (an SSE change event):
# elements inside it are looked up afresh, and a lookup that raced a re-render is retried.
wait = WebDriverWait(driver, 30, ignored_exceptions=[StaleElementReferenceException])


def panel_text(selector="#panel"):
    return wait.until(lambda d: d.find_element(By.CSS_SELECTOR, selector).text)


def act(selector, do):
    """Finds an element of the panel and acts on it, again if a re-render replaced it meanwhile."""
    def attempt(d):
        do(d.find_element(By.CSS_SELECTOR, selector))
        return True
    wait.until(attempt)


def shot(name):
    path = os.path.join(out, "%02d-%s.png" % (len(result["steps"]) + 1, name))
    driver.save_screenshot(path)
    result["steps"].append(name)


def handshake(name):
    open(os.path.join(config["handshake"], name), "w").close()


def await_handshake(name):
    WebDriverWait(driver, 90, poll_frequency=0.05).until(lambda _: os.path.exists(os.path.join(config["handshake"], name)))


def answers():
    return driver.execute_script("return (window.waybillScanTimings || []).length")


def scan(code):
    """Types a scan and Enter into the focused field, as a wedge scanner does, and waits for its answer."""
    before = answers()
    driver.switch_to.active_element.send_keys(code + "\n")
    wait.until(lambda _: answers() > before)
    message = driver.find_element(By.ID, "message")
    return {"text": message.text, "class": message.get_attribute("class"), "visible": message.is_displayed()}


def fill(selector, text):
    """Types into a box's form (a weight, a supervisor's reason) and Enter, and waits for the answer."""
    before = answers()
    act(selector, lambda field: (field.click(), field.send_keys(text + "\n")))
    wait.until(lambda _: answers() > before)
    message = driver.find_element(By.ID, "message")
    return {"text": message.text, "class": message.get_attribute("class"), "focus": driver.switch_to.active_element.get_attribute("id")}


def press(selector):
    """Presses a button of a box's form and waits for the answer."""
    before = answers()
    act(selector, lambda button: button.click())
    wait.until(lambda _: answers() > before)
    message = driver.find_element(By.ID, "message")
    return {"text": message.text, "class": message.get_attribute("class")}


def documents(order_id):
    return {str(box["number"]): box["documents"] for box in pack_state(order_id)["boxes"]}


def pack_state(order_id):
    """The order's pack state as data, asked with the browser's session (a signed-in packer's cookie)."""
    cookie = driver.get_cookie("waybill_session")
    headers = {"Accept": "application/json", "Cookie": "waybill_session=" + cookie["value"]}
    request = urllib.request.Request(config["base"] + "/station/orders/" + order_id, headers=headers)
    return json.load(urllib.request.urlopen(request, timeout=10))


def unit_code(item):
    return next(b["code"] for b in item["barcodes"] if b["units"] == 1)


try:
    order_id = config["order_id"]
    # The station has packers: the screen asks who packs. A wrong PIN is refused, the right one signs in.
    driver.get(config["base"] + "/station")
    wait.until(lambda d: d.find_elements(By.ID, "pin"))
    result["sign_in_url"] = driver.current_url
    result["sign_in_focus"] = driver.switch_to.active_element.get_attribute("id")

    def sign_in(pin):
        driver.find_element(By.ID, "name").clear()
        driver.find_element(By.ID, "name").send_keys(config["packer"])
        driver.find_element(By.ID, "pin").send_keys(pin + "\n")

    sign_in("0000" if config["pin"] != "0000" else "1111")
    wait.until(lambda d: d.find_elements(By.ID, "message"))
    result["wrong_pin"] = driver.find_element(By.ID, "message").text
    shot("sign-in-refused")
    sign_in(config["pin"])
    wait.until(lambda d: d.find_elements(By.ID, "scan"))
    result["signed_in_as"] = driver.find_element(By.ID, "packer").text
    cookie = driver.get_cookie("waybill_session")
    result["cookie"] = {"httpOnly": cookie.get("httpOnly"), "sameSite": cookie.get("sameSite"), "path": cookie.get("path")}
    result["cookie_visible_to_script"] = "waybill_session" in driver.execute_script("return document.cookie")
    # The queue, with the scan field focused.
    result["queue_lists_order"] = order_id in driver.find_element(By.TAG_NAME, "body").text
    result["queue_focus"] = driver.switch_to.active_element.get_attribute("id")
    shot("queue")

    # Open the order by scanning its number into the queue's field.
    driver.switch_to.active_element.send_keys(order_id + "\n")
    wait.until(lambda d: "/station/orders/" in d.current_url and d.find_elements(By.ID, "panel"))
    result["opened_url"] = driver.current_url
    result["pack_focus"] = driver.switch_to.active_element.get_attribute("id")
    result["pack_heading"] = panel_text("#open-box")
    shot("pack-view")
    # What the pack view cost: every request it made (the page, its script and style, /events, the
    # scale) with its size as received.
    result["pack_resources"] = driver.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(e => ({name: e.name, bytes: Math.max(e.transferSize || 0, e.encodedBodySize || 0, e.decodedBodySize || 0)}))"
    )
    plan = pack_state(order_id)
    result["boxes"] = len(plan["boxes"])

    # A wrong item, and an item of a later box, are refused and count nothing.
    result["wrong_item"] = scan(config["wrong_code"])
    shot("wrong-item")
    first_skus = {item["sku"] for item in plan["boxes"][0]["items"]}
    later = next((item for box in plan["boxes"][1:] for item in box["items"] if item["sku"] not in first_skus), None)
    if later is not None:
        result["other_box"] = scan(unit_code(later))
        shot("other-box")

    # Every unit of every box, box by box; before the last box, one unit too many of a SKU
    # whose every unit is already counted.
    result["box_headings"] = []
    for index, box in enumerate(plan["boxes"]):
        if index == len(plan["boxes"]) - 1:
            last_skus = {item["sku"] for item in box["items"]}
            done = next((item for earlier in plan["boxes"][:-1] for item in earlier["items"] if item["sku"] not in last_skus), None)
            if done is not None:
                result["over_scan"] = scan(unit_code(done))
                shot("over-scan")
        # A scan changes its own box only: box 1, weighed by now, keeps its nodes while box 2 is scanned.
        if index == 1:
            driver.execute_script("document.getElementById('box-1').waybillKept = true")
        for item in box["items"]:
            for _ in range(item["expected"] - item["counted"]):
                last = scan(unit_code(item))
        if index == 1:
            result["first_box_kept"] = driver.execute_script("return document.getElementById('box-1').waybillKept === true")
        result["box_headings"].append(panel_text().split("\n")[0])
        shot("box-%d-verified" % box["number"])
        # Each verified box is weighed; the first one reads heavy, is refused, and a supervisor
        # accepts it with a reason. No document prints before its box is verified and weighed.
        if index == len(plan["boxes"]) - 1:
            result["after_complete"] = scan(unit_code(plan["boxes"][0]["items"][0]))
        weight_field = "#box-%d form.weigh input[name=weight]" % box["number"]
        if index == 0:
            result["documents_before_weighing"] = documents(order_id)
            result["mismatch"] = fill(weight_field, "%.2f" % (box["expected_lb"] * 1.5 + 1))
            shot("weight-mismatch")
            result["documents_after_mismatch"] = documents(order_id)
            pin_field = "#box-%d form.override input[name=supervisor_pin]" % box["number"]
            reason_field = "#box-%d form.override input[name=reason]" % box["number"]
            # A wrong supervisor PIN is refused, and leaves no digits in the field on the shared screen.
            act(pin_field, lambda field: field.send_keys("0000"))
            result["wrong_supervisor_pin"] = fill(reason_field, "scale reads heavy")
            result["pin_left_typed"] = driver.find_element(By.CSS_SELECTOR, pin_field).get_property("value")
            act(pin_field, lambda field: field.send_keys(config["supervisor_pin"]))
            result["override"] = fill(reason_field, "scale reads heavy; contents checked by the supervisor")
        elif index == 1:
            # Box 2 on the scale: settling, it weighs nothing; once the test's scale is stable, it does.
            button = "#box-%d button.use-scale" % box["number"]
            result["scale_moving"] = driver.find_element(By.ID, "scale-reading").text
            result["scale_refused"] = press(button)
            # Written whole, then renamed: the test reads the weight as soon as the name appears.
            wanted = os.path.join(config["handshake"], "scale-wanted")
            with open(wanted + ".tmp", "w") as file:
                file.write("%.2f" % box["expected_lb"])
            os.rename(wanted + ".tmp", wanted)
            await_handshake("scale-set")
            WebDriverWait(driver, 30, poll_frequency=0.05).until(lambda d: "(stable)" in d.find_element(By.ID, "scale-reading").text)
            result["scale_stable"] = driver.find_element(By.ID, "scale-reading").text
            result["weighed_%d" % box["number"]] = press(button)
        else:
            result["weighed_%d" % box["number"]] = fill(weight_field, "%.2f" % box["expected_lb"])
        shot("box-%d-weighed" % box["number"])
    result["last_message"] = last
    # The station prints every box's documents and carrier label and ships: the open page follows.
    WebDriverWait(driver, 120, poll_frequency=0.1, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: "Shipped" in d.find_element(By.ID, "panel").text
    )
    result["shipped_panel"] = panel_text()
    result["final"] = pack_state(order_id)
    shot("shipped")
    result["after_shipping"] = scan(unit_code(plan["boxes"][0]["items"][0]))
    result["timings_ms"] = driver.execute_script("return window.waybillScanTimings")

    # Hostile customer text is shown as text, never run as markup.
    driver.get(config["base"] + "/station/orders/" + config["hostile_order"])
    wait.until(lambda d: d.find_elements(By.CLASS_NAME, "shipto"))
    result["hostile"] = {
        "shipto": driver.find_element(By.CLASS_NAME, "shipto").text,
        "pwned": driver.execute_script("return window.__pwned === undefined ? null : window.__pwned"),
        "scripts": len(driver.find_elements(By.TAG_NAME, "script")),
        "images": len(driver.find_elements(By.TAG_NAME, "img")),
        "injected": len(driver.find_elements(By.CSS_SELECTOR, "[data-injected]")),
    }
    shot("hostile-text")

    # Counts follow the replica over /events without a reload.
    driver.get(config["base"] + "/station")
    cell = lambda: driver.find_element(By.CSS_SELECTOR, "b[data-state=assigned]").text
    wait.until(lambda _: driver.execute_script("return document.readyState") == "complete")
    result["assigned_before"] = int(cell())
    driver.execute_script("window.__sameDocument = true")
    handshake("counts-ready")
    WebDriverWait(driver, 60).until(lambda _: int(cell()) != result["assigned_before"])
    result["assigned_after"] = int(cell())
    result["counts_without_reload"] = driver.execute_script("return window.__sameDocument === true")
    shot("counts-updated")

    # The hub goes away: the offline banner shows; it comes back: the banner goes.
    banner = lambda: driver.find_element(By.ID, "offline").is_displayed()
    result["banner_before"] = banner()
    handshake("offline-ready")
    await_handshake("hub-down")
    WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda _: banner())
    handshake("banner-shown")
    result["banner_text"] = driver.find_element(By.ID, "offline").text
    shot("offline-banner")
    await_handshake("hub-up")
    WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda _: not banner())
    handshake("banner-gone")
    result["banner_after"] = banner()
    shot("back-online")

    # A printer fault (the health model's): the station's problems banner names it; fixed, it goes.
    problems = lambda: driver.find_element(By.ID, "problems").is_displayed()
    handshake("problems-ready")
    await_handshake("printer-rejecting")
    WebDriverWait(driver, 60, poll_frequency=0.05).until(
        lambda _: problems() and "printer document" in driver.find_element(By.ID, "problems").text)
    result["problems_text"] = driver.find_element(By.ID, "problems").text
    shot("problems-banner")
    handshake("problems-shown")
    await_handshake("printer-accepting")
    WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda _: not problems())
    result["problems_after"] = problems()
    result["ok"] = True
except Exception as error:  # the test reports it with the screenshots so far
    result["ok"] = False
    result["error"] = "%s: %s" % (type(error).__name__, error)
    try:
        shot("failure")
    except Exception:
        pass
finally:
    save()
    driver.quit()
