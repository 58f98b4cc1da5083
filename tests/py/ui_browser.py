"""Drives Debian's headless chromium through chromedriver (selenium) against a real `sr serve`.

Usage: python3 ui_browser.py BASE_URL SCREENSHOT_DIR

Seeds the registry over its REST API with Avro, Protobuf and JSON Schema subjects (an Avro and a
JSON Schema one each with a known incompatible pair, one with a hostile name), then loads every UI page and asserts the DOM:
subject names, version numbers, the findings of the incompatible pair, the filter, keyboard
focus order, no horizontal overflow at 360 px, and that no script ever runs. Screenshots of
each page go to SCREENSHOT_DIR. Exits non-zero with a message on the first failed check.
"""

import json
import os
import sys
import tempfile
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

BASE, SHOTS = sys.argv[1].rstrip("/"), sys.argv[2]
HOSTILE = "evil/<script>alert(1)</script>\"ü%"
JSON_IDS = []  # schema ids of the JSON Schema subject's versions 1 and 2


def api(method, path, body=None):
    req = urllib.request.Request(
        BASE + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read() or b"null")


def seg(s):
    return urllib.parse.quote(s, safe="")


def record(fields, doc=None):
    r = {"type": "record", "name": "Order", "namespace": "shop", "fields": fields}
    if doc:
        r["doc"] = doc
    return json.dumps(r)


def seed():
    order = [{"name": "id", "type": "string"}]
    api("POST", "/subjects/orders-value/versions", {"schema": record(order, doc="An order was placed.")})
    order2 = order + [{"name": "qty", "type": "int", "default": 1}]
    api("POST", "/subjects/orders-value/versions", {"schema": record(order2)})
    # Version 3 breaks version 2 under BACKWARD; registered under NONE so that it lands.
    api("PUT", "/config/orders-value", {"compatibility": "NONE"})
    order3 = [{"name": "id", "type": "long"}, {"name": "qty", "type": "int", "default": 1},
              {"name": "total", "type": "double"}]
    api("POST", "/subjects/orders-value/versions", {"schema": record(order3)})
    api("PUT", "/config/orders-value", {"compatibility": "BACKWARD"})
    proto = 'syntax = "proto3";\npackage pay;\n\n// A payment was captured.\nmessage PaymentCaptured {\n  string id = 1;\n  int64 cents = 2;\n}\n'
    api("POST", "/subjects/payments-value/versions", {"schemaType": "PROTOBUF", "schema": proto})
    for i in range(12):
        api("POST", f"/subjects/inventory-{i:02d}-value/versions",
            {"schema": json.dumps({"type": "record", "name": f"Stock{i}", "fields": []})})
    evil_doc = json.dumps({"type": "record", "name": "Evil",
                           "doc": "<img src=x onerror=alert('doc')><script>alert(2)</script>",
                           "fields": []})
    api("POST", f"/subjects/{seg(HOSTILE)}/versions", {"schema": evil_doc})
    api("PUT", "/mode/payments-value", {"mode": "READONLY"})
    # JSON Schema: version 2 turns `id` into an integer, which BACKWARD refuses.
    placed = {"$id": "https://acme.com/schemas/shipment-sent.json", "title": "ShipmentSent",
              "description": "A shipment <em>left</em> the warehouse.", "type": "object",
              "properties": {"id": {"type": "string", "format": "uuid"},
                             "at": {"type": "string", "format": "date-time"}},
              "required": ["id", "at"]}
    JSON_IDS.append(api("POST", "/subjects/shipments-value/versions",
                        {"schemaType": "JSON", "schema": json.dumps(placed)})["id"])
    placed2 = json.loads(json.dumps(placed))
    placed2["properties"]["id"] = {"type": "integer"}
    placed2["properties"]["carrier"] = {"type": "string", "enum": ["DHL", "UPS"]}
    api("PUT", "/config/shipments-value", {"compatibility": "NONE"})
    JSON_IDS.append(api("POST", "/subjects/shipments-value/versions",
                        {"schemaType": "JSON", "schema": json.dumps(placed2)})["id"])
    api("PUT", "/config/shipments-value", {"compatibility": "BACKWARD"})


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def no_alert(driver, where):
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        raise AssertionError(f"{where}: a script ran and opened an alert: {text!r}")
    except NoAlertPresentException:
        pass


def shot(driver, name):
    path = os.path.join(SHOTS, name + ".png")
    driver.save_screenshot(path)
    print("screenshot", path)


