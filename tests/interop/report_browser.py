"""Open a govdocs quality report in headless Chromium and check what a person sees against
summary.json: the run's figures, the plots, the table of documents (sorting and filtering work),
and one document page (its figures, and its cells coloured as their checks say). Screenshots of
the index and of the document page are written to SHOT_DIR (not committed).

Usage: python tests/interop/report_browser.py REPORT_DIR SHOT_DIR [--doc NAME] [--flagged RAW FLAG]

--doc NAME     the document page to open: the first document whose source path contains NAME
               (default: the document with the most amounts)
--flagged RAW FLAG
               a cell of that page printed as RAW must show as repaired with FLAG on hover

Needs Debian's chromium and chromium-driver, and the selenium package (no browser download:
the driver is /usr/bin/chromedriver).
"""

import argparse
import json
import pathlib
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
REPAIR_EXCLUDED = {"not_a_number", "failed_check", "ambiguous_placement", "unplaced", "missing_code", "thousands_separator"}

failures = []


def check(what, got, want):
    if got != want:
        failures.append(f"{what}: page shows {got!r}, summary.json says {want!r}")


def shown(value, key):
    """How the report prints a summary.json value."""
    if key.endswith("verified_share"):
        return "n/a" if value is None else f"{value * 100:.1f}%"
    if key == "totals.balanced" and (value is None or isinstance(value, bool)):
        return {True: "holds", False: "fails", None: "n/a"}[value]
    return "n/a" if value is None else str(value)


def lookup(obj, key):
    for part in key.split("."):
        obj = obj[part]
    return obj


def browser(profile):
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    for a in (
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--window-size=1400,1800",
    ):
        o.add_argument(a)
    return webdriver.Chrome(service=Service(DRIVER), options=o)


def cards(driver):
    return {
        e.get_attribute("data-key"): e.find_element(By.CSS_SELECTOR, ".v").text
        for e in driver.find_elements(By.CSS_SELECTOR, ".card[data-key]")
    }


def index_page(driver, report, summary, shots):
    driver.get((report / "index.html").resolve().as_uri())
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "shown").text)
    driver.save_screenshot(str(shots / "index.png"))
    fig = summary["figures"]
    seen = cards(driver)
    want_keys = [
        "documents", "ok", "failed", "standard_tables.expected", "standard_tables.found",
        "standard_tables.parsed", "standard_tables.empty", "standard_tables.unparsed",
        "standard_tables.missing", "tables.total", "checks.total", "checks.passed", "checks.failed",
        "cells.amounts", "cells.verified", "verified_share", "cells.failed", "cells.untrusted",
        "cells.repaired", "totals.expected", "totals.summary_table", "totals.present",
        "totals.balanced", "totals.unbalanced",
    ]
    for key in want_keys:
        if key not in seen:
            failures.append(f"index: no figure {key}")
            continue
        check(f"index {key}", seen[key], shown(lookup(fig, key), key))
    # Plots: the bars carry the counts they draw.
    bars = lambda plot: {
        g.get_attribute("data-label"): int(g.get_attribute("data-value"))
        for g in driver.find_elements(By.CSS_SELECTOR, f"#{plot} g.bar")
    }
    status = bars("plot-status")
    check("plot documents by status: failed", status.get("failed"), fig["failed"])
    check("plot documents by status: all", sum(status.values()), fig["documents"])
    failed = bars("plot-failed")
    check("plot checks failed by kind", {k: v for k, v in failed.items() if v}, fig["checks"]["failed_by_kind"])
    hist = bars("plot-verified")
    check("plot verified share: documents", sum(hist.values()), fig["ok"])
    # The table of documents: every document listed, filters and sorting work.
    n = fig["documents"]
    check("documents listed", driver.find_element(By.ID, "shown").text, f"{n} of {n} documents")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.docs tbody tr")
    check("rows on the first page", len(rows), min(n, 100))
    Select(driver.find_element(By.ID, "f-status")).select_by_value("failed")
    check("filter status=failed", driver.find_element(By.ID, "shown").text, f"{fig['failed']} of {n} documents")
    Select(driver.find_element(By.ID, "f-status")).select_by_value("")
    missing = sum(1 for d in summary["documents"] if d.get("standard_tables", {}).get("missing", 0) > 0)
    Select(driver.find_element(By.ID, "f-issue")).select_by_value("missing")
    check("filter standard tables missing", driver.find_element(By.ID, "shown").text, f"{missing} of {n} documents")
    Select(driver.find_element(By.ID, "f-issue")).select_by_value("")
    header = driver.find_element(By.CSS_SELECTOR, "th.sort[data-sort='passed']")
    header.click()
    header.click()  # descending
    top = driver.find_element(By.CSS_SELECTOR, "table.docs tbody tr").get_attribute("data-doc")
    most = max(d.get("checks", {}).get("passed", 0) for d in summary["documents"])
    top_doc = next(d for d in summary["documents"] if d["doc_id"] == top)
    check("sorted by checks passed, descending: first row", top_doc.get("checks", {}).get("passed", 0), most)
    search = driver.find_element(By.ID, "f-text")
    name = summary["documents"][0]["source_path"]
    search.send_keys(name)
    listed = [r.get_attribute("data-doc") for r in driver.find_elements(By.CSS_SELECTOR, "table.docs tbody tr")]
    if summary["documents"][0]["doc_id"] not in listed:
        failures.append(f"filtering by {name!r} does not list it")
    search.clear()