def main():
    os.makedirs(SHOTS, exist_ok=True)
    seed()
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    profile = tempfile.mkdtemp(prefix="sr-ui-chromium-")
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1100,760"]:
        opts.add_argument(flag)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(30)
    wait = WebDriverWait(driver, 10)
    try:
        # Subjects: names, counts, the filter.
        driver.get(BASE + "/ui")
        names = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#subjects a.subject")]
        for s in ["orders-value", "payments-value", "inventory-00-value", HOSTILE]:
            check(s in names, f"subject {s!r} not listed: {names}")
        row = driver.find_element(By.XPATH, "//tr[th/a[text()='orders-value']]")
        cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        check(cells[:3] == ["AVRO", "3", "3"], f"orders-value row: {cells}")
        check(cells[4:] == ["BACKWARD", "READWRITE"], f"orders-value row: {cells}")
        prow = driver.find_element(By.XPATH, "//tr[th/a[text()='payments-value']]")
        pcells = [td.text for td in prow.find_elements(By.TAG_NAME, "td")]
        check(pcells[0] == "PROTOBUF" and pcells[-1] == "READONLY", f"payments-value row: {pcells}")
        jrow = driver.find_element(By.XPATH, "//tr[th/a[text()='shipments-value']]")
        jcells = [td.text for td in jrow.find_elements(By.TAG_NAME, "td")]
        check(jcells[:2] == ["JSON", "2"] and jcells[3] == str(JSON_IDS[1]), f"shipments-value row: {jcells}")
        no_alert(driver, "subjects")
        shot(driver, "subjects")

        # Keyboard: the first Tab reaches the skip link, the next the navigation.
        body = driver.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        check(driver.switch_to.active_element.text == "Skip to content",
              f"first tab stop: {driver.switch_to.active_element.text!r}")
        driver.switch_to.active_element.send_keys(Keys.TAB)
        check(driver.switch_to.active_element.text == "sr", "second tab stop is not the nav")

        box = driver.find_element(By.ID, "q")
        check(driver.find_element(By.CSS_SELECTOR, "label[for=q]").text != "", "filter has no label")
        box.send_keys("inventory-0")
        box.send_keys(Keys.ENTER)
        wait.until(ec.url_contains("q=inventory-0"))
        names = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#subjects a.subject")]
        check(names == [f"inventory-{i:02d}-value" for i in range(10)], f"filtered: {names}")
        check("of 10 matching" in driver.find_element(By.ID, "count").text, "count after filter")
        shot(driver, "subjects-filtered")

        # Paging: 5 a page, the next link goes on.
        driver.get(BASE + "/ui?per=5")
        check(len(driver.find_elements(By.CSS_SELECTOR, "#subjects tbody tr")) == 5, "per=5 rows")
        driver.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
        wait.until(ec.url_contains("page=2"))
        check("Page 2 of" in driver.find_element(By.CSS_SELECTOR, ".pager").text, "page 2")

        # Narrow screen: nothing wider than 360 px but the scrolling tables.
        driver.set_window_size(360, 740)
        for path in ["/ui", "/ui/subjects/orders-value", "/ui/subjects/orders-value/diff?from=2&to=3",
                     "/ui/subjects/shipments-value/diff?from=1&to=2",
                     "/ui/config", "/ui/subjects/orders-value/check"]:
            driver.get(BASE + path)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            inner = driver.execute_script("return window.innerWidth")
            check(width <= inner, f"{path} overflows at 360 px: {width} > {inner}")
        driver.get(BASE + "/ui")
        shot(driver, "subjects-360px")
        driver.set_window_size(1100, 760)

        # One subject: versions newest first, the latest open, its schema highlighted.
        driver.get(BASE + "/ui/subjects/orders-value")
        versions = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "li.version .vnum")]
        check(versions == ["Version 3", "Version 2", "Version 1"], f"versions: {versions}")
        check(driver.find_element(By.ID, "level").text.startswith("BACKWARD"), "level")
        check(len(driver.find_elements(By.CSS_SELECTOR, "#v3 .key")) > 0, "no highlighting")
        shot(driver, "subject")

        driver.get(BASE + "/ui/subjects/payments-value")
        kws = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#v1 .kw")]
        check("message" in kws and "syntax" in kws, f"protobuf keywords: {kws}")
        check(driver.find_element(By.ID, "mode").text.startswith("READONLY"), "payments mode")
        shot(driver, "subject-protobuf")

        # A JSON Schema subject: both versions, pretty-printed and highlighted, the doc as text.
        driver.get(BASE + "/ui/subjects/shipments-value")
        versions = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "li.version .vnum")]
        check(versions == ["Version 2", "Version 1"], f"json versions: {versions}")
        keys = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#v2 .key")]
        check('"properties"' in keys and '"carrier"' in keys, f"json keys: {keys}")
        strs = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#v2 .str")]
        check('"integer"' in strs, f"json strings: {strs}")
        check(driver.find_elements(By.TAG_NAME, "em") == [], "an <em> from a description was rendered")
        check("JSON" in driver.find_element(By.CSS_SELECTOR, "#v2 summary").text, "json type shown")
        no_alert(driver, "json subject")
        shot(driver, "subject-json")

        # Its schema by id: highlighted, and used by version 1.
        driver.get(BASE + f"/ui/schemas/{JSON_IDS[0]}")
        check(len(driver.find_elements(By.CSS_SELECTOR, "pre.code .key")) > 0, "json schema page highlighting")
        used = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#used-by a")]
        check(used == ["shipments-value version 1"], f"json used by: {used}")
        shot(driver, "schema-json")

        # Its incompatible pair: the finding, linked to the `id` line on the new side.
        driver.get(BASE + "/ui/subjects/shipments-value/diff?from=1&to=2")
        rules = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".finding .rule")]
        check("TYPE_CHANGED" in rules, f"json diff rules: {rules}")
        check("incompatible" in driver.find_element(By.ID, "verdict").text, "json verdict")
        check(driver.find_element(By.ID, "bump").text == "major", "json bump")
        check(len(driver.find_elements(By.CSS_SELECTOR, "td.src .key")) > 0, "json diff highlighting")
        link = driver.find_element(By.CSS_SELECTOR, ".finding a[href^='#new-L']")
        target = link.get_attribute("href").split("#", 1)[1]
        link.click()
        check(driver.execute_script("return location.hash") == "#" + target, "json finding link")
        row_text = driver.find_element(By.ID, target).find_element(By.XPATH, "..").text
        check('"id"' in row_text or '"integer"' in row_text, f"json finding points at {row_text!r}")
        shot(driver, "diff-json")

        # The diff of the known incompatible pair, and its findings linked to lines.
        driver.get(BASE + "/ui/subjects/orders-value/diff?from=2&to=3")
        rules = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".finding .rule")]
        check(sorted(rules) == ["READER_FIELD_MISSING_DEFAULT_VALUE", "TYPE_MISMATCH"], f"rules: {rules}")
        check(driver.find_element(By.ID, "bump").text == "major", "bump")
        check("incompatible" in driver.find_element(By.ID, "verdict").text, "verdict")
        link = driver.find_element(By.CSS_SELECTOR, ".finding a[href^='#new-L']")
        target = link.get_attribute("href").split("#", 1)[1]
        link.click()
        check(driver.execute_script("return location.hash") == "#" + target, "finding link")
        line = driver.find_element(By.ID, target)
        row_text = line.find_element(By.XPATH, "..").text
        check('"long"' in row_text or '"total"' in row_text, f"finding points at {row_text!r}")
        shot(driver, "diff")

        # Another pair through the pickers.
        driver.find_element(By.CSS_SELECTOR, "#from option[value='1']").click()
        driver.find_element(By.CSS_SELECTOR, "#to option[value='2']").click()
        driver.find_element(By.CSS_SELECTOR, "form.diff-pick button").click()
        wait.until(ec.url_contains("from=1"))
        check(driver.find_element(By.ID, "bump").text == "minor", "bump 1->2")

        # Check a schema: paste, submit, findings; nothing registered.
        driver.get(BASE + "/ui/check")
        driver.find_element(By.ID, "subject").send_keys("orders-value", Keys.ENTER)
        wait.until(ec.url_contains("/ui/subjects/orders-value/check"))
        area = driver.find_element(By.ID, "schema")
        area.send_keys(record([{"name": "id", "type": "boolean"}, {"name": "qty", "type": "int", "default": 1},
                               {"name": "total", "type": "double"}]))
        driver.find_element(By.CSS_SELECTOR, "form.check button").click()
        wait.until(ec.presence_of_element_located((By.ID, "verdict")))
        rules = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".finding .rule")]
        check(rules == ["TYPE_MISMATCH"], f"check rules: {rules}")
        check(api("GET", "/subjects/orders-value/versions") == [1, 2, 3], "the check registered a version")
        driver.execute_script("document.getElementById('verdict').scrollIntoView()")
        shot(driver, "check")

        # Schema by id, config.
        driver.get(BASE + "/ui/schemas/1")
        used = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#used-by a")]
        check(used == ["orders-value version 1"], f"used by: {used}")
        driver.get(BASE + "/ui/config")
        check(driver.find_element(By.ID, "global-level").text.startswith("BACKWARD"), "config")
        shot(driver, "config")

        # Hostile name and doc: shown as text, linked so that the link resolves, no script.
        driver.get(BASE + "/ui")
        driver.find_element(By.LINK_TEXT, HOSTILE).click()
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".subject-name")))
        check(driver.find_element(By.CSS_SELECTOR, ".subject-name").text == HOSTILE, "hostile name")
        check(driver.find_elements(By.TAG_NAME, "img") == [], "an <img> from a doc was rendered")
        check("onerror=alert" in driver.find_element(By.CSS_SELECTOR, "pre.code").text, "doc text")
        no_alert(driver, "hostile subject")
        shot(driver, "hostile")

        # Unknown pages are 404 pages.
        driver.get(BASE + "/ui/subjects/no-such-subject")
        check(driver.find_element(By.TAG_NAME, "h1").text == "Not found", "404 page")
        print("ui browser test: all checks passed")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