def document_page(driver, report, doc, shots, flagged):
    driver.get((report / doc["page"]).resolve().as_uri())
    driver.save_screenshot(str(shots / "document.png"))
    name = doc["source_path"]
    seen = cards(driver)
    for key in (
        "standard_tables.expected", "standard_tables.found", "standard_tables.parsed",
        "standard_tables.empty", "standard_tables.unparsed", "standard_tables.missing",
        "tables.total", "checks.passed", "checks.failed", "cells.amounts", "cells.verified",
        "verified_share", "totals.balanced",
    ):
        value = doc["verified_share"] if key == "verified_share" else (
            doc["totals"]["balanced"] if key == "totals.balanced" else lookup(doc, key))
        check(f"{name} {key}", seen.get(key), shown(value, key))
    # Every cell drawn once, coloured by its state.
    cells = driver.find_elements(By.CSS_SELECTOR, "td.c")
    c = doc["cells"]
    check(f"{name} cells drawn", len(cells), c["cells"])
    states = {}
    repaired = 0
    for td in cells:
        s = td.get_attribute("data-state")
        states[s] = states.get(s, 0) + 1
        cls = td.get_attribute("class").split()
        if s not in cls:
            failures.append(f"{name}: a cell of state {s} is not coloured as such: {cls}")
        repaired += "repaired" in cls
    check(f"{name} cells verified", states.get("verified", 0), c["verified"])
    check(f"{name} cells failed", states.get("failed", 0), c["failed"])
    check(f"{name} cells untrusted", states.get("untrusted", 0), c["untrusted"])
    check(f"{name} cells repaired", repaired, c["repaired"])
    for key, t in doc["totals"]["values"].items():
        row = driver.find_elements(By.CSS_SELECTOR, f"tr[data-key='totals.values.{key}'] td")
        if not row:
            failures.append(f"{name}: grand total {key} not shown")
        elif t["value"] is not None:
            check(f"{name} grand total {key}", row[-1].text, t["value"])
    if flagged:
        raw, flag = flagged
        hits = [td for td in cells if td.get_attribute("data-raw") == raw]
        if not hits:
            failures.append(f"{name}: no cell printed {raw!r}")
        for td in hits:
            cls = td.get_attribute("class").split()
            title = td.get_attribute("title")
            if "repaired" not in cls or flag not in title or flag not in td.get_attribute("data-flags"):
                failures.append(f"{name}: cell {raw!r} does not show as flagged {flag}: {cls} {title!r}")
            if td.value_of_css_property("outline-style") != "dashed":
                failures.append(f"{name}: cell {raw!r} is not drawn with the repaired outline")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", td)
            td.screenshot(str(shots / "flagged-cell.png"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report", type=pathlib.Path)
    ap.add_argument("shots", type=pathlib.Path)
    ap.add_argument("--doc")
    ap.add_argument("--flagged", nargs=2, metavar=("RAW", "FLAG"))
    a = ap.parse_args()
    summary = json.loads((a.report / "summary.json").read_text("utf-8"))
    a.shots.mkdir(parents=True, exist_ok=True)
    docs = [d for d in summary["documents"] if d["status"] == "ok"]
    if a.doc:
        doc = next(d for d in docs if a.doc in d["source_path"])
    else:
        doc = max(docs, key=lambda d: d["cells"]["amounts"])
    profile = tempfile.mkdtemp(prefix="govdocs-chromium-")
    driver = browser(profile)
    try:
        index_page(driver, a.report, summary, a.shots)
        document_page(driver, a.report, doc, a.shots, a.flagged)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    if failures:
        print("\n".join(failures))
        print(f"0 passed, {len(failures)} failed")
        sys.exit(1)
    print(f"report in Chromium: the index and {doc['source_path']} show summary.json's figures; screenshots in {a.shots}")


if __name__ == "__main__":
    main()
